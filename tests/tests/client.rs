//! Generated methods hand the right request to the transport and decode the response.

use std::sync::Arc;

use genauth_sdk::rt::{Error, MemoryTransport, Method, Response};
use genauth_sdk::*;
use serde_json::json;

fn success(data: serde_json::Value) -> Arc<MemoryTransport> {
    Arc::new(MemoryTransport::json(json!({
        "statusCode": 200,
        "message": "Success",
        "requestId": "934108e5-9fbf-4d24-8da1-c330328abd6c",
        "data": data
    })))
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn reset_user_principal_authentication_info_posts_the_body() {
    let transport = success(json!({"success": true}));
    let client = ManagementClient::new(transport.clone());
    let body = ResetUserPrincipalAuthenticationInfoDto {
        user_id: "13800000000".into(),
        options: Some(ResetUserPrincipalAuthenticationInfoOptionsDto {
            user_id_type: Some(UserIdType::Phone),
        }),
    };
    let resp = client.reset_user_principal_authentication_info(&body).await.unwrap();
    assert!(resp.data.success);
    assert_eq!(resp.status_code, 200);

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let req = &sent[0];
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/api/v3/reset-user-principal-authentication-info");
    assert!(req.query.is_empty());
    assert_eq!(
        req.json_body(),
        Some(&json!({"userId": "13800000000", "options": {"userIdType": "phone"}}))
    );
}

#[tokio::test]
async fn get_user_sends_query_with_spec_defaults() {
    let transport = success(json!({
        "userId": "u1", "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z",
        "status": "Activated", "workStatus": "Active", "gender": "U", "emailVerified": false,
        "phoneVerified": true, "userSourceType": "register"
    }));
    let client = ManagementClient::new(transport.clone());
    let mut params = GetUserParams::new("u1");
    params.with_identities = Some(true);
    let user = client.get_user(&params).await.unwrap();
    assert_eq!(user.data.user_id, "u1");
    assert_eq!(user.data.status, UserStatus::Activated);

    let req = &transport.requests()[0];
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/api/v3/get-user");
    assert_eq!(req.body, None);
    assert_eq!(
        req.query,
        pairs(&[
            ("userId", "u1"),
            ("userIdType", "user_id"),
            ("flatCustomData", "false"),
            ("withCustomData", "false"),
            ("withPost", "false"),
            ("withIdentities", "true"),
            ("withDepartmentIds", "false"),
        ])
    );
}

#[tokio::test]
async fn array_query_parameters_repeat_the_key_and_unset_ones_are_left_out() {
    let transport = success(json!([]));
    let client = ManagementClient::new(transport.clone());
    let mut params = GetUserBatchParams::new(vec!["a".into(), "b".into()]);
    params.user_id_type = Some(UserIdType::ExternalId);
    params.with_custom_data = None;
    params.flat_custom_data = None;
    params.with_identities = None;
    params.with_department_ids = None;
    let users = client.get_user_batch(&params).await.unwrap();
    assert!(users.data.is_empty());
    assert_eq!(
        transport.requests()[0].query,
        pairs(&[("userIds", "a"), ("userIds", "b"), ("userIdType", "external_id")])
    );
}

#[tokio::test]
async fn error_envelopes_become_api_errors() {
    let transport = Arc::new(MemoryTransport::json(json!({
        "statusCode": 403, "apiCode": 40001, "message": "Forbidden", "requestId": "r-1"
    })));
    let client = ManagementClient::new(transport);
    let err = client.get_user(&GetUserParams::new("u1")).await.unwrap_err();
    match err {
        Error::Api { status_code, api_code, message, request_id } => {
            assert_eq!(status_code, 403);
            assert_eq!(api_code, Some(ApiCode::Unknown(40001)), "not a documented code");
            assert_eq!(message, "Forbidden");
            assert_eq!(request_id.as_deref(), Some("r-1"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn bodies_that_do_not_fit_are_decode_errors_and_html_is_not_json() {
    let client = ManagementClient::new(success(json!({"success": "yes"})));
    let body = KickUsersDto { app_ids: vec!["app".into()], user_id: "u1".into(), options: None };
    match client.kick_users(&body).await.unwrap_err() {
        Error::Decode { status, reason, .. } => {
            assert_eq!(status, 200);
            assert!(reason.contains("invalid type"), "{reason}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    let html = Arc::new(MemoryTransport::new(|_| Response {
        status: 200,
        headers: vec![],
        body: b"<html>oops</html>".to_vec(),
    }));
    let client = ManagementClient::new(html);
    assert!(matches!(client.kick_users(&body).await.unwrap_err(), Error::NotJson { status: 200, .. }));
}
