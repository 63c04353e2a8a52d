//! The handle generated clients hold, and the one generic call path: send, retry, check,
//! decode.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::excerpt;
use crate::lenient::Decoding;
use crate::request::RedactedHeaders;
use crate::retry::retry_after;
use crate::trace::Trace;
use crate::{ApiCodeSet, ApiResponse, BoxFuture, CallOptions, Error, Request, Response, RetryHint, RetryPolicy, Transport};

/// How a successful HTTP response signals failure inside its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Envelope {
    /// No business envelope: any 2xx response is a success.
    #[default]
    None,
    /// GenAuth's envelope `{statusCode, message, apiCode?, requestId?, data?}`:
    /// a `statusCode` other than 200 is an [`Error::Api`].
    StatusCode,
}

type SleepFn = dyn Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync;

/// A cheaply clonable handle around a [`Transport`]: sends requests, retries the ones that
/// failed in a way worth retrying, checks and decodes the answers.
///
/// # Retries
///
/// Under the [`RetryPolicy`] (default: 2 retries after the first attempt, backoff with
/// full jitter, `Retry-After` honoured up to the policy's `max_delay`), a call is sent
/// again when the attempt ended in
///
/// - a failure to connect (nothing reached the server), whatever the method;
/// - HTTP 429, an envelope with `statusCode` 429, or an `apiCode` the code set marks
///   [`RetryHint::NotProcessed`], whatever the method;
/// - an `apiCode` asking for a new signature (1305 timestamp out of range, 1306
///   signature already used), whatever the method;
/// - a timeout, another transport failure, HTTP 502/503/504, or an envelope with
///   `statusCode` 500 or 502–599, only when the request is idempotent
///   ([`Request::is_idempotent`]: `GET`, or marked so), since the server may have acted
///   on it.
///
/// A refused management token (HTTP 401 or envelope `statusCode` 401) makes the
/// transport drop it ([`Transport::refresh_credentials`]); the call is then sent once
/// more, at once, with a new token, whatever the policy says.
///
/// Nothing else is retried: 4xx answers other than 401 and 429, 501, undecodable
/// answers, configuration and serialization errors. Every attempt goes through the
/// transport afresh, so an AK/SK-signed request gets a new nonce and date each time.
///
/// Waiting needs a timer: with the `http` feature it is Tokio's; without it, set one
/// with [`Client::with_sleep`], or only the token-refresh retry happens.
#[derive(Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    envelope: Envelope,
    decoding: Decoding,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    headers: Arc<[(String, String)]>,
    sleep: Option<Arc<SleepFn>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("envelope", &self.envelope)
            .field("decoding", &self.decoding)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("timer", &self.sleep.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "http")]
fn default_sleep() -> Option<Arc<SleepFn>> {
    Some(Arc::new(|d| Box::pin(tokio::time::sleep(d))))
}

#[cfg(not(feature = "http"))]
fn default_sleep() -> Option<Arc<SleepFn>> {
    None
}

/// What a successful exchange left: the answer and what the checks learnt.
struct Exchange {
    response: Response,
    request_id: Option<String>,
    attempts: u32,
}

impl Client {
    /// A client that sends every request through `transport`, with the default
    /// [`RetryPolicy`].
    pub fn new(transport: impl Transport) -> Self {
        Client {
            transport: Arc::new(transport),
            envelope: Envelope::None,
            decoding: Decoding::Lenient,
            retry: RetryPolicy::default(),
            timeout: None,
            headers: Arc::from(Vec::new()),
            sleep: default_sleep(),
        }
    }

    /// Sets how response bodies that stray from the spec are read (lenient by default).
    pub fn with_decoding(mut self, decoding: Decoding) -> Self {
        self.decoding = decoding;
        self
    }

    /// How response bodies are read.
    pub fn decoding(&self) -> Decoding {
        self.decoding
    }

    /// Decodes a response body as `R` the way this client reads responses.
    pub fn decode<R: DeserializeOwned>(&self, response: &Response) -> Result<R, Error> {
        parse_json(response, None, self.decoding)
    }

    /// Sets how responses signal failure in their body.
    pub fn with_envelope(mut self, envelope: Envelope) -> Self {
        self.envelope = envelope;
        self
    }

