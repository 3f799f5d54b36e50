//! Admin roles of a user: list, get, assign, unassign. A duplicate assignment answers 409
//! `E0000090`. Every change logs a privilege event: `user.account.privilege.grant` with
//! the roles the user still holds, or `user.account.privilege.revoke` when none is left.

use crate::sim::auth::Caller;
use crate::sim::events::Mutation;
use crate::sim::http::{ApiError, ApiResult, json_response, no_content, ok, parse_body};
use crate::sim::server::Shared;
use crate::sim::state::RoleAssignment;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use std::sync::Arc;

const ROLE_TYPES: &[&str] = &[
    "ACCESS_CERTIFICATIONS_ADMIN",
    "ACCESS_REQUESTS_ADMIN",
    "API_ACCESS_MANAGEMENT_ADMIN",
    "APP_ADMIN",
    "GROUP_MEMBERSHIP_ADMIN",
    "HELP_DESK_ADMIN",
    "ORG_ADMIN",
    "READ_ONLY_ADMIN",
    "REPORT_ADMIN",
    "SUPER_ADMIN",
    "USER_ADMIN",
    "WORKFLOWS_ADMIN",
];

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(user_id): Path<String>,
) -> ApiResult {
    let roles = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        let user = org.user_by_id_or_404(&user_id)?;
        let base = caller.base.as_str();
        let mut roles: Vec<serde_json::Value> = user.roles.iter().map(|r| r.to_json(base, &user.id)).collect();
        for group in org.groups_of(&user.id) {
            roles.extend(group.roles.iter().map(|r| r.group_json(base, group)));
        }
        Ok(roles)
    })?;
    ok(&serde_json::Value::Array(roles))
}

pub async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((user_id, role_id)): Path<(String, String)>,
) -> ApiResult {
    let role = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        let user = org.user_by_id_or_404(&user_id)?;
        let role = user
            .roles
            .iter()
            .find(|r| r.id == role_id)
            .ok_or_else(|| ApiError::not_found(&role_id, "Role"))?;
        Ok(role.to_json(&caller.base, &user.id))
    })?;
    ok(&role)
}

pub async fn assign(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(user_id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let body = parse_body(&body)?;
    let role_type = body["type"].as_str().map(str::to_owned);
    let role = shared.mutate(&caller, |org, events| {
        org.require_super_admin(&caller.user_id)?;
        let role_type = role_type
            .filter(|t| ROLE_TYPES.contains(&t.as_str()))
            .ok_or_else(|| ApiError::validation("type", "type: Invalid role type"))?;
        let id = org.new_id("ra");
        let user = org.user_mut_or_404(&user_id)?;
        if user.roles.iter().any(|r| r.role_type == role_type) {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "E0000090",
                "The role specified is already assigned to the user.",
            ));
        }
        let role = RoleAssignment {
            id,
            role_type: role_type.clone(),
            created: crate::sim::http::timestamp(shared.clock.now()),
        };
        user.roles.push(role.clone());
        let user = user.clone();
        events.push(Mutation::privileges_changed(&user, &org.roles_of(&user.id)));
        Ok(role.to_json(&caller.base, &user.id))
    })?;
    Ok(json_response(StatusCode::CREATED, &role))
}

pub async fn unassign(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((user_id, role_id)): Path<(String, String)>,
) -> ApiResult {
    shared.mutate(&caller, |org, events| {
        org.require_super_admin(&caller.user_id)?;
        let user = org.user_mut_or_404(&user_id)?;
        let index = user
            .roles
            .iter()
            .position(|r| r.id == role_id)
            .ok_or_else(|| ApiError::not_found(&role_id, "Role"))?;
        let removed = user.roles.remove(index);
        let user = user.clone();
        let remaining = org.roles_of(&user.id);
        events.push(if remaining.is_empty() {
            Mutation::privileges_revoked(&user, &removed.role_type)
        } else {
            Mutation::privileges_changed(&user, &remaining)
        });
        Ok(())
    })?;
    no_content()
}
