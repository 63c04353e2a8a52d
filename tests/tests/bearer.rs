//! Legacy bearer auth over real HTTP: one token request for many concurrent calls, a new
//! one before the token expires, the user pool id taken from the token, both header brands.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use genauth_sdk::rt::{self, ClientBuilder, Error, HeaderPrefix};
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, management_token, Recorded, Reply, Server};
use serde_json::json;

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};
const POOL: &str = "62e22721c889dd44bad1dd00";
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// A server that issues tokens `sig1`, `sig2`, ... living `lifetime` seconds (slowly, so a
/// stampede would show), and accepts other calls only with the latest token.
fn token_server(lifetime: u64, prefix: &'static str) -> (Server, Arc<AtomicU32>) {
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    let server = Server::start(move |req: &Recorded| {
        if req.path == TOKEN_PATH {
            let serial = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply {
                delay: Duration::from_millis(150),
                ..Reply::json(&envelope(
                    200,
                    "Success",
                    "tok",
                    json!({"access_token": management_token(POOL, serial), "expires_in": lifetime}),
                ))
            };
        }
        let current = management_token(POOL, counter.load(Ordering::SeqCst));
        let auth_ok = req.header("authorization") == Some(format!("Bearer {current}").as_str());
        let pool_ok = req.header(&format!("{prefix}userpool-id")) == Some(POOL);
        if !(auth_ok && pool_ok) {
            return Reply::json(&json!({"statusCode": 401, "message": "bad token or user pool"}));
        }
        Reply::json(&envelope(200, "Success", "rid", json!({"success": true})))
    });
    (server, issued)
}

fn bearer_client(server: &Server, prefix: HeaderPrefix) -> ManagementClient {
    ManagementClient::from_client(
        ClientBuilder::management_token(AK, SK).host(server.url()).header_prefix(prefix).build().unwrap(),
    )
}

async fn call_concurrently(client: &ManagementClient, n: usize) {
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let client = client.clone();
        set.spawn(async move {
            let body = KickUsersDto { app_ids: vec!["app".into()], user_id: format!("u{i}"), options: None };
            client.kick_users(&body).await
        });
    }
    while let Some(joined) = set.join_next().await {
        match joined.unwrap() {
            Ok(resp) => assert_eq!((resp.status_code, resp.request_id.as_deref(), resp.data.success), (200, Some("rid"), true)),
            Err(e) => panic!("call failed: {e}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_request_for_many_concurrent_calls() {
    let (server, issued) = token_server(7200, "x-genauth-");
    let client = bearer_client(&server, HeaderPrefix::GenAuth);
    call_concurrently(&client, 40).await;
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests_to(TOKEN_PATH).len(), 1);
    assert_eq!(server.requests().len(), 41);

    let token_req = &server.requests_to(TOKEN_PATH)[0];
    assert_eq!(token_req.method, "POST");
    assert_eq!(token_req.json(), Some(json!({"accessKeyId": AK, "accessKeySecret": SK})));
    assert_eq!(token_req.header("authorization"), None);
    let call = &server.requests_to("/api/v3/kick-users")[0];
    assert_eq!(call.header("x-genauth-lang"), Some("zh-CN"));
    assert!(call.header("x-genauth-sdk-version").is_some());
    assert_eq!(call.header("x-genauth-signature-nonce"), None, "bearer calls are not signed");

    // Later calls reuse the cached token.
    call_concurrently(&client, 5).await;
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_is_renewed_before_it_expires() {
    // Lifetime 3 s; the margin (60 s by default) is capped at half the lifetime, so the
    // token is renewed after 1.5 s, while it is still valid.
    let (server, issued) = token_server(3, "x-genauth-");
    let client = bearer_client(&server, HeaderPrefix::GenAuth);
    call_concurrently(&client, 10).await;
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(1700)).await;
    call_concurrently(&client, 10).await;
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    // The second batch carried the second token (the server accepts only the latest).
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("authorization"), Some(format!("Bearer {}", management_token(POOL, 2)).as_str()));
}

#[tokio::test]
async fn authing_deployments_get_authing_headers() {
    let (server, issued) = token_server(7200, "x-authing-");
    let client = bearer_client(&server, HeaderPrefix::Authing);
    call_concurrently(&client, 3).await;
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    let call = server.requests().pop().unwrap();
    assert_eq!(call.header("x-authing-userpool-id"), Some(POOL));
    assert_eq!(call.header("x-authing-lang"), Some("zh-CN"));
    assert!(call.headers.iter().all(|(k, _)| !k.starts_with("x-genauth-")), "{:?}", call.headers);
}

