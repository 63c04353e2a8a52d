//! What a call sends and receives, and the trait that carries it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

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
#[derive(Debug, Clone, PartialEq)]
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

    /// The JSON body, if the request has one.
    pub fn json_body(&self) -> Option<&serde_json::Value> {
        match &self.body {
            Some(Body::Json(value)) => Some(value),
            None => None,
        }
    }
}

/// What came back from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
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
