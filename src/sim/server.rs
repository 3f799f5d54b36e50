//! The sim's HTTP server: shared state, the router, and the layer that every API request
//! passes through (authentication, faults, rate limits, Okta's response headers, the
//! request log).

use super::auth::{AuthScheme, Caller, Principal, authenticate, principal};
use super::events::{Actor, EventContext, Mutation, event};
use super::faults::{Fate, Faults};
use super::http::{ApiError, http_date};
use super::ids::random_id;
use super::oauth::{self, Tokens};
use super::rate_limit::{Bucket, RateLimiter, RateLimits, Verdict, epoch_seconds_ceil};
use super::routes;
use super::state::{Org, SimState};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

/// One request the sim served, for `/__sim/requests`.
#[derive(Clone, Debug, Serialize)]
pub struct RequestRecord {
    /// The `X-Okta-Request-Id` of the answer.
    pub request_id: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    /// The org's domain, when the request was authenticated.
    pub org: Option<String>,
    /// `X-Okta-Retry-For` and `X-Okta-Retry-Count`, as a retrying client sends them.
    pub retry_for: Option<String>,
    pub retry_count: Option<String>,
    /// The fault injected into this request, if any.
    pub fault: Option<String>,
    /// How the request authenticated: `SSWS`, `Bearer`, `DPoP`, or `private_key_jwt` at the
    /// token endpoint (never the credential).
    pub auth: Option<String>,
}

/// The most requests `/__sim/requests` keeps: older ones are forgotten first.
pub const REQUEST_LOG_LIMIT: usize = 100_000;

fn record_request(shared: &Shared, record: RequestRecord) {
    let mut requests = lock(&shared.requests);
    if requests.len() == REQUEST_LOG_LIMIT {
        requests.pop_front();
    }
    requests.push_back(record);
}

/// Everything the handlers share.
pub struct Shared {
    /// "Now" of the sim.
    pub clock: crate::time_spec::Clock,
    state: Mutex<SimState>,
    state_file: Option<PathBuf>,
    /// The latest [`REQUEST_LOG_LIMIT`] requests.
    requests: Mutex<std::collections::VecDeque<RequestRecord>>,
    tokens: Mutex<Tokens>,
    limiter: RateLimiter,
    faults: Mutex<Faults>,
    /// Sequence number of API requests, for deterministic fault draws.
    sequence: AtomicU64,
    /// Per org: 429s left in the current burst, and requests in flight.
    bursts: Mutex<HashMap<usize, u32>>,
    in_flight: Mutex<HashMap<usize, u32>>,
    shutdown: watch::Sender<bool>,
    /// Drop the null members of the events mutations write (for clients whose models
    /// refuse nulls); real orgs keep them.
    prune_nulls: bool,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("state_file", &self.state_file)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub fn new(
        state: SimState,
        state_file: Option<PathBuf>,
        limits: RateLimits,
        faults: Faults,
        clock: crate::time_spec::Clock,
        prune_nulls: bool,
    ) -> Self {
        Self {
            clock,
            state: Mutex::new(state),
            state_file,
            requests: Mutex::new(std::collections::VecDeque::new()),
            tokens: Mutex::new(Tokens::default()),
            limiter: RateLimiter::new(limits),
            faults: Mutex::new(faults),
            sequence: AtomicU64::new(0),
            bursts: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
            shutdown: watch::channel(false).0,
            prune_nulls,
        }
    }

    /// The index of the org `domain`.
    pub fn org_index(&self, domain: &str) -> Option<usize> {
        lock(&self.state).orgs.iter().position(|org| org.domain == domain)
    }

    /// Reads the caller's org.
    pub fn read<T>(&self, caller: &Caller, f: impl FnOnce(&Org) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let state = lock(&self.state);
        f(&state.orgs[caller.org])
    }

