//! Authentication as a [`Transport`] layer: AK/SK signing or a cached management token,
//! plus the headers every GenAuth call carries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::client::{check, decode_with_id};
use crate::error::REDACTED;
use crate::{sign, BoxFuture, Envelope, Error, Method, Request, Response, Transport};

/// The path that issues management tokens.
pub const MANAGEMENT_TOKEN_PATH: &str = "/api/v3/get-management-token";

/// Which brand's header names a deployment expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum HeaderPrefix {
    /// `x-genauth-*` headers and `authorization: GenAuth ...` (GenAuth cloud; the default).
    #[default]
    GenAuth,
    /// `x-authing-*` headers and `authorization: authing ...` (Authing deployments).
    Authing,
}

impl HeaderPrefix {
    /// The header name prefix, e.g. `x-genauth-`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderPrefix::GenAuth => "x-genauth-",
            HeaderPrefix::Authing => "x-authing-",
        }
    }

    /// The scheme word of a signed `authorization` header.
    pub fn signature_scheme(self) -> &'static str {
        match self {
            HeaderPrefix::GenAuth => "GenAuth",
            HeaderPrefix::Authing => "authing",
        }
    }

    /// `prefix` + `name`, e.g. `x-genauth-lang`.
    pub fn header(self, name: &str) -> String {
        format!("{}{name}", self.as_str())
    }
}

/// How management calls prove who they are. `Debug` never shows the secret.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// Sign every request with the access key (the current GenAuth scheme).
    AccessKey {
        /// The access key id (the user pool's or an application's).
        id: String,
        /// The access key secret.
        secret: SecretString,
    },
    /// Exchange the access key for a management token at
    /// `POST /api/v3/get-management-token` and send it as `authorization: Bearer` (the
    /// legacy scheme of the Python SDK and older Authing SDKs).
    ManagementToken {
        /// The access key id.
        id: String,
        /// The access key secret.
        secret: SecretString,
    },
}

impl Credentials {
    /// AK/SK signing.
    pub fn access_key(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials::AccessKey {
            id: id.into(),
            secret: SecretString::from(secret.into()),
        }
    }

    /// Bearer management token obtained with the access key.
    pub fn management_token(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials::ManagementToken {
            id: id.into(),
            secret: SecretString::from(secret.into()),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, id) = match self {
            Credentials::AccessKey { id, .. } => ("AccessKey", id),
            Credentials::ManagementToken { id, .. } => ("ManagementToken", id),
        };
        f.debug_struct(kind).field("id", id).field("secret", &REDACTED).finish()
    }
}

/// The headers and auth settings the layer applies (a slice of the client options).
#[derive(Debug, Clone)]
pub(crate) struct AuthSettings {
    pub(crate) prefix: HeaderPrefix,
    pub(crate) lang: String,
    pub(crate) tenant_id: Option<String>,
    pub(crate) sdk_version: String,
    pub(crate) token_refresh_margin: Duration,
}

struct CachedToken {
    token: SecretString,
    user_pool_id: String,
    refresh_at: Instant,
    /// When it entered the cache (after the token request completed).
    installed_at: Instant,
    /// Tells this token from the ones before and after it.
    serial: u64,
}

/// The token cache. Held locked across a token request: concurrent calls wait for the one
/// request in flight instead of each starting their own.
#[derive(Default)]
struct TokenCache {
    token: Option<CachedToken>,
    /// When a refused token was last dropped.
    dropped_at: Option<Instant>,
    /// Tokens fetched so far.
    fetched: u64,
}

impl TokenCache {
    fn drop_token(&mut self) {
        self.token = None;
        self.dropped_at = Some(Instant::now());
    }
}

enum Mode {
    Anonymous,
    AccessKey {
        id: String,
        secret: SecretString,
    },
    Bearer {
        id: String,
        secret: SecretString,
        cache: tokio::sync::Mutex<TokenCache>,
    },
}

/// A [`Transport`] that adds GenAuth's common headers (SDK version, language, tenant) and
/// authenticates every request before handing it to the inner transport.
///
/// Under the management-token scheme the token is fetched once and shared by all calls
/// until shortly before it expires. When the server refuses it anyway (HTTP 401 or an
/// envelope `statusCode` 401: GenAuth documents no `apiCode` of its own for an expired
/// token), this layer drops that token, and [`Client`](crate::Client) sends the call once
/// more (see [`Transport::refresh_credentials`]); however many calls were refused at the
/// same time, one new token is fetched.
///
/// Built by [`ClientBuilder`](crate::ClientBuilder); `Debug` shows the settings but never
/// the secret or a token.
pub struct Authenticated<T> {
    inner: Arc<T>,
    settings: AuthSettings,
    mode: Mode,
}

