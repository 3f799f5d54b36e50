//! The sim's endpoints, one file per resource.

mod admin;
mod app_users;
mod apps;
mod grants;
mod logs;
mod roles;
mod users;

use super::http::ApiError;
use super::server::Shared;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use std::sync::Arc;

/// The Okta API routes; they all pass through the Okta layer.
pub fn api() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v1/apps", get(apps::list))
        .route("/api/v1/apps/{app_id}", get(apps::get))
        .route("/api/v1/apps/{app_id}/credentials/secrets", get(apps::secrets))
        .route("/api/v1/apps/{app_id}/groups", get(apps::groups))
        .route("/api/v1/apps/{app_id}/grants", get(grants::list).post(grants::grant))
        .route(
            "/api/v1/apps/{app_id}/grants/{grant_id}",
            get(grants::get).delete(grants::revoke),
        )
        .route(
            "/api/v1/apps/{app_id}/users",
            get(app_users::list).post(app_users::assign),
        )
        .route(
            "/api/v1/apps/{app_id}/users/{user_id}",
            get(app_users::get).delete(app_users::unassign),
        )
        .route("/api/v1/logs", get(logs::list))
        .route(super::server::TOKEN_PATH, axum::routing::post(token))
        .route("/api/v1/users", get(users::list))
        .route("/api/v1/users/{user_id}", get(users::get))
        .route("/api/v1/users/{user_id}/groups", get(users::groups))
        .route("/api/v1/users/{user_id}/roles", get(roles::list).post(roles::assign))
        .route(
            "/api/v1/users/{user_id}/roles/{role_id}",
            get(roles::get).delete(roles::unassign),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// `POST /oauth2/v1/token`: form fields, answered by the org that owns the client.
async fn token(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let form = url::form_urlencoded::parse(&body).into_owned().collect();
    let url = format!("{}{}", super::server::base_url(&headers), super::server::TOKEN_PATH);
    let (mut response, org) = shared.token(&url, &headers, &form);
    if let Some(org) = org {
        response.extensions_mut().insert(super::server::TokenOrg(org));
    }
    response
}

/// Routes for tests, outside the Okta layer.
pub fn sim_admin() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__sim/requests", get(admin::requests).delete(admin::clear_requests))
        .route("/__sim/faults", get(admin::faults).post(admin::set_faults))
        .route("/__sim/events", axum::routing::post(admin::append_events))
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "E0000007",
        format!("Not found: Resource not found: {} (Path)", uri.path()),
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "E0000022",
        "The endpoint does not support the provided HTTP method",
    )
}
