//! Wire compatibility with the official GenAuth Python SDK (`genauth` 5.1.0 on PyPI).
//!
//! Both clients make every User Management call, with the same arguments, against a
//! loopback server that records what arrives; the requests must match: method, path,
//! query (as a multiset of pairs), JSON body (absent optional fields left out), and the
//! bearer credentials (the Python SDK only speaks the management-token scheme). The
//! token requests themselves are compared too.
//!
//! The Python side lives in `tests/wire/python_sdk_calls.py`; it runs in a venv under the
//! target directory, created (and the SDK pip-installed) on first use. Without `python3`
//! or without access to the package registry the test prints a notice and passes.
//!
//! One known difference is tolerated, checked and reported: the Python SDK hands
//! booleans to `requests`, which writes them as `True`/`False` in query strings; this SDK
//! writes `true`/`false`, as the Node SDK and the API's documentation do.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use genauth_sdk::rt::ClientBuilder;
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, management_token, Recorded, Reply, Server};
use genauth_tests::repo_root;
use serde_json::{json, Value};

const AK: &str = "62e22721c889dd44bad1dda2";
const SK: &str = "4d1b9f3a0c2e4e8f9a7b6c5d4e3f2a1b";
const POOL: &str = "62e22721c889dd44bad1dd00";
const TOKEN_PATH: &str = "/api/v3/get-management-token";

/// Operations of the generated client that the comparison leaves out, and why.
const NOT_COMPARED: &[(&str, &str)] = &[
    (
        "get_user_departments",
        "not in the Python SDK 5.1.0 (the Authing spec has it)",
    ),
    (
        "set_user_departments",
        "not in the Python SDK 5.1.0 (the Authing spec has it)",
    ),
    (
        "get_management_token",
        "compared as the token request both clients make first",
    ),
];

fn skip(why: &str) {
    eprintln!("note: skipping the Python SDK wire comparison: {why}");
}

