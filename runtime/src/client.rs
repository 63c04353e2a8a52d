//! The handle generated clients hold, and the one generic call path.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::excerpt;
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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("envelope", &self.envelope)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client that sends every request through `transport`.
    pub fn new(transport: impl Transport) -> Self {
        Client {
            transport: Arc::new(transport),
            envelope: Envelope::None,
        }
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
        let response = self.send_raw(request).await?;
        decode(&response)
    }

    /// Sends `request` and checks the response, without decoding it.
    pub async fn send_raw(&self, request: Request) -> Result<Response, Error> {
        let response = self.transport.send(request).await?;
        check(&response, self.envelope)?;
        Ok(response)
    }
}

/// The fields of GenAuth's envelope that decide success; the rest is ignored here.
#[derive(Deserialize)]
struct EnvelopeHead {
    #[serde(rename = "statusCode", default)]
    status_code: Option<serde_json::Number>,
    #[serde(default)]
    message: Option<String>,
    #[serde(rename = "apiCode", default)]
    api_code: Option<serde_json::Number>,
    #[serde(rename = "requestId", default)]
    request_id: Option<String>,
}

fn number_to_i64(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

fn header_request_id(response: &Response) -> Option<String> {
    response
        .header("x-request-id")
        .or_else(|| response.header("x-genauth-request-id"))
        .or_else(|| response.header("x-authing-request-id"))
        .map(str::to_owned)
}

/// Non-generic part of decoding: HTTP status and business envelope.
fn check(response: &Response, envelope: Envelope) -> Result<(), Error> {
    if !(200..300).contains(&response.status) {
        return Err(Error::Http {
            status: response.status,
            request_id: header_request_id(response),
            excerpt: excerpt(&response.body),
        });
    }
    if envelope == Envelope::StatusCode {
        let head: EnvelopeHead =
            serde_json::from_slice(&response.body).map_err(|e| not_json_or_decode(response, e))?;
        let status_code = head.status_code.as_ref().and_then(number_to_i64);
        if status_code != Some(200) {
            return Err(Error::Api {
                status_code: status_code.unwrap_or(0),
                api_code: head.api_code.as_ref().and_then(number_to_i64),
                message: head.message.unwrap_or_default(),
                request_id: head.request_id.or_else(|| header_request_id(response)),
            });
        }
    }
    Ok(())
}

fn not_json_or_decode(response: &Response, e: serde_json::Error) -> Error {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => Error::NotJson {
            status: response.status,
            request_id: header_request_id(response),
            reason: e.to_string(),
            excerpt: excerpt(&response.body),
        },
        Category::Data => Error::Decode {
            status: response.status,
            request_id: header_request_id(response),
            reason: e.to_string(),
            excerpt: excerpt(&response.body),
        },
    }
}

/// Decodes a response body as `R` (an empty body reads as `null`), mapping failures to
/// [`Error::NotJson`] or [`Error::Decode`].
pub fn decode<R: DeserializeOwned>(response: &Response) -> Result<R, Error> {
    let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &response.body
    };
    serde_json::from_slice(body).map_err(|e| not_json_or_decode(response, e))
}
