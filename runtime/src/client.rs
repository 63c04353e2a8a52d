//! The handle generated clients hold, and the one generic call path.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::excerpt;
use crate::lenient::Decoding;
use crate::{Error, Request, Response, Transport};

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

/// A cheaply clonable handle around a [`Transport`].
#[derive(Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    envelope: Envelope,
    decoding: Decoding,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("envelope", &self.envelope)
            .field("decoding", &self.decoding)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client that sends every request through `transport`.
    pub fn new(transport: impl Transport) -> Self {
        Client {
            transport: Arc::new(transport),
            envelope: Envelope::None,
            decoding: Decoding::Lenient,
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

    /// The transport requests go through.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
    }

    /// Sends `request` and decodes the response body as `R`.
    ///
    /// Operations without a response body use [`Client::send_raw`] instead.
    pub async fn send<R: DeserializeOwned>(&self, request: Request) -> Result<R, Error> {
        let response = self.transport.send(request).await?;
        let meta = check(&response, self.envelope)?;
        parse_json(&response, meta.request_id, self.decoding)
    }

    /// Sends `request` and checks the response, without decoding it.
    pub async fn send_raw(&self, request: Request) -> Result<Response, Error> {
        let response = self.transport.send(request).await?;
        check(&response, self.envelope)?;
        Ok(response)
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
