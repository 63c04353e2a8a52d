//! The `tracing` feature: one span per call with what an operator needs (operation,
//! method, path, attempt, status, apiCode, request id, duration), and never a secret,
//! a signature or a token, whatever the level. Everything is captured at TRACE.

use std::io;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use genauth_sdk::rt::{ClientBuilder, Method, Request, RetryPolicy};
use genauth_sdk::{ListUsersRequestDto, ManagementClient};
use genauth_tests::loopback::{envelope, management_token, verify_signature, Recorded, Reply, Server};
use serde_json::{json, Value};
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::util::SubscriberInitExt;

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};
const POOL: &str = "62e22721c889dd44bad1dd00";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Records this thread's events up to `level` (span closes included) into a new
    /// buffer, until the returned guard is dropped.
    fn capture(level: tracing_subscriber::filter::LevelFilter) -> (Buffer, impl Sized) {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let guard = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_span_events(FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish()
            .set_default();
        (buffer, guard)
    }
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn one_span_per_call_and_no_secrets() {
    let (buffer, _guard) = Buffer::capture(tracing_subscriber::filter::LevelFilter::TRACE);

    // AK/SK: a GET that succeeds at the second attempt, a POST refused with an apiCode.
    let seen = AtomicU32::new(0);
    let server = Server::start(move |req: &Recorded| {
        if let Err(reason) = verify_signature(req, AK, SK, "x-genauth-", "GenAuth") {
            return Reply::json(&json!({"statusCode": 401, "message": reason}));
        }
        match (req.method.as_str(), seen.fetch_add(1, Ordering::SeqCst)) {
            ("GET", 0) => Reply::new(503, "busy"),
            ("GET", _) => Reply::json(&envelope(200, "Success", "rid-get-7", json!({"userId": "u1"}))),
            _ => Reply::json(&json!({"statusCode": 403, "apiCode": 40003, "message": "no access", "requestId": "rid-post-8"})),
        }
    });
    let client = ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast()).build().unwrap();
    client
        .send::<Value, i64>(Request::new(Method::Get, "/api/v3/get-user").operation("get_user"))
        .await
        .unwrap();
    let post = Request::new(Method::Post, "/api/v3/kick-users")
        .operation("kick_users")
        .json(&json!({"appIds": ["a"], "userId": "u1"}))
        .unwrap();
    assert!(client.send::<Value, i64>(post).await.is_err());

    // Bearer: the first token is refused once, a second one is fetched.
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    let bearer_server = Server::start(move |req: &Recorded| {
        if req.path == "/api/v3/get-management-token" {
            let serial = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(&envelope(200, "Success", "tok", json!({"access_token": management_token(POOL, serial), "expires_in": 7200})));
        }
        if req.header("authorization") == Some(format!("Bearer {}", management_token(POOL, 2)).as_str()) {
            Reply::json(&envelope(200, "Success", "rid-bearer", json!({"success": true})))
        } else {
            Reply::new(401, "expired")
        }
    });
    let bearer = ClientBuilder::management_token(AK, SK).host(bearer_server.url()).build().unwrap();
    bearer
        .send::<Value, i64>(Request::new(Method::Get, "/api/v3/list-roles").operation("list_roles"))
        .await
        .unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);

    let out = buffer.text();
    // What must be there: one span per call, with its fields.
    assert_eq!(out.matches(" close time.busy").count(), 3, "one span per call:\n{out}");
    for needle in [
        "genauth.call",
        "operation=\"get_user\"",
        "method=\"GET\"",
        "path=\"/api/v3/get-user\"",
        "attempt=2",
        "status=503",
        "status=200",
        "request_id=\"rid-get-7\"",
        "operation=\"kick_users\"",
        "status=200 status_code=403",
        "api_code=40003",
        "request_id=\"rid-post-8\"",
        "status=401",
        "reason=RefreshToken",
        "duration_ms=",
        "retrying",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }

    // What must never be there.
    let mut secrets = vec![SK.to_owned(), management_token(POOL, 1), management_token(POOL, 2)];
    for r in server.requests().iter().chain(bearer_server.requests().iter()) {
        if let Some(auth) = r.header("authorization") {
            secrets.push(auth.to_owned());
            // The signature (or token) alone, after the key id.
            secrets.push(auth.rsplit([':', ' ']).next().unwrap().to_owned());
        }
    }
    // The token's signature part is short; search for the payload part instead.
    secrets.push(management_token(POOL, 2).split('.').nth(1).unwrap().to_owned());
    assert!(secrets.len() > 6);
    for secret in &secrets {
        assert!(!out.contains(secret.as_str()), "{secret:?} leaked into the trace:\n{out}");
    }
    assert!(!out.to_ascii_lowercase().contains("authorization"), "{out}");
}

#[tokio::test]
async fn a_generated_method_names_its_operation() {
    let (buffer, _guard) = Buffer::capture(tracing_subscriber::filter::LevelFilter::INFO);
    let server = Server::signed(|_, _| Reply::json(&envelope(200, "Success", "rid-list-1", json!({"totalCount": 0, "list": []}))));
    let client = ManagementClient::from_client(ClientBuilder::access_key(AK, SK).host(server.url()).build().unwrap());
    client.list_users(&ListUsersRequestDto::default()).await.unwrap();
    let text = buffer.text();
    let span = text.lines().find(|l| l.contains("genauth.call")).unwrap_or_else(|| panic!("no span: {text}"));
    assert!(span.contains("operation=\"list_users\""), "{span}");
    assert!(span.contains("path=\"/api/v3/list-users\""), "{span}");
}