/// Runs `cmd` to completion within `limit`; `None` when it cannot start or overruns.
fn run(cmd: &mut Command, limit: Duration) -> Option<std::process::Output> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().ok(),
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// The venv's python with `genauth==5.1.0` importable, creating the venv when needed.
fn python_with_sdk() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-genauth-5.1.0");
    let python = venv.join("bin").join("python");
    let importable = |py: &Path| {
        run(
            Command::new(py).args(["-c", "import genauth.ManagementClient"]),
            Duration::from_secs(60),
        )
        .is_some_and(|o| o.status.success())
    };
    if python.exists() && importable(&python) {
        return Some(python);
    }
    match run(
        Command::new("python3").arg("--version"),
        Duration::from_secs(30),
    ) {
        Some(o) if o.status.success() => {}
        _ => {
            skip("python3 is not available");
            return None;
        }
    }
    let created = run(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
        Duration::from_secs(120),
    );
    if !created.is_some_and(|o| o.status.success()) {
        skip("python3 -m venv failed");
        return None;
    }
    // `websockets` is imported by the SDK's ManagementClient module but not declared as
    // a dependency of the package.
    let installed = run(
        Command::new(venv.join("bin").join("pip")).args([
            "install",
            "--disable-pip-version-check",
            "--quiet",
            "--timeout",
            "20",
            "--retries",
            "1",
            "genauth==5.1.0",
            "websockets==17.4",
        ]),
        Duration::from_secs(300),
    );
    match installed {
        Some(o) if o.status.success() && importable(&python) => Some(python),
        Some(o) => {
            skip(&format!(
                "pip could not install genauth==5.1.0: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ));
            None
        }
        None => {
            skip("pip install genauth==5.1.0 did not finish in time");
            None
        }
    }
}

/// GenAuth as far as the comparison needs: tokens, and an empty success for the rest.
fn server() -> Server {
    Server::start(|req: &Recorded| {
        if req.path == TOKEN_PATH {
            return Reply::json(&envelope(
                200,
                "Success",
                "tok",
                json!({"access_token": management_token(POOL, 1), "expires_in": 7200}),
            ));
        }
        Reply::json(&envelope(200, "Success", "rid", json!({})))
    })
}

fn identity() -> CreateIdentityDto {
    CreateIdentityDto {
        ext_idp_id: "62f20932716fbcc10d966ee5".into(),
        provider: Provider::Lark,
        r#type: "open_id".into(),
        user_id_in_idp: "ou_8bae746eac07cd2564654140d2a9ac61".into(),
        user_info_in_idp: json!({"name": "Alice"}),
        access_token: None,
        refresh_token: None,
        origin_conn_ids: vec!["conn1".into()],
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// The same calls as python_sdk_calls.py, in the same order; returns their labels.
/// Answers are not decoded into anything useful (the server sends `data: {}`): only
/// the requests matter here.
async fn rust_calls(c: &ManagementClient) -> Vec<&'static str> {
    let mut done = Vec::new();
    macro_rules! call {
        ($label:literal, $e:expr) => {{
            let _ = $e.await;
            done.push($label);
        }};
    }
    call!(
        "list_users",
        c.list_users(&ListUsersRequestDto {
            keywords: s("张三"),
            advanced_filter: Some(vec![ListUsersAdvancedFilterItemDto {
                field: "lastLogin".into(),
                operator: ListUsersAdvancedFilterItemDtoOperator::Between,
                value: Some(json!([1700000000000i64, 1700600000000i64])),
            }]),
            search_query: None,
            options: Some(ListUsersOptionsDto {
                pagination: Some(PaginationDto {
                    page: Some(2),
                    limit: Some(20)
                }),
                sort: Some(vec![SortingDto {
                    field: SortingDtoField::CreatedAt,
                    order: SortingDtoOrder::Desc
                }]),
                fuzzy_search_on: Some(vec![
                    ListUsersOptionsDtoFuzzySearchOn::Email,
                    ListUsersOptionsDtoFuzzySearchOn::Phone
                ]),
                with_custom_data: Some(true),
                ..Default::default()
            }),
        })
    );
    call!(
        "list_users_legacy",
        c.list_users_legacy(&{
            let mut p = ListUsersLegacyParams::new();
            p.page = Some(2);
            p.limit = Some(20);
            p.status = Some(Status::Activated);
            p.updated_at_start = Some(1700000000);
            p.updated_at_end = None;
            p.with_custom_data = Some(true);
            p.with_post = None;
            p.with_identities = Some(false);
            p.with_department_ids = None;
            p.with_user_password_expire_time = None;
            p
        })
    );
    call!(
        "get_user",
        c.get_user(&{
            let mut p = GetUserParams::new("alice@example.com");
            p.user_id_type = Some(UserIdType::Email);
            p.flat_custom_data = None;
            p.with_custom_data = None;
            p.with_post = Some(true);
            p.with_identities = None;
            p.with_department_ids = None;
            p
        })
    );
    call!(
        "get_user_minimal",
        c.get_user(&{
            let mut p = GetUserParams::new("u1");
            p.user_id_type = None;
            p.flat_custom_data = None;
            p.with_custom_data = None;
            p.with_post = None;
            p.with_identities = None;
            p.with_department_ids = None;
            p
        })
    );
    call!(
        "get_user_batch",
        c.get_user_batch(&{
            let mut p = GetUserBatchParams::new(vec!["u1".into(), "u2".into(), "u3".into()]);
            p.user_id_type = Some(UserIdType::ExternalId);
            p.with_custom_data = None;
            p.flat_custom_data = Some(true);
            p.with_identities = None;
            p.with_department_ids = None;
            p
        })
    );
    call!(
        "create_user",
        c.create_user(&CreateUserReqDto {
            status: Some(Status::Activated),
            email: s("alice@example.com"),
            phone: s("13800000000"),
            phone_country_code: s("+86"),
            username: s("alice"),
            gender: Some(Gender::F),
            email_verified: Some(true),
            birthdate: s("2000-01-01"),
            password: s("p@ssw0rd"),
            tenant_ids: Some(vec!["t1".into()]),
            otp: Some(CreateUserOtpDto {
                secret: "JBSWY3DPEHPK3PXP".into(),
                recovery_code: None
            }),
            custom_data: Some(json!({"school": "北大", "age": 20})),
            identities: Some(vec![identity()]),
            options: Some(CreateUserOptionsDto {
                keep_password: Some(true),
                department_id_type: Some(CreateUserOptionsDtoDepartmentIdType::OpenDepartmentId),
                send_notification: Some(SendCreateAccountNotificationDto {
                    send_email_notification: Some(true),
                    send_phone_notification: None,
                    app_id: s("app1"),
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
    );
    call!(
        "create_users_batch",
        c.create_users_batch(&CreateUserBatchReqDto {
            list: vec![
                CreateUserInfoDto {
                    email: s("a@example.com"),
                    password: s("x"),
                    ..Default::default()
                },
                CreateUserInfoDto {
                    phone: s("13900000000"),
                    name: s("Bob"),
                    ..Default::default()
                },
            ],
            options: Some(CreateUserOptionsDto {
                reset_password_on_first_login: Some(true),
                password_encrypt_type: Some(PasswordEncryptType::Rsa),
                ..Default::default()
            }),
        })
    );
    call!(
        "update_user",
        c.update_user(&UpdateUserReqDto {
            user_id: "u1".into(),
            nickname: s("Ally"),
            status: Some(Status::Suspended),
            phone_verified: Some(false),
            custom_data: Some(json!({"level": 3})),
            options: Some(UpdateUserOptionsDto {
                user_id_type: Some(UserIdType::Username),
                send_password_reseted_notification: Some(SendResetPasswordNotificationDto {
                    send_default_email_notification: Some(true),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
    );
    call!(
        "update_user_batch",
        c.update_user_batch(&UpdateUserBatchReqDto {
            list: vec![
                UpdateUserInfoDto {
                    user_id: "u1".into(),
                    name: s("A"),
                    ..Default::default()
                },
                UpdateUserInfoDto {
                    user_id: "u2".into(),
                    gender: Some(Gender::M),
                    ..Default::default()
                },
            ],
            options: Some(UpdateUserBatchOptionsDto {
                auto_generate_password: Some(true),
                ..Default::default()
            }),
        })
    );
    call!(
        "delete_users_batch",
        c.delete_users_batch(&DeleteUsersBatchDto {
            user_ids: vec!["u1".into(), "u2".into()],
            options: Some(DeleteUsersBatchOptionsDto {
                user_id_type: Some(UserIdType::Phone)
            }),
        })
    );
    call!(
        "get_user_identities",
        c.get_user_identities(&{
            let mut p = GetUserIdentitiesParams::new("u1");
            p.user_id_type = Some(UserIdType::Identity);
            p
        })
    );
    call!(
        "get_user_roles",
        c.get_user_roles(&{
            let mut p = GetUserRolesParams::new("u1");
            p.user_id_type = None;
            p.namespace = s("default");
            p
        })
    );
    call!(
        "get_user_principal_authentication_info",
        c.get_user_principal_authentication_info(&{
            let mut p = GetUserPrincipalAuthenticationInfoParams::new("u1");
            p.user_id_type = None;
            p
        })
    );
    call!(
        "reset_user_principal_authentication_info",
        c.reset_user_principal_authentication_info(&ResetUserPrincipalAuthenticationInfoDto {
            user_id: "13800000000".into(),
            options: Some(ResetUserPrincipalAuthenticationInfoOptionsDto {
                user_id_type: Some(UserIdType::Phone)
            }),
        })
    );
    call!(
        "get_user_groups",
        c.get_user_groups(&{
            let mut p = GetUserGroupsParams::new("u1");
            p.user_id_type = Some(UserIdType::SyncRelation);
            p
        })
    );
    call!(
        "get_user_mfa_info",
        c.get_user_mfa_info(&{
            let mut p = GetUserMfaInfoParams::new("u1");
            p.user_id_type = None;
            p
        })
    );
    call!(
        "list_archived_users",
        c.list_archived_users(&{
            let mut p = ListArchivedUsersParams::new();
            p.page = Some(3);
            p.limit = Some(50);
            p.start_at = Some(1700000000);
            p
        })
    );
    call!(
        "kick_users",
        c.kick_users(&KickUsersDto {
            app_ids: vec!["app1".into(), "app2".into()],
            user_id: "u1".into(),
            options: Some(KickUsersOptionsDto {
                user_id_type: Some(UserIdType::UserId)
            }),
        })
    );
    call!(
        "is_user_exists",
        c.is_user_exists(&IsUserExistsReqDto {
            email: s("alice@example.com"),
            external_id: s("ext-1"),
            ..Default::default()
        })
    );
    call!(
        "get_user_accessible_apps",
        c.get_user_accessible_apps(&{
            let mut p = GetUserAccessibleAppsParams::new("u1");
            p.user_id_type = None;
            p
        })
    );
    call!(
        "get_user_authorized_apps",
        c.get_user_authorized_apps(&{
            let mut p = GetUserAuthorizedAppsParams::new("u1");
            p.user_id_type = Some(UserIdType::CustomField);
            p
        })
    );
    call!(
        "has_any_role",
        c.has_any_role(&HasAnyRoleReqDto {
            roles: vec![
                HasRoleRolesDto {
                    namespace: None,
                    code: "admin".into()
                },
                HasRoleRolesDto {
                    namespace: s("ns1"),
                    code: "editor".into()
                },
            ],
            user_id: "u1".into(),
            options: None,
        })
    );
    call!(
        "get_user_login_history",
        c.get_user_login_history(&{
            let mut p = GetUserLoginHistoryParams::new("u1");
            p.user_id_type = None;
            p.app_id = s("app1");
            p.client_ip = s("127.0.0.1");
            p.start = Some(1700000000000);
            p.end = Some(1700600000000);
            p.page = Some(1);
            p.limit = Some(5);
            p
        })
    );
    call!(
        "get_user_loggedin_apps",
        c.get_user_loggedin_apps(&{
            let mut p = GetUserLoggedinAppsParams::new("u1");
            p.user_id_type = None;
            p
        })
    );
    call!(
        "get_user_loggedin_identities",
        c.get_user_loggedin_identities(&{
            let mut p = GetUserLoggedinIdentitiesParams::new("u1");
            p.user_id_type = Some(UserIdType::Email);
            p
        })
    );
    call!(
        "resign_user",
        c.resign_user(&ResignUserReqDto {
            user_id: "u1".into(),
            user_id_type: Some(UserIdType::ExternalId),
        })
    );
    call!(
        "resign_user_batch",
        c.resign_user_batch(&ResignUserBatchReqDto {
            user_ids: vec!["u1".into(), "u2".into()],
            user_id_type: None,
        })
    );
    call!(
        "get_user_authorized_resources",
        c.get_user_authorized_resources(&{
            let mut p = GetUserAuthorizedResourcesParams::new("u1");
            p.user_id_type = None;
            p.namespace = s("default");
            p.resource_type = Some(ResourceType::Api);
            p
        })
    );
    call!(
        "check_session_status",
        c.check_session_status(&CheckSessionStatusDto {
            app_id: "app1".into(),
            user_id: "u1".into(),
        })
    );
    call!(
        "import_otp",
        c.import_otp(&ImportOtpReqDto {
            list: vec![ImportOtpItemDto {
                user_id: "u1".into(),
                otp: ImportOtpItemDataDto {
                    secret: "JBSWY3DPEHPK3PXP".into(),
                    recovery_code: s("r-1")
                },
            }],
        })
    );
    done
}

/// What is compared of one request.
#[derive(Debug, PartialEq)]
struct Wire {
    method: String,
    path: String,
    /// Sorted by key; values of one key keep their order.
    query: Vec<(String, String)>,
    body: Option<Value>,
    authorization: Option<String>,
    user_pool_id: Option<String>,
}

fn wire(r: &Recorded) -> Wire {
    let mut query = r.query.clone();
    query.sort_by(|a, b| a.0.cmp(&b.0));
    Wire {
        method: r.method.clone(),
        path: r.path.clone(),
        query,
        body: if r.body.is_empty() {
            None
        } else {
            Some(r.json().unwrap_or(Value::String("<not JSON>".into())))
        },
        authorization: r.header("authorization").map(str::to_owned),
        user_pool_id: r.header("x-genauth-userpool-id").map(str::to_owned),
    }
}

#[test]
fn requests_match_the_official_python_sdk() {
    let Some(python) = python_with_sdk() else {
        return;
    };
    let script = repo_root().join("tests/wire/python_sdk_calls.py");

    // Python side.
    let py_server = server();
    let out = run(
        Command::new(&python)
            .arg(&script)
            .args([py_server.url().as_str(), AK, SK])
            .current_dir(env!("CARGO_TARGET_TMPDIR"))
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost"),
        Duration::from_secs(120),
    )
    .expect("the Python SDK script did not finish within 120 s");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py_labels: Vec<String> =
        serde_json::from_slice(&out.stdout).expect("labels printed by the script");
    let py_requests = py_server.requests();

    // Rust side, bearer mode like the Python SDK.
    let rs_server = server();
    let client = ManagementClient::from_client(
        ClientBuilder::management_token(AK, SK)
            .host(rs_server.url())
            .build()
            .unwrap(),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rs_labels = rt.block_on(rust_calls(&client));
    let rs_requests = rs_server.requests();

    assert_eq!(
        py_labels, rs_labels,
        "both sides make the same calls in the same order"
    );
    assert_eq!(
        py_requests.len(),
        py_labels.len() + 1,
        "one token request, then one request per call"
    );
    assert_eq!(
        rs_requests.len(),
        rs_labels.len() + 1,
        "one token request, then one request per call"
    );

    // Token requests.
    let (py_token, rs_token) = (&py_requests[0], &rs_requests[0]);
    assert_eq!(
        (py_token.method.as_str(), py_token.path.as_str()),
        ("POST", TOKEN_PATH)
    );
    assert_eq!(
        (rs_token.method.as_str(), rs_token.path.as_str()),
        ("POST", TOKEN_PATH)
    );
    assert_eq!(py_token.json(), rs_token.json());
    assert_eq!(
        rs_token.json(),
        Some(json!({"accessKeyId": AK, "accessKeySecret": SK}))
    );

    // Every call.
    let mut capitalized_booleans = Vec::new();
    let mut mismatches = Vec::new();
    for (i, label) in rs_labels.iter().enumerate() {
        let py = wire(&py_requests[i + 1]);
        let mut rs = wire(&rs_requests[i + 1]);
        assert_eq!(
            rs.authorization,
            Some(format!("Bearer {}", management_token(POOL, 1))),
            "{label}"
        );
        assert_eq!(rs.user_pool_id.as_deref(), Some(POOL), "{label}");
        // The known difference: Python writes booleans as True/False.
        for ((pk, pv), (rk, rv)) in py.query.iter().zip(rs.query.iter_mut()) {
            if pk == rk && ((pv == "True" && rv == "true") || (pv == "False" && rv == "false")) {
                capitalized_booleans.push(format!("{label}: {pk}={pv} (Rust: {rv})"));
                *rv = pv.clone();
            }
        }
        if py != rs {
            mismatches.push(format!("{label}:\n  python: {py:?}\n  rust:   {rs:?}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "requests differ:\n{}",
        mismatches.join("\n")
    );
    assert_eq!(
        capitalized_booleans.len(),
        4,
        "the Python SDK's True/False query booleans are the one tolerated difference: {capitalized_booleans:#?}"
    );
    eprintln!(
        "note: {} calls match the Python SDK; tolerated difference (Python writes query booleans as True/False):\n  {}",
        rs_labels.len(),
        capitalized_booleans.join("\n  ")
    );

    // Coverage: every operation of the generated client is compared or listed as not.
    let client_rs = std::fs::read_to_string(repo_root().join("generated/src/client.rs")).unwrap();
    let operations: BTreeSet<&str> = client_rs
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub async fn "))
        .filter_map(|l| l.split('(').next())
        .collect();
    let compared: BTreeSet<&str> = rs_labels
        .iter()
        .map(|l| l.strip_suffix("_minimal").unwrap_or(l))
        .collect();
    let excluded: BTreeSet<&str> = NOT_COMPARED.iter().map(|(op, _)| *op).collect();
    let covered: BTreeSet<&str> = compared.union(&excluded).copied().collect();
    assert_eq!(
        operations, covered,
        "operations neither compared nor listed in NOT_COMPARED"
    );
}
