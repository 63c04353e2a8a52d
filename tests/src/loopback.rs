//! A stand-in GenAuth server on 127.0.0.1 for HTTP tests, and a signature check written
//! from the documented algorithm (independently of `genauth_runtime::sign`).
//!
//! The server runs on its own thread with its own runtime, so tests may block (run a
//! Python process, say) while it answers. It records every request and answers each with
//! what the test's handler returns; it stops when dropped.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use bytes::Bytes;
use hmac::{KeyInit, Mac};
use hyper::body::{Body, Frame, Incoming};
use serde_json::Value;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header with this name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`None` when empty or not JSON).
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Wait this long before sending anything.
    pub delay: Duration,
    /// Send the head and this many body bytes, then stall this long before the rest.
    pub stall: Option<(usize, Duration)>,
    /// Announce this `content-length` (more than the body has: the connection closes
    /// before the body is complete).
    pub announce_length: Option<u64>,
}

impl Reply {
    /// A reply with this status and body.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
            stall: None,
            announce_length: None,
        }
    }

    /// HTTP 200 with this JSON document.
    pub fn json(value: &Value) -> Self {
        Reply::new(200, value.to_string()).header("content-type", "application/json")
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running loopback server.
pub struct Server {
    addr: SocketAddr,
    scheme: &'static str,
    log: Arc<Mutex<Vec<Recorded>>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a server on 127.0.0.1 (a free port) that answers with `handler`.
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
        Server::spawn(None, Arc::new(handler))
    }

    /// Starts a server that checks every request's signature as GenAuth would, with
    /// [`TEST_AK`]/[`TEST_SK`] and the `x-genauth-` headers (refusing a bad one with
    /// `statusCode` 401 and `apiCode` 1300), then answers the `n`-th well-signed request
    /// (1-based) with `script(n, request)`.
    pub fn signed(script: impl Fn(u32, &Recorded) -> Reply + Send + Sync + 'static) -> Server {
        let seen = std::sync::atomic::AtomicU32::new(0);
        Server::start(move |req: &Recorded| {
            if let Err(reason) = verify_signature(req, TEST_AK, TEST_SK, "x-genauth-", "GenAuth") {
                return Reply::json(&serde_json::json!({"statusCode": 401, "apiCode": 1300, "message": reason}));
            }
            script(seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1, req)
        })
    }

    /// Starts an HTTPS server on 127.0.0.1 with this certificate (DER) and its PKCS#8
    /// private key (DER); [`Server::url`] then starts with `https://`.
    pub fn start_tls(
        certificate_der: Vec<u8>,
        private_key_der: Vec<u8>,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> Server {
        use tokio_rustls::rustls;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls::pki_types::CertificateDer::from(certificate_der)],
                rustls::pki_types::PrivateKeyDer::Pkcs8(private_key_der.into()),
            )
            .expect("server certificate and key");
        let mut config = config;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Server::spawn(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))), Arc::new(handler))
    }

    fn spawn(tls: Option<tokio_rustls::TlsAcceptor>, handler: Arc<Handler>) -> Server {
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("nonblocking listener");
        let addr = listener.local_addr().expect("local address");
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let thread_log = log.clone();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let handler = handler.clone();
                            let log = thread_log.clone();
                            let tls = tls.clone();
                            tokio::spawn(async move {
                                let service = hyper::service::service_fn(move |req| {
                                    serve(req, handler.clone(), log.clone())
                                });
                                let http = hyper::server::conn::http1::Builder::new();
                                match tls {
                                    // A client that does not trust the certificate hangs up
                                    // during the handshake: nothing to serve.
                                    Some(acceptor) => {
                                        if let Ok(stream) = acceptor.accept(stream).await {
                                            let _ = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
                                        }
                                    }
                                    None => {
                                        let _ = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
                                    }
                                }
                            });
                        }
                    }
                }
            });
        });
        Server {
            addr,
            scheme,
            log,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>` (`https://` for a TLS server).
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// Requests to `path` so far.
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests().into_iter().filter(|r| r.path == path).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    req: hyper::Request<Incoming>,
    handler: Arc<Handler>,
    log: Arc<Mutex<Vec<Recorded>>>,
) -> Result<hyper::Response<ReplyBody>, Infallible> {
    use http_body_util::BodyExt;
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
    let query = parts
        .uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query,
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
        body,
    };
    if let Ok(mut l) = log.lock() {
        l.push(recorded.clone());
    }
    let reply = handler(&recorded);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut builder = hyper::Response::builder().status(reply.status);
    for (k, v) in &reply.headers {
        builder = builder.header(k, v);
    }
    if let Some(len) = reply.announce_length {
        builder = builder.header("content-length", len);
    }
    let body = match reply.stall {
        Some((first, wait)) => {
            let first = first.min(reply.body.len());
            ReplyBody::stalled(reply.body[..first].to_vec(), wait, reply.body[first..].to_vec())
        }
        None => ReplyBody::stalled(reply.body, Duration::ZERO, Vec::new()),
    };
    Ok(builder.body(body).unwrap_or_else(|_| hyper::Response::new(ReplyBody::stalled(Vec::new(), Duration::ZERO, Vec::new()))))
}

/// A body sent in two parts with a pause between them.
pub struct ReplyBody {
    first: Option<Bytes>,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    rest: Option<Bytes>,
}

