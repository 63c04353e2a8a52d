//! AK/SK request signing: pure functions over a [`Request`], no clock, no randomness,
//! no I/O, so each step can be checked against known answers.
//!
//! The string to sign is
//!
//! ```text
//! METHOD "\n"
//! name:value "\n"        for every header named `date` or starting with the brand
//! ...                     prefix (`x-genauth-`), sorted by name; values trimmed, with
//!                         tabs and line breaks turned into spaces
//! path[?k1=v1&k2=v2...]   the canonical resource: keys sorted; the pairs come from the
//!                         query for GET and from the top-level keys of the JSON body
//!                         for every other method
//! ```
//!
//! and the signature is `base64(HMAC-SHA1(access key secret, string to sign))`, sent as
//! `authorization: GenAuth <access key id>:<signature>`.

use base64::Engine as _;
use hmac::{KeyInit, Mac};

use crate::{Body, HeaderPrefix, Method, Request};

/// The value of the `*-signature-method` header.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The value of the `*-signature-version` header.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The `key=value` pairs of the canonical resource, sorted by key.
///
/// GET: the query pairs; a key that occurs several times (an array parameter sent as
/// `k=a&k=b`) becomes one pair whose value is the JSON array of its values (`["a","b"]`),
/// which is how the server sees it once it has parsed the query.
/// Other methods: the top-level keys of the JSON object body; strings as they are,
/// numbers, booleans and `null` as JSON text, objects and arrays as compact JSON. A
/// URL-encoded form body is read like a query; other bodies add no pairs.
pub fn canonical_params(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = if request.method == Method::Get {
        group_repeated(&request.query)
    } else {
        match &request.body {
            Some(Body::Json(serde_json::Value::Object(map))) => map
                .iter()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect(),
            Some(Body::Form(fields)) => group_repeated(fields),
            // Arrays, scalars, multipart forms and raw bodies have no keys to sign.
            _ => Vec::new(),
        }
    };
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// One pair per key; a key given several values gets the JSON array of them.
fn group_repeated(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut grouped: Vec<(String, Vec<&str>)> = Vec::new();
    for (k, v) in pairs {
        match grouped.iter_mut().find(|(key, _)| key == k) {
            Some((_, values)) => values.push(v),
            None => grouped.push((k.clone(), vec![v])),
        }
    }
    grouped
        .into_iter()
        .map(|(k, values)| match values.as_slice() {
            [one] => (k, (*one).to_owned()),
            many => (k, serde_json::Value::from(many.to_vec()).to_string()),
        })
        .collect()
}

/// `path` alone when there are no pairs, else `path?k1=v1&k2=v2` (values not escaped).
pub fn canonical_resource(path: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        return path.to_owned();
    }
    let joined: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", joined.join("&"))
}

/// The signed headers, one `name:value\n` line each: `date` and every header starting
/// with `prefix`, names in lower case, sorted by name.
pub fn canonical_headers(headers: &[(String, String)], prefix: &str) -> String {
    let mut signed: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .filter(|(k, _)| k == "date" || k.starts_with(prefix))
        .map(|(k, v)| {
            let cleaned: String = v
                .chars()
                .map(|c| if matches!(c, '\t' | '\n' | '\r' | '\u{c}') { ' ' } else { c })
                .collect();
            (k, cleaned.trim().to_owned())
        })
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect()
}

/// The complete string to sign for `request` as it will be sent (all headers set).
pub fn string_to_sign(request: &Request, prefix: &str) -> String {
    format!(
        "{}\n{}{}",
        request.method.as_str(),
        canonical_headers(&request.headers, prefix),
        canonical_resource(&request.path, &canonical_params(request))
    )
}

/// Signs `request` in place: sets the signature headers (`*-signature-nonce`,
/// `*-signature-method`, `*-signature-version`), `date`, then `authorization` over the
/// request's final headers. The caller supplies the nonce and the RFC 1123 date, which
/// keeps this function deterministic.
pub fn apply(request: &mut Request, prefix: HeaderPrefix, key_id: &str, secret: &str, nonce: &str, date: &str) {
    request.set_header(&prefix.header("signature-nonce"), nonce);
    request.set_header(&prefix.header("signature-method"), SIGNATURE_METHOD);
    request.set_header(&prefix.header("signature-version"), SIGNATURE_VERSION);
    request.set_header("date", date);
    let sts = string_to_sign(request, prefix.as_str());
    let sig = signature(secret, &sts);
    request.set_header("authorization", format!("{} {key_id}:{sig}", prefix.signature_scheme()));
}

/// `base64(HMAC-SHA1(secret, string_to_sign))`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = match hmac::Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable_invalid_length(),
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cold]
fn unreachable_invalid_length() -> ! {
    unreachable!("HMAC accepts keys of every length")
}

