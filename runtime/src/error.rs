//! Every way a call can fail.

use crate::codes::{ApiCodeSet, RetryHint, TypedApiCode};

/// An error from a generated client method.
///
/// Every variant that stems from a server answer carries what is known of it: the HTTP
/// status, the request id (from the envelope's `requestId` or a response header) and the
/// start of the body, with values of secret-looking JSON keys blanked out.
///
/// `C` is the set of `apiCode`s the client knows (see [`ApiCodeSet`]): bare numbers
/// (`i64`) unless a generated SDK names its own.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<C: ApiCodeSet = i64> {
    /// The server answered with a business envelope whose `statusCode` is not 200.
    #[error("API error {status_code}{}: {message}{}", fmt_code(api_code.as_ref()), fmt_request_id(request_id.as_deref()))]
    Api {
        /// The envelope's `statusCode` (e.g. 400, 403, 404, 500).
        status_code: i64,
        /// The envelope's fine-grained `apiCode`, when present.
        api_code: Option<C>,
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
        /// True when no connection could be made (refused, DNS, TLS handshake): nothing
        /// of the request reached the server, so sending it again is always safe.
        connect: bool,
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
    /// A transport error without a response, for custom [`Transport`](crate::Transport)s:
    /// the request may have reached the server.
    pub fn transport(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::without_response(message.into(), false, source)
    }

    /// A failure to connect, for custom [`Transport`](crate::Transport)s: nothing of the
    /// request reached the server (the client retries it whatever its method).
    pub fn connect(
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::without_response(message.into(), true, source)
    }

    fn without_response(
        message: String,
        connect: bool,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Transport {
            message,
            connect,
            status: None,
            request_id: None,
            excerpt: String::new(),
            source,
        }
    }
}

/// `?` turns an error with bare codes (from [`Request::json`](crate::Request::json), a
/// transport, [`Client::send_raw`](crate::Client::send_raw), ...) into one with named codes.
impl<C: TypedApiCode> From<Error<i64>> for Error<C> {
    fn from(error: Error<i64>) -> Self {
        error.recode()
    }
}

impl<C: ApiCodeSet> Error<C> {
    /// The same error read with another code set (the `apiCode` number is kept).
    pub fn recode<D: ApiCodeSet>(self) -> Error<D> {
        match self {
            Error::Api {
                status_code,
                api_code,
                message,
                request_id,
            } => Error::Api {
                status_code,
                api_code: api_code.map(|c| D::from_code(c.code())),
                message,
                request_id,
            },
            Error::Http {
                status,
                request_id,
                excerpt,
            } => Error::Http {
                status,
                request_id,
                excerpt,
            },
            Error::NotJson {
                status,
                request_id,
                reason,
                excerpt,
            } => Error::NotJson {
                status,
                request_id,
                reason,
                excerpt,
            },
            Error::Decode {
                status,
                request_id,
                path,
                reason,
                excerpt,
            } => Error::Decode {
                status,
                request_id,
                path,
                reason,
                excerpt,
            },
            Error::Serialize(e) => Error::Serialize(e),
            Error::Timeout {
                status,
                request_id,
                excerpt,
            } => Error::Timeout {
                status,
                request_id,
                excerpt,
            },
            Error::Transport {
                message,
                connect,
                status,
                request_id,
                excerpt,
                source,
            } => Error::Transport {
                message,
                connect,
                status,
                request_id,
                excerpt,
                source,
            },
            Error::Auth { message } => Error::Auth { message },
            Error::Config { message } => Error::Config { message },
        }
    }

    /// The envelope's `apiCode`, when the error is an [`Error::Api`] that has one.
    pub fn api_code(&self) -> Option<&C> {
        match self {
            Error::Api { api_code, .. } => api_code.as_ref(),
            _ => None,
        }
    }

    /// What this error says about trying the call again, whatever its method (the client
    /// retries [`RetryHint::Transient`] failures of idempotent requests only):
    ///
    /// - [`Error::Api`]: the code set's [`ApiCodeSet::retry`] for the `apiCode`; when that
    ///   is `Never` (or there is no code), [`RetryHint::for_status_code`] of `statusCode`.
    /// - [`Error::Http`]: 429 `NotProcessed`, 401 `RefreshToken`, 502/503/504 `Transient`.
    /// - [`Error::Timeout`]: always `Transient`.
    /// - [`Error::Transport`]: `NotProcessed` when no connection could be made, else `Transient`.
    /// - Everything else (undecodable answers, bad requests, configuration): `Never`.
    pub fn retry_hint(&self) -> RetryHint {
        match self {
            Error::Api {
                status_code, api_code, ..
            } => match api_code.as_ref().map(ApiCodeSet::retry) {
                Some(hint) if hint != RetryHint::Never => hint,
                _ => RetryHint::for_status_code(*status_code),
            },
            Error::Http { status, .. } => match status {
                429 => RetryHint::NotProcessed,
                401 => RetryHint::RefreshToken,
                502..=504 => RetryHint::Transient,
                _ => RetryHint::Never,
            },
            Error::Timeout { .. } => RetryHint::Transient,
            Error::Transport { connect: true, .. } => RetryHint::NotProcessed,
            Error::Transport { .. } => RetryHint::Transient,
            Error::NotJson { .. }
            | Error::Decode { .. }
            | Error::Serialize(_)
            | Error::Auth { .. }
            | Error::Config { .. } => RetryHint::Never,
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

fn fmt_code<C: ApiCodeSet>(code: Option<&C>) -> String {
    match code {
        Some(c) => match c.name() {
            Some(name) => format!(" (apiCode {} {name})", c.code()),
            None => format!(" (apiCode {})", c.code()),
        },
        None => String::new(),
    }
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
