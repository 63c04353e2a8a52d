//! The generated client over real HTTP against a loopback GenAuth stand-in: every request
//! must pass the server's own signature check (tests/src/loopback.rs, written from the
//! documented algorithm), and every kind of answer maps to the exact `Result` expected.

use std::time::Duration;

use genauth_sdk::rt::{ClientBuilder, Error, HeaderPrefix, RetryPolicy};
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, verify_signature, Recorded, Reply, Server};
use serde_json::{json, Value};

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};
const RID: &str = "934108e5-9fbf-4d24-8da1-c330328abd6c";

fn user_json(id: &str) -> Value {
    json!({
        "userId": id, "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-02T00:00:00.000Z",
        "status": "Activated", "workStatus": "Active", "gender": "U", "emailVerified": false,
        "phoneVerified": true, "userSourceType": "register", "phone": "13800000000",
        "customData": {"school": "北大"}
    })
}

fn user(id: &str) -> UserDto {
    UserDto {
        user_id: id.into(),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-02T00:00:00.000Z".into(),
        status: UserStatus::Activated,
        work_status: WorkStatus::Active,
        external_id: None,
        email: None,
        phone: Some("13800000000".into()),
        phone_country_code: None,
        username: None,
        name: None,
        nickname: None,
        photo: None,
        logins_count: None,
        last_login: None,
        last_ip: None,
        gender: Gender::U,
        email_verified: false,
        phone_verified: true,
        password_last_set_at: None,
        birthdate: None,
        country: None,
        province: None,
        city: None,
        address: None,
        street_address: None,
        postal_code: None,
        company: None,
        browser: None,
        device: None,
        given_name: None,
        family_name: None,
        middle_name: None,
        profile: None,
        preferred_username: None,
        website: None,
        zoneinfo: None,
        locale: None,
        formatted: None,
        region: None,
        user_source_type: UserSourceType::Register,
        user_source_id: None,
        last_login_app: None,
        main_department_id: None,
        last_mfa_time: None,
        password_security_level: None,
        reset_password_on_next_login: None,
        register_source: None,
        department_ids: None,
        identities: None,
        identity_number: None,
        custom_data: Some(json!({"school": "北大"})),
        metadata_source: None,
        post_id_list: None,
        status_changed_at: None,
        tenant_id: None,
        signed_up: None,
    }
}

/// The server's answer to a request whose signature does not check out.
fn rejection(reason: &str) -> Reply {
    Reply::json(&json!({"statusCode": 401, "apiCode": 40101, "message": format!("signature: {reason}")}))
}

/// GenAuth for three operations, checking every signature with the GenAuth prefix.
fn genauth(req: &Recorded) -> Reply {
    if let Err(reason) = verify_signature(req, AK, SK, "x-genauth-", "GenAuth") {
        return rejection(&reason);
    }
    let data = match req.path.as_str() {
        "/api/v3/get-user" => user_json(&req.query.iter().find(|(k, _)| k == "userId").map(|(_, v)| v.clone()).unwrap_or_default()),
        "/api/v3/list-users" => json!({"totalCount": 2, "list": [user_json("u1"), user_json("u2")]}),
        "/api/v3/kick-users" => json!({"success": true}),
        _ => return Reply::json(&json!({"statusCode": 404, "message": "no such operation"})),
    };
    Reply::json(&envelope(200, "Success", RID, data)).header("x-request-id", RID)
}

/// Retries on (the default count), with waits of a few milliseconds.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(2)).max_delay(Duration::from_millis(20))
}

fn client(server: &Server) -> ManagementClient {
    ManagementClient::from_client(ClientBuilder::access_key(AK, SK).host(server.url()).retry(fast_retries()).build().unwrap())
}

