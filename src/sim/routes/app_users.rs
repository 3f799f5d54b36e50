//! Users assigned to an app: list, get, assign, unassign. A user has an app directly
//! (`scope` `USER`) or through an assigned group (`GROUP`); a user who has it only through a
//! group cannot be unassigned (403 `E0000046`).
//!
//! Assigning a user who is already assigned answers 200 with the assignment unchanged
//! (real Okta's answer is unverified); the client confirms by reading back either way.

use crate::sim::auth::Caller;
use crate::sim::events::Mutation;
use crate::sim::http::{ApiError, ApiResult, Params, no_content, ok, page, parse_body};
use crate::sim::server::Shared;
use crate::sim::state::{Assignment, app_user_json};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use std::sync::Arc;

const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 500;

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(app_id): Path<String>,
    Query(params): Query<Params>,
) -> ApiResult {
    let users = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        let app = org.app_or_404(&app_id)?;
        Ok(org
            .users
            .iter()
            .filter_map(|user| {
                let (scope, created) = org.app_scope(app, &user.id)?;
                Some(app_user_json(&caller.base, app, user, scope, &created))
            })
            .collect::<Vec<_>>())
    })?;
    page(
        &users,
        &caller.base,
        &format!("/api/v1/apps/{app_id}/users"),
        &params,
        DEFAULT_LIMIT,
        MAX_LIMIT,
    )
}

pub async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((app_id, user_id)): Path<(String, String)>,
) -> ApiResult {
    let user = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        let app = org.app_or_404(&app_id)?;
        let (scope, created) = org
            .app_scope(app, &user_id)
            .ok_or_else(|| ApiError::not_found(&user_id, "AppUser"))?;
        let user = org.user_by_id_or_404(&user_id)?;
        Ok(app_user_json(&caller.base, app, user, scope, &created))
    })?;
    ok(&user)
}

pub async fn assign(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(app_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let user_id = body["id"].as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    let assigned = shared.mutate(&caller, |org, events| {
        org.require_app_admin(&caller.user_id)?;
        let user_id = user_id.ok_or_else(|| ApiError::validation("id", "id: The field cannot be left blank"))?;
        let user = org.user_by_id_or_404(&user_id)?.clone();
        let app = org.app_mut_or_404(&app_id)?;
        if let Some(existing) = app.assignments.iter().find(|a| a.user_id == user.id) {
            return Ok(existing.to_json(&caller.base, app, &user, "USER"));
        }
        let assignment = Assignment {
            user_id: user.id.clone(),
            created: crate::sim::http::timestamp(shared.clock.now()),
        };
        app.assignments.push(assignment.clone());
        let app = app.clone();
        events.push(Mutation::membership_added(&app, &user));
        Ok(assignment.to_json(&caller.base, &app, &user, "USER"))
    })?;
    ok(&assigned)
}

pub async fn unassign(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((app_id, user_id)): Path<(String, String)>,
) -> ApiResult {
    shared.mutate(&caller, |org, events| {
        org.require_app_admin(&caller.user_id)?;
        let user = org.user_by_id_or_404(&user_id)?.clone();
        let through_group = org.app_or_404(&app_id).map(|app| org.app_scope(app, &user_id))?;
        let app = org.app_mut_or_404(&app_id)?;
        let Some(index) = app.assignments.iter().position(|a| a.user_id == user_id) else {
            return Err(match through_group {
                // Unverified beyond the code: Okta refuses to unassign a user whose groups
                // give them the app (E0000046, REFERENCE error codes).
                Some(("GROUP", _)) => ApiError::new(
                    axum::http::StatusCode::FORBIDDEN,
                    "E0000046",
                    "Deactivate application for user forbidden.",
                )
                .cause(format!(
                    "The user {} cannot be unassigned from the application while their group memberships grant them access to it.",
                    user.login
                )),
                _ => ApiError::not_found(&user_id, "AppUser"),
            });
        };
        app.assignments.remove(index);
        let app = app.clone();
        events.push(Mutation::membership_removed(&app, &user));
        Ok(())
    })?;
    no_content()
}