impl<T> fmt::Debug for Authenticated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Authenticated");
        s.field("settings", &self.settings);
        match &self.mode {
            Mode::Anonymous => s.field("auth", &"none"),
            Mode::AccessKey { id, .. } => s.field("auth", &"access key").field("access_key_id", id),
            Mode::Bearer { id, cache, .. } => {
                let token = match cache.try_lock() {
                    Ok(guard) if guard.token.is_some() => "cached",
                    Ok(_) => "none yet",
                    Err(_) => "being refreshed",
                };
                s.field("auth", &"management token")
                    .field("access_key_id", id)
                    .field("token", &token)
            }
        };
        s.field("secret", &REDACTED).finish_non_exhaustive()
    }
}

impl<T: Transport> Authenticated<T> {
    pub(crate) fn new(inner: T, settings: AuthSettings, credentials: Option<Credentials>) -> Self {
        let mode = match credentials {
            None => Mode::Anonymous,
            Some(Credentials::AccessKey { id, secret }) => Mode::AccessKey { id, secret },
            Some(Credentials::ManagementToken { id, secret }) => Mode::Bearer {
                id,
                secret,
                cache: tokio::sync::Mutex::new(TokenCache::default()),
            },
        };
        Authenticated {
            inner: Arc::new(inner),
            settings,
            mode,
        }
    }

    /// The transport underneath.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    fn common_headers(&self, request: &mut Request) {
        let p = self.settings.prefix;
        request.set_header(&p.header("sdk-version"), self.settings.sdk_version.clone());
        if !self.settings.lang.is_empty() {
            request.set_header(&p.header("lang"), self.settings.lang.clone());
        }
        if let Some(tenant) = &self.settings.tenant_id {
            request.set_header(&p.header("app-id"), tenant.clone());
        }
    }

    /// The request with GenAuth's headers and credentials; for a bearer request also the
    /// serial of the token it carries.
    async fn authenticate(&self, mut request: Request) -> Result<(Request, Option<u64>), Error> {
        self.common_headers(&mut request);
        let mut serial = None;
        match &self.mode {
            Mode::Anonymous => {}
            Mode::AccessKey { id, secret } => {
                let nonce = nonce()?;
                let date = httpdate::fmt_http_date(SystemTime::now());
                sign::apply(&mut request, self.settings.prefix, id, secret.expose_secret(), &nonce, &date);
            }
            Mode::Bearer { id, secret, cache } => {
                let mut guard = cache.lock().await;
                let fresh = matches!(guard.token.as_ref(), Some(c) if Instant::now() < c.refresh_at);
                if !fresh {
                    let mut token = self.fetch_token(id, secret).await?;
                    guard.fetched += 1;
                    token.serial = guard.fetched;
                    guard.token = Some(token);
                }
                if let Some(cached) = guard.token.as_ref() {
                    request.set_header("authorization", format!("Bearer {}", cached.token.expose_secret()));
                    request.set_header(&self.settings.prefix.header("userpool-id"), cached.user_pool_id.clone());
                    serial = Some(cached.serial);
                }
            }
        }
        Ok((request, serial))
    }

    async fn fetch_token(&self, id: &str, secret: &SecretString) -> Result<CachedToken, Error> {
        let body = serde_json::json!({ "accessKeyId": id, "accessKeySecret": secret.expose_secret() });
        let mut request = Request::new(Method::Post, MANAGEMENT_TOKEN_PATH).json(&body)?;
        self.common_headers(&mut request);
        let started = Instant::now();
        let response = self.inner.send(request).await?;
        let meta = check(&response, Envelope::StatusCode)?;
        let envelope: TokenEnvelope = decode_with_id(&response, meta.request_id)?;
        let user_pool_id = user_pool_id_claim(&envelope.data.access_token)?;
        let lifetime = Duration::from_secs(envelope.data.expires_in.unwrap_or(7200));
        let margin = self.settings.token_refresh_margin.min(lifetime / 2);
        Ok(CachedToken {
            token: SecretString::from(envelope.data.access_token),
            user_pool_id,
            refresh_at: started + (lifetime - margin),
            installed_at: Instant::now(),
            serial: 0,
        })
    }

    /// Drops token `serial` if it is still the cached one: the server refused it.
    async fn drop_refused(&self, serial: u64) {
        if let Mode::Bearer { cache, .. } = &self.mode {
            let mut guard = cache.lock().await;
            if guard.token.as_ref().is_some_and(|t| t.serial == serial) {
                guard.drop_token();
            }
        }
    }

    /// Whether a call whose attempt began at `since` and whose credentials were refused
    /// can be sent again with another token.
    ///
    /// A refusal this layer saw (HTTP 401, envelope `statusCode` 401) has dropped the
    /// token already, exactly the one the attempt carried ([`Transport::send`] knows
    /// which). With no token cached, a retry helps when it was dropped after `since` (the
    /// next request fetches a new one; the lock makes that one fetch for all waiting
    /// calls); otherwise the failure came from the token request itself. A token
    /// installed after `since` is a new one already. A token installed before `since`
    /// is the one the attempt carried, refused in a way only the client's code set
    /// recognised: dropped here.
    async fn token_refused(&self, cache: &tokio::sync::Mutex<TokenCache>, since: Instant) -> bool {
        let mut guard = cache.lock().await;
        match guard.token.as_ref() {
            Some(cached) if cached.installed_at > since => true,
            Some(_) => {
                guard.drop_token();
                true
            }
            None => guard.dropped_at.is_some_and(|at| at >= since),
        }
    }
}

