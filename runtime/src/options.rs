//! Options for some calls only, and a response that keeps its HTTP details.

use std::fmt;
use std::time::Duration;

use crate::request::RedactedHeaders;
use crate::RetryPolicy;

/// Settings that override a client's for the calls made through one view of it
/// ([`Client::with_options`](crate::Client::with_options)); unset fields keep the
/// client's. `Debug` hides the values of credential-like headers.
///
/// ```
/// use std::time::Duration;
/// use genauth_runtime::{CallOptions, RetryPolicy};
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(30))
///     .header("x-genauth-app-id", "tenant-1")
///     .retry(RetryPolicy::none());
/// assert_eq!(options.timeout, Some(Duration::from_secs(30)));
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// A limit on each attempt instead of the transport's.
    pub timeout: Option<Duration>,
    /// Headers added to every request (replacing the operation's header of the same
    /// name). Authentication headers are set after these and always win.
    pub headers: Vec<(String, String)>,
    /// The retry policy instead of the client's.
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// Nothing overridden.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Limits each attempt to `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a header (name in lower case).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Retries with `policy`.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("retry", &self.retry)
            .finish()
    }
}

/// A decoded response together with its HTTP details, from
/// [`Client::send_with_response`](crate::Client::send_with_response).
///
/// `Debug` hides the values of credential-like headers (`set-cookie`, ...).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiResponse<T> {
    /// The HTTP status of the answer that succeeded.
    pub status: u16,
    /// Its headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The request id: the envelope's `requestId`, else the `x-request-id` header (or
    /// its branded forms), when there is one.
    pub request_id: Option<String>,
    /// How many times the request was sent (1 when it succeeded at once).
    pub attempts: u32,
    /// The decoded body.
    pub data: T,
}

impl<T> ApiResponse<T> {
    /// The first header with this name (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The decoded body alone.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            attempts: self.attempts,
            data: f(self.data),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("data", &self.data)
            .finish()
    }
}
