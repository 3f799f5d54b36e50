//! `/__sim/requests`: the requests the sim served (GET), or forget them (DELETE).

use crate::sim::http::{ApiResult, no_content, ok};
use crate::sim::server::Shared;
use axum::extract::State;
use std::sync::Arc;

pub async fn requests(State(shared): State<Arc<Shared>>) -> ApiResult {
    ok(&serde_json::to_value(shared.requests()).unwrap_or_default())
}

pub async fn clear_requests(State(shared): State<Arc<Shared>>) -> ApiResult {
    shared.clear_requests();
    no_content()
}
