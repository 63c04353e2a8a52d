//! Per-call options (a view of the client with its own timeout, headers and retry policy)
//! and the raw response (status, headers, request id) over real HTTP.

use std::time::{Duration, Instant};

use genauth_sdk::rt::{self, ApiResponse, CallOptions, ClientBuilder, Error, Method, Request, RetryPolicy};
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, verify_signature, Recorded, Reply, Server};
use serde_json::{json, Value};

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(2)).max_delay(Duration::from_millis(20))
}

fn ok() -> Reply {
    Reply::json(&envelope(200, "Success", "env-rid", json!({"success": true}))).header("x-request-id", "hdr-rid")
}

fn kick() -> KickUsersDto {
    KickUsersDto { app_ids: vec!["app1".into()], user_id: "u1".into(), options: None }
}

#[tokio::test]
async fn a_view_with_a_shorter_timeout() {
    let server = Server::signed(|_, _| Reply { delay: Duration::from_millis(300), ..ok() });
    let base = ClientBuilder::access_key(AK, SK).host(server.url()).retry(RetryPolicy::none()).build().unwrap();
    let hasty = ManagementClient::from_client(base.with_options(CallOptions::new().timeout(Duration::from_millis(80))));
    let started = Instant::now();
    match hasty.kick_users(&kick()).await {
        Err(Error::Timeout { .. }) => {}
        other => panic!("expected the view's timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(250), "{:?}", started.elapsed());
    // The client it came from keeps its own (10 s) limit.
    ManagementClient::from_client(base).kick_users(&kick()).await.unwrap();
}

#[tokio::test]
async fn a_view_with_extra_headers_that_are_signed() {
    let server = Server::signed(|_, _| ok());
    let base = ClientBuilder::access_key(AK, SK).host(server.url()).build().unwrap();
    let view = base
        .with_options(CallOptions::new().header("X-Trace-Id", "trace-1"))
        .with_options(CallOptions::new().header("x-genauth-app-id", "tenant-9"));
    ManagementClient::from_client(view).kick_users(&kick()).await.unwrap();
    ManagementClient::from_client(base).kick_users(&kick()).await.unwrap();
    let seen = server.requests();
    // Both requests passed the server's signature check (the handler answered 200);
    // the branded header of the view is part of what was signed.
    let sts = verify_signature(&seen[0], AK, SK, "x-genauth-", "GenAuth").unwrap();
    assert!(sts.contains("x-genauth-app-id:tenant-9\n"), "{sts}");
    assert_eq!(seen[0].header("x-trace-id"), Some("trace-1"), "headers of stacked views add up");
    assert_eq!((seen[1].header("x-trace-id"), seen[1].header("x-genauth-app-id")), (None, None));
}

#[tokio::test]
async fn a_view_with_its_own_retry_policy() {
    let flaky = || Server::signed(|n, _| if n % 3 == 0 { ok() } else { Reply::new(503, "busy") });
    // A client that never retries, and a view of it that does.
    let server = flaky();
    let base = ClientBuilder::access_key(AK, SK).host(server.url()).retry(RetryPolicy::none()).build().unwrap();
    let patient = ManagementClient::from_client(base.with_options(CallOptions::new().retry(fast())));
    patient.get_user(&GetUserParams::new("u1")).await.map(|_| ()).unwrap_or_else(|e| match e {
        // The body is not a user; what matters is that the third attempt got through.
        Error::Decode { status: 200, .. } => {}
        other => panic!("{other:?}"),
    });
    assert_eq!(server.requests().len(), 3);
    assert!(matches!(
        ManagementClient::from_client(base).get_user(&GetUserParams::new("u1")).await,
        Err(Error::Http { status: 503, .. })
    ));
    assert_eq!(server.requests().len(), 4, "the client itself still makes one attempt");

    // And the other way round: a retrying client, a view that does not retry.
    let server = flaky();
    let base = ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast()).build().unwrap();
    let once = ManagementClient::from_client(base.with_options(CallOptions::new().retry(RetryPolicy::none())));
    assert!(once.get_user(&GetUserParams::new("u1")).await.is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn the_raw_response_keeps_status_headers_and_request_id() {
    let server = Server::signed(|n, _| if n == 1 { Reply::new(503, "busy") } else { ok().header("x-ratelimit-remaining", "41") });
    let client = ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast()).build().unwrap();
    let request = Request::new(Method::Get, "/api/v3/get-user");
    let response: ApiResponse<Value> = client.send_with_response::<_, i64>(request).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.attempts, 2);
    assert_eq!(response.request_id.as_deref(), Some("env-rid"), "the envelope's id comes first");
    assert_eq!(response.header("X-Request-Id"), Some("hdr-rid"));
    assert_eq!(response.header("x-ratelimit-remaining"), Some("41"));
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.data["data"], json!({"success": true}));
    let flag = response.map(|v| v["data"]["success"].as_bool()).into_data();
    assert_eq!(flag, Some(true));

    // Without an envelope, the header gives the request id.
    let server = Server::start(|_: &Recorded| Reply::json(&json!({"plain": 1})).header("x-request-id", "hdr-2"));
    let client = rt::Client::new(ClientBuilder::new().host(server.url()).build_transport().unwrap());
    let response = client.send_with_response::<Value, i64>(Request::new(Method::Get, "/plain")).await.unwrap();
    assert_eq!((response.status, response.request_id.as_deref(), response.attempts), (200, Some("hdr-2"), 1));
    assert_eq!(response.data, json!({"plain": 1}));
}

#[test]
fn options_debug_hides_credential_headers() {
    let options = CallOptions::new().header("authorization", "Bearer very-secret-token").header("x-trace", "t1");
    let text = format!("{options:?}");
    assert!(!text.contains("very-secret-token") && text.contains("t1"), "{text}");
    let client = rt::Client::new(rt::MemoryTransport::json(json!({}))).with_options(options);
    let text = format!("{client:?}");
    assert!(!text.contains("very-secret-token") && text.contains("t1"), "{text}");
}
