//! Client options with GenAuth's defaults, and the builder that turns them into a client.

use std::time::Duration;

use crate::auth::AuthSettings;
use crate::{Authenticated, Credentials, HeaderPrefix, RetryPolicy, Transport};

/// The GenAuth cloud.
pub const DEFAULT_HOST: &str = "https://api.genauth.ai";
/// How long one call may take, from connecting to the last byte of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The language of server messages.
pub const DEFAULT_LANG: &str = "zh-CN";

/// Settings of a client. `Default` gives the official SDKs' defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Base URL: `https://api.genauth.ai`, or a private deployment's (a path prefix is kept).
    pub host: String,
    /// Limit on each call, from connecting to the end of the body (10 s).
    pub timeout: Duration,
    /// Sent as `x-genauth-lang` (`zh-CN`; `en-US`, ...); empty leaves the header out.
    pub lang: String,
    /// Sent as `x-genauth-app-id` when set.
    pub tenant_id: Option<String>,
    /// Verify TLS certificates (on). Rather than turning this off for a private
    /// deployment, add its certificate authority to `root_certificates`.
    pub verify_tls: bool,
    /// Extra trusted root certificates, each a PEM document (one or more
    /// `-----BEGIN CERTIFICATE-----` blocks), trusted next to the built-in roots: for a
    /// private deployment whose certificate a company CA or a self-signed certificate
    /// vouches for. A document without a certificate is a configuration error at build.
    pub root_certificates: Vec<Vec<u8>>,
    /// How failed calls are retried (2 retries, backoff with full jitter).
    pub retry: RetryPolicy,
    /// The `user-agent` header.
    pub user_agent: String,
    /// Brand of the header names: `x-genauth-` (default) or `x-authing-`.
    pub header_prefix: HeaderPrefix,
    /// Sent as `x-genauth-sdk-version`.
    pub sdk_version: String,
    /// Management tokens are renewed this long before they expire (at most half their
    /// lifetime); 60 s.
    pub token_refresh_margin: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        let version = env!("CARGO_PKG_VERSION");
        ClientOptions {
            host: DEFAULT_HOST.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            lang: DEFAULT_LANG.to_owned(),
            tenant_id: None,
            verify_tls: true,
            root_certificates: Vec::new(),
            retry: RetryPolicy::default(),
            user_agent: format!("genauth-rust-sdk/{version}"),
            header_prefix: HeaderPrefix::GenAuth,
            sdk_version: format!("genauth-rust-sdk:{version}"),
            token_refresh_margin: Duration::from_secs(60),
        }
    }
}

/// Builds a client (or just its transport) from credentials and [`ClientOptions`].
///
/// ```no_run
/// # async fn demo() -> Result<(), genauth_runtime::Error> {
/// use std::time::Duration;
/// let client = genauth_runtime::ClientBuilder::access_key("AK_ID", "AK_SECRET")
///     .host("https://genauth.example.com")
///     .timeout(Duration::from_secs(5))
///     .build()?;
/// # Ok(()) }
/// ```
///
/// `Debug` shows the options and the access key id, never the secret.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    options: ClientOptions,
}

impl ClientBuilder {
    /// No credentials (calls go out unauthenticated), default options.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// Calls signed with the access key (AK/SK).
    pub fn access_key(id: impl Into<String>, secret: impl Into<String>) -> Self {
        ClientBuilder::new().credentials(Credentials::access_key(id, secret))
    }

    /// Calls carrying a management token obtained with the access key (bearer).
    pub fn management_token(id: impl Into<String>, secret: impl Into<String>) -> Self {
        ClientBuilder::new().credentials(Credentials::management_token(id, secret))
    }

    /// Replaces the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Replaces all options.
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// The options so far.
    pub fn current_options(&self) -> &ClientOptions {
        &self.options
    }

    /// Base URL of the API.
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.options.host = host.into();
        self
    }

    /// Limit on each call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = timeout;
        self
    }

    /// Language of server messages (`zh-CN`, `en-US`, ...).
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.options.lang = lang.into();
        self
    }

    /// Tenant the calls act in (`x-genauth-app-id`).
    pub fn tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.options.tenant_id = Some(tenant_id.into());
        self
    }

    /// Whether TLS certificates are verified (default `true`).
    pub fn verify_tls(mut self, verify: bool) -> Self {
        self.options.verify_tls = verify;
        self
    }

    /// Trusts the certificates of a PEM document (a private deployment's CA or
    /// self-signed certificate) next to the built-in roots. Repeatable.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.options.root_certificates.push(pem.into());
        self
    }

    /// How failed calls are retried ([`RetryPolicy::none`] turns retrying off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// The `user-agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.options.user_agent = user_agent.into();
        self
    }

    /// `x-genauth-` (GenAuth) or `x-authing-` (Authing deployments) header names.
    pub fn header_prefix(mut self, prefix: HeaderPrefix) -> Self {
        self.options.header_prefix = prefix;
        self
    }

    /// The value of the SDK version header.
    pub fn sdk_version(mut self, sdk_version: impl Into<String>) -> Self {
        self.options.sdk_version = sdk_version.into();
        self
    }

    /// How long before expiry a management token is renewed.
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.options.token_refresh_margin = margin;
        self
    }

    fn settings(&self) -> AuthSettings {
        AuthSettings {
            prefix: self.options.header_prefix,
            lang: self.options.lang.clone(),
            tenant_id: self.options.tenant_id.clone(),
            sdk_version: self.options.sdk_version.clone(),
            token_refresh_margin: self.options.token_refresh_margin,
        }
    }

    /// Authentication and GenAuth's headers over a transport of your own (`host`,
    /// `timeout`, `verify_tls` and `user_agent` are then that transport's business).
    pub fn build_with<T: Transport>(self, transport: T) -> Authenticated<T> {
        let settings = self.settings();
        Authenticated::new(transport, settings, self.credentials)
    }

    /// The HTTP transport with authentication.
    #[cfg(feature = "http")]
    pub fn build_transport(self) -> Result<Authenticated<crate::HttpTransport>, crate::Error> {
        let http = crate::HttpTransport::new(&self.options)?;
        Ok(self.build_with(http))
    }

    /// A client over HTTP that checks GenAuth's response envelope; hand it to a generated
    /// client's `from_client`.
    #[cfg(feature = "http")]
    pub fn build(self) -> Result<crate::Client, crate::Error> {
        let retry = self.options.retry;
        Ok(crate::Client::new(self.build_transport()?)
            .with_envelope(crate::Envelope::StatusCode)
            .with_retry(retry))
    }
}
