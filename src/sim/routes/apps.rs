//! Apps: list (`q`, `filter`, `limit`, `after`), get, and client secrets.

use crate::logquery::filter;
use crate::sim::auth::Caller;
use crate::sim::http::{ApiError, ApiResult, Params, ok, page};
use crate::sim::server::Shared;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use std::sync::Arc;

/// Okta's documented default page size for apps is 20, the maximum 200.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 200;

/// The attributes `filter` may name on apps (REFERENCE section 2, from the spec); Okta
/// refuses others, so the sim does too and no client can come to rely on one.
const FILTERABLE: &[&str] = &[
    "id",
    "status",
    "name",
    "credentials.signing.kid",
    "settings.slo.enabled",
];

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<Params>,
) -> ApiResult {
    let invalid =
        |cause: String| ApiError::new(StatusCode::BAD_REQUEST, "E0000031", "Invalid search criteria.").cause(cause);
    let expr = match params.get("filter") {
        Some(text) => Some(filter::parse(text).map_err(|e| invalid(format!("filter: {e}")))?),
        None => None,
    };
    if let Some(unsupported) = expr
        .iter()
        .flat_map(filter::Expr::comparisons)
        .find(|c| !FILTERABLE.contains(&c.attribute.as_str()))
    {
        return Err(invalid(format!(
            "filter: the attribute `{}` cannot be filtered on",
            unsupported.attribute
        )));
    }
    let apps = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        Ok(org
            .apps
            .iter()
            .map(|app| app.to_json(&caller.base, org))
            .collect::<Vec<_>>())
    })?;
    let q = params.get("q").map(|q| q.to_lowercase());
    let starts = |value: &serde_json::Value, q: &str| value.as_str().is_some_and(|s| s.to_lowercase().starts_with(q));
    let apps = apps
        .into_iter()
        .filter(|app| {
            q.as_deref()
                .is_none_or(|q| starts(&app["name"], q) || starts(&app["label"], q))
        })
        .filter(|app| expr.as_ref().is_none_or(|e| filter::matches(e, app)))
        .collect::<Vec<_>>();
    page(&apps, &caller.base, "/api/v1/apps", &params, DEFAULT_LIMIT, MAX_LIMIT)
}

pub async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(app_id): Path<String>,
) -> ApiResult {
    let app = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        org.app(&app_id)
            .map(|app| app.to_json(&caller.base, org))
            .ok_or_else(|| ApiError::not_found(&app_id, "AppInstance"))
    })?;
    ok(&app)
}

/// The groups assigned to an app.
pub async fn groups(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(app_id): Path<String>,
    Query(params): Query<Params>,
) -> ApiResult {
    let groups = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        let app = org.app_or_404(&app_id)?;
        Ok(org
            .groups
            .iter()
            .filter(|g| app.group_assignments.contains(&g.id))
            .map(|g| g.assignment_json(&caller.base, app))
            .collect::<Vec<_>>())
    })?;
    page(
        &groups,
        &caller.base,
        &format!("/api/v1/apps/{app_id}/groups"),
        &params,
        20,
        200,
    )
}

pub async fn secrets(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(app_id): Path<String>,
) -> ApiResult {
    let secrets = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        org.app(&app_id)
            .map(|app| app.secrets_json(&caller.base))
            .ok_or_else(|| ApiError::not_found(&app_id, "AppInstance"))
    })?;
    ok(&secrets)
}
