//! Users: get by id, login, short name or `me`; list with `search`, `filter` or `q`.
//! A login containing `/` cannot be looked up in the path (use `search`).

use crate::logquery::filter;
use crate::sim::auth::Caller;
use crate::sim::http::{ApiError, ApiResult, Params, ok, page};
use crate::sim::server::Shared;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::sync::Arc;

const DEFAULT_LIMIT: usize = 200;
const MAX_LIMIT: usize = 200;

pub async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
) -> ApiResult {
    let user = shared.read(&caller, |org| {
        if key == "me" {
            return org
                .user(&caller.user_id)
                .map(|u| u.to_json(&caller.base))
                .ok_or_else(|| ApiError::not_found(&key, "User"));
        }
        org.require_admin(&caller.user_id)?;
        if key.contains('/') {
            return Err(ApiError::not_found(&key, "User"));
        }
        org.user(&key)
            .map(|u| u.to_json(&caller.base))
            .ok_or_else(|| ApiError::not_found(&key, "User"))
    })?;
    ok(&user)
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<Params>,
) -> ApiResult {
    let expr = match params.get("search").or_else(|| params.get("filter")) {
        Some(text) => Some(filter::parse(text).map_err(|e| {
            ApiError::new(StatusCode::BAD_REQUEST, "E0000031", "Invalid search criteria.").cause(format!("search: {e}"))
        })?),
        None => None,
    };
    let q = params.get("q").map(|q| q.to_lowercase());
    let users = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        Ok(org.users.iter().map(|u| u.to_json(&caller.base)).collect::<Vec<_>>())
    })?;
    let starts = |value: &serde_json::Value, q: &str| value.as_str().is_some_and(|s| s.to_lowercase().starts_with(q));
    let users = users
        .into_iter()
        .filter(|u| {
            q.as_deref().is_none_or(|q| {
                ["login", "email", "firstName", "lastName"]
                    .iter()
                    .any(|field| starts(&u["profile"][field], q))
            })
        })
        .filter(|u| expr.as_ref().is_none_or(|e| filter::matches(e, u)))
        .collect::<Vec<_>>();
    page(&users, &caller.base, "/api/v1/users", &params, DEFAULT_LIMIT, MAX_LIMIT)
}

/// The groups a user belongs to.
pub async fn groups(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(user_id): Path<String>,
) -> ApiResult {
    let groups = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        let user = org.user_by_id_or_404(&user_id)?;
        Ok(org
            .groups_of(&user.id)
            .map(|g| g.to_json(&caller.base))
            .collect::<Vec<_>>())
    })?;
    ok(&serde_json::Value::Array(groups))
}