#[cfg(test)]
mod tests {
    //! Known answers. Each expected signature was computed outside Rust, with OpenSSL:
    //!
    //! ```sh
    //! openssl dgst -sha1 -hmac 3d8f1b2c9e4a4f6b8c7d2e1f0a9b8c7d -binary < sts.txt | base64
    //! ```
    //!
    //! where `sts.txt` holds exactly the bytes of the `EXPECTED_*` text next to it: UTF-8,
    //! each `\n` a line feed, no trailing newline.

    use super::*;
    use crate::Query;

    const SECRET: &str = "3d8f1b2c9e4a4f6b8c7d2e1f0a9b8c7d";

    fn headers(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = [
            ("x-genauth-signature-nonce", "8f14e45fceea167a5a36dedd4bea2543"),
            ("x-genauth-signature-method", "HMAC-SHA1"),
            ("x-genauth-signature-version", "1.0"),
            ("x-genauth-sdk-version", "genauth-rust-sdk:0.1.0"),
            ("x-genauth-lang", "zh-CN"),
            ("date", "Sun, 29 Nov 2026 04:24:42 GMT"),
            ("content-type", "application/json"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        h.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        h
    }

    const HEADER_LINES: &str = "date:Sun, 29 Nov 2026 04:24:42 GMT\n\
        x-genauth-lang:zh-CN\n\
        x-genauth-sdk-version:genauth-rust-sdk:0.1.0\n\
        x-genauth-signature-method:HMAC-SHA1\n\
        x-genauth-signature-nonce:8f14e45fceea167a5a36dedd4bea2543\n\
        x-genauth-signature-version:1.0\n";

    const EXPECTED_GET: &str = "GET\n\
        date:Sun, 29 Nov 2026 04:24:42 GMT\n\
        x-genauth-lang:zh-CN\n\
        x-genauth-sdk-version:genauth-rust-sdk:0.1.0\n\
        x-genauth-signature-method:HMAC-SHA1\n\
        x-genauth-signature-nonce:8f14e45fceea167a5a36dedd4bea2543\n\
        x-genauth-signature-version:1.0\n\
        /api/v3/get-user-batch?userIdType=email&userIds=[\"a@example.com\",\"b c@example.com\"]&withCustomData=true";
    /// `openssl dgst -sha1 -hmac $SECRET -binary < EXPECTED_GET | base64`
    const SIGNATURE_GET: &str = "xsQWNTG2XN4Imhqbasxk9h81etw=";

    #[test]
    fn get_with_query_parameters() {
        let mut q = Query::new();
        q.push("userIds", &vec!["a@example.com".to_owned(), "b c@example.com".to_owned()]);
        q.push("withCustomData", &true);
        q.push("userIdType", "email");
        let mut req = Request::new(Method::Get, "/api/v3/get-user-batch").query(q);
        req.headers = headers(&[]);
        let sts = string_to_sign(&req, "x-genauth-");
        assert_eq!(sts, EXPECTED_GET);
        assert_eq!(signature(SECRET, &sts), SIGNATURE_GET);
    }

    const EXPECTED_POST: &str = "POST\n\
        date:Sun, 29 Nov 2026 04:24:42 GMT\n\
        x-genauth-lang:zh-CN\n\
        x-genauth-sdk-version:genauth-rust-sdk:0.1.0\n\
        x-genauth-signature-method:HMAC-SHA1\n\
        x-genauth-signature-nonce:8f14e45fceea167a5a36dedd4bea2543\n\
        x-genauth-signature-version:1.0\n\
        /api/v3/list-users?advancedFilter=[{\"field\":\"lastLogin\",\"operator\":\"BETWEEN\",\"value\":[1700000000000,1700600000000]}]&keywords=张三&options={\"pagination\":{\"page\":2,\"limit\":20},\"withCustomData\":false}";
    /// `openssl dgst -sha1 -hmac $SECRET -binary < EXPECTED_POST | base64`
    const SIGNATURE_POST: &str = "oB03hNY1C+AF2LfZdI85h05hLL0=";

    #[test]
    fn post_with_a_nested_json_body() {
        let body = serde_json::json!({
            "options": {"pagination": {"page": 2, "limit": 20}, "withCustomData": false},
            "keywords": "张三",
            "advancedFilter": [
                {"field": "lastLogin", "operator": "BETWEEN", "value": [1700000000000i64, 1700600000000i64]}
            ]
        });
        let mut req = Request::new(Method::Post, "/api/v3/list-users").json(&body).unwrap();
        // Query pairs of a POST are not signed.
        req.query = vec![("ignored".into(), "x".into())];
        req.headers = headers(&[]);
        let sts = string_to_sign(&req, "x-genauth-");
        assert_eq!(sts, EXPECTED_POST);
        assert_eq!(signature(SECRET, &sts), SIGNATURE_POST);
    }

    const EXPECTED_TENANT: &str = "POST\n\
        date:Sun, 29 Nov 2026 04:24:42 GMT\n\
        x-genauth-app-id:tenant-6f1a9\n\
        x-genauth-lang:zh-CN\n\
        x-genauth-sdk-version:genauth-rust-sdk:0.1.0\n\
        x-genauth-signature-method:HMAC-SHA1\n\
        x-genauth-signature-nonce:8f14e45fceea167a5a36dedd4bea2543\n\
        x-genauth-signature-version:1.0\n\
        /api/v3/kick-users?appIds=[\"app1\",\"app2\"]&userId=6229ffaxxxxxxxxcade3e3d9";
    /// `openssl dgst -sha1 -hmac $SECRET -binary < EXPECTED_TENANT | base64`
    const SIGNATURE_TENANT: &str = "BONu5hEqt3FEjpVnDKX29vyA8P4=";

    #[test]
    fn request_with_a_tenant_id() {
        let body = serde_json::json!({"userId": "6229ffaxxxxxxxxcade3e3d9", "appIds": ["app1", "app2"]});
        let mut req = Request::new(Method::Post, "/api/v3/kick-users").json(&body).unwrap();
        // Messy spacing in a signed header value is cleaned up before signing.
        req.headers = headers(&[("X-GenAuth-App-Id", " tenant-6f1a9\t")]);
        let sts = string_to_sign(&req, "x-genauth-");
        assert_eq!(sts, EXPECTED_TENANT);
        assert_eq!(signature(SECRET, &sts), SIGNATURE_TENANT);
    }

    #[test]
    fn no_parameters_means_the_bare_path() {
        let mut req = Request::new(Method::Get, "/api/v3/get-user");
        req.headers = headers(&[]);
        assert_eq!(string_to_sign(&req, "x-genauth-"), format!("GET\n{HEADER_LINES}/api/v3/get-user"));
        // Headers of the other brand are not signed under this prefix.
        req.headers.push(("x-authing-lang".into(), "en-US".into()));
        assert_eq!(string_to_sign(&req, "x-genauth-"), format!("GET\n{HEADER_LINES}/api/v3/get-user"));
    }

    #[test]
    fn apply_sets_every_signature_header_and_the_authorization() {
        let mut req = Request::new(Method::Post, "/api/v3/kick-users")
            .json(&serde_json::json!({"userId": "6229ffaxxxxxxxxcade3e3d9", "appIds": ["app1", "app2"]}))
            .unwrap();
        req.set_header("x-genauth-sdk-version", "genauth-rust-sdk:0.1.0");
        req.set_header("x-genauth-lang", "zh-CN");
        req.set_header("x-genauth-app-id", "tenant-6f1a9");
        apply(
            &mut req,
            HeaderPrefix::GenAuth,
            "ak-1",
            SECRET,
            "8f14e45fceea167a5a36dedd4bea2543",
            "Sun, 29 Nov 2026 04:24:42 GMT",
        );
        // The same request as `request_with_a_tenant_id`, so the same signature.
        assert_eq!(req.header("authorization"), Some(format!("GenAuth ak-1:{SIGNATURE_TENANT}").as_str()));
        assert_eq!(req.header("x-genauth-signature-method"), Some("HMAC-SHA1"));
        assert_eq!(req.header("x-genauth-signature-version"), Some("1.0"));

        // Authing deployments: same scheme, other header names and scheme word.
        let mut req = Request::new(Method::Get, "/api/v3/get-user");
        apply(&mut req, HeaderPrefix::Authing, "ak-1", SECRET, "n", "Sun, 29 Nov 2026 04:24:42 GMT");
        let sts = "GET\ndate:Sun, 29 Nov 2026 04:24:42 GMT\nx-authing-signature-method:HMAC-SHA1\n\
                   x-authing-signature-nonce:n\nx-authing-signature-version:1.0\n/api/v3/get-user";
        assert_eq!(string_to_sign(&req, "x-authing-"), sts);
        assert_eq!(req.header("authorization"), Some(format!("authing ak-1:{}", signature(SECRET, sts)).as_str()));
    }

    #[test]
    fn body_values_are_written_like_json_except_strings() {
        let body = serde_json::json!({"b": true, "a": 1.5, "c": null, "d": "x y", "e": {}});
        let req = Request::new(Method::Post, "/p").json(&body).unwrap();
        assert_eq!(
            canonical_resource(&req.path, &canonical_params(&req)),
            "/p?a=1.5&b=true&c=null&d=x y&e={}"
        );
    }
}
