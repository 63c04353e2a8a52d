//! Every way a call can fail.

/// An error from a generated client method.
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
        /// The envelope's `requestId`, when present.
        request_id: Option<String>,
    },
    /// The server answered with an HTTP status outside 2xx.
    #[error("HTTP status {status}{}: {excerpt}", fmt_request_id(request_id.as_deref()))]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The request id header or envelope field, when present.
        request_id: Option<String>,
        /// The start of the body.
        excerpt: String,
    },
    /// The body is not JSON (an HTML error page, a truncated document, ...).
    #[error("response (HTTP {status}) is not JSON: {reason}; body starts with {excerpt:?}")]
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
    #[error("response (HTTP {status}) does not match the expected type: {reason}; body starts with {excerpt:?}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// The request id header or envelope field, when present.
        request_id: Option<String>,
        /// What did not fit, with its path in the document.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The request body could not be serialized.
    #[error("request body could not be serialized: {0}")]
    Serialize(#[source] serde_json::Error),
    /// The request did not complete in time.
    #[error("request timed out")]
    Timeout,
    /// The transport failed (connection refused, TLS, DNS, ...).
    #[error("transport error: {message}")]
    Transport {
        /// What went wrong.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

fn fmt_code(code: Option<i64>) -> String {
    code.map(|c| format!(" (apiCode {c})")).unwrap_or_default()
}

fn fmt_request_id(id: Option<&str>) -> String {
    id.map(|id| format!(" [request {id}]")).unwrap_or_default()
}

/// At most this many characters of a body are kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 200;

/// The start of `body` as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}
