//! Who is calling: the org that owns the credential, the user behind it, and what they may
//! do. `SSWS <token>` and `SSWS<token>` (as the Python SDK sends it) are both accepted.

use super::http::ApiError;
use super::state::{Org, SimState};
use axum::http::HeaderMap;

/// The authenticated caller of a request, and what its responses and events need to know.
#[derive(Clone, Debug)]
pub struct Caller {
    pub org: usize,
    pub user_id: String,
    pub request_id: String,
    pub user_agent: String,
    /// `http://<Host>`: links are built from what the caller used.
    pub base: String,
    pub request_uri: String,
    pub ip: String,
    /// The id of the API token the request used (a digest of it, never the token), as
    /// System Log events of API-token calls carry it in `transaction.detail`.
    pub api_token_id: Option<String>,
}

/// The org index and user id behind the request's credential.
pub fn authenticate(state: &SimState, headers: &HeaderMap) -> Result<(usize, String), ApiError> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(ApiError::invalid_token)?;
    let token = header
        .strip_prefix("SSWS")
        .map(str::trim_start)
        .ok_or_else(ApiError::invalid_token)?;
    state
        .orgs
        .iter()
        .enumerate()
        .find_map(|(i, org)| {
            org.tokens
                .iter()
                .find(|t| t.token == token)
                .map(|t| (i, t.user_id.clone()))
        })
        .ok_or_else(ApiError::invalid_token)
}

/// Roles that may read and change what oktaform manages.
impl Org {
    /// The user's roles, held directly or through a group.
    fn roles_of<'a>(&'a self, user_id: &'a str) -> Vec<&'a str> {
        let direct = self
            .users
            .iter()
            .find(|u| u.id == user_id)
            .into_iter()
            .flat_map(|u| u.roles.iter());
        direct
            .chain(self.groups_of(user_id).flat_map(|g| g.roles.iter()))
            .map(|r| r.role_type.as_str())
            .collect()
    }

    /// Any admin role: reads of apps, users and roles.
    pub fn require_admin(&self, user_id: &str) -> Result<(), ApiError> {
        if self.roles_of(user_id).is_empty() {
            Err(ApiError::forbidden())
        } else {
            Ok(())
        }
    }

    /// Super admin: granting scopes and assigning roles.
    pub fn require_super_admin(&self, user_id: &str) -> Result<(), ApiError> {
        if self.roles_of(user_id).contains(&"SUPER_ADMIN") {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// Assigning users to apps.
    pub fn require_app_admin(&self, user_id: &str) -> Result<(), ApiError> {
        let roles = self.roles_of(user_id);
        if roles
            .iter()
            .any(|r| matches!(*r, "SUPER_ADMIN" | "ORG_ADMIN" | "APP_ADMIN"))
        {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}