impl<T: Transport> Transport for Authenticated<T> {
    fn send(&self, request: Request) -> BoxFuture<'_, Result<Response, Error>> {
        Box::pin(async move {
            let (request, serial) = self.authenticate(request).await?;
            let response = self.inner.send(request).await?;
            if let Some(serial) = serial {
                if token_refused(&response) {
                    self.drop_refused(serial).await;
                }
            }
            Ok(response)
        })
    }

    /// Under the management-token scheme, whether a refused call can go again with a new
    /// token (see the type's docs); AK/SK signatures and anonymous calls have nothing to
    /// renew.
    fn refresh_credentials(&self, since: Instant) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            match &self.mode {
                Mode::Bearer { cache, .. } => self.token_refused(cache, since).await,
                Mode::Anonymous | Mode::AccessKey { .. } => self.inner.refresh_credentials(since).await,
            }
        })
    }
}

/// HTTP 401, or an envelope whose `statusCode` is 401: the server refused the token.
fn token_refused(response: &Response) -> bool {
    matches!(
        check(response, Envelope::StatusCode),
        Err(Error::Api { status_code: 401, .. } | Error::Http { status: 401, .. })
    )
}

#[derive(Deserialize)]
struct TokenEnvelope {
    data: TokenData,
}

#[derive(Deserialize)]
struct TokenData {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// The `scoped_userpool_id` claim of a JWT (read, not verified: the server verifies it).
pub(crate) fn user_pool_id_claim(token: &str) -> Result<String, Error> {
    let auth_err = |what: &str| Error::Auth {
        message: format!("the management token {what}"),
    };
    let payload = token.split('.').nth(1).ok_or_else(|| auth_err("is not a JWT"))?;
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = engine
        .decode(payload)
        .map_err(|_| auth_err("has a payload that is not base64url"))?;
    let claims: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|_| auth_err("has a payload that is not JSON"))?;
    claims
        .get("scoped_userpool_id")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .ok_or_else(|| auth_err("has no `scoped_userpool_id` claim"))
}

/// 32 random hex digits.
fn nonce() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Auth {
        message: format!("no randomness for the signature nonce: {e}"),
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_pool_id_comes_from_the_token_payload() {
        // {"alg":"HS256","typ":"JWT"} . {"scoped_userpool_id":"62e22721c889dd44bad1dda2","exp":1}
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"scoped_userpool_id":"62e22721c889dd44bad1dda2","exp":1}"#);
        let token = format!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{payload}.sig");
        assert_eq!(user_pool_id_claim(&token).unwrap(), "62e22721c889dd44bad1dda2");
        assert!(matches!(user_pool_id_claim("opaque"), Err(Error::Auth { .. })));
        let no_claim = format!("h.{}.s", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b"{}"));
        let err = user_pool_id_claim(&no_claim).unwrap_err().to_string();
        assert!(err.contains("scoped_userpool_id"), "{err}");
    }

    #[test]
    fn nonces_are_fresh_hex() {
        let a = nonce().unwrap();
        let b = nonce().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let c = Credentials::access_key("ak-id", "very-secret-value");
        let d = format!("{c:?}");
        assert!(d.contains("ak-id") && !d.contains("very-secret-value"), "{d}");
    }
}
