//! The sim's HTTP server: shared state, the router, and the layer that every API request
//! passes through (authentication, rate limits, Okta's response headers, the request log).

use super::auth::{Caller, authenticate};
use super::events::{EventContext, event};
use super::http::{ApiError, http_date};
use super::ids::random_id;
use super::rate_limit::{Bucket, RateLimiter, RateLimits, Verdict};
use super::routes;
use super::state::{Org, SimState};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

/// One request the sim served, for `/__sim/requests`.
#[derive(Clone, Debug, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    /// The org's domain, when the request was authenticated.
    pub org: Option<String>,
}

/// Everything the handlers share.
pub struct Shared {
    state: Mutex<SimState>,
    state_file: Option<PathBuf>,
    requests: Mutex<Vec<RequestRecord>>,
    limiter: RateLimiter,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub fn new(state: SimState, state_file: Option<PathBuf>, limits: RateLimits) -> Self {
        Self {
            state: Mutex::new(state),
            state_file,
            requests: Mutex::new(Vec::new()),
            limiter: RateLimiter::new(limits),
        }
    }

    /// Reads the caller's org.
    pub fn read<T>(
        &self,
        caller: &Caller,
        f: impl FnOnce(&Org) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let state = lock(&self.state);
        f(&state.orgs[caller.org])
    }

    /// Changes the caller's org; on success the events `f` returns are logged and the state
    /// is saved before the response goes out.
    pub fn mutate<T>(
        &self,
        caller: &Caller,
        f: impl FnOnce(&mut Org, &mut Vec<Event>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut state = lock(&self.state);
        let mut events = Vec::new();
        let org = &mut state.orgs[caller.org];
        let value = f(org, &mut events)?;
        if let Some(actor) = org.users.iter().find(|u| u.id == caller.user_id).cloned() {
            let context = EventContext {
                actor: &actor,
                user_agent: &caller.user_agent,
                request_id: &caller.request_id,
                request_uri: &caller.request_uri,
                ip: &caller.ip,
            };
            for e in events {
                org.log_events
                    .push(event(&context, e.kind, &e.display, &e.targets));
            }
        }
        if let Some(path) = &self.state_file {
            state.save(path).map_err(|_| super::http::internal())?;
        }
        Ok(value)
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.requests).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.requests).clear();
    }
}

/// An event a mutation asks to log.
pub struct Event {
    /// The `eventType`.
    pub kind: &'static str,
    pub display: String,
    pub targets: Vec<Value>,
}

pub fn router(shared: Arc<Shared>) -> Router {
    routes::api()
        .layer(middleware::from_fn_with_state(shared.clone(), okta_layer))
        .merge(routes::sim_admin())
        .with_state(shared)
}

/// Authenticates, applies the rate limit, runs the handler, then adds Okta's headers and
/// records the request.
async fn okta_layer(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let request_id = random_id("req");
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let method = request.method().to_string();
    let bucket = Bucket::of(&path);
    let now = SystemTime::now();
    let authenticated = {
        let state = lock(&shared.state);
        authenticate(&state, request.headers())
            .map(|(org, user)| (org, user, state.orgs[org].domain.clone()))
    };
    let (mut response, verdict, org) = match authenticated {
        Err(error) => (
            error.into_response(),
            shared.limiter.peek(bucket, now),
            None,
        ),
        Ok((org, user_id, domain)) => {
            let verdict = shared.limiter.check(org, bucket, now);
            let response = if verdict.allowed {
                let caller = caller(
                    request.headers(),
                    org,
                    user_id,
                    &request_id,
                    request.uri().to_string(),
                );
                request.extensions_mut().insert(caller);
                next.run(request).await
            } else {
                ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "E0000047",
                    "API call exceeded rate limit due to too many requests.",
                )
                .into_response()
            };
            (response, verdict, Some(domain))
        }
    };
    okta_headers(response.headers_mut(), &request_id, verdict, now);
    lock(&shared.requests).push(RequestRecord {
        method,
        path,
        query,
        status: response.status().as_u16(),
        org,
    });
    response
}

fn caller(
    headers: &HeaderMap,
    org: usize,
    user_id: String,
    request_id: &str,
    request_uri: String,
) -> Caller {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Caller {
        org,
        user_id,
        request_id: request_id.to_owned(),
        user_agent: header("user-agent").unwrap_or_default(),
        base: format!(
            "http://{}",
            header("host").unwrap_or_else(|| "localhost".to_owned())
        ),
        request_uri,
        ip: "127.0.0.1".to_owned(),
    }
}

fn okta_headers(headers: &mut HeaderMap, request_id: &str, verdict: Verdict, now: SystemTime) {
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set("x-okta-request-id", request_id.to_owned());
    set("x-rate-limit-limit", verdict.limit.to_string());
    set("x-rate-limit-remaining", verdict.remaining.to_string());
    set("x-rate-limit-reset", verdict.reset.to_string());
    set("date", http_date(now.into()));
}
