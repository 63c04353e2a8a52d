//! What a call sends and receives, and the trait that carries it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    /// A URL-encoded form (`application/x-www-form-urlencoded`), as key/value pairs.
    Form(Vec<(String, String)>),
    /// A multipart form (`multipart/form-data`).
    Multipart(Multipart),
    /// Raw bytes with their media type (e.g. `application/octet-stream`).
    Bytes {
        /// The media type sent as `content-type`.
        content_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// Text with its media type (e.g. `text/plain`).
    Text {
        /// The media type sent as `content-type`.
        content_type: String,
        /// The text.
        text: String,
    },
}

/// A file to upload in a multipart form.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    /// The file name reported to the server.
    pub file_name: Option<String>,
    /// The file's media type (`application/octet-stream` when unset).
    pub content_type: Option<String>,
    /// The content.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file with a name and content.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: Some(file_name.into()),
            content_type: None,
            bytes: bytes.into(),
        }
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// One part of a multipart form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A text field.
    Text {
        /// The field name.
        name: String,
        /// The value.
        value: String,
    },
    /// A file.
    File {
        /// The field name.
        name: String,
        /// The file.
        file: FilePart,
    },
}

/// The parts of a multipart form, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Multipart {
    /// The parts.
    pub parts: Vec<Part>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds text fields from a value (arrays add one part per element).
    pub fn push<V: crate::QueryValue + ?Sized>(&mut self, name: &str, value: &V) {
        let mut pairs = Vec::new();
        value.append_to(name, &mut pairs);
        self.parts.extend(pairs.into_iter().map(|(name, value)| Part::Text { name, value }));
    }

    /// Adds text fields when the value is present.
    pub fn push_opt<V: crate::QueryValue + ?Sized>(&mut self, name: &str, value: Option<&V>) {
        if let Some(v) = value {
            self.push(name, v);
        }
    }

    /// Adds a field holding the value as JSON text.
    pub fn push_json<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let mut q = Query::new();
        q.push_json(name, value)?;
        self.parts.extend(q.into_pairs().into_iter().map(|(name, value)| Part::Text { name, value }));
        Ok(())
    }

    /// Adds a file.
    pub fn file(&mut self, name: &str, file: &FilePart) {
        self.parts.push(Part::File {
            name: name.to_owned(),
            file: file.clone(),
        });
    }

    /// Adds files (one part each).
    pub fn files(&mut self, name: &str, files: &[FilePart]) {
        for f in files {
            self.file(name, f);
        }
    }
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
    /// Sending it twice has the same effect as sending it once, so the client may retry
    /// it after a failure that could have reached the server (a timeout, a 5xx). `GET`,
    /// `HEAD` and `OPTIONS` requests are idempotent whatever this says; see
    /// [`Request::is_idempotent`].
    pub idempotent: bool,
    /// The operation's name (e.g. `get_user`), for tracing.
    pub operation: Option<&'static str>,
    /// A limit on this request instead of the transport's own (each attempt gets it).
    pub timeout: Option<Duration>,
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
            idempotent: false,
            operation: None,
            timeout: None,
        }
    }

    /// Marks the request as safe to send more than once (see [`Request::idempotent`](Request#structfield.idempotent)).
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Names the operation, for tracing.
    pub fn operation(mut self, name: &'static str) -> Self {
        self.operation = Some(name);
        self
    }

    /// Limits each attempt of this request to `timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Whether the client may send the request again after a failure that could have
    /// reached the server: `GET`, `HEAD` and `OPTIONS` requests, and requests marked
    /// [`idempotent`](Request::idempotent).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent || matches!(self.method, Method::Get | Method::Head | Method::Options)
    }

    /// Sets the query parameters.
    pub fn query(mut self, query: Query) -> Self {
        self.query = query.into_pairs();
        self
    }

    /// Serializes `body` as the JSON body of the request.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let value = crate::to_json(body)?;
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

    /// Sets a URL-encoded form body.
    pub fn form(mut self, fields: Query) -> Self {
        self.body = Some(Body::Form(fields.into_pairs()));
        self
    }

    /// Sets a multipart form body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Some(Body::Multipart(form));
        self
    }

    /// Sets a raw body.
    pub fn bytes(mut self, content_type: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        });
        self
    }

    /// Sets a text body.
    pub fn text(mut self, content_type: &str, text: impl Into<String>) -> Self {
        self.body = Some(Body::Text {
            content_type: content_type.to_owned(),
            text: text.into(),
        });
        self
    }

    /// Sets header pairs declared by the operation.
    pub fn headers(mut self, headers: Query) -> Self {
        self.headers = headers.into_pairs();
        self
    }

    /// The JSON body, if the request has one.
    pub fn json_body(&self) -> Option<&serde_json::Value> {
        match &self.body {
            Some(Body::Json(value)) => Some(value),
            _ => None,
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

pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a [(String, String)]);

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

/// A body as `Debug` shows it: JSON and form values under secret-looking keys hidden, raw
/// bodies by length.
struct RedactedBody<'a>(&'a Body);

impl fmt::Debug for RedactedBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Body::Json(v) => {
                let mut v = v.clone();
                redact_json(&mut v);
                f.debug_tuple("Json").field(&v).finish()
            }
            Body::Form(pairs) => f.debug_tuple("Form").field(&RedactedHeaders(pairs)).finish(),
            Body::Multipart(m) => f.debug_tuple("Multipart").field(&RedactedMultipart(m)).finish(),
            Body::Bytes { content_type, bytes } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &bytes.len())
                .finish(),
            Body::Text { content_type, text } => f
                .debug_struct("Text")
                .field("content_type", content_type)
                .field("len", &text.len())
                .finish(),
        }
    }
}

struct RedactedMultipart<'a>(&'a Multipart);

impl fmt::Debug for RedactedMultipart<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.parts.iter().map(|p| match p {
                Part::Text { name, value } if crate::error::is_secret_key(name) => {
                    format!("{name}={REDACTED}")
                }
                Part::Text { name, value } => format!("{name}={value}"),
                Part::File { name, file } => format!("{name}=<file {:?}, {} bytes>", file.file_name, file.bytes.len()),
            }))
            .finish()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body.as_ref().map(RedactedBody))
            .field("idempotent", &self.idempotent)
            .field("operation", &self.operation)
            .field("timeout", &self.timeout)
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

    /// The server refused the credentials of a request sent at or after `since` (HTTP
    /// 401, or an answer whose [`RetryHint`](crate::RetryHint) is `RefreshToken`).
    ///
    /// A transport holding credentials it can renew (a cached token) drops them, unless
    /// they were renewed after `since` already, and answers `true`: the client then sends
    /// the call once more, and the next [`send`](Transport::send) fetches new credentials.
    /// The default answers `false` (nothing to renew; the call fails). Transports that
    /// wrap another should forward this call.
    fn refresh_credentials(&self, since: Instant) -> BoxFuture<'_, bool> {
        let _ = since;
        Box::pin(std::future::ready(false))
    }
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        (**self).send(request)
    }

    fn refresh_credentials(&self, since: Instant) -> BoxFuture<'_, bool> {
        (**self).refresh_credentials(since)
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        (**self).send(request)
    }

    fn refresh_credentials(&self, since: Instant) -> BoxFuture<'_, bool> {
        (**self).refresh_credentials(since)
    }
}
