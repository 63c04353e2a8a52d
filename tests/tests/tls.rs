//! Private deployments: a loopback HTTPS server whose self-signed certificate is made
//! here; the client trusts it only once the certificate is added as a root.

use genauth_sdk::rt::{ClientBuilder, Error, RetryPolicy};
use genauth_sdk::*;
use genauth_tests::loopback::{envelope, verify_signature, Recorded, Reply, Server};
use serde_json::json;

use genauth_tests::loopback::{TEST_AK as AK, TEST_SK as SK};

fn kick() -> KickUsersDto {
    KickUsersDto { app_ids: vec!["app1".into()], user_id: "u1".into(), options: None }
}

/// An HTTPS stand-in with a fresh self-signed certificate for 127.0.0.1; returns the
/// server and the certificate as PEM.
fn https_server() -> (Server, String) {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let pem = certified.cert.pem();
    let server = Server::start_tls(certified.cert.der().to_vec(), certified.signing_key.serialize_der(), |req: &Recorded| {
        if let Err(reason) = verify_signature(req, AK, SK, "x-genauth-", "GenAuth") {
            return Reply::json(&json!({"statusCode": 401, "message": reason}));
        }
        Reply::json(&envelope(200, "Success", "rid-tls", json!({"success": true})))
    });
    (server, pem)
}

#[tokio::test]
async fn a_self_signed_deployment_is_reached_once_its_certificate_is_trusted() {
    let (server, pem) = https_server();
    assert!(server.url().starts_with("https://127.0.0.1:"));

    // Not trusted: the handshake fails, nothing is sent.
    let untrusting = ManagementClient::from_client(
        ClientBuilder::access_key(AK, SK).host(server.url()).retry(RetryPolicy::none()).build().unwrap(),
    );
    match untrusting.kick_users(&kick()).await {
        Err(Error::Transport { connect: true, message, .. }) => assert!(message.contains("certificate"), "{message}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    assert!(server.requests().is_empty());

    // Trusted as an extra root (the built-in roots stay).
    let client = ManagementClient::from_client(
        ClientBuilder::access_key(AK, SK).host(server.url()).add_root_certificate_pem(pem).build().unwrap(),
    );
    let resp = client.kick_users(&kick()).await.unwrap();
    assert_eq!((resp.data.success, resp.request_id.as_deref()), (true, Some("rid-tls")));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn unusable_root_certificates_are_configuration_errors() {
    let (_server, good) = https_server();
    let mangled = good.replacen("MII", "M*I", 1);
    for (pem, expected) in [
        ("not a certificate at all".to_owned(), "root certificate 2: no `-----BEGIN CERTIFICATE-----` block found"),
        (mangled, "root certificate 2: not readable as PEM"),
    ] {
        match ClientBuilder::access_key(AK, SK).add_root_certificate_pem(good.clone()).add_root_certificate_pem(pem).build() {
            Err(Error::Config { message }) => assert!(message.starts_with(expected), "{message}"),
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }
    // A bundle of two good certificates is fine.
    let bundle = format!("{good}{good}");
    assert!(ClientBuilder::access_key(AK, SK).add_root_certificate_pem(bundle).build().is_ok());
}
