//! Routes for tests, outside the Okta layer: `/__sim/requests` (GET lists the requests
//! served, DELETE forgets them), `/__sim/faults` (GET shows, POST replaces the fault
//! settings) and `/__sim/events` (POST appends log events to the org of the token).
//! Every route needs an API token of the seed: the request log and the faults are the
//! sim's own, not the public's.

use crate::sim::faults::Faults;
use crate::sim::http::{ApiError, ApiResult, no_content, ok, parse_body};
use crate::sim::ids::random_id;
use crate::sim::server::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

pub async fn requests(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> ApiResult {
    shared.authorize(&headers)?;
    ok(&serde_json::to_value(shared.requests()).unwrap_or_default())
}

pub async fn clear_requests(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> ApiResult {
    shared.authorize(&headers)?;
    shared.clear_requests();
    no_content()
}

pub async fn faults(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> ApiResult {
    shared.authorize(&headers)?;
    ok(&serde_json::to_value(shared.faults()).unwrap_or_default())
}

/// Replaces the fault settings: only with a token of the seed, since a fault such as
/// `{"hang": ["/"]}` stops the whole sim.
pub async fn set_faults(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> ApiResult {
    shared.authorize(&headers)?;
    let faults: Faults =
        serde_json::from_slice(&body).map_err(|e| ApiError::validation("faults", format!("faults: {e}")))?;
    faults
        .check()
        .map_err(|e| ApiError::validation("faults", format!("faults: {e}")))?;
    shared.set_faults(faults);
    ok(&serde_json::to_value(shared.faults()).unwrap_or_default())
}

/// Appends a JSON array of `LogEvent`s, filling in `uuid` and `published` when absent.
pub async fn append_events(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let Value::Array(mut events) = parse_body(&body)? else {
        return Err(ApiError::validation(
            "events",
            "events: a JSON array of LogEvent objects is expected",
        ));
    };
    for event in &mut events {
        let Value::Object(fields) = event else {
            return Err(ApiError::validation("events", "events: every event is a JSON object"));
        };
        fields.entry("uuid").or_insert_with(|| json!(random_id("evt")));
        fields
            .entry("published")
            .or_insert_with(|| json!(crate::sim::http::timestamp(shared.clock.now())));
    }
    let count = shared.append_events(&headers, events)?;
    Ok(crate::sim::http::json_response(
        StatusCode::CREATED,
        &json!({"appended": count}),
    ))
}
