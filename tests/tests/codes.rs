//! A code set of our own, shaped like the `ApiCode` the generator emits, through the
//! whole call path: the typed code in `Error::Api`, its name in messages, its retry hints
//! steering the client, `Unknown` keeping codes it does not know, and `?` conversions
//! from errors with bare codes.

use std::fmt;
use std::time::Duration;

use genauth_sdk::rt::{self, ApiCodeSet, ClientBuilder, Method, Request, RetryHint, RetryPolicy, TypedApiCode};
use genauth_tests::loopback::{envelope, Recorded, Reply, Server};
use serde_json::{json, Value};

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiCode {
    LoginTooFrequent,
    SignatureReplayed,
    UserNotFound,
    Unknown(i64),
}

impl ApiCodeSet for ApiCode {
    fn from_code(code: i64) -> Self {
        match code {
            1002 => ApiCode::LoginTooFrequent,
            1306 => ApiCode::SignatureReplayed,
            2004 => ApiCode::UserNotFound,
            other => ApiCode::Unknown(other),
        }
    }

    fn code(&self) -> i64 {
        match self {
            ApiCode::LoginTooFrequent => 1002,
            ApiCode::SignatureReplayed => 1306,
            ApiCode::UserNotFound => 2004,
            ApiCode::Unknown(code) => *code,
        }
    }

    fn name(&self) -> Option<&'static str> {
        match self {
            ApiCode::LoginTooFrequent => Some("LoginTooFrequent"),
            ApiCode::SignatureReplayed => Some("SignatureReplayed"),
            ApiCode::UserNotFound => Some("UserNotFound"),
            ApiCode::Unknown(_) => None,
        }
    }

    fn retry(&self) -> RetryHint {
        match self {
            // Throttled: the runtime's bare-number rules do not know this one.
            ApiCode::LoginTooFrequent => RetryHint::NotProcessed,
            ApiCode::SignatureReplayed => RetryHint::Resign,
            ApiCode::UserNotFound | ApiCode::Unknown(_) => RetryHint::Never,
        }
    }
}

impl TypedApiCode for ApiCode {}

impl fmt::Display for ApiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} ({})", self.code()),
            None => write!(f, "unknown apiCode {}", self.code()),
        }
    }
}

type Error = rt::Error<ApiCode>;

/// Answers the `n`-th request (1-based) with `script(n)`.
fn scripted(script: impl Fn(u32) -> Reply + Send + Sync + 'static) -> Server {
    let seen = std::sync::atomic::AtomicU32::new(0);
    Server::start(move |_: &Recorded| script(seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1))
}

fn client(server: &Server) -> rt::Client {
    let fast = RetryPolicy::default().base_delay(Duration::from_millis(2)).max_delay(Duration::from_millis(20));
    ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast).build().unwrap()
}

fn post() -> Request {
    Request::new(Method::Post, "/api/v3/kick-users")
        .json(&json!({"appIds": ["a"], "userId": "u1"}))
        .unwrap()
}

/// What a generated method will look like: `?` on errors with bare codes, typed send.
async fn kick(client: &rt::Client) -> Result<Value, Error> {
    let request = Request::new(Method::Post, "/api/v3/kick-users").json(&json!({"appIds": ["a"], "userId": "u1"}))?;
    client.send::<_, ApiCode>(request).await
}

#[tokio::test]
async fn the_code_sets_hints_steer_the_retries() {
    // 1002 inside a 400 envelope: only a code set that knows 1002 retries it.
    let throttled = || {
        scripted(|n| match n {
            1 => Reply::json(&json!({"statusCode": 400, "apiCode": 1002, "message": "too frequent"})),
            _ => Reply::json(&envelope(200, "Success", "rid", json!({"success": true}))),
        })
    };
    let server = throttled();
    let value = kick(&client(&server)).await.unwrap();
    assert_eq!(value["data"]["success"], json!(true));
    assert_eq!(server.requests().len(), 2);

    let server = throttled();
    match client(&server).send::<Value, i64>(post()).await {
        Err(rt::Error::Api { api_code: Some(1002), status_code: 400, .. }) => {}
        other => panic!("bare codes do not retry 1002, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn api_errors_carry_the_typed_code() {
    let server = scripted(|_| Reply::json(&json!({"statusCode": 404, "apiCode": 2004, "message": "用户不存在", "requestId": "r-1"})));
    let err = kick(&client(&server)).await.unwrap_err();
    match &err {
        rt::Error::Api { status_code, api_code, message, request_id } => {
            assert_eq!((*status_code, *api_code, message.as_str()), (404, Some(ApiCode::UserNotFound), "用户不存在"));
            assert_eq!(request_id.as_deref(), Some("r-1"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(err.to_string(), "API error 404 (apiCode 2004 UserNotFound): 用户不存在 [request r-1]");
    assert_eq!(err.api_code().map(ToString::to_string).as_deref(), Some("UserNotFound (2004)"));
    assert!(!err.api_code().unwrap().is_retryable());
    assert_eq!(err.retry_hint(), RetryHint::Never);
    assert_eq!(server.requests().len(), 1);

    // A code the set does not know keeps its number.
    let server = scripted(|_| Reply::json(&json!({"statusCode": 400, "apiCode": 424242, "message": "new"})));
    let err = kick(&client(&server)).await.unwrap_err();
    assert_eq!(err.api_code(), Some(&ApiCode::Unknown(424242)));
    assert_eq!(err.api_code().unwrap().code(), 424242);
    assert_eq!(err.to_string(), "API error 400 (apiCode 424242): new");
    assert_eq!(ApiCode::Unknown(424242).to_string(), "unknown apiCode 424242");

    // A retryable code that stays: retried, then reported with its name.
    let server = scripted(|_| Reply::json(&json!({"statusCode": 401, "apiCode": 1306, "message": "replayed"})));
    let err = kick(&client(&server)).await.unwrap_err();
    assert_eq!(err.api_code(), Some(&ApiCode::SignatureReplayed));
    assert!(ApiCode::SignatureReplayed.is_retryable());
    assert_eq!(server.requests().len(), 3, "first attempt and two retries");
}

#[tokio::test]
async fn bare_code_errors_convert_with_question_mark() {
    // `send_raw` and `decode` return errors with bare codes; `?` types them.
    async fn raw(client: &rt::Client) -> Result<u16, Error> {
        let response = client.send_raw(post()).await?;
        let _: Value = client.decode(&response)?;
        Ok(response.status)
    }
    let server = scripted(|_| Reply::json(&json!({"statusCode": 404, "apiCode": 2004, "message": "gone"})));
    match raw(&client(&server)).await {
        Err(rt::Error::Api { api_code: Some(ApiCode::UserNotFound), .. }) => {}
        other => panic!("expected the typed code after `?`, got {other:?}"),
    }
    let typed: Error = rt::Error::<i64>::Api { status_code: 429, api_code: Some(1002), message: String::new(), request_id: None }.into();
    assert_eq!(typed.api_code(), Some(&ApiCode::LoginTooFrequent));
    assert_eq!(typed.recode::<i64>().api_code(), Some(&1002));

    // `send_raw_as` reads with the typed set, hints included.
    let server = scripted(|n| match n {
        1 => Reply::json(&json!({"statusCode": 400, "apiCode": 1002, "message": "too frequent"})),
        _ => Reply::json(&envelope(200, "Success", "rid", json!(null))),
    });
    let response = client(&server).send_raw_as::<ApiCode>(post()).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(server.requests().len(), 2);
}
