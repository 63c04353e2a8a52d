//! An in-process transport for tests and examples.

use std::fmt;
use std::sync::Mutex;

use crate::{BoxFuture, Error, Request, Response, Transport};

type Handler = Box<dyn Fn(&Request) -> Response + Send + Sync>;

/// A [`Transport`] that answers every request with a function and records what it got.
///
/// ```
/// use genauth_runtime::{Client, MemoryTransport, Method, Request, Response};
/// use std::sync::Arc;
///
/// let transport = Arc::new(MemoryTransport::new(|_req| {
///     Response::json(&serde_json::json!({"ok": true}))
/// }));
/// let client = Client::new(transport.clone());
/// let value: serde_json::Value = futures_lite_block_on(client.send(Request::new(Method::Get, "/ping")));
/// assert_eq!(transport.requests()[0].path, "/ping");
/// # fn futures_lite_block_on<T>(f: impl std::future::Future<Output = Result<T, genauth_runtime::Error>>) -> T {
/// #     let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// #     rt.block_on(f).unwrap()
/// # }
/// ```
pub struct MemoryTransport {
    handler: Handler,
    requests: Mutex<Vec<Request>>,
}

impl MemoryTransport {
    /// A transport that answers with `handler`.
    pub fn new(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Self {
        MemoryTransport {
            handler: Box::new(handler),
            requests: Mutex::new(Vec::new()),
        }
    }

    /// A transport that answers every request with the same JSON body.
    pub fn json(value: serde_json::Value) -> Self {
        let response = Response::json(&value);
        MemoryTransport::new(move |_| response.clone())
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        match self.requests.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

impl fmt::Debug for MemoryTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryTransport")
            .field("requests", &self.requests().len())
            .finish_non_exhaustive()
    }
}

impl Transport for MemoryTransport {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        let response = (self.handler)(&request);
        match self.requests.lock() {
            Ok(mut guard) => guard.push(request),
            Err(poisoned) => poisoned.into_inner().push(request),
        }
        Box::pin(std::future::ready(Ok(response)))
    }
}
