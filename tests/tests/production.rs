//! What the generator adds for production use, through the generated SDK's own methods
//! over real HTTP against the loopback GenAuth stand-in: typed API codes (decoding,
//! `Display`, retry hints that steer the client), idempotency of POST reads, streams over
//! paged operations, per-call views (`with_options`) and raw responses (`raw()`). The
//! operation name in the tracing span is checked in `tracing.rs`, where every test
//! installs a subscriber.

use std::time::{Duration, Instant};

use genauth_sdk::rt::{self, ApiCodeSet, CallOptions, ClientBuilder, RetryHint, RetryPolicy, StreamExt};
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, Recorded, Reply, Server};
use serde_json::{json, Value};

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};

fn fast() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(2)).max_delay(Duration::from_millis(20))
}


fn sdk(server: &Server) -> ManagementClient {
    ManagementClient::from_client(ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast()).build().unwrap())
}

fn user(id: &str) -> Value {
    json!({"userId": id, "status": "Activated", "createdAt": "2024-01-01T00:00:00Z"})
}

fn users_request(page: i64, limit: i64) -> ListUsersRequestDto {
    ListUsersRequestDto {
        options: Some(ListUsersOptionsDto {
            pagination: Some(PaginationDto { page: Some(page), limit: Some(limit) }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The page number a `list-users` request asked for.
fn body_page(req: &Recorded) -> i64 {
    req.json().unwrap()["options"]["pagination"]["page"].as_i64().unwrap()
}

/// One page of `total` users, `limit` per page.
fn users_page(page: i64, limit: i64, total: i64) -> Reply {
    let first = (page - 1) * limit + 1;
    let list: Vec<Value> = (first..=(page * limit).min(total)).map(|n| user(&format!("u{n}"))).collect();
    Reply::json(&envelope(200, "Success", &format!("rid-p{page}"), json!({"totalCount": total, "list": list})))
}

fn signatures_distinct(requests: &[Recorded]) {
    let mut nonces: Vec<&str> = requests.iter().map(|r| r.header("x-genauth-signature-nonce").unwrap()).collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), requests.len(), "every attempt is signed afresh");
}

#[tokio::test]
async fn api_codes_are_decoded_named_and_judged() {
    let server = Server::signed(|_, _| {
        Reply::json(&json!({"statusCode": 404, "apiCode": 2004, "message": "no such user", "requestId": "rid-404"}))
    });
    let err = sdk(&server).get_user(&GetUserParams::new("u404")).await.unwrap_err();
    let Error::Api { status_code, api_code, ref request_id, .. } = err else { panic!("{err:?}") };
    assert_eq!((status_code, api_code, request_id.as_deref()), (api_status::NOT_FOUND, Some(ApiCode::UserNotFound), Some("rid-404")));
    assert!(err.to_string().contains("apiCode 2004 UserNotFound"), "{err}");
    assert!(!ApiCode::UserNotFound.is_retryable());
    assert_eq!(server.requests().len(), 1, "a documented 'never' code is not retried");

    // Display names the code; the table's retry column becomes the hints.
    assert_eq!(ApiCode::SignatureReplayed.to_string(), "SignatureReplayed (1306)");
    assert_eq!(ApiCode::from_code(1306), ApiCode::SignatureReplayed);
    assert_eq!(ApiCode::SignatureReplayed.retry(), RetryHint::Resign);
    assert!(ApiCode::SignatureReplayed.is_retryable());
    assert_eq!(ApiCode::LoginTooFrequent.retry(), RetryHint::Transient);
    assert_eq!(ApiCode::MeteringBilling01.retry(), RetryHint::Never, "'unknown' is not retried");
    assert_eq!(ApiCode::from_code(424242), ApiCode::Unknown(424242));
    assert_eq!(ApiCode::Unknown(424242).to_string(), "Unknown (424242)");
    assert_eq!(ApiCode::Unknown(424242).name(), None);
    assert_eq!(ApiCode::InvalidSignature.code(), 1300);
}

#[tokio::test]
async fn a_replayed_signature_is_sent_again_freshly_signed_even_as_a_create() {
    // statusCode 401 alone would not be retried under AK/SK: the apiCode's hint does it.
    let server = Server::signed(|n, _| match n {
        1 => Reply::json(&json!({"statusCode": 401, "apiCode": 1306, "message": "signature used"})),
        _ => Reply::json(&envelope(200, "Success", "rid-ok", user("u1"))),
    });
    let created = sdk(&server)
        .create_user(&CreateUserReqDto { username: Some("ada".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(created.data.user_id, "u1");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    signatures_distinct(&requests);
}

#[tokio::test]
async fn post_reads_are_retried_after_a_503_and_creates_are_not() {
    let server = Server::signed(|n, req| match (req.path.as_str(), n) {
        ("/api/v3/list-users", 1) => Reply::new(503, "busy"),
        ("/api/v3/list-users", _) => users_page(1, 10, 1),
        _ => Reply::new(503, "busy"),
    });
    let client = sdk(&server);
    let page = client.list_users(&users_request(1, 10)).await.unwrap();
    assert_eq!(page.data.list.len(), 1);
    assert_eq!(server.requests_to("/api/v3/list-users").len(), 2, "list_users is a read: retried");

    let err = client.create_user(&CreateUserReqDto::default()).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(server.requests_to("/api/v3/create-user").len(), 1, "a create may have happened: not retried");
}

#[tokio::test]
async fn a_throttle_code_retries_reads_only() {
    // LoginTooFrequent is `backoff` in the table: retried for idempotent calls only.
    let throttled = || Reply::json(&json!({"statusCode": 400, "apiCode": 1002, "message": "too fast"}));
    let server = Server::signed(move |n, req| match (req.path.as_str(), n) {
        ("/api/v3/list-users", 1) => throttled(),
        ("/api/v3/list-users", _) => users_page(1, 10, 0),
        _ => throttled(),
    });
    let client = sdk(&server);
    client.list_users(&users_request(1, 10)).await.unwrap();
    assert_eq!(server.requests_to("/api/v3/list-users").len(), 2);
    let err = client.create_user(&CreateUserReqDto::default()).await.unwrap_err();
    assert_eq!(err.api_code(), Some(&ApiCode::LoginTooFrequent));
    assert_eq!(server.requests_to("/api/v3/create-user").len(), 1);
}

#[tokio::test]
async fn a_stream_walks_three_pages_and_stops_at_the_total() {
    let server = Server::signed(|_, req| users_page(body_page(req), 2, 5));
    let client = sdk(&server);
    let mut request = users_request(1, 2);
    request.keywords = Some("a".into());
    let ids: Vec<String> = client.list_users_stream(&request).map(|u| u.unwrap().user_id).collect().await;
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "the third page reaches totalCount: no fourth request");
    let pages: Vec<i64> = requests.iter().map(body_page).collect();
    assert_eq!(pages, [1, 2, 3]);
    for r in &requests {
        assert_eq!(r.json().unwrap()["keywords"], "a", "every page keeps the caller's body");
        assert_eq!(r.json().unwrap()["options"]["pagination"]["limit"], 2);
    }
}

#[tokio::test]
async fn a_query_stream_stops_at_an_empty_page() {
    // No usable total: the empty third page ends the walk.
    let server = Server::signed(|_, req| {
        let page: i64 = req.query.iter().find(|(k, _)| k == "page").unwrap().1.parse().unwrap();
        let list: Vec<Value> = if page <= 2 { vec![json!({"id": format!("g{page}"), "code": "c", "name": "n"})] } else { vec![] };
        Reply::json(&envelope(200, "Success", "rid", json!({"totalCount": -1, "list": list})))
    });
    let groups: Vec<_> = sdk(&server).list_groups_stream(&ListGroupsParams::new()).collect().await;
    let ids: Vec<String> = groups.into_iter().map(|g| g.unwrap().id).collect();
    assert_eq!(ids, ["g1", "g2"]);
    let pages: Vec<String> = server.requests().iter().map(|r| r.query.iter().find(|(k, _)| k == "page").unwrap().1.clone()).collect();
    assert_eq!(pages, ["1", "2", "3"]);
}

#[tokio::test]
async fn an_error_mid_stream_is_its_last_item() {
    let server = Server::signed(|_, req| match body_page(req) {
        2 => Reply::json(&json!({"statusCode": 403, "apiCode": 40003, "message": "no access"})),
        page => users_page(page, 2, 6),
    });
    let items: Vec<Result<UserDto, Error>> = sdk(&server).list_users_stream(&users_request(1, 2)).collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[..2].iter().all(Result::is_ok));
    assert!(matches!(&items[2], Err(Error::Api { status_code: 403, .. })), "{:?}", items[2]);
    assert_eq!(server.requests().len(), 2, "nothing is asked after the error");
}

#[tokio::test]
async fn with_options_gives_a_view_with_its_timeout_headers_and_policy() {
    let server = Server::signed(|n, req| match req.path.as_str() {
        "/api/v3/kick-users" => Reply { delay: Duration::from_millis(300), ..Reply::json(&envelope(200, "Success", "r", json!({"success": true}))) },
        _ if n == 2 => Reply::new(503, "busy"),
        _ => Reply::json(&envelope(200, "Success", "r", user("u1"))),
    });
    let client = sdk(&server);
    let hasty = client.with_options(CallOptions::new().timeout(Duration::from_millis(60)).header("x-genauth-app-id", "tenant-7"));
    let kick = KickUsersDto { app_ids: vec!["a".into()], user_id: "u1".into(), options: None };
    let started = Instant::now();
    let err = hasty.kick_users(&kick).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(250), "{:?}", started.elapsed());
    let sent = server.requests();
    assert_eq!(sent[0].header("x-genauth-app-id"), Some("tenant-7"), "the view's header is sent (and signed: the server checked)");

    // A view without retries fails at the first 503; the client it came from is unchanged.
    let once = client.with_options(CallOptions::new().retry(RetryPolicy::none()));
    let err = once.get_user(&GetUserParams::new("u1")).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
    client.get_user(&GetUserParams::new("u1")).await.unwrap();
    let gets = server.requests_to("/api/v3/get-user");
    assert_eq!(gets.len(), 2);
    assert!(gets.iter().all(|r| r.header("x-genauth-app-id").is_none()), "the header belongs to the view only");
}

#[tokio::test]
async fn raw_keeps_the_status_headers_request_id_and_attempts() {
    let server = Server::signed(|n, _| match n {
        1 => Reply::new(502, "bad gateway"),
        _ => Reply::json(&envelope(200, "Success", "rid-env", user("u7"))).header("x-ratelimit-remaining", "41"),
    });
    let client = sdk(&server);
    let response: rt::ApiResponse<UserSingleRespDto> = client.raw().get_user(&GetUserParams::new("u7")).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.header("x-ratelimit-remaining"), Some("41"));
    assert_eq!(response.request_id.as_deref(), Some("rid-env"));
    assert_eq!(response.attempts, 2);
    assert_eq!(response.data.data.user_id, "u7");
    // The raw view keeps the options of the client it came from.
    let raw = client.with_options(CallOptions::new().header("x-trace-id", "t-1")).raw();
    raw.get_user(&GetUserParams::new("u7")).await.unwrap();
    assert_eq!(server.requests().last().unwrap().header("x-trace-id"), Some("t-1"));
}