    /// Changes the caller's org; on success the events `f` returns are logged and the state
    /// is saved before the response goes out.
    pub fn mutate<T>(
        &self,
        caller: &Caller,
        f: impl FnOnce(&mut Org, &mut Vec<Mutation>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut state = lock(&self.state);
        let mut events = Vec::new();
        let org = &mut state.orgs[caller.org];
        let value = f(org, &mut events)?;
        if let Some(actor) = Actor::find(org, &caller.user_id) {
            let context = EventContext {
                actor: &actor,
                user_agent: &caller.user_agent,
                request_id: &caller.request_id,
                request_uri: &caller.request_uri,
                ip: &caller.ip,
                api_token_id: caller.api_token_id.as_deref(),
                oauth_client: caller.oauth_client.as_deref(),
                published: self.clock.now(),
            };
            for mutation in &events {
                let mut logged = event(&context, mutation);
                if self.prune_nulls {
                    super::state::prune_nulls(&mut logged);
                }
                org.log_events.push(logged);
            }
        }
        self.save(&state)?;
        Ok(value)
    }

    fn save(&self, state: &SimState) -> Result<(), ApiError> {
        match &self.state_file {
            Some(path) => state.save(path).map_err(|_| super::http::internal()),
            None => Ok(()),
        }
    }

    /// Answers `POST /oauth2/v1/token`; `url` is the token URL as the client called it.
    pub fn token(&self, url: &str, headers: &HeaderMap, form: &HashMap<String, String>) -> (Response, Option<String>) {
        let state = lock(&self.state);
        let lifetime = self
            .faults()
            .token_lifetime_seconds
            .map_or(oauth::TOKEN_LIFETIME, Duration::from_secs);
        let request = oauth::TokenRequest {
            url,
            headers,
            form,
            lifetime,
        };
        let (response, org) = lock(&self.tokens).token(&state, &request);
        (response, org.map(|org| state.orgs[org].domain.clone()))
    }

    pub fn revoke_tokens(&self) {
        lock(&self.tokens).revoke_all();
    }

    /// Appends log events to the org that owns `headers`' token (for `/__sim/events`).
    pub fn append_events(&self, headers: &HeaderMap, events: Vec<Value>) -> Result<usize, ApiError> {
        let mut state = lock(&self.state);
        let (org, _) = authenticate(&state, headers)?;
        let count = events.len();
        state.orgs[org].log_events.extend(events);
        self.save(&state)?;
        Ok(count)
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).iter().cloned().collect()
    }

    /// Whether `headers` carry an API token of the seed (any org's).
    pub fn authorize(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        authenticate(&lock(&self.state), headers).map(|_| ())
    }

    pub fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    pub fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }

    /// Replaces the fault settings; bursts in progress end.
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
        lock(&self.bursts).clear();
    }

    /// Ends requests that hang, so that the server can stop.
    pub fn begin_shutdown(&self) {
        let _ = self.shutdown.send(true);
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    routes::api()
        .layer(middleware::from_fn_with_state(shared.clone(), okta_layer))
        .merge(routes::sim_admin())
        .with_state(shared)
}

/// Counts a request in flight for its org while alive.
struct InFlight<'a> {
    shared: &'a Shared,
    org: usize,
}

impl<'a> InFlight<'a> {
    /// Enters, unless `limit` requests of the org are already in flight.
    fn enter(shared: &'a Shared, org: usize, limit: Option<u32>) -> Option<Self> {
        let mut in_flight = lock(&shared.in_flight);
        let count = in_flight.entry(org).or_insert(0);
        if limit.is_some_and(|limit| *count >= limit) {
            return None;
        }
        *count += 1;
        Some(Self { shared, org })
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(count) = lock(&self.shared.in_flight).get_mut(&self.org) {
            *count = count.saturating_sub(1);
        }
    }
}