/// One attempt only: these tests are about how a single slow answer is reported.
fn client_with_timeout(server: &Server, timeout: Duration) -> ManagementClient {
    ManagementClient::from_client(
        ClientBuilder::access_key(AK, SK).host(server.url()).timeout(timeout).retry(RetryPolicy::none()).build().unwrap(),
    )
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[tokio::test]
async fn signed_get_is_accepted_and_decoded() {
    let server = Server::start(genauth);
    let mut params = GetUserParams::new("6229ffaxxxxxxxxcade3e3d9");
    params.user_id_type = Some(UserIdType::Phone);
    params.with_custom_data = Some(true);
    let result = client(&server).get_user(&params).await;
    let expected = UserSingleRespDto {
        status_code: 200,
        message: "Success".into(),
        api_code: None,
        request_id: Some(RID.into()),
        data: user("6229ffaxxxxxxxxcade3e3d9"),
    };
    match result {
        Ok(resp) => assert_eq!(resp, expected),
        Err(e) => panic!("expected success, got {e:?}"),
    }
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(
        seen[0].query,
        pairs(&[
            ("userId", "6229ffaxxxxxxxxcade3e3d9"),
            ("userIdType", "phone"),
            ("flatCustomData", "false"),
            ("withCustomData", "true"),
            ("withPost", "false"),
            ("withIdentities", "false"),
            ("withDepartmentIds", "false"),
        ])
    );
    assert_eq!(seen[0].header("x-genauth-lang"), Some("zh-CN"));
    assert_eq!(seen[0].header("x-genauth-app-id"), None);
    assert!(seen[0].header("x-genauth-sdk-version").is_some_and(|v| v.starts_with("genauth-rust-sdk:")));
    assert!(seen[0].header("user-agent").is_some_and(|v| v.starts_with("genauth-rust-sdk/")));
    assert!(seen[0].header("authorization").is_some_and(|v| v.starts_with(&format!("GenAuth {AK}:"))));
    assert!(seen[0].body.is_empty());
}

#[tokio::test]
async fn signed_post_with_a_nested_body_is_accepted() {
    let server = Server::start(genauth);
    let body = ListUsersRequestDto {
        keywords: Some("张 三".into()),
        advanced_filter: Some(vec![ListUsersAdvancedFilterItemDto {
            field: "lastLogin".into(),
            operator: ListUsersAdvancedFilterItemDtoOperator::Between,
            value: Some(json!([1700000000000i64, 1700600000000i64])),
        }]),
        search_query: None,
        options: Some(ListUsersOptionsDto {
            pagination: Some(PaginationDto { page: Some(1), limit: Some(2) }),
            with_custom_data: Some(true),
            ..Default::default()
        }),
    };
    let result = client(&server).list_users(&body).await;
    let expected = UserPaginatedRespDto {
        status_code: 200,
        message: "Success".into(),
        api_code: None,
        request_id: Some(RID.into()),
        data: UserPagingDto { total_count: 2, list: vec![user("u1"), user("u2")] },
    };
    match result {
        Ok(resp) => assert_eq!(resp, expected),
        Err(e) => panic!("expected success, got {e:?}"),
    }
    let seen = &server.requests()[0];
    assert_eq!((seen.method.as_str(), seen.path.as_str()), ("POST", "/api/v3/list-users"));
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        Some(json!({
            "keywords": "张 三",
            "advancedFilter": [{"field": "lastLogin", "operator": "BETWEEN", "value": [1700000000000i64, 1700600000000i64]}],
            "options": {"pagination": {"page": 1, "limit": 2}, "withCustomData": true}
        }))
    );
}

#[tokio::test]
async fn tenant_language_and_authing_prefix_are_sent_and_signed() {
    let server = Server::start(|req: &Recorded| {
        if let Err(reason) = verify_signature(req, AK, SK, "x-authing-", "authing") {
            return rejection(&reason);
        }
        Reply::json(&envelope(200, "Success", RID, json!({"success": true})))
    });
    let client = ManagementClient::from_client(
        ClientBuilder::access_key(AK, SK)
            .host(format!("{}/", server.url()))
            .tenant_id("tenant-6f1a9")
            .lang("en-US")
            .header_prefix(HeaderPrefix::Authing)
            .build()
            .unwrap(),
    );
    let body = KickUsersDto {
        app_ids: vec!["app1".into(), "app2".into()],
        user_id: "u1".into(),
        options: Some(KickUsersOptionsDto { user_id_type: Some(UserIdType::Username) }),
    };
    match client.kick_users(&body).await {
        Ok(resp) => assert_eq!(
            resp,
            IsSuccessRespDto {
                status_code: 200,
                message: "Success".into(),
                api_code: None,
                request_id: Some(RID.into()),
                data: IsSuccessDto { success: true },
            }
        ),
        Err(e) => panic!("expected success, got {e:?}"),
    }
    let seen = &server.requests()[0];
    assert_eq!(seen.path, "/api/v3/kick-users");
    assert_eq!(seen.header("x-authing-app-id"), Some("tenant-6f1a9"));
    assert_eq!(seen.header("x-authing-lang"), Some("en-US"));
    assert!(seen.headers.iter().all(|(k, _)| !k.starts_with("x-genauth-")), "{:?}", seen.headers);
}

