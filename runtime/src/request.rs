//! What a call sends and receives, and the trait that carries it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::{redact_json, REDACTED};
use crate::{Error, Query};

/// A boxed, sendable future, the return type of [`Transport::send`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method as written on the wire, in upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a request.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Body {
    /// A JSON document (`application/json`).
    Json(serde_json::Value),
}

/// One API call, described independently of any HTTP library.
///
/// Its `Debug` output hides credentials: the values of `authorization`-like headers and of
/// JSON body keys that name a secret, a password or a token.
#[derive(Clone, PartialEq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The path below the host, starting with `/`, path parameters already filled in.
    pub path: String,
    /// Query parameters in the order the operation lists them.
    pub query: Vec<(String, String)>,
    /// Extra headers the operation declares (authentication headers are the transport's job).
    pub headers: Vec<(String, String)>,
    /// The request body, if the operation has one.
    pub body: Option<Body>,
}

impl Request {
    /// A request with no query, headers or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Sets the query parameters.
    pub fn query(mut self, query: Query) -> Self {
        self.query = query.into_pairs();
        self
    }

    /// Serializes `body` as the JSON body of the request.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let value = serde_json::to_value(body).map_err(Error::Serialize)?;
        self.body = Some(Body::Json(value));
        Ok(self)
    }

    /// Sets header `name` (stored in lower case), replacing an earlier value.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let name = name.to_ascii_lowercase();
        let value = value.into();
        match self.headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&name)) {
            Some(slot) => *slot = (name, value),
            None => self.headers.push((name, value)),
        }
    }

    /// The first header with this name (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body, if the request has one.
    pub fn json_body(&self) -> Option<&serde_json::Value> {
        match &self.body {
            Some(Body::Json(value)) => Some(value),
            None => None,
        }
    }
}

/// What came back from the server.
///
/// Its `Debug` output shows the body as text, with values of secret-looking JSON keys (a
/// token endpoint's `access_token`, say) hidden.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Response {
    /// A `200 OK` response with a JSON body.
    pub fn json(value: &serde_json::Value) -> Self {
        Response {
            status: 200,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: value.to_string().into_bytes(),
        }
    }

    /// The first header with this name (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Header names whose values are credentials.
pub(crate) fn is_secret_header(name: &str) -> bool {
    ["authorization", "proxy-authorization", "cookie", "set-cookie"]
        .iter()
        .any(|h| name.eq_ignore_ascii_case(h))
        || crate::error::is_secret_key(name)
}

struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, v)| {
                let v = if is_secret_header(k) { REDACTED } else { v.as_str() };
                (k.as_str(), v)
            }))
            .finish()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.json_body().map(|v| {
            let mut v = v.clone();
            redact_json(&mut v);
            v
        });
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &body)
            .finish()
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match serde_json::from_slice::<serde_json::Value>(&self.body) {
            Ok(mut v) => {
                redact_json(&mut v);
                v.to_string()
            }
            Err(_) => String::from_utf8_lossy(&self.body).into_owned(),
        };
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &body)
            .finish()
    }
}

/// Moves a [`Request`] to a server and brings back its [`Response`].
///
/// Implement it to plug in your own HTTP stack, a proxy, a recorder or a fake; it is
/// object safe, so a [`Client`](crate::Client) holds any transport behind one pointer.
pub trait Transport: Send + Sync + 'static {
    /// Sends one request.
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>>;
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        (**self).send(request)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        (**self).send(request)
    }
}