/// Authenticates, injects faults, applies the rate limit, runs the handler, then adds
/// Okta's headers and records the request.
async fn okta_layer(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let request_id = random_id("req");
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (retry_for, retry_count) = (header("x-okta-retry-for"), header("x-okta-retry-count"));
    let mut record = RequestRecord {
        request_id: request_id.clone(),
        method: request.method().to_string(),
        path: request.uri().path().to_owned(),
        query: request.uri().query().map(str::to_owned),
        status: 0,
        org: None,
        retry_for,
        retry_count,
        fault: None,
        auth: None,
    };
    let bucket = Bucket::of(&record.path);
    if record.path == TOKEN_PATH {
        // The token endpoint authenticates the client itself; its answer names the org.
        record.auth = Some("private_key_jwt".to_owned());
        // The org authorization server fails as the API does: 5xx drawn from the same faults.
        let draw = shared.faults().draw(shared.sequence.fetch_add(1, Ordering::SeqCst));
        let mut response = if let Fate::ServerError { status, .. } = draw.fate {
            record.fault = Some(status.to_string());
            server_error(status)
        } else {
            next.run(request).await
        };
        let org = response.extensions_mut().remove::<TokenOrg>().map(|org| org.0);
        record.org.clone_from(&org);
        // Every request of a known client spends the org's token bucket, a refused one too.
        let verdict = match org.as_deref().and_then(|domain| shared.org_index(domain)) {
            Some(index) => shared.limiter.check(index, bucket, SystemTime::now()),
            None => shared.limiter.peek(bucket, SystemTime::now()),
        };
        if !verdict.allowed {
            response = too_many_requests();
        }
        okta_headers(response.headers_mut(), &request_id, verdict);
        record.status = response.status().as_u16();
        record_request(&shared, record);
        return response;
    }
    let url = format!("{}{}", base_url(request.headers()), record.path);
    let authenticated = {
        let state = lock(&shared.state);
        let mut tokens = lock(&shared.tokens);
        tokens.resource_nonce = shared.faults().resource_nonce;
        principal(&state, &mut tokens, request.headers(), &record.method, &url)
            .map(|p| (state.orgs[p.org].domain.clone(), p))
    };
    let (mut response, verdict) = match authenticated {
        Err(response) => (*response, shared.limiter.peek(bucket, SystemTime::now())),
        Ok((domain, principal)) => {
            record.org = Some(domain);
            record.auth = Some(principal.scheme.name().to_owned());
            let missing = principal.scopes.as_ref().and_then(|scopes| {
                oauth::required_scope(&record.method, &record.path).filter(|needed| !oauth::holds(scopes, needed))
            });
            match missing {
                Some(scope) => {
                    let scheme = match principal.scheme {
                        AuthScheme::OAuth(scheme) => scheme,
                        AuthScheme::ApiToken => oauth::Scheme::Bearer,
                    };
                    (
                        oauth::insufficient_scope(scheme, &record.path, scope),
                        shared.limiter.peek(bucket, SystemTime::now()),
                    )
                }
                None => serve(&shared, request, next, &principal, &request_id, &mut record).await,
            }
        }
    };
    okta_headers(response.headers_mut(), &request_id, verdict);
    record.status = response.status().as_u16();
    record_request(&shared, record);
    response
}

/// Serves an authenticated request through the faults and limits.
async fn serve(
    shared: &Shared,
    mut request: Request,
    next: Next,
    principal: &Principal,
    request_id: &str,
    record: &mut RequestRecord,
) -> (Response, Verdict) {
    let org = principal.org;
    let bucket = Bucket::of(&record.path);
    let faults = shared.faults();
    let draw = faults.draw(shared.sequence.fetch_add(1, Ordering::SeqCst));
    if faults.is_hung(&record.method, &record.path) {
        record.fault = Some("hang".to_owned());
        let mut stopped = shared.shutdown.subscribe();
        while !*stopped.borrow_and_update() {
            if stopped.changed().await.is_err() {
                break;
            }
        }
        return (
            StatusCode::GATEWAY_TIMEOUT.into_response(),
            shared.limiter.peek(bucket, SystemTime::now()),
        );
    }
    let now = SystemTime::now();
    let Some(_in_flight) = InFlight::enter(shared, org, faults.concurrency_limit) else {
        record.fault = Some("concurrency".to_owned());
        let verdict = Verdict {
            allowed: false,
            limit: 0,
            remaining: 0,
            reset: epoch_seconds_ceil(now + CONCURRENCY_RESET),
        };
        return (too_many_requests(), verdict);
    };
    // The latency is spent in flight, as a slow org would spend it.
    if !draw.delay.is_zero() {
        tokio::time::sleep(draw.delay).await;
    }
    let verdict = shared.limiter.check(org, bucket, now);
    if !verdict.allowed {
        return (too_many_requests(), verdict);
    }
    if faults.is_forbidden(&record.method, &record.path) {
        record.fault = Some("forbid".to_owned());
        return (super::http::ApiError::forbidden().into_response(), verdict);
    }
    if burst(shared, org, draw.fate == Fate::Burst, faults.burst_length) {
        record.fault = Some("burst".to_owned());
        return (
            too_many_requests(),
            // A burst is a short spike: its reset is a second away, not the window's end.
            Verdict {
                remaining: 0,
                reset: epoch_seconds_ceil(now + CONCURRENCY_RESET),
                ..verdict
            },
        );
    }
    let mut caller = caller(request.headers(), principal, request_id, request.uri().to_string());
    if let Some(origin) = &faults.link_origin {
        caller.base.clone_from(origin);
    }
    request.extensions_mut().insert(caller);
    let response = match draw.fate {
        Fate::ServerError { status, after } => {
            if after {
                let _ = next.run(request).await;
            }
            record.fault = Some(format!("{status}{}", if after { " after" } else { "" }));
            server_error(status)
        }
        Fate::Reset { after } => {
            if after {
                let _ = next.run(request).await;
            }
            record.fault = Some(format!("reset{}", if after { " after" } else { "" }));
            reset()
        }
        Fate::Normal | Fate::Burst => next.run(request).await,
    };
    (response, verdict)
}

