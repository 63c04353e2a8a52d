//! Retries over real HTTP against the loopback GenAuth stand-in: which answers are
//! retried and which never are, how many attempts go out, that each attempt is signed
//! afresh (checked by the server, independently), and that `Retry-After` is honoured.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use genauth_sdk::rt::{self, ClientBuilder, Error, Method, Request, RetryPolicy};
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, verify_signature, Recorded, Reply, Server};
use serde_json::{json, Value};

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};

/// The default number of retries, with waits of a few milliseconds.
fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(2)).max_delay(Duration::from_millis(20))
}

fn builder(server: &Server) -> ClientBuilder {
    ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast())
}

fn sdk(server: &Server) -> ManagementClient {
    ManagementClient::from_client(builder(server).build().unwrap())
}

fn ok() -> Reply {
    Reply::json(&envelope(200, "Success", "rid-ok", json!({"success": true})))
}

/// A server that checks every signature, then answers the `n`-th request (1-based) with
/// `script(n)`.
fn scripted(script: impl Fn(u32) -> Reply + Send + Sync + 'static) -> Server {
    Server::signed(move |n, _| script(n))
}

fn kick() -> KickUsersDto {
    KickUsersDto { app_ids: vec!["app1".into()], user_id: "u1".into(), options: None }
}

/// Every recorded request passed the server's signature check on its own, and no two
/// carried the same nonce or signature.
fn assert_signed_afresh(requests: &[Recorded]) {
    let mut nonces = HashSet::new();
    let mut signatures = HashSet::new();
    for r in requests {
        verify_signature(r, AK, SK, "x-genauth-", "GenAuth").unwrap();
        assert!(nonces.insert(r.header("x-genauth-signature-nonce").unwrap().to_owned()), "nonce reused");
        assert!(signatures.insert(r.header("authorization").unwrap().to_owned()), "signature reused");
    }
}

#[tokio::test]
async fn get_is_retried_after_5xx_answers_with_a_new_signature_each_time() {
    // HTTP 503, then an envelope saying 502 inside HTTP 200, then success.
    let server = scripted(|n| match n {
        1 => Reply::new(503, "<html>busy</html>"),
        2 => Reply::json(&json!({"statusCode": 502, "message": "upstream failed"})),
        _ => Reply::json(&envelope(200, "Success", "rid-3", json!({"success": true}))),
    });
    let client = builder(&server).build().unwrap();
    let request = Request::new(Method::Get, "/api/v3/get-user").query({
        let mut q = rt::Query::new();
        q.push("userId", "u1");
        q
    });
    let response = client.send_with_response::<Value, i64>(request).await.unwrap();
    assert_eq!((response.attempts, response.request_id.as_deref()), (3, Some("rid-3")));
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    assert_signed_afresh(&seen);
    assert!(seen.iter().all(|r| r.query == vec![("userId".to_owned(), "u1".to_owned())]));
}

#[tokio::test]
async fn the_policy_bounds_the_attempts() {
    for (policy, attempts) in [(fast(), 3), (fast().max_retries(4), 5), (RetryPolicy::none(), 1)] {
        let server = scripted(|_| Reply::new(503, "busy").header("x-request-id", "gw-1"));
        let client = ManagementClient::from_client(builder(&server).retry(policy).build().unwrap());
        match client.get_user(&GetUserParams::new("u1")).await {
            Err(Error::Http { status: 503, request_id, .. }) => assert_eq!(request_id.as_deref(), Some("gw-1")),
            other => panic!("expected the last 503, got {other:?}"),
        }
        assert_eq!(server.requests().len(), attempts, "{policy:?}");
    }
}

#[tokio::test]
async fn post_is_not_retried_once_the_server_may_have_acted_on_it() {
    // 5xx answers, as HTTP status or in the envelope: the user may have been kicked.
    for reply in [
        Reply::new(503, "busy"),
        Reply::new(504, "gateway timeout"),
        Reply::json(&json!({"statusCode": 500, "message": "internal"})),
    ] {
        let server = scripted(move |_| reply.clone());
        assert!(sdk(&server).kick_users(&kick()).await.is_err());
        assert_eq!(server.requests().len(), 1, "a POST must not be repeated");
    }

    // The same POST marked idempotent is retried.
    let server = scripted(|n| if n < 3 { Reply::new(503, "busy") } else { ok() });
    let request = Request::new(Method::Post, "/api/v3/kick-users").json(&kick()).unwrap().idempotent(true);
    let client = builder(&server).build().unwrap();
    let response = client.send_with_response::<Value, i64>(request).await.unwrap();
    assert_eq!(response.attempts, 3);
    assert_signed_afresh(&server.requests());
}

