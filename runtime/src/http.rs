//! The HTTP transport: `reqwest` over rustls.

use std::fmt;

use reqwest::header::{HeaderValue, CONTENT_TYPE};

use crate::{Body, BoxFuture, ClientOptions, Error, Multipart, Part, Request, Response, Transport};

/// Bodies larger than this are refused rather than buffered.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A [`Transport`] that sends requests over HTTP(S) to one host, with the timeout, TLS
/// and user-agent settings of [`ClientOptions`]. It adds no authentication: wrap it in
/// [`Authenticated`](crate::Authenticated) (what [`ClientBuilder`](crate::ClientBuilder)
/// does).
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    base: String,
    timeout: std::time::Duration,
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("base", &self.base)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A transport for `options.host`.
    pub fn new(options: &ClientOptions) -> Result<Self, Error> {
        let config = |message: String| Error::Config { message };
        let base = options.host.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base).map_err(|e| config(format!("host {base:?} is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(config(format!("host {base:?} must be an http:// or https:// URL")));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(config(format!("host {base:?} must not have a query or fragment")));
        }
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .user_agent(options.user_agent.as_str())
            .danger_accept_invalid_certs(!options.verify_tls);
        for (i, pem) in options.root_certificates.iter().enumerate() {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| config(format!("root certificate {}: not readable as PEM: {}", i + 1, chain(&e))))?;
            if certificates.is_empty() {
                return Err(config(format!(
                    "root certificate {}: no `-----BEGIN CERTIFICATE-----` block found",
                    i + 1
                )));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder
            .build()
            .map_err(|e| config(format!("cannot build the HTTP client: {}", chain(&e))))?;
        Ok(HttpTransport {
            client,
            base,
            timeout: options.timeout,
        })
    }

    /// The host requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    async fn execute(&self, request: Request) -> Result<Response, Error> {
        let config = |message: String| Error::Config { message };
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base, request.path))
            .map_err(|e| config(format!("path {:?} does not make a URL: {e}", request.path)))?;
        if !request.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&request.query);
        }
        let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
            .map_err(|e| config(format!("method {}: {e}", request.method)))?;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ACCEPT, reqwest::header::HeaderValue::from_static("application/json"));
        for (name, value) in &request.headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| config(format!("header name {name:?}: {e}")))?;
            let value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|e| config(format!("value of header {name}: {e}")))?;
            headers.insert(name, value);
        }
        let mut builder = self.client.request(method, url);
        if let Some(timeout) = request.timeout {
            builder = builder.timeout(timeout);
        }
        match &request.body {
            None => {}
            Some(Body::Json(value)) => {
                let bytes = serde_json::to_vec(value).map_err(Error::Serialize)?;
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                builder = builder.body(bytes);
            }
            Some(Body::Form(pairs)) => builder = builder.form(pairs),
            Some(Body::Multipart(form)) => builder = builder.multipart(multipart(form)?),
            Some(Body::Bytes { content_type, bytes }) => {
                headers.insert(CONTENT_TYPE, content_type_value(content_type)?);
                builder = builder.body(bytes.clone());
            }
            Some(Body::Text { content_type, text }) => {
                headers.insert(CONTENT_TYPE, content_type_value(content_type)?);
                builder = builder.body(text.clone());
            }
        }
        let mut response = builder
            .headers(headers)
            .send()
            .await
            .map_err(|e| failure(e, None, None, &[]))?;

        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let partial = Response {
            status,
            headers,
            body: Vec::new(),
        };
        let request_id = crate::client::header_request_id(&partial);
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(Error::Transport {
                            message: format!("response body is larger than {MAX_BODY_BYTES} bytes"),
                            connect: false,
                            status: Some(status),
                            request_id,
                            excerpt: crate::error::excerpt(&body),
                            source: None,
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(failure(e, Some(status), request_id, &body)),
            }
        }
        Ok(Response { body, ..partial })
    }
}

fn content_type_value(content_type: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(content_type).map_err(|e| Error::Config {
        message: format!("content type {content_type:?}: {e}"),
    })
}

fn multipart(form: &Multipart) -> Result<reqwest::multipart::Form, Error> {
    let mut out = reqwest::multipart::Form::new();
    for part in &form.parts {
        out = match part {
            Part::Text { name, value } => out.text(name.clone(), value.clone()),
            Part::File { name, file } => {
                let mut p = reqwest::multipart::Part::bytes(file.bytes.clone());
                if let Some(file_name) = &file.file_name {
                    p = p.file_name(file_name.clone());
                }
                let content_type = file.content_type.as_deref().unwrap_or("application/octet-stream");
                p = p.mime_str(content_type).map_err(|e| Error::Config {
                    message: format!("content type {content_type:?} of file part {name}: {e}"),
                })?;
                out.part(name.clone(), p)
            }
        };
    }
    Ok(out)
}

impl Transport for HttpTransport {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        Box::pin(self.execute(request))
    }
}

/// The error and its causes, `: `-separated (reqwest's own message is terse).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

fn failure(e: reqwest::Error, status: Option<u16>, request_id: Option<String>, partial_body: &[u8]) -> Error {
    let excerpt = crate::error::excerpt(partial_body);
    if e.is_timeout() {
        Error::Timeout {
            status,
            request_id,
            excerpt,
        }
    } else {
        Error::Transport {
            // Connecting failed (refused, DNS, TLS handshake): the request was not sent.
            connect: e.is_connect() && status.is_none(),
            message: chain(&e),
            status,
            request_id,
            excerpt,
            source: Some(Box::new(e)),
        }
    }
}
