//! Requests to one org: authentication, a timeout on every request, retries with backoff
//! (429 until `X-Rate-Limit-Reset` measured from `Date`, 5xx, timeouts, resets) carrying
//! `X-Okta-Retry-For`/`X-Okta-Retry-Count`, pacing, and pagination that follows `next` links
//! only to the origin it called.

use super::credentials::Credentials;
use super::error::OktaError;
use super::pacer::{Pacer, bucket};
use super::retry::{Decision, Fault, Outcome, Resolver, RetryPolicy};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use url::Url;

/// How requests are made.
#[derive(Clone)]
pub struct ClientOptions {
    pub timeout: Duration,
    /// Which faults are retried, and how long to wait.
    pub retry: RetryPolicy,
    /// Told of every request sent (for `-v`).
    pub observer: Option<Observer>,
    /// Told of what a person should know about the answers (a rate-limit reset not
    /// believed), as one line of text.
    pub warn: Option<Warner>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Default for ClientOptions {
    /// 30 s per request and 4 retries.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            observer: None,
            warn: None,
        }
    }
}

impl ClientOptions {
    /// The defaults, with `OKTAFORM_HTTP_TIMEOUT` (a duration such as `5s`) and
    /// `OKTAFORM_HTTP_RETRIES` of `environment` when set.
    pub fn from_environment(environment: &crate::environment::Environment) -> Self {
        let mut options = Self::default();
        if let Some(seconds) = environment
            .get("OKTAFORM_HTTP_TIMEOUT")
            .and_then(crate::time_spec::parse_duration)
            .filter(|s| *s > 0)
        {
            options.timeout = Duration::from_secs(seconds.unsigned_abs());
        }
        if let Some(retries) = environment.get("OKTAFORM_HTTP_RETRIES").and_then(|r| r.parse().ok()) {
            options.retry.max_retries = retries;
        }
        options
    }
}

/// Told of every request sent.
pub type Observer = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// Told of a warning, as one line of text.
pub type Warner = Arc<dyn Fn(&str) + Send + Sync>;

/// One request as sent and answered, for verbose output. Holds no credential.
#[derive(Clone, Debug)]
pub struct RequestLog {
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub request_id: Option<String>,
    pub attempt: u32,
}

/// A successful answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self, method: &str, path: &str) -> Result<T, OktaError> {
        serde_json::from_slice(&self.body).map_err(|e| OktaError::Decode {
            method: method.to_owned(),
            path: path.to_owned(),
            message: e.to_string(),
        })
    }
}

/// A client of one org's Management API.
#[derive(Clone)]
pub struct OktaClient {
    http: reqwest::Client,
    base: Url,
    domain: String,
    credentials: Credentials,
    pacer: Arc<Pacer>,
    options: ClientOptions,
    warned_far_reset: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for OktaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaClient")
            .field("base", &self.base.as_str())
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

/// Whether a client will reach an org over TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Certificates are verified against the system's roots and `SSL_CERT_FILE`.
    Verified,
    /// Every endpoint is plain HTTP (the simulated org, a loopback endpoint): no root is
    /// loaded, which takes milliseconds, so an https request would fail its handshake.
    Unused,
}

impl Tls {
    /// What the endpoints `bases` need.
    pub fn for_endpoints<'a>(mut bases: impl Iterator<Item = &'a Url>) -> Self {
        if bases.all(|base| base.scheme() == "http") {
            Tls::Unused
        } else {
            Tls::Verified
        }
    }
}

