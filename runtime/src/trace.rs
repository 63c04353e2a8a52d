//! One tracing span per call (feature `tracing`); without the feature every hook here is
//! empty and compiles to nothing.
//!
//! The span `genauth.call` carries the operation, method, path, attempt, HTTP status,
//! the envelope's `statusCode` and `apiCode` when it reports an error, the request id and
//! the duration; each retry is an event in it (attempt, wait, reason). What is recorded is chosen field by field:
//! never a header, a query, a body, a signature or a token.

use std::future::Future;
use std::time::Duration;

use crate::{ApiCodeSet, Error, Request, Response, RetryHint};

pub(crate) struct Trace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    started: std::time::Instant,
}

#[cfg(feature = "tracing")]
impl Trace {
    pub(crate) fn start(request: &Request) -> Trace {
        use tracing::field::Empty;
        let span = tracing::info_span!(
            "genauth.call",
            operation = request.operation.unwrap_or(""),
            method = request.method.as_str(),
            path = request.path.as_str(),
            attempt = Empty,
            status = Empty,
            status_code = Empty,
            api_code = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        Trace {
            span,
            started: std::time::Instant::now(),
        }
    }

    pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        tracing::Instrument::instrument(future, self.span.clone())
    }

    pub(crate) fn attempt(&self, attempt: u32) {
        self.span.record("attempt", attempt);
    }

    pub(crate) fn answer(&self, response: &Response) {
        self.span.record("status", response.status);
    }

    pub(crate) fn succeeded(&self, request_id: Option<&str>) {
        if let Some(id) = request_id {
            self.span.record("request_id", id);
        }
    }

    /// An attempt failed; `answered` when [`Trace::answer`] saw its response already.
    pub(crate) fn failed<C: ApiCodeSet>(&self, error: &Error<C>, answered: bool) {
        match error.http_status() {
            Some(status) if !answered => {
                self.span.record("status", status);
            }
            _ => {}
        }
        if let Error::Api { status_code, .. } = error {
            self.span.record("status_code", status_code);
        }
        if let Some(code) = error.api_code() {
            self.span.record("api_code", code.code());
        }
        if let Some(id) = error.request_id() {
            self.span.record("request_id", id);
        }
    }

    pub(crate) fn retrying(&self, attempt: u32, wait: Duration, hint: RetryHint) {
        tracing::info!(
            attempt,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            reason = ?hint,
            "retrying"
        );
    }

    pub(crate) fn finish<T, C: ApiCodeSet>(&self, result: &Result<T, Error<C>>) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.span.record("duration_ms", ms);
        let _entered = self.span.enter();
        match result {
            Ok(_) => tracing::debug!("call succeeded"),
            Err(e) => tracing::debug!(error = %e, "call failed"),
        }
    }
}

#[cfg(not(feature = "tracing"))]
impl Trace {
    #[inline(always)]
    pub(crate) fn start(_request: &Request) -> Trace {
        Trace {}
    }

    #[inline(always)]
    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }

    #[inline(always)]
    pub(crate) fn attempt(&self, _attempt: u32) {}

    #[inline(always)]
    pub(crate) fn answer(&self, _response: &Response) {}

    #[inline(always)]
    pub(crate) fn succeeded(&self, _request_id: Option<&str>) {}

    #[inline(always)]
    pub(crate) fn failed<C: ApiCodeSet>(&self, _error: &Error<C>, _answered: bool) {}

    #[inline(always)]
    pub(crate) fn retrying(&self, _attempt: u32, _wait: Duration, _hint: RetryHint) {}

    #[inline(always)]
    pub(crate) fn finish<T, C: ApiCodeSet>(&self, _result: &Result<T, Error<C>>) {}
}
