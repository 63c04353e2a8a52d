//! The SDK that `build.rs` generated into `OUT_DIR` works: calls go through the in-memory
//! transport with the right method, path, query and body.

use std::sync::Arc;

use genauth_example_build_script::genauth::rt::{Error, MemoryTransport, Method};
use genauth_example_build_script::genauth::{
    ManagementClient, ResetUserPrincipalAuthenticationInfoDto, ResetUserPrincipalAuthenticationInfoOptionsDto, UserIdType,
};
use genauth_example_build_script::user_display_name;
use serde_json::json;

fn envelope(data: serde_json::Value) -> Arc<MemoryTransport> {
    Arc::new(MemoryTransport::json(json!({
        "statusCode": 200,
        "message": "Success",
        "requestId": "req-1",
        "data": data
    })))
}

#[tokio::test]
async fn get_user_through_the_generated_client() {
    let transport = envelope(json!({
        "userId": "u1", "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z",
        "status": "Activated", "workStatus": "Active", "gender": "U", "emailVerified": false,
        "phoneVerified": true, "userSourceType": "register", "username": "ada"
    }));
    let client = ManagementClient::new(transport.clone());

    let name = user_display_name(&client, "u1").await.unwrap();
    assert_eq!(name.as_deref(), Some("ada"));

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, Method::Get);
    assert_eq!(sent[0].path, "/api/v3/get-user");
    assert_eq!(sent[0].body, None);
    let query: Vec<(&str, &str)> = sent[0].query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        query,
        [
            ("userId", "u1"),
            ("userIdType", "user_id"),
            ("flatCustomData", "false"),
            ("withCustomData", "false"),
            ("withPost", "false"),
            ("withIdentities", "false"),
            ("withDepartmentIds", "false"),
        ]
    );
}

#[tokio::test]
async fn post_sends_the_body_as_json() {
    let transport = envelope(json!({"success": true}));
    let client = ManagementClient::new(transport.clone());
    let body = ResetUserPrincipalAuthenticationInfoDto {
        user_id: "13800000000".into(),
        options: Some(ResetUserPrincipalAuthenticationInfoOptionsDto {
            user_id_type: Some(UserIdType::Phone),
        }),
    };
    let resp = client.reset_user_principal_authentication_info(&body).await.unwrap();
    assert!(resp.data.success);

    let sent = transport.requests();
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].path, "/api/v3/reset-user-principal-authentication-info");
    assert_eq!(
        sent[0].json_body(),
        Some(&json!({"userId": "13800000000", "options": {"userIdType": "phone"}}))
    );
}

#[tokio::test]
async fn an_error_envelope_is_an_api_error() {
    let transport = Arc::new(MemoryTransport::json(json!({
        "statusCode": 404, "message": "user not found", "apiCode": 2004, "requestId": "req-2"
    })));
    let client = ManagementClient::new(transport);
    let err = user_display_name(&client, "nobody").await.unwrap_err();
    match err {
        Error::Api { status_code, message, .. } => {
            assert_eq!(status_code, 404);
            assert_eq!(message, "user not found");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}
