//! Who is calling: the org that owns the credential, the user behind it, and what they may
//! do. `SSWS <token>` and `SSWS<token>` (as the Python SDK sends it) are both accepted, and
//! so are the `Bearer` and `DPoP` tokens of service apps.

use super::http::ApiError;
use super::oauth::{Scheme, Tokens};
use super::state::{Org, SimState};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

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
    /// The client id of an OAuth token's app; `None` for API-token calls.
    pub oauth_client: Option<String>,
}

/// The authorization scheme of an API request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `SSWS`: an API token.
    ApiToken,
    /// An access token of the org authorization server.
    OAuth(Scheme),
}

impl AuthScheme {
    /// `SSWS`, `Bearer` or `DPoP`.
    pub fn name(self) -> &'static str {
        match self {
            AuthScheme::ApiToken => "SSWS",
            AuthScheme::OAuth(scheme) => scheme.name(),
        }
    }
}

/// Who a request's credential belongs to, and what it may do.
#[derive(Clone, Debug)]
pub struct Principal {
    pub org: usize,
    /// A user id (API token) or a service app's client id (OAuth token).
    pub actor: String,
    /// How the request authenticated: recorded, never the credential.
    pub scheme: AuthScheme,
    /// The scopes of an OAuth token; an API token holds its user's permissions.
    pub scopes: Option<Vec<String>>,
}

/// Resolves an API request's credential: an API token, or an access token the org's
/// authorization server issued (`url` is the request URL without its query, for DPoP).
pub fn principal(
    state: &SimState,
    tokens: &mut Tokens,
    headers: &HeaderMap,
    method: &str,
    url: &str,
) -> Result<Principal, Box<Response>> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let oauth = [Scheme::Bearer, Scheme::DPoP].into_iter().find_map(|scheme| {
        header
            .strip_prefix(scheme.name())
            .and_then(|rest| rest.strip_prefix(' '))
            .map(|token| (scheme, token.trim()))
    });
    match oauth {
        Some((scheme, token)) => {
            let issued = tokens.authenticate(scheme, token, headers, method, url)?;
            Ok(Principal {
                org: issued.org,
                actor: issued.client_id,
                scheme: AuthScheme::OAuth(scheme),
                scopes: Some(issued.scopes),
            })
        }
        None => authenticate(state, headers)
            .map(|(org, actor)| Principal {
                org,
                actor,
                scheme: AuthScheme::ApiToken,
                scopes: None,
            })
            .map_err(|e| Box::new(e.into_response())),
    }
}

/// The org index and user id behind the request's API token.
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
    pub fn roles_of<'a>(&'a self, user_id: &'a str) -> Vec<&'a str> {
        let direct = self
            .users
            .iter()
            .find(|u| u.id == user_id)
            .into_iter()
            .flat_map(|u| u.roles.iter());
        direct
            .chain(self.groups_of(user_id).flat_map(|g| g.roles.iter()))
            .map(|r| r.role_type.as_str())
            .chain(
                self.apps
                    .iter()
                    .filter(|a| a.client_id == user_id && a.application_type == "service")
                    .flat_map(|a| a.roles.iter().map(String::as_str)),
            )
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
