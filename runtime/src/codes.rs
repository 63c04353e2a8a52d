//! Business error codes (`apiCode`) as types, and what each says about retrying.

use std::fmt;

/// What an answer says about trying the same call again.
///
/// Every retry is signed afresh and waits for the backoff delay (or the server's
/// `Retry-After`), except a retry after a token refresh, which goes out at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryHint {
    /// Trying again gives the same answer (bad input, no permission, not found, ...).
    Never,
    /// A passing failure after the request may have reached the server and had an
    /// effect (a timeout, HTTP 502/503/504, an envelope with a 5xx `statusCode`): only
    /// idempotent requests are retried.
    Transient,
    /// The request was not acted on: no connection could be made, or the server turned
    /// it away for now (HTTP 429, a rate-limit code). Retried whatever the method.
    NotProcessed,
    /// The server refused the signature itself (timestamp too far off, nonce seen
    /// before): signed again and retried whatever the method.
    Resign,
    /// The server refused the credentials (an expired management token): the token is
    /// dropped, one new token is fetched, and the call is retried once whatever the
    /// method. Under AK/SK signing there is nothing to refresh and the call fails.
    RefreshToken,
}

impl RetryHint {
    /// The runtime's own reading of a bare `apiCode`: 1305 (signature timestamp too far
    /// from the server's clock) and 1306 (signature already used) ask for a new
    /// signature; every other code is [`RetryHint::Never`].
    pub fn for_api_code(code: i64) -> RetryHint {
        match code {
            1305 | 1306 => RetryHint::Resign,
            _ => RetryHint::Never,
        }
    }

    /// The runtime's reading of an envelope `statusCode` (or an HTTP status): 429 is
    /// [`RetryHint::NotProcessed`], 401 [`RetryHint::RefreshToken`], 500 and 502–599
    /// [`RetryHint::Transient`]. 501 ("not supported") never changes, so it is `Never`,
    /// like every other status.
    pub fn for_status_code(status: i64) -> RetryHint {
        match status {
            429 => RetryHint::NotProcessed,
            401 => RetryHint::RefreshToken,
            501 => RetryHint::Never,
            500..=599 => RetryHint::Transient,
            _ => RetryHint::Never,
        }
    }
}

/// A set of `apiCode` values a client knows by name.
///
/// [`Error::Api`](crate::Error::Api) carries `api_code: Option<C>`; with the default
/// `C = i64` the code is a bare number. A generated SDK defines an enum of the codes its
/// API documents, with an `Unknown(i64)` variant for the rest, implements this trait and
/// [`TypedApiCode`] for it, and calls [`Client::send`](crate::Client::send) with it; its
/// [`retry`](ApiCodeSet::retry) answers then steer the client's retries.
pub trait ApiCodeSet: Clone + fmt::Debug + fmt::Display + Send + Sync + 'static {
    /// The value for a code the server sent (codes the set does not know included).
    fn from_code(code: i64) -> Self;

    /// The number on the wire.
    fn code(&self) -> i64;

    /// A short name for the code, shown in error messages (`None` for unknown codes).
    fn name(&self) -> Option<&'static str> {
        None
    }

    /// What this code says about retrying. The default is
    /// [`RetryHint::for_api_code`]. A code answered `Never` leaves the decision to the
    /// envelope's `statusCode` (see [`RetryHint::for_status_code`]).
    fn retry(&self) -> RetryHint {
        RetryHint::for_api_code(self.code())
    }

    /// Whether trying again can succeed (any hint but [`RetryHint::Never`]).
    fn is_retryable(&self) -> bool {
        self.retry() != RetryHint::Never
    }
}

/// Bare numbers: the code set of [`Error`](crate::Error) when no other is named. It
/// knows only the runtime's built-in retry rules.
impl ApiCodeSet for i64 {
    fn from_code(code: i64) -> Self {
        code
    }

    fn code(&self) -> i64 {
        *self
    }
}

/// Marks a code set other than `i64`, so that `?` turns an [`Error`](crate::Error) with
/// bare codes (what [`Request::json`](crate::Request::json),
/// [`Client::send_raw`](crate::Client::send_raw) and transports return) into an
/// `Error<Self>`. It has no methods: implement it next to [`ApiCodeSet`].
pub trait TypedApiCode: ApiCodeSet {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules() {
        assert_eq!(RetryHint::for_api_code(1305), RetryHint::Resign);
        assert_eq!(RetryHint::for_api_code(1306), RetryHint::Resign);
        assert_eq!(RetryHint::for_api_code(1300), RetryHint::Never);
        assert_eq!(RetryHint::for_status_code(429), RetryHint::NotProcessed);
        assert_eq!(RetryHint::for_status_code(401), RetryHint::RefreshToken);
        for s in [500, 502, 503, 504, 599] {
            assert_eq!(RetryHint::for_status_code(s), RetryHint::Transient, "{s}");
        }
        for s in [200, 400, 403, 404, 501, 601] {
            assert_eq!(RetryHint::for_status_code(s), RetryHint::Never, "{s}");
        }
        assert!(1306i64.is_retryable());
        assert!(!2004i64.is_retryable());
        assert_eq!(<i64 as ApiCodeSet>::from_code(7).code(), 7);
        assert_eq!(7i64.name(), None);
    }
}