#[tokio::test]
async fn a_wrong_secret_fails_the_servers_check() {
    // Shows the server's check is not a rubber stamp: same request, other secret.
    let server = Server::start(genauth);
    let client = ManagementClient::from_client(
        ClientBuilder::access_key(AK, "not-the-secret").host(server.url()).build().unwrap(),
    );
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(Error::Api { status_code, api_code, message, request_id }) => {
            assert_eq!((status_code, api_code, request_id), (401, Some(ApiCode::Unknown(40101)), None));
            assert!(message.starts_with("signature: bad signature"), "{message}");
        }
        other => panic!("expected the server to reject the signature, got {other:?}"),
    }
}

#[tokio::test]
async fn error_envelope_becomes_an_api_error() {
    let server = Server::start(|req: &Recorded| {
        let body = json!({"statusCode": 403, "apiCode": 40003, "message": "无权限访问", "requestId": "r-403"});
        // The GenAuth cloud answers HTTP 200; a gateway in front of it may pass the 403 on.
        let status = if req.path == "/api/v3/get-user" { 200 } else { 403 };
        Reply { status, ..Reply::json(&body) }
    });
    let client = client(&server);
    for result in [
        client.get_user(&GetUserParams::new("u1")).await.map(|_| ()),
        client.get_user_identities(&GetUserIdentitiesParams::new("u1")).await.map(|_| ()),
    ] {
        match result {
            Err(Error::Api { status_code, api_code, message, request_id }) => assert_eq!(
                (status_code, api_code, message.as_str(), request_id.as_deref()),
                (403, Some(ApiCode::Unknown(40003)), "无权限访问", Some("r-403"))
            ),
            other => panic!("expected an API error, got {other:?}"),
        }
    }
}

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

#[tokio::test]
async fn html_502_page_becomes_an_http_error() {
    let server = Server::start(|_: &Recorded| {
        Reply::new(502, HTML_502).header("content-type", "text/html").header("x-request-id", "gw-7")
    });
    match client(&server).get_user(&GetUserParams::new("u1")).await {
        Err(Error::Http { status, request_id, excerpt }) => {
            assert_eq!((status, request_id.as_deref(), excerpt.as_str()), (502, Some("gw-7"), HTML_502));
        }
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 3, "a GET answered 502 is tried three times");
}