/// The HTTP client shared by every org: rustls with the system's roots and `SSL_CERT_FILE`
/// as an extra root (no root at all under [`Tls::Unused`]), `HTTPS_PROXY` for https
/// requests, `User-Agent: oktaform/<version>`.
pub fn http_client(environment: &crate::environment::Environment, tls: Tls) -> Result<reqwest::Client, String> {
    super::install_crypto();
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("oktaform/", env!("CARGO_PKG_VERSION")))
        .no_proxy()
        .dns_resolver(Arc::new(Resolver))
        .redirect(reqwest::redirect::Policy::none());
    if let Some(proxy) = environment
        .get("HTTPS_PROXY")
        .or_else(|| environment.get("https_proxy"))
    {
        let proxy = reqwest::Proxy::https(proxy).map_err(|e| format!("HTTPS_PROXY is not a proxy URL: {e}"))?;
        builder = builder.proxy(proxy);
    }
    if tls == Tls::Unused {
        builder = builder.tls_certs_only([]);
    } else if let Some(path) = environment.get("SSL_CERT_FILE") {
        let pem = std::fs::read(path).map_err(|e| format!("cannot read SSL_CERT_FILE `{path}`: {e}"))?;
        for certificate in
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| format!("SSL_CERT_FILE `{path}`: {e}"))?
        {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

impl OktaClient {
    /// A client of the org `domain`, reached at `base`.
    pub fn new(
        http: reqwest::Client,
        base: Url,
        domain: &str,
        credentials: Credentials,
        options: ClientOptions,
    ) -> Self {
        Self {
            http,
            base,
            domain: domain.to_owned(),
            credentials,
            pacer: Arc::new(Pacer::default()),
            options,
            warned_far_reset: Arc::default(),
        }
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// Whether the client acts as an OAuth service app rather than as an admin user.
    pub fn is_service_app(&self) -> bool {
        matches!(self.credentials, Credentials::ServiceApp(_))
    }

    /// The client id of the service app the client acts as, if it is one.
    pub fn service_app_client_id(&self) -> Option<&str> {
        match &self.credentials {
            Credentials::ServiceApp(app) => Some(&app.client_id),
            Credentials::ApiToken(_) => None,
        }
    }

    fn url(&self, path_and_query: &str) -> Result<Url, OktaError> {
        self.base.join(path_and_query).map_err(|e| OktaError::Decode {
            method: String::new(),
            path: path_and_query.to_owned(),
            message: e.to_string(),
        })
    }

    /// GET and decode.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, OktaError> {
        self.send(Method::GET, self.url(path)?, None).await?.json("GET", path)
    }

    /// GET and decode; `None` on 404.
    pub async fn get_optional<T: DeserializeOwned>(&self, path: &str) -> Result<Option<T>, OktaError> {
        match self.get(path).await {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// GET every page of a list, following `next` links.
    pub async fn get_all<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, OktaError> {
        let mut items = Vec::new();
        let mut url = self.url(path)?;
        let mut paging = Paging::new(LIST_PAGE_LIMIT);
        loop {
            paging.visit(&url)?;
            let reply = self.send(Method::GET, url.clone(), None).await?;
            items.extend(reply.json::<Vec<T>>("GET", url.path())?);
            match next_link(&reply.headers) {
                Some(next) => url = self.same_origin(&next)?,
                None => return Ok(items),
            }
        }
    }

    /// The URL of `path_and_query` on this org's endpoint.
    pub fn endpoint(&self, path_and_query: &str) -> Result<Url, OktaError> {
        self.url(path_and_query)
    }

    /// One page of a list at `url`, undecoded, and the URL of the next page (made safe like
    /// every followed link).
    pub async fn page(&self, url: Url) -> Result<(Reply, Option<Url>), OktaError> {
        let reply = self.send(Method::GET, url, None).await?;
        let next = next_link(&reply.headers)
            .map(|next| self.same_origin(&next))
            .transpose()?;
        Ok((reply, next))
    }

    /// `next` made safe: the origin called, or `https://<domain>` rewritten to it.
    fn same_origin(&self, link: &str) -> Result<Url, OktaError> {
        let foreign = || OktaError::ForeignLink {
            url: crate::text::from_server(link, &self.secrets()),
        };
        let mut url = Url::parse(link).map_err(|_| foreign())?;
        if url.origin() == self.base.origin() {
            return Ok(url);
        }
        let org = Url::parse(&format!("https://{}", self.domain)).map_err(|_| foreign())?;
        if url.origin() != org.origin() {
            return Err(foreign());
        }
        url.set_scheme(self.base.scheme()).map_err(|()| foreign())?;
        url.set_host(self.base.host_str()).map_err(|_| foreign())?;
        url.set_port(self.base.port()).map_err(|()| foreign())?;
        Ok(url)
    }

    /// POST a JSON body. Retried only on 429 (not processed); any other failure may have
    /// been processed, and the caller reads back.
    pub async fn post(&self, path: &str, body: &impl serde::Serialize) -> Result<Reply, OktaError> {
        let body = serde_json::to_value(body).map_err(|e| OktaError::Decode {
            method: "POST".to_owned(),
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        self.send(Method::POST, self.url(path)?, Some(&body)).await
    }

    /// DELETE; idempotent, so retried like a GET.
    pub async fn delete(&self, path: &str) -> Result<Reply, OktaError> {
        self.send(Method::DELETE, self.url(path)?, None).await
    }

    /// Sends with pacing, under the retry policy.
    async fn send(&self, method: Method, url: Url, body: Option<&serde_json::Value>) -> Result<Reply, OktaError> {
        let idempotent = method != Method::POST;
        let path = url.path().to_owned();
        let key = bucket(&url.origin().ascii_serialization(), &path);
        let mut attempt = 0;
        let mut retry_for: Option<String> = None;
        let mut refreshed = false;
        let mut nonce_answered = false;
        loop {
            let wait = self.pacer.before_send(&key, SystemTime::now());
            if !wait.is_zero() {
                tokio::time::sleep(wait.min(self.options.retry.max_backoff)).await;
            }
            let request = self.request(&method, &url, body, retry_for.as_deref(), attempt).await?;
            let flight = self.pacer.sending(&key);
            let answer = match request.send().await {
                Ok(response) => self.answer(&method, &path, response).await?,
                Err(error) => Err(error),
            };
            let (status, headers, body) = match answer {
                Ok(answer) => answer,
                Err(error) => {
                    self.observe(&method, &url, None, None, attempt);
                    let fault = Fault::of(&error);
                    if let Decision::Retry { wait, .. } =
                        self.options
                            .retry
                            .decide(attempt, idempotent, &Outcome::NoAnswer(fault))
                    {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(no_answer(&method, &url, fault, attempt + 1, &error));
                }
            };
            let request_id =
                header(&headers, "x-okta-request-id").map(|id| crate::text::from_server(&id, &self.secrets()));
            self.observe(&method, &url, Some(status.as_u16()), request_id.clone(), attempt);
            let now = SystemTime::now();
            let server_now = header(&headers, "date").and_then(|d| parse_http_date(&d));
            flight.answered(
                lowest(&headers, "x-rate-limit-limit").and_then(|v| v.try_into().ok()),
                lowest(&headers, "x-rate-limit-remaining").and_then(|v| v.try_into().ok()),
                lowest(&headers, "x-rate-limit-reset"),
                server_now,
                now,
            );
            if status.is_success() {
                return Ok(Reply {
                    status: status.as_u16(),
                    headers,
                    body,
                });
            }
            // A DPoP nonce challenge of a resource endpoint: answered once with its nonce.
            if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::BAD_REQUEST)
                && !nonce_answered
                && let Credentials::ServiceApp(app) = &self.credentials
                && app.accept_resource_nonce(&headers, &body)
            {
                nonce_answered = true;
                continue;
            }
            // A service app's token may expire or be revoked mid-run: one new token.
            if status == StatusCode::UNAUTHORIZED
                && !refreshed
                && let Credentials::ServiceApp(app) = &self.credentials
            {
                app.invalidate().await;
                refreshed = true;
                continue;
            }
            let outcome = Outcome::Status {
                status,
                headers: &headers,
                server_now,
                now,
            };
            if let Decision::Retry { wait, far } = self.options.retry.decide(attempt, idempotent, &outcome) {
                if far {
                    self.warn_far_reset();
                }
                tokio::time::sleep(wait).await;
                // Sent back as a header: only an id of the form Okta gives.
                retry_for = request_id
                    .filter(|id| {
                        id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    })
                    .or(retry_for);
                attempt += 1;
                continue;
            }
            return Err(api_error(&method, &path, status, &headers, &body, &self.secrets()));
        }
    }

    /// One attempt's request, authenticated; a retry says which request it retries.
    async fn request(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&serde_json::Value>,
        retry_for: Option<&str>,
        attempt: u32,
    ) -> Result<reqwest::RequestBuilder, OktaError> {
        let mut request = self
            .http
            .request(method.clone(), url.clone())
            .timeout(self.options.timeout)
            .header("Accept", "application/json");
        match &self.credentials {
            Credentials::ApiToken(token) => {
                request = request.header("Authorization", format!("SSWS {}", token.expose()));
            }
            Credentials::ServiceApp(app) => {
                let observe = |token_url: &Url, status: Option<u16>, request_id: Option<String>| {
                    self.observe(&Method::POST, token_url, status, request_id, 0);
                };
                for (name, value) in app
                    .headers(&self.http, &self.base, (method, url), &self.options, &observe)
                    .await?
                {
                    request = request.header(name, value);
                }
            }
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(id) = retry_for {
            request = request
                .header("X-Okta-Retry-For", id)
                .header("X-Okta-Retry-Count", attempt.to_string());
        }
        Ok(request)
    }

    /// The status, headers and body of an answer (a body that broke off is as good as no
    /// answer); a body over the limit is an error.
    async fn answer(
        &self,
        method: &Method,
        path: &str,
        response: reqwest::Response,
    ) -> Result<Result<(StatusCode, HeaderMap, bytes::Bytes), reqwest::Error>, OktaError> {
        let status = response.status();
        let headers = response.headers().clone();
        match read_body(response).await {
            Ok(Some(body)) => Ok(Ok((status, headers, body))),
            Ok(None) => Err(OktaError::TooLarge {
                method: method.to_string(),
                path: path.to_owned(),
                limit_mib: BODY_LIMIT / (1024 * 1024),
            }),
            Err(error) => Ok(Err(error)),
        }
    }

    /// The secrets this client sends, to be masked in anything the server says.
    fn secrets(&self) -> Vec<&str> {
        match &self.credentials {
            Credentials::ApiToken(token) => vec![token.expose()],
            Credentials::ServiceApp(_) => Vec::new(),
        }
    }

    /// Says once per client that a 429's reset was too far ahead to wait for.
    fn warn_far_reset(&self) {
        if let Some(warn) = &self.options.warn
            && !self.warned_far_reset.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            warn(&format!(
                "`{}` answered 429 with an X-Rate-Limit-Reset more than {} minutes ahead; waiting {} s instead",
                crate::text::one_line(&self.domain),
                super::pacer::MAX_RESET_AHEAD.as_secs() / 60,
                super::pacer::FAR_RESET_WAIT.as_secs()
            ));
        }
    }

    fn observe(&self, method: &Method, url: &Url, status: Option<u16>, request_id: Option<String>, attempt: u32) {
        if let Some(observer) = &self.options.observer {
            observer(&RequestLog {
                method: method.to_string(),
                url: url.to_string(),
                status,
                request_id,
                attempt,
            });
        }
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The `rel="next"` URL among the `Link` headers (one header each, or comma-joined).
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find(|link| link.contains("rel=\"next\""))
        .and_then(|link| {
            link.split_once('<')
                .and_then(|(_, rest)| rest.split_once('>'))
                .map(|(url, _)| url.trim().to_owned())
        })
}

/// Until `X-Rate-Limit-Reset`, measured from the answer's `Date` (the clocks may differ),
/// plus the official SDKs' margin of one second.
/// A reset too far ahead to believe (see [`super::pacer::until_reset`]) is flagged `true`.
pub(super) fn rate_limit_wait(
    headers: &HeaderMap,
    server_now: Option<SystemTime>,
    now: SystemTime,
) -> (Duration, bool) {
    match lowest(headers, "x-rate-limit-reset") {
        Some(reset) => {
            let (until, far) = super::pacer::until_reset(reset, server_now, now);
            (until + Duration::from_secs(1), far)
        }
        None => (Duration::from_secs(1), false),
    }
}

/// Everything the client reads from an answer of `status` with `headers` and `body`: the
/// `next` link, the rate-limit headers, the error body and the objects it decodes (for
/// the fuzz targets; see [`crate::fuzzing`]).
#[doc(hidden)]
pub fn read_answer(status: u16, headers: &HeaderMap, body: &[u8]) {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let _ = next_link(headers);
    let now = SystemTime::now();
    let server_now = header(headers, "date").and_then(|d| parse_http_date(&d));
    let _ = rate_limit_wait(headers, server_now, now);
    let pacer = Pacer::default();
    let key = bucket("https://fuzz.okta.com", "/api/v1/apps");
    pacer.sending(&key).answered(
        lowest(headers, "x-rate-limit-limit").and_then(|v| v.try_into().ok()),
        lowest(headers, "x-rate-limit-remaining").and_then(|v| v.try_into().ok()),
        lowest(headers, "x-rate-limit-reset"),
        server_now,
        now,
    );
    let _ = pacer.before_send(&key, now);
    let _ = api_error(
        &Method::GET,
        "/api/v1/apps",
        status,
        headers,
        body,
        &["fuzz-secret-token"],
    )
    .to_string();
    let _ = serde_json::from_slice::<super::wire::App>(body);
    let _ = serde_json::from_slice::<Vec<super::wire::Grant>>(body);
    let _ = serde_json::from_slice::<Vec<super::wire::User>>(body);
    let _ = serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(body);
}

/// The most of an answer's body that is read.
pub const BODY_LIMIT: u64 = 32 * 1024 * 1024;

/// The body of `response`, or `None` when it is larger than [`BODY_LIMIT`] (read no
/// further than that).
pub(super) async fn read_body(mut response: reqwest::Response) -> Result<Option<bytes::Bytes>, reqwest::Error> {
    if response.content_length().is_some_and(|length| length > BODY_LIMIT) {
        return Ok(None);
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > BODY_LIMIT {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
}

/// The most pages of one list of objects that are read (apps, grants, users: at 200 a
/// page, 200,000 objects): a guard against `next` links that never end.
pub const LIST_PAGE_LIMIT: usize = 1_000;
/// The most pages of one System Log query that are read (at 1,000 events a page, 100
/// million events).
pub const LOG_PAGE_LIMIT: usize = 100_000;

/// The `next` links of one list: each is followed once, and at most `limit` pages read.
#[derive(Debug)]
pub struct Paging {
    seen: std::collections::HashSet<String>,
    limit: usize,
}

impl Paging {
    pub fn new(limit: usize) -> Self {
        Self {
            seen: std::collections::HashSet::new(),
            limit,
        }
    }

    /// Records that `url` is about to be read; an error when it was read before or the
    /// list has too many pages.
    pub fn visit(&mut self, url: &Url) -> Result<(), OktaError> {
        let problem = if self.seen.len() >= self.limit {
            format!("the list has more than {} pages", self.limit)
        } else if !self.seen.insert(url.as_str().to_owned()) {
            "a `next` link leads back to a page already read".to_owned()
        } else {
            return Ok(());
        };
        Err(OktaError::Paging {
            method: "GET".to_owned(),
            path: url.path().to_owned(),
            problem,
        })
    }
}

/// The lowest value of a numeric header that may be repeated (or comma-joined), as the
/// official SDKs read `X-Rate-Limit-*`.
fn lowest(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|v| v.trim().parse::<u64>().ok())
        .min()
}

/// An error answer as oktaform reports it; every text of the server is made safe to show
/// (see [`crate::text::from_server`]), with `secrets` masked.
fn api_error(
    method: &Method,
    path: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    secrets: &[&str],
) -> OktaError {
    let shown = |text: &str| crate::text::from_server(text, secrets);
    if status == StatusCode::FORBIDDEN
        && let Some(scope) = insufficient_scope(headers)
    {
        return OktaError::MissingScope {
            method: method.to_string(),
            path: path.to_owned(),
            scope: crate::text::from_server(&scope, secrets),
        };
    }
    let parsed: Option<super::wire::ErrorBody> = serde_json::from_slice(body).ok();
    OktaError::Api {
        method: method.to_string(),
        path: path.to_owned(),
        status: status.as_u16(),
        code: parsed.as_ref().map(|e| shown(&e.error_code)).unwrap_or_default(),
        summary: parsed.map_or_else(
            || status.canonical_reason().unwrap_or("error").to_owned(),
            |e| shown(&e.message()),
        ),
        request_id: header(headers, "x-okta-request-id").map(|id| shown(&id)),
    }
}

/// The scope a `WWW-Authenticate: Bearer|DPoP ... error="insufficient_scope", scope="x"`
/// challenge names (REFERENCE section 7).
fn insufficient_scope(headers: &HeaderMap) -> Option<String> {
    let challenge = header(headers, "www-authenticate")?;
    if !challenge.contains(r#"error="insufficient_scope""#) {
        return None;
    }
    let start = challenge.find(r#" scope=""#)? + r#" scope=""#.len();
    let scope = &challenge[start..];
    let scope = &scope[..scope.find('"')?];
    (!scope.is_empty()).then(|| scope.to_owned())
}

/// The error of a request that got no answer, after `attempts` attempts.
pub(super) fn no_answer(method: &Method, url: &Url, fault: Fault, attempts: u32, error: &reqwest::Error) -> OktaError {
    let (method, path) = (method.to_string(), url.path().to_owned());
    match fault {
        Fault::Unresolved => OktaError::Unresolved {
            method,
            path,
            host: url.host_str().unwrap_or_default().to_owned(),
        },
        Fault::Timeout => OktaError::Timeout { method, path, attempts },
        Fault::Connection => OktaError::Transport {
            method,
            path,
            attempts,
            message: without_url(error),
        },
    }
}

/// A transport error's text without the URL (which could carry a query the user wrote).
fn without_url(error: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    let mut message = String::from(if error.is_connect() {
        "connection failed"
    } else {
        "request failed"
    });
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    message
}

/// An IMF-fixdate (`Sat, 28 Nov 2026 12:00:00 GMT`).
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(text, &format)
        .ok()
        .map(|t| t.assume_utc().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_skipped_only_when_no_endpoint_speaks_https() {
        let urls = |bases: &[&str]| -> Vec<Url> { bases.iter().map(|b| Url::parse(b).unwrap()).collect() };
        let cases: [(&[&str], Tls); 4] = [
            (&["http://127.0.0.1:8080"], Tls::Unused),
            (&["http://127.0.0.1:8080", "http://[::1]:9"], Tls::Unused),
            (&["http://127.0.0.1:8080", "https://acme.okta.com"], Tls::Verified),
            (&["https://acme.okta.com"], Tls::Verified),
        ];
        for (bases, tls) in cases {
            assert_eq!(Tls::for_endpoints(urls(bases).iter()), tls, "{bases:?}");
        }
    }

    #[test]
    fn next_links_in_separate_or_joined_headers() {
        let mut headers = HeaderMap::new();
        headers.append("link", "<http://a/api/v1/apps?limit=2>; rel=\"self\"".parse().unwrap());
        headers.append(
            "link",
            "<http://a/api/v1/apps?after=x&limit=2>; rel=\"next\"".parse().unwrap(),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("http://a/api/v1/apps?after=x&limit=2")
        );
        let mut joined = HeaderMap::new();
        joined.insert(
            "link",
            "<http://a/1>; rel=\"self\", <http://a/2>; rel=\"next\""
                .parse()
                .unwrap(),
        );
        assert_eq!(next_link(&joined).as_deref(), Some("http://a/2"));
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn next_links_stay_on_the_origin_called() {
        crate::okta::install_crypto();
        let http = reqwest::Client::builder().build().unwrap();
        let base = Url::parse("http://127.0.0.1:8089").unwrap();
        let token = Credentials::ApiToken(crate::secret::Secret::new("t"));
        let client = OktaClient::new(http, base, "acme.okta.com", token, ClientOptions::default());
        let same = client.same_origin("http://127.0.0.1:8089/api/v1/apps?after=x").unwrap();
        assert_eq!(same.as_str(), "http://127.0.0.1:8089/api/v1/apps?after=x");
        let rewritten = client.same_origin("https://acme.okta.com/api/v1/apps?after=y").unwrap();
        assert_eq!(rewritten.as_str(), "http://127.0.0.1:8089/api/v1/apps?after=y");
        assert!(matches!(
            client.same_origin("https://evil.example/api/v1/apps"),
            Err(OktaError::ForeignLink { .. })
        ));
        assert!(matches!(
            client.same_origin("http://127.0.0.1:9999/api/v1/apps"),
            Err(OktaError::ForeignLink { .. })
        ));
    }

    #[test]
    fn a_429_waits_until_the_lowest_reset_after_the_server_s_date_plus_a_second() {
        let mut headers = HeaderMap::new();
        headers.append("x-rate-limit-reset", "1000030".parse().unwrap());
        headers.append("x-rate-limit-reset", "1000020".parse().unwrap());
        let server_now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let local_now = server_now + Duration::from_secs(500);
        assert_eq!(
            rate_limit_wait(&headers, Some(server_now), local_now),
            (Duration::from_secs(21), false),
            "measured from Date, not the local clock"
        );
        assert_eq!(lowest(&headers, "x-rate-limit-reset"), Some(1_000_020));
        let mut joined = HeaderMap::new();
        joined.append("x-rate-limit-remaining", "7, 3".parse().unwrap());
        assert_eq!(lowest(&joined, "x-rate-limit-remaining"), Some(3));
    }

    #[test]
    fn dates_parse() {
        let at = parse_http_date("Sat, 28 Nov 2026 12:00:00 GMT").unwrap();
        assert_eq!(
            at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            1_795_867_200
        );
    }
}