#[tokio::test]
async fn post_is_retried_when_the_server_turned_it_away() {
    // 429 (HTTP or envelope) and the "sign again" codes say nothing was done.
    for first in [
        Reply::new(429, "slow down"),
        Reply::json(&json!({"statusCode": 429, "message": "rate limited"})),
        Reply::json(&json!({"statusCode": 401, "apiCode": 1305, "message": "timestamp out of range"})),
        Reply::json(&json!({"statusCode": 401, "apiCode": 1306, "message": "signature already used"})),
    ] {
        let server = scripted(move |n| if n == 1 { first.clone() } else { ok() });
        match sdk(&server).kick_users(&kick()).await {
            Ok(resp) => assert!(resp.data.success),
            Err(e) => panic!("expected the retry to succeed, got {e}"),
        }
        let seen = server.requests();
        assert_eq!(seen.len(), 2);
        assert_signed_afresh(&seen);
        assert_eq!(seen[0].body, seen[1].body, "the same call, signed again");
    }
}

#[tokio::test]
async fn answers_that_do_not_change_are_never_retried() {
    for reply in [
        Reply::json(&json!({"statusCode": 400, "apiCode": 2004, "message": "user not found"})),
        Reply::json(&json!({"statusCode": 403, "message": "forbidden"})),
        Reply::json(&json!({"statusCode": 501, "message": "not supported"})),
        // Under AK/SK there is no token to renew: a refused signature is final.
        Reply::json(&json!({"statusCode": 401, "apiCode": 1300, "message": "bad signature"})),
        Reply::new(401, "unauthorized"),
        Reply::new(404, "not found"),
        Reply::new(500, "<html>oops</html>"),
        Reply::new(200, "<html>not json</html>"),
    ] {
        let server = scripted(move |_| reply.clone());
        assert!(sdk(&server).get_user(&GetUserParams::new("u1")).await.is_err());
        assert_eq!(server.requests().len(), 1, "{:?}", server.requests()[0]);
    }
}

#[tokio::test]
async fn get_timeout_is_retried_post_timeout_is_not() {
    let slow_first = || {
        scripted(|n| {
            let reply = Reply::json(&envelope(200, "Success", "rid", user_json()));
            if n == 1 {
                Reply { delay: Duration::from_millis(600), ..reply }
            } else {
                reply
            }
        })
    };
    let server = slow_first();
    let client = ManagementClient::from_client(builder(&server).timeout(Duration::from_millis(150)).build().unwrap());
    let started = Instant::now();
    let user = client.get_user(&GetUserParams::new("u1")).await.unwrap();
    assert_eq!(user.data.user_id, "u1");
    assert_eq!(server.requests().len(), 2);
    assert!(started.elapsed() < Duration::from_millis(550), "{:?}", started.elapsed());

    let server = slow_first();
    let client = ManagementClient::from_client(builder(&server).timeout(Duration::from_millis(150)).build().unwrap());
    match client.kick_users(&kick()).await {
        Err(Error::Timeout { .. }) => {}
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a POST that timed out may have been carried out");
}

fn user_json() -> Value {
    json!({
        "userId": "u1", "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-02T00:00:00.000Z",
        "status": "Activated", "workStatus": "Active", "gender": "U", "emailVerified": false,
        "phoneVerified": false, "userSourceType": "register"
    })
}

/// Counts what goes through it.
struct Counting<T> {
    inner: T,
    sent: AtomicU32,
}

impl<T: rt::Transport> rt::Transport for Counting<T> {
    fn send(&self, request: Request) -> rt::BoxFuture<'_, Result<rt::Response, Error>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request)
    }
}

#[tokio::test]
async fn post_is_retried_when_the_connection_failed() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    }; // closed again: nothing listens there now
    let transport = Arc::new(Counting {
        inner: ClientBuilder::access_key(AK, SK).host(format!("http://{addr}")).build_transport().unwrap(),
        sent: AtomicU32::new(0),
    });
    let client = ManagementClient::from_client(rt::Client::new(transport.clone()).with_retry(fast()));
    match client.kick_users(&kick()).await {
        Err(Error::Transport { connect: true, .. }) => {}
        other => panic!("expected a connection failure, got {other:?}"),
    }
    assert_eq!(transport.sent.load(Ordering::SeqCst), 3, "nothing reached the server: safe to resend a POST");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    // The policy's own backoff is at most 2 ms; the server asks for one second.
    let policy = RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(2000));
    let server = scripted(|n| if n == 1 { Reply::new(429, "slow down").header("retry-after", "1") } else { ok() });
    let client = ManagementClient::from_client(builder(&server).retry(policy).build().unwrap());
    let started = Instant::now();
    client.kick_users(&kick()).await.unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(950), "retried after {waited:?}, before the server's Retry-After");
    assert!(waited < Duration::from_millis(1900), "{waited:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let policy = fast().max_delay(Duration::from_millis(500));
    let server = scripted(|_| Reply::new(503, "maintenance").header("retry-after", "30"));
    let client = ManagementClient::from_client(builder(&server).retry(policy).build().unwrap());
    let started = Instant::now();
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(Error::Http { status: 503, .. }) => {}
        other => panic!("expected the 503, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_millis(400));
    assert_eq!(server.requests().len(), 1, "the server asked for longer than the policy waits");
}