#[tokio::test]
async fn html_page_with_status_200_is_not_json() {
    let server = Server::start(|_: &Recorded| Reply::new(200, "<!DOCTYPE html><p>maintenance</p>"));
    match client(&server).get_user(&GetUserParams::new("u1")).await {
        Err(Error::NotJson { status, request_id, reason, excerpt }) => {
            assert_eq!((status, request_id, excerpt.as_str()), (200, None, "<!DOCTYPE html><p>maintenance</p>"));
            assert_eq!(reason, "expected value at line 1 column 1");
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[tokio::test]
async fn slow_response_past_the_timeout() {
    let server = Server::start(|_: &Recorded| Reply {
        delay: Duration::from_secs(3),
        ..Reply::json(&envelope(200, "Success", RID, user_json("u1")))
    });
    let started = std::time::Instant::now();
    let result = client_with_timeout(&server, Duration::from_millis(300)).get_user(&GetUserParams::new("u1")).await;
    match result {
        Err(Error::Timeout { status, request_id, excerpt }) => {
            assert_eq!((status, request_id, excerpt.as_str()), (None, None, ""));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3), "the client waited for the server");
}

#[tokio::test]
async fn body_stalling_past_the_timeout() {
    let body = envelope(200, "Success", RID, user_json("u1")).to_string();
    let server = Server::start(move |_: &Recorded| Reply {
        stall: Some((20, Duration::from_secs(3))),
        ..Reply::new(200, body.clone()).header("x-request-id", "slow-1")
    });
    match client_with_timeout(&server, Duration::from_millis(400)).get_user(&GetUserParams::new("u1")).await {
        Err(Error::Timeout { status, request_id, excerpt }) => assert_eq!(
            (status, request_id.as_deref(), excerpt.as_str()),
            (Some(200), Some("slow-1"), r#"{"statusCode":200,"m"#)
        ),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_body_is_not_json() {
    let server = Server::start(|_: &Recorded| {
        Reply::new(200, r#"{"statusCode":200,"message":"Success","data":{"userId":"u1","#)
            .header("content-type", "application/json")
            .header("x-request-id", "rid-trunc")
    });
    match client(&server).get_user(&GetUserParams::new("u1")).await {
        Err(Error::NotJson { status, request_id, reason, excerpt }) => {
            assert_eq!((status, request_id.as_deref()), (200, Some("rid-trunc")));
            assert_eq!(reason, "EOF while parsing an object at line 1 column 60");
            assert_eq!(excerpt, r#"{"statusCode":200,"message":"Success","data":{"userId":"u1","#);
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[tokio::test]
async fn json_that_does_not_fit_names_the_path() {
    let mut data = user_json("u1");
    data["status"] = json!(42);
    let body = envelope(200, "Success", "rid-shape", data);
    let server = Server::start(move |_: &Recorded| Reply::json(&body));
    match client(&server).get_user(&GetUserParams::new("u1")).await {
        Err(Error::Decode { status, request_id, path, reason, excerpt }) => {
            assert_eq!((status, request_id.as_deref(), path.as_str()), (200, Some("rid-shape"), "data.status"));
            assert_eq!(reason, "invalid type: integer `42`, expected a string at line 1 column 173");
            assert!(excerpt.starts_with(r#"{"statusCode":200,"message":"Success","requestId":"rid-shape","data":{"#), "{excerpt}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    // An envelope without `statusCode` is not a GenAuth answer.
    let server = Server::start(|_: &Recorded| Reply::json(&json!({"message": "hi"})));
    match client(&server).get_user(&GetUserParams::new("u1")).await {
        Err(Error::Decode { status, request_id, path, reason, excerpt }) => assert_eq!(
            (status, request_id, path.as_str(), reason.as_str(), excerpt.as_str()),
            (200, None, "statusCode", "missing field `statusCode`", r#"{"message":"hi"}"#)
        ),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn body_cut_short_is_a_transport_error_with_the_status() {
    // The head promises 500 bytes; 18 arrive, then the connection closes.
    let server = Server::start(|_: &Recorded| Reply {
        announce_length: Some(500),
        stall: Some((18, Duration::from_millis(50))),
        ..Reply::new(200, r#"{"statusCode":200,"#).header("x-request-id", "cut-1")
    });
    match client(&server).get_user(&GetUserParams::new("u1")).await {
        Err(Error::Transport { status, request_id, excerpt, message, source, connect }) => {
            assert!(!connect, "the request was sent");
            assert_eq!((status, request_id.as_deref()), (Some(200), Some("cut-1")));
            assert_eq!(excerpt, r#"{"statusCode":200,"#);
            assert!(message.contains("error decoding response body"), "{message}");
            assert!(source.is_some());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 3, "a GET whose body was cut short is tried three times");
}

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    }; // closed again: nothing listens there now
    let client = ManagementClient::from_client(
        ClientBuilder::access_key(AK, SK).host(format!("http://{addr}")).retry(fast_retries()).build().unwrap(),
    );
    match client.get_user(&GetUserParams::new("u1")).await {
        Err(Error::Transport { status, request_id, excerpt, message, connect, .. }) => {
            assert_eq!((status, request_id, excerpt.as_str()), (None, None, ""));
            assert!(connect, "nothing was sent");
            assert!(message.contains("error sending request"), "{message}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn form_multipart_and_raw_bodies_are_sent_and_signed() {
    use genauth_sdk::rt::{FilePart, Method, Multipart, Query, Request};
    let server = Server::start(|req: &Recorded| {
        if let Err(reason) = verify_signature(req, AK, SK, "x-genauth-", "GenAuth") {
            return rejection(&reason);
        }
        Reply::json(&envelope(200, "Success", RID, json!(null)))
    });
    let client = ClientBuilder::access_key(AK, SK).host(server.url()).build().unwrap();

    let mut form = Query::new();
    form.push("userIds", &vec!["a".to_owned(), "b c".to_owned()]);
    form.push("force", &true);
    let mut multipart = Multipart::new();
    multipart.push("kind", "avatar");
    multipart.file("file", &FilePart::new("a.png", b"\x89PNG-bytes".to_vec()));
    for request in [
        Request::new(Method::Post, "/api/v3/form").form(form),
        Request::new(Method::Post, "/api/v3/upload").multipart(multipart),
        Request::new(Method::Post, "/api/v3/raw").bytes("application/octet-stream", b"\x00\x01raw".to_vec()),
        Request::new(Method::Post, "/api/v3/text").text("text/plain; charset=utf-8", "plain text"),
    ] {
        let path = request.path.clone();
        if let Err(e) = client.send::<Value, i64>(request).await {
            panic!("{path}: {e}");
        }
    }
    let seen = server.requests();
    assert_eq!(seen[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(String::from_utf8_lossy(&seen[0].body), "userIds=a&userIds=b+c&force=true");
    let ct = seen[1].header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&seen[1].body);
    assert!(body.contains("name=\"kind\"\r\n\r\navatar\r\n"), "{body}");
    assert!(body.contains("name=\"file\"; filename=\"a.png\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{fffd}PNG-bytes"), "{body}");
    assert_eq!((seen[2].header("content-type"), seen[2].body.as_slice()), (Some("application/octet-stream"), &b"\x00\x01raw"[..]));
    assert_eq!((seen[3].header("content-type"), seen[3].body.as_slice()), (Some("text/plain; charset=utf-8"), &b"plain text"[..]));
}

#[test]
fn unusable_hosts_are_configuration_errors() {
    for host in ["api.genauth.ai", "ftp://api.genauth.ai", "https://api.genauth.ai/?x=1"] {
        match ClientBuilder::access_key(AK, SK).host(host).build() {
            Err(Error::Config { message }) => assert!(message.contains(host), "{message}"),
            other => panic!("{host}: expected a configuration error, got {other:?}"),
        }
    }
}

#[test]
fn defaults_are_the_official_ones() {
    let options = ClientBuilder::access_key(AK, SK).current_options().clone();
    assert_eq!(options.host, "https://api.genauth.ai");
    assert_eq!(options.timeout, Duration::from_secs(10));
    assert_eq!(options.lang, "zh-CN");
    assert_eq!(options.tenant_id, None);
    assert!(options.verify_tls);
    assert_eq!(options.header_prefix, HeaderPrefix::GenAuth);
    assert_eq!(options.user_agent, "genauth-rust-sdk/0.1.0");
    assert_eq!(options.sdk_version, "genauth-rust-sdk:0.1.0");
    assert_eq!(options.token_refresh_margin, Duration::from_secs(60));
}

#[tokio::test]
async fn debug_output_never_shows_the_secret() {
    let server = Server::start(genauth);
    let builder = ClientBuilder::access_key(AK, SK).host(server.url()).tenant_id("t1");
    let transport = builder.clone().build_transport().unwrap();
    let client = client(&server);
    client.get_user(&GetUserParams::new("u1")).await.unwrap();
    let sent = server.requests();
    let authorization = sent[0].header("authorization").unwrap().to_owned();
    let signature = authorization.rsplit(':').next().unwrap().to_owned();

    // A request as a custom transport would see it, signed.
    let mut request = genauth_sdk::rt::Request::new(genauth_sdk::rt::Method::Post, "/api/v3/get-management-token")
        .json(&json!({"accessKeyId": AK, "accessKeySecret": SK}))
        .unwrap();
    request.set_header("authorization", authorization.clone());

    for text in [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{transport:?}"),
        format!("{client:?}"),
        format!("{request:?}"),
        format!("{:?}", builder.current_options()),
    ] {
        assert!(!text.contains(SK), "secret in {text}");
        assert!(!text.contains(&signature), "signature in {text}");
    }
    assert!(format!("{builder:?}").contains(AK), "the key id is not secret and helps debugging");
}