#[tokio::test]
async fn token_endpoint_failures_are_typed() {
    // The endpoint refuses the key: its envelope becomes the call's API error.
    let server = Server::start(|_: &Recorded| {
        Reply::json(&json!({"statusCode": 401, "apiCode": 40010, "message": "accessKeySecret 错误", "requestId": "t-1"}))
    });
    let client = bearer_client(&server, HeaderPrefix::GenAuth);
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(Error::Api { status_code, api_code, message, request_id }) => assert_eq!(
            (status_code, api_code, message.as_str(), request_id.as_deref()),
            (401, Some(ApiCode::Unknown(40010)), "accessKeySecret 错误", Some("t-1"))
        ),
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "no call goes out without a token");

    // A token that names no user pool.
    let server = Server::start(|_: &Recorded| {
        Reply::json(&envelope(200, "Success", "t-2", json!({"access_token": "opaque-token", "expires_in": 7200})))
    });
    let client = bearer_client(&server, HeaderPrefix::GenAuth);
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(Error::Auth { message }) => {
            assert_eq!(message, "the management token is not a JWT");
        }
        other => panic!("expected an auth error, got {other:?}"),
    }

    // A token response of the wrong shape; the token itself stays out of the error.
    let server = Server::start(|_: &Recorded| {
        Reply::json(&envelope(200, "Success", "t-3", json!({"access_token": "eyJ.secret-part.sig", "expires_in": "soon"})))
    });
    let client = bearer_client(&server, HeaderPrefix::GenAuth);
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(e @ Error::Decode { .. }) => {
            let Error::Decode { path, request_id, .. } = &e else { unreachable!() };
            assert_eq!((path.as_str(), request_id.as_deref()), ("data.expires_in", Some("t-3")));
            assert!(!format!("{e} {e:?}").contains("secret-part"), "{e:?}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn debug_output_hides_the_cached_token() {
    let (server, _) = token_server(7200, "x-genauth-");
    let transport = Arc::new(ClientBuilder::management_token(AK, SK).host(server.url()).build_transport().unwrap());
    let client = ManagementClient::new(transport.clone());
    call_concurrently(&client, 1).await;
    let token = management_token(POOL, 1);
    assert!(format!("{:?}", server.requests()).contains(&token), "the server did see the token");
    let ours = format!("{client:?} {transport:?} {transport:#?}");
    assert!(ours.contains("cached"), "{ours}");
    assert!(!ours.contains(&token) && !ours.contains(SK), "{ours}");
}

/// A token server whose tokens `sig1`, `sig2`, ... live long, but which refuses tokens
/// older than `valid_from` (the test raises it to revoke the current one). Refusals are
/// HTTP 401 or an envelope with `statusCode` 401, as `http_401` says.
fn revoking_server(valid_from: Arc<AtomicU32>, http_401: bool) -> (Server, Arc<AtomicU32>) {
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    let server = Server::start(move |req: &Recorded| {
        if req.path == TOKEN_PATH {
            let serial = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply {
                // Slow, so that refused calls pile up while the new token is on its way.
                delay: Duration::from_millis(100),
                ..Reply::json(&envelope(200, "Success", "tok", json!({"access_token": management_token(POOL, serial), "expires_in": 7200})))
            };
        }
        let accepted = (valid_from.load(Ordering::SeqCst)..=counter.load(Ordering::SeqCst))
            .any(|serial| req.header("authorization") == Some(format!("Bearer {}", management_token(POOL, serial)).as_str()));
        match (accepted, http_401) {
            (true, _) => Reply::json(&envelope(200, "Success", "rid", json!({"success": true}))),
            (false, true) => Reply::new(401, "Unauthorized"),
            (false, false) => Reply::json(&json!({"statusCode": 401, "message": "token expired"})),
        }
    });
    (server, issued)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_is_replaced_once_for_all_waiting_calls() {
    for http_401 in [false, true] {
        let valid_from = Arc::new(AtomicU32::new(1));
        let (server, issued) = revoking_server(valid_from.clone(), http_401);
        // Retries off: renewing a refused token is authentication, not a retry.
        let client = ManagementClient::from_client(
            ClientBuilder::management_token(AK, SK).host(server.url()).retry(rt::RetryPolicy::none()).build().unwrap(),
        );
        call_concurrently(&client, 1).await;
        assert_eq!(issued.load(Ordering::SeqCst), 1);

        // The server revokes token 1 before it expires, then 20 calls go out at once. How
        // many of them still carry token 1 depends on timing (on a loaded machine the first
        // refusal can be answered, and token 2 fetched, before the later calls start), so
        // count them: each refused call is sent once more, and every call ends with token 2.
        valid_from.store(2, Ordering::SeqCst);
        call_concurrently(&client, 20).await;
        assert_eq!(issued.load(Ordering::SeqCst), 2, "one new token for all refused calls (http_401: {http_401})");
        assert_eq!(server.requests_to(TOKEN_PATH).len(), 2);
        let calls = server.requests_to("/api/v3/kick-users");
        let carrying = |serial: u32| {
            let header = format!("Bearer {}", management_token(POOL, serial));
            calls.iter().filter(|r| r.header("authorization") == Some(header.as_str())).count()
        };
        let refused = carrying(1) - 1;
        assert!(refused >= 1, "token 1 was revoked, so at least the first call is refused");
        assert_eq!(carrying(2), 20, "every call ends with the new token");
        assert_eq!(calls.len(), 1 + refused + 20, "each refused call is sent once more, and only once");
    }
}

#[tokio::test]
async fn a_token_refused_again_fails_the_call_after_one_renewal() {
    // Every token is refused: the call is sent twice (old token, new token) and fails.
    let (server, issued) = revoking_server(Arc::new(AtomicU32::new(u32::MAX)), false);
    let client = ManagementClient::from_client(ClientBuilder::management_token(AK, SK).host(server.url()).build().unwrap());
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(Error::Api { status_code: 401, message, .. }) => assert_eq!(message, "token expired"),
        other => panic!("expected the refusal, got {other:?}"),
    }
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(server.requests_to("/api/v3/get-user").len(), 2);
}
