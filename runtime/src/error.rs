//! Every way a call can fail.

/// An error from a generated client method.
///
/// Every variant that stems from a server answer carries what is known of it: the HTTP
/// status, the request id (from the envelope's `requestId` or a response header) and the
/// start of the body, with values of secret-looking JSON keys blanked out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a business envelope whose `statusCode` is not 200.
    #[error("API error {status_code}{}: {message}{}", fmt_code(*api_code), fmt_request_id(request_id.as_deref()))]
    Api {
        /// The envelope's `statusCode` (e.g. 400, 403, 404, 500).
        status_code: i64,
        /// The envelope's fine-grained `apiCode`, when present.
        api_code: Option<i64>,
        /// The envelope's `message`.
        message: String,
        /// The envelope's `requestId` (or the request id header), when present.
        request_id: Option<String>,
    },
    /// The server answered with an HTTP status outside 2xx and no business envelope
    /// (a gateway's `502 Bad Gateway` page, say).
    #[error("HTTP status {status}{}: {excerpt:?}", fmt_request_id(request_id.as_deref()))]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The request id header, when present.
        request_id: Option<String>,
        /// The start of the body.
        excerpt: String,
    },
    /// The body is not JSON (an HTML page, a truncated document, ...).
    #[error("response (HTTP {status}{}) is not JSON: {reason}; body starts with {excerpt:?}", fmt_request_id(request_id.as_deref()))]
    NotJson {
        /// The HTTP status code.
        status: u16,
        /// The request id header, when present.
        request_id: Option<String>,
        /// Why the body could not be read as JSON.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The body is JSON but does not fit the response type.
    #[error("response (HTTP {status}{}) does not match the expected type at `{path}`: {reason}; body starts with {excerpt:?}", fmt_request_id(request_id.as_deref()))]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The envelope's `requestId` or the request id header, when present.
        request_id: Option<String>,
        /// Where in the document the mismatch is, e.g. `data.list[3].status`
        /// (`.` for the document itself).
        path: String,
        /// What did not fit.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The request body could not be serialized.
    #[error("request body could not be serialized: {0}")]
    Serialize(#[source] serde_json::Error),
    /// The request did not complete within the configured timeout.
    #[error("request timed out{}", fmt_partial(*status, request_id.as_deref()))]
    Timeout {
        /// The HTTP status, when the response head arrived before the time ran out.
        status: Option<u16>,
        /// The request id header, when the response head arrived.
        request_id: Option<String>,
        /// The start of what arrived of the body (empty when nothing did).
        excerpt: String,
    },
    /// The transport failed: connection refused or reset, TLS, DNS, a body cut short, ...
    #[error("transport error: {message}{}", fmt_partial(*status, request_id.as_deref()))]
    Transport {
        /// What went wrong.
        message: String,
        /// The HTTP status, when the response head arrived before the failure.
        status: Option<u16>,
        /// The request id header, when the response head arrived.
        request_id: Option<String>,
        /// The start of what arrived of the body (empty when nothing did).
        excerpt: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Authentication could not be set up: the management token endpoint answered with
    /// something unusable (no token, a token without a user pool id, ...).
    #[error("authentication failed: {message}")]
    Auth {
        /// What went wrong.
        message: String,
    },
    /// The client options are unusable (a host that is not a URL, a header value with
    /// line breaks, ...).
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// A transport error without a response, for custom [`Transport`](crate::Transport)s.
    pub fn transport(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Transport {
            message: message.into(),
            status: None,
            request_id: None,
            excerpt: String::new(),
            source,
        }
    }

    /// The request id the server gave, when the error carries one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::Http { request_id, .. }
            | Error::NotJson { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::Timeout { request_id, .. }
            | Error::Transport { request_id, .. } => request_id.as_deref(),
            Error::Serialize(_) | Error::Auth { .. } | Error::Config { .. } => None,
        }
    }

    /// The HTTP status of the response, when one arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } | Error::NotJson { status, .. } | Error::Decode { status, .. } => {
                Some(*status)
            }
            Error::Timeout { status, .. } | Error::Transport { status, .. } => *status,
            Error::Api { .. } | Error::Serialize(_) | Error::Auth { .. } | Error::Config { .. } => None,
        }
    }
}

fn fmt_code(code: Option<i64>) -> String {
    code.map(|c| format!(" (apiCode {c})")).unwrap_or_default()
}

fn fmt_request_id(id: Option<&str>) -> String {
    id.map(|id| format!(" [request {id}]")).unwrap_or_default()
}

fn fmt_partial(status: Option<u16>, id: Option<&str>) -> String {
    match status {
        Some(status) => format!(" after HTTP {status} arrived{}", fmt_request_id(id)),
        None => String::new(),
    }
}

/// At most this many characters of a body are kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// The start of `body` as text, for error messages. When the body is a JSON document,
/// string values under secret-looking keys (see [`is_secret_key`]) are replaced first, so
/// a token response or an echoed password never ends up in a log line.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let redacted = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|mut value| redact_json(&mut value).then(|| value.to_string()));
    let text = match &redacted {
        Some(text) => std::borrow::Cow::Borrowed(text.as_str()),
        None => String::from_utf8_lossy(body),
    };
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// What secret values are replaced with in excerpts and `Debug` output.
pub(crate) const REDACTED: &str = "<redacted>";

/// Keys whose values are secrets: anything naming a secret, a password or a token.
pub(crate) fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "password", "token"].iter().any(|w| key.contains(w))
}

/// Replaces every value under a secret-looking key; true when something was replaced.
pub(crate) fn redact_json(value: &mut serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            let mut changed = false;
            for (key, v) in map.iter_mut() {
                if is_secret_key(key) && !v.is_null() {
                    *v = serde_json::Value::String(REDACTED.to_owned());
                    changed = true;
                } else {
                    changed |= redact_json(v);
                }
            }
            changed
        }
        serde_json::Value::Array(items) => items.iter_mut().fold(false, |c, v| redact_json(v) | c),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_hide_secrets() {
        let long = "x".repeat(500);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));

        let body = br#"{"statusCode":200,"data":{"access_token":"eyJhbG.secret.sig","expires_in":7200}}"#;
        let e = excerpt(body);
        assert!(!e.contains("eyJhbG"), "{e}");
        assert!(e.contains("\"access_token\":\"<redacted>\""), "{e}");
        assert!(e.contains("7200"), "{e}");

        // Not JSON: kept as it is (lossily decoded).
        assert_eq!(excerpt(b"<html>\xffbad</html>"), "<html>\u{fffd}bad</html>");
    }
}