    /// The envelope convention in use.
    pub fn envelope(&self) -> Envelope {
        self.envelope
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry policy in use.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Sets the timer retries wait with (Tokio's by default with the `http` feature).
    pub fn with_sleep(mut self, sleep: impl Fn(Duration) -> BoxFuture<'static, ()> + Send + Sync + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// A view of this client whose calls use `options` where they are set (a timeout,
    /// extra headers, a retry policy), sharing the transport, its connections and its
    /// cached token. Cheap: nothing is rebuilt. Headers add to those of earlier views.
    ///
    /// ```
    /// # #[cfg(feature = "http")] {
    /// use std::time::Duration;
    /// use genauth_runtime::{CallOptions, Client, MemoryTransport, RetryPolicy};
    /// let client = Client::new(MemoryTransport::json(serde_json::json!({})));
    /// let patient = client.with_options(CallOptions::new().timeout(Duration::from_secs(60)).retry(RetryPolicy::none()));
    /// assert_eq!(patient.retry_policy(), RetryPolicy::none());
    /// assert_eq!(client.retry_policy(), RetryPolicy::default());
    /// # }
    /// ```
    pub fn with_options(&self, options: CallOptions) -> Client {
        let mut view = self.clone();
        if let Some(timeout) = options.timeout {
            view.timeout = Some(timeout);
        }
        if let Some(retry) = options.retry {
            view.retry = retry;
        }
        if !options.headers.is_empty() {
            let mut headers = self.headers.to_vec();
            headers.extend(options.headers);
            view.headers = Arc::from(headers);
        }
        view
    }

    /// The transport requests go through.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    /// Sends `request` (retrying as the policy allows) and decodes the response body as
    /// `R`. `C` is the set of `apiCode`s errors are read with; its retry hints steer the
    /// retries. Where the caller's return type is `Result<_, Error>`, `C` is inferred as
    /// `i64`.
    ///
    /// Operations without a response body use [`Client::send_raw`] instead.
    pub async fn send<R: DeserializeOwned, C: ApiCodeSet>(&self, request: Request) -> Result<R, Error<C>> {
        let decoding = self.decoding;
        self.call(request, move |ex| parse_json(&ex.response, ex.request_id, decoding))
            .await
    }

    /// [`Client::send`], keeping the HTTP status, the headers, the request id and the
    /// number of attempts next to the decoded body.
    pub async fn send_with_response<R: DeserializeOwned, C: ApiCodeSet>(
        &self,
        request: Request,
    ) -> Result<ApiResponse<R>, Error<C>> {
        let decoding = self.decoding;
        self.call(request, move |ex| {
            let data = parse_json(&ex.response, ex.request_id.clone(), decoding)?;
            Ok(ApiResponse {
                status: ex.response.status,
                headers: ex.response.headers,
                request_id: ex.request_id,
                attempts: ex.attempts,
                data,
            })
        })
        .await
    }

    /// [`Client::send_with_response`] for an operation whose body is not decoded (an
    /// answer without content): the HTTP details with `data: ()`.
    pub async fn send_empty_with_response<C: ApiCodeSet>(&self, request: Request) -> Result<ApiResponse<()>, Error<C>> {
        self.call(request, |ex| {
            Ok(ApiResponse {
                status: ex.response.status,
                headers: ex.response.headers,
                request_id: ex.request_id,
                attempts: ex.attempts,
                data: (),
            })
        })
        .await
    }

    /// Sends `request` (retrying as the policy allows) and checks the response, without
    /// decoding it.
    pub async fn send_raw(&self, request: Request) -> Result<Response, Error> {
        self.send_raw_as(request).await
    }

    /// [`Client::send_raw`] with errors read with the code set `C` (whose retry hints
    /// steer the retries).
    pub async fn send_raw_as<C: ApiCodeSet>(&self, request: Request) -> Result<Response, Error<C>> {
        self.call(request, |ex| Ok(ex.response)).await
    }

    /// The call path: this view's headers and timeout applied, attempts made, the
    /// successful answer handed to `finish`; all inside one tracing span.
    async fn call<T, C: ApiCodeSet>(
        &self,
        mut request: Request,
        finish: impl FnOnce(Exchange) -> Result<T, Error>,
    ) -> Result<T, Error<C>> {
        for (name, value) in self.headers.iter() {
            request.set_header(name, value.clone());
        }
        if self.timeout.is_some() {
            request.timeout = self.timeout;
        }
        let trace = Trace::start(&request);
        let run = async {
            let exchange = self.attempts::<C>(request, &trace).await?;
            finish(exchange).map_err(Error::recode)
        };
        let result = trace.instrument(run).await;
        trace.finish(&result);
        result
    }

    async fn attempts<C: ApiCodeSet>(&self, request: Request, trace: &Trace) -> Result<Exchange, Error<C>> {
        let policy = self.retry;
        let mut attempts = 0u32;
        let mut retries = 0u32;
        let mut refreshed = false;
        loop {
            attempts += 1;
            trace.attempt(attempts);
            let started = Instant::now();
            let (error, response) = match self.transport.send(request.clone()).await {
                Ok(response) => {
                    trace.answer(&response);
                    match check(&response, self.envelope) {
                        Ok(meta) => {
                            trace.succeeded(meta.request_id.as_deref());
                            return Ok(Exchange {
                                response,
                                request_id: meta.request_id,
                                attempts,
                            })
                        }
                        Err(e) => (e.recode::<C>(), Some(response)),
                    }
                }
                Err(e) => (e.recode::<C>(), None),
            };
            trace.failed(&error, response.is_some());
            let hint = error.retry_hint();
            let wait = match hint {
                RetryHint::Never => None,
                RetryHint::RefreshToken => {
                    if !refreshed && self.transport.refresh_credentials(started).await {
                        refreshed = true;
                        Some(Duration::ZERO)
                    } else {
                        None
                    }
                }
                RetryHint::Transient if !request.is_idempotent() => None,
                _ => self.backoff(&policy, &mut retries, response.as_ref()),
            };
            let Some(wait) = wait else { return Err(error) };
            trace.retrying(attempts, wait, hint);
            if !wait.is_zero() {
                if let Some(sleep) = &self.sleep {
                    sleep(wait).await;
                }
            }
        }
    }

    /// The wait before the next retry, or `None` when the policy allows no more (or the
    /// server asks for a longer wait than the policy's `max_delay`, or there is no timer).
    fn backoff(&self, policy: &RetryPolicy, retries: &mut u32, response: Option<&Response>) -> Option<Duration> {
        if *retries >= policy.max_retries || self.sleep.is_none() {
            return None;
        }
        let wait = match response.and_then(|r| retry_after(r, SystemTime::now())) {
            Some(asked) if asked > policy.max_delay => return None,
            Some(asked) => asked,
            None => policy.backoff(*retries + 1),
        };
        *retries += 1;
        Some(wait)
    }
}

/// The fields of GenAuth's envelope that decide success, read leniently (any JSON type) so
/// that a wrong type is reported with its path instead of as an unreadable document.
#[derive(Deserialize)]
struct EnvelopeHead {
    #[serde(rename = "statusCode", default)]
    status_code: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<serde_json::Value>,
    #[serde(rename = "apiCode", default)]
    api_code: Option<serde_json::Value>,
    #[serde(rename = "requestId", default)]
    request_id: Option<serde_json::Value>,
}

fn value_to_i64(v: &serde_json::Value) -> Option<i64> {
    let n = v.as_number()?;
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

fn value_to_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

pub(crate) fn header_request_id(response: &Response) -> Option<String> {
    response
        .header("x-request-id")
        .or_else(|| response.header("x-genauth-request-id"))
        .or_else(|| response.header("x-authing-request-id"))
        .map(str::to_owned)
}

/// What [`check`] learnt about a response that passed.
pub(crate) struct Meta {
    pub(crate) request_id: Option<String>,
}

/// Non-generic part of decoding: HTTP status and business envelope.
///
/// A response outside 2xx is an [`Error::Api`] when its body is an error envelope (the
/// server's own words are the most useful), else an [`Error::Http`]. A 2xx response with
/// an envelope must carry `statusCode: 200`.
pub(crate) fn check(response: &Response, envelope: Envelope) -> Result<Meta, Error> {
    let success = (200..300).contains(&response.status);
    if !success || envelope == Envelope::StatusCode {
        let head = read_head(response);
        if !success {
            return Err(match head {
                Ok(head) if head.status_code.as_ref().and_then(value_to_i64).is_some_and(|c| c != 200) => {
                    api_error(head, response)
                }
                _ => Error::Http {
                    status: response.status,
                    request_id: header_request_id(response),
                    excerpt: excerpt(&response.body),
                },
            });
        }
        let head = head?;
        let request_id = head
            .request_id
            .as_ref()
            .and_then(value_to_text)
            .or_else(|| header_request_id(response));
        let Some(code_value) = head.status_code.as_ref() else {
            return Err(decode_error(response, request_id, "statusCode", "missing field `statusCode`".into()));
        };
        match value_to_i64(code_value) {
            Some(200) => return Ok(Meta { request_id }),
            Some(_) => return Err(api_error(head, response)),
            None => {
                return Err(decode_error(
                    response,
                    request_id,
                    "statusCode",
                    format!("expected an integer, found {code_value}"),
                ))
            }
        }
    }
    Ok(Meta {
        request_id: header_request_id(response),
    })
}

fn read_head(response: &Response) -> Result<EnvelopeHead, Error> {
    parse_json(response, header_request_id(response), Decoding::Strict)
}

fn api_error(head: EnvelopeHead, response: &Response) -> Error {
    Error::Api {
        status_code: head.status_code.as_ref().and_then(value_to_i64).unwrap_or(0),
        api_code: head.api_code.as_ref().and_then(value_to_i64),
        message: head.message.as_ref().and_then(value_to_text).unwrap_or_default(),
        request_id: head
            .request_id
            .as_ref()
            .and_then(value_to_text)
            .or_else(|| header_request_id(response)),
    }
}

fn decode_error(response: &Response, request_id: Option<String>, path: &str, reason: String) -> Error {
    Error::Decode {
        status: response.status,
        request_id,
        path: path.to_owned(),
        reason,
        excerpt: excerpt(&response.body),
    }
}

/// Parses the whole body as `R`, naming the JSON path of a mismatch.
fn parse_json<R: DeserializeOwned>(response: &Response, request_id: Option<String>, decoding: Decoding) -> Result<R, Error> {
    use serde_json::error::Category;
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    // Only on the way to an error: the header's or the envelope's request id, if any.
    let request_id = || {
        request_id.clone().or_else(|| header_request_id(response)).or_else(|| {
            serde_json::from_slice::<EnvelopeHead>(&response.body)
                .ok()
                .and_then(|h| h.request_id.as_ref().and_then(value_to_text))
        })
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let classify = |path: String, inner: serde_json::Error| match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => Error::NotJson {
            status: response.status,
            request_id: request_id(),
            reason: inner.to_string(),
            excerpt: excerpt(&response.body),
        },
        Category::Data => decode_error(response, request_id(), &path, inner.to_string()),
    };
    match serde_path_to_error::deserialize::<_, R>(&mut de) {
        Ok(value) => {
            de.end().map_err(|e| classify(".".to_owned(), e))?;
            Ok(value)
        }
        Err(e) if decoding == Decoding::Lenient && e.inner().classify() == Category::Data => {
            // Valid JSON that does not fit: repair what a lenient reader forgives. What
            // cannot be repaired is reported as first found (with its line and column).
            let repaired = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|value| crate::lenient::decode_value(value).ok());
            match repaired {
                Some(value) => Ok(value),
                None => {
                    let path = e.path().to_string();
                    Err(classify(path, e.into_inner()))
                }
            }
        }
        Err(e) => {
            let path = e.path().to_string();
            Err(classify(path, e.into_inner()))
        }
    }
}

/// Decodes a response body as `R` (an empty body reads as `null`) with `decoding`, mapping
/// failures to [`Error::NotJson`] or [`Error::Decode`] (which names the JSON path of the
/// mismatch).
pub fn decode<R: DeserializeOwned>(response: &Response, decoding: Decoding) -> Result<R, Error> {
    parse_json(response, None, decoding)
}

/// [`decode`] when the request id is already known (from the envelope).
#[cfg(feature = "auth")]
pub(crate) fn decode_with_id<R: DeserializeOwned>(response: &Response, request_id: Option<String>) -> Result<R, Error> {
    parse_json(response, request_id, Decoding::Lenient)
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::{MemoryTransport, Method};

    fn busy_then_ok(fails: usize) -> Arc<MemoryTransport> {
        let seen = Mutex::new(0usize);
        Arc::new(MemoryTransport::new(move |_| {
            let mut n = seen.lock().unwrap();
            *n += 1;
            if *n <= fails {
                Response::json(&serde_json::json!({"statusCode": 503, "message": "busy"}))
            } else {
                Response::json(&serde_json::json!({"statusCode": 200, "message": "ok", "data": 1}))
            }
        }))
    }

    #[tokio::test]
    async fn waits_go_through_the_timer_within_the_backoff_ceilings() {
        let transport = busy_then_ok(2);
        let waits: Arc<Mutex<Vec<Duration>>> = Arc::default();
        let record = waits.clone();
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(40))
            .max_delay(Duration::from_millis(60));
        let client = Client::new(transport.clone())
            .with_envelope(Envelope::StatusCode)
            .with_retry(policy)
            .with_sleep(move |d| {
                record.lock().unwrap().push(d);
                Box::pin(std::future::ready(()))
            });
        let value: serde_json::Value = client.send::<_, i64>(Request::new(Method::Get, "/x")).await.unwrap();
        assert_eq!(value["data"], 1);
        assert_eq!(transport.requests().len(), 3);
        let waits = waits.lock().unwrap().clone();
        assert_eq!(waits.len(), 2);
        assert!(waits[0] <= Duration::from_millis(40) && waits[1] <= Duration::from_millis(60), "{waits:?}");
    }

    #[tokio::test]
    async fn without_a_timer_nothing_is_retried_after_a_wait() {
        let transport = busy_then_ok(1);
        let mut client = Client::new(transport.clone()).with_envelope(Envelope::StatusCode);
        client.sleep = None;
        let result = client.send::<serde_json::Value, i64>(Request::new(Method::Get, "/x")).await;
        assert!(matches!(result, Err(Error::Api { status_code: 503, .. })), "{result:?}");
        assert_eq!(transport.requests().len(), 1);
    }
}