impl ReplyBody {
    fn stalled(first: Vec<u8>, wait: Duration, rest: Vec<u8>) -> Self {
        ReplyBody {
            first: Some(Bytes::from(first)),
            pause: (!wait.is_zero()).then(|| Box::pin(tokio::time::sleep(wait))),
            rest: (!rest.is_empty()).then(|| Bytes::from(rest)),
        }
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(first) = self.first.take() {
            if !first.is_empty() {
                return Poll::Ready(Some(Ok(Frame::data(first))));
            }
        }
        if let Some(pause) = self.pause.as_mut() {
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        Poll::Ready(self.rest.take().map(|rest| Ok(Frame::data(rest))))
    }
}

use std::future::Future as _;

/// The access key id the signing tests use (a made-up one).
pub const TEST_AK: &str = "62e22721c889dd44bad1dda2";
/// The access key secret the signing tests use (a made-up one).
pub const TEST_SK: &str = "4d1b9f3a0c2e4e8f9a7b6c5d4e3f2a1b";

/// Checks an AK/SK-signed request as the server would, written from the documented
/// algorithm: required headers present and well formed, `date` within five minutes,
/// and `authorization` equal to `<scheme> <key_id>:base64(HMAC-SHA1(secret, string to sign))`
/// where the string to sign is rebuilt from what arrived on the wire (the decoded query,
/// the raw JSON body). Returns the string to sign on success.
pub fn verify_signature(req: &Recorded, key_id: &str, secret: &str, prefix: &str, scheme: &str) -> Result<String, String> {
    let need = |name: &str| req.header(name).ok_or_else(|| format!("missing header {name}"));
    let nonce = need(&format!("{prefix}signature-nonce"))?;
    if nonce.len() < 16 || !nonce.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("nonce {nonce:?} is not a random hex string"));
    }
    if need(&format!("{prefix}signature-method"))? != "HMAC-SHA1" {
        return Err("signature method is not HMAC-SHA1".into());
    }
    if need(&format!("{prefix}signature-version"))? != "1.0" {
        return Err("signature version is not 1.0".into());
    }
    need(&format!("{prefix}sdk-version"))?;
    need(&format!("{prefix}lang"))?;
    let date = httpdate::parse_http_date(need("date")?).map_err(|e| format!("date: {e}"))?;
    let skew = match SystemTime::now().duration_since(date) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    if skew > Duration::from_secs(300) {
        return Err(format!("date is {skew:?} away from now"));
    }

    // Signed headers: `date` and the brand's headers, sorted, `name:value\n`.
    let mut signed: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| k == "date" || k.starts_with(prefix))
        .map(|(k, v)| (k.clone(), v.replace(['\t', '\n', '\r'], " ").trim().to_owned()))
        .collect();
    signed.sort();
    // Canonical resource from what the server parsed.
    let group = |pairs: &[(String, String)]| -> Result<Vec<(String, String)>, String> {
        let mut keys: Vec<&String> = pairs.iter().map(|(k, _)| k).collect();
        keys.sort();
        keys.dedup();
        let mut out = Vec::new();
        for k in keys {
            let values: Vec<&String> = pairs.iter().filter(|(kk, _)| kk == k).map(|(_, v)| v).collect();
            let text = if values.len() == 1 {
                values[0].clone()
            } else {
                serde_json::to_string(&values).map_err(|e| e.to_string())?
            };
            out.push((k.clone(), text));
        }
        Ok(out)
    };
    let content_type = req.header("content-type").unwrap_or("");
    let mut params: Vec<(String, String)> = Vec::new();
    if req.method == "GET" {
        params = group(&req.query)?;
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let fields: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
        params = group(&fields)?;
    } else if content_type.starts_with("application/json") && !req.body.is_empty() {
        let body: Value = serde_json::from_slice(&req.body).map_err(|e| format!("body is not JSON: {e}"))?;
        if let Value::Object(map) = body {
            for (k, v) in map {
                let text = match v {
                    Value::String(s) => s,
                    other => serde_json::to_string(&other).map_err(|e| e.to_string())?,
                };
                params.push((k, text));
            }
        }
        params.sort();
    }
    let mut sts = format!("{}\n", req.method);
    for (k, v) in &signed {
        sts.push_str(&format!("{k}:{v}\n"));
    }
    sts.push_str(&req.path);
    if !params.is_empty() {
        let joined: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        sts.push('?');
        sts.push_str(&joined.join("&"));
    }
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(sts.as_bytes());
    let expected = format!(
        "{scheme} {key_id}:{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    match req.header("authorization") {
        Some(got) if got == expected => Ok(sts),
        Some(got) => Err(format!("bad signature: got {got:?}, expected {expected:?} over {sts:?}")),
        None => Err("missing authorization".into()),
    }
}

/// A GenAuth envelope as JSON.
pub fn envelope(status_code: i64, message: &str, request_id: &str, data: Value) -> Value {
    serde_json::json!({"statusCode": status_code, "message": message, "requestId": request_id, "data": data})
}

/// An unsigned JWT-shaped token whose payload carries `scoped_userpool_id`.
pub fn management_token(user_pool_id: &str, serial: u32) -> String {
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.sig{serial}",
        b64(&serde_json::json!({"alg": "HS256", "typ": "JWT"})),
        b64(&serde_json::json!({"scoped_userpool_id": user_pool_id, "serial": serial}))
    )
}