/// Whether this request is answered 429 by a burst (one in progress, or one it starts).
fn burst(shared: &Shared, org: usize, starts: bool, length: u32) -> bool {
    let mut bursts = lock(&shared.bursts);
    let left = bursts.entry(org).or_insert(0);
    if *left > 0 {
        *left -= 1;
        return true;
    }
    if starts {
        *left = length.saturating_sub(1);
        return true;
    }
    false
}

fn too_many_requests() -> Response {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "E0000047",
        "API call exceeded rate limit due to too many requests.",
    )
    .into_response()
}

/// A 5xx as Okta's edge answers it: JSON for 500, a gateway's page otherwise.
fn server_error(status: u16) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if code == StatusCode::INTERNAL_SERVER_ERROR {
        return super::http::internal().into_response();
    }
    let mut response = (code, format!("<html><body><h1>{code}</h1></body></html>")).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// A response whose body fails at once, so that the connection is dropped mid-answer.
fn reset() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, _>(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
    });
    let mut response = Response::new(Body::from_stream(failing));
    *response.status_mut() = StatusCode::OK;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The path of the org authorization server's token endpoint.
pub const TOKEN_PATH: &str = "/oauth2/v1/token";

/// The domain of the org a token request belonged to, passed from the handler to the layer.
#[derive(Clone, Debug)]
pub struct TokenOrg(pub String);

/// `http://<Host>`, the origin the caller used.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get("host").and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

fn caller(headers: &HeaderMap, principal: &Principal, request_id: &str, request_uri: String) -> Caller {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let api_token_id = header("authorization")
        .and_then(|h| h.strip_prefix("SSWS").map(|t| t.trim_start().to_owned()))
        .map(|token| super::ids::okta_id("00T", &token, 0));
    Caller {
        org: principal.org,
        user_id: principal.actor.clone(),
        oauth_client: matches!(principal.scheme, AuthScheme::OAuth(_)).then(|| principal.actor.clone()),
        request_id: request_id.to_owned(),
        user_agent: header("user-agent").unwrap_or_default(),
        base: base_url(headers),
        request_uri,
        ip: "127.0.0.1".to_owned(),
        api_token_id,
    }
}

fn okta_headers(headers: &mut HeaderMap, request_id: &str, verdict: Verdict) {
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set("x-okta-request-id", request_id.to_owned());
    set("x-rate-limit-limit", verdict.limit.to_string());
    set("x-rate-limit-remaining", verdict.remaining.to_string());
    set("x-rate-limit-reset", verdict.reset.to_string());
    set("date", http_date(SystemTime::now().into()));
}

/// How long a concurrency or burst 429 suggests waiting (Okta: "only a suggestion").
const CONCURRENCY_RESET: Duration = Duration::from_secs(1);
