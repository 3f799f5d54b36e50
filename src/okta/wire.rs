//! Okta's JSON shapes, as far as oktaform reads them. Every secret is a [`Secret`]; unknown
//! fields are ignored so that Okta can add to its answers.

use crate::catalog::Status;
use crate::secret::Secret;
use serde::Deserialize;

/// An error answer (`errorCode`, `errorSummary`).
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    #[serde(rename = "errorCode", default)]
    pub error_code: String,
    #[serde(rename = "errorSummary", default)]
    pub error_summary: String,
    #[serde(rename = "errorCauses", default)]
    pub error_causes: Vec<ErrorCause>,
}

#[derive(Debug, Deserialize)]
pub struct ErrorCause {
    #[serde(rename = "errorSummary", default)]
    pub error_summary: String,
}

impl ErrorBody {
    /// The summary with its causes, as one line.
    pub fn message(&self) -> String {
        let causes: Vec<&str> = self
            .error_causes
            .iter()
            .map(|c| c.error_summary.as_str())
            .filter(|c| !c.is_empty())
            .collect();
        if causes.is_empty() {
            self.error_summary.clone()
        } else {
            format!("{} ({})", self.error_summary, causes.join("; "))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct App {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub credentials: AppCredentials,
    #[serde(default)]
    pub settings: AppSettings,
}

#[derive(Debug, Default, Deserialize)]
pub struct AppSettings {
    #[serde(rename = "oauthClient", default)]
    pub oauth_client: Option<OAuthClientSettings>,
}

#[derive(Debug, Default, Deserialize)]
pub struct OAuthClientSettings {
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AppCredentials {
    #[serde(rename = "oauthClient", default)]
    pub oauth_client: Option<OAuthClient>,
}

#[derive(Debug, Deserialize)]
pub struct OAuthClient {
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<Secret>,
}

impl App {
    /// The OAuth client id as the app shows it; `None` when the app shows no
    /// `credentials.oauthClient` (Okta's own first-party apps may not).
    pub fn client_id(&self) -> Option<&str> {
        let client = self.credentials.oauth_client.as_ref()?;
        Some(client.client_id.as_deref().unwrap_or(&self.id))
    }

    pub fn redirect_uris(&self) -> &[String] {
        self.settings
            .oauth_client
            .as_ref()
            .map_or(&[], |c| c.redirect_uris.as_slice())
    }
}

/// One of an app's client secrets.
#[derive(Debug, Deserialize)]
pub struct ClientSecret {
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub client_secret: Option<Secret>,
}

/// A scope consent grant.
#[derive(Debug, Deserialize)]
pub struct Grant {
    pub id: String,
    #[serde(rename = "scopeId")]
    pub scope_id: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub source: Option<String>,
}

impl Grant {
    /// Active admin grants are the ones oktaform manages (absent fields count as such).
    pub fn is_active_admin(&self) -> bool {
        self.status.is_active_or_absent() && self.source.as_deref().is_none_or(|s| s == "ADMIN")
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub status: Status,
    pub profile: UserProfile,
}

#[derive(Clone, Debug, Deserialize)]
pub struct UserProfile {
    pub login: String,
}

/// An admin role assignment.
#[derive(Clone, Debug, Deserialize)]
pub struct Role {
    pub id: String,
    #[serde(rename = "type")]
    pub role_type: String,
    #[serde(default)]
    pub status: Status,
    /// `USER` (held directly), `GROUP` (through a group) or `CLIENT`; absent in older answers.
    #[serde(rename = "assignmentType", default)]
    pub assignment_type: Option<String>,
}

impl Role {
    pub fn is_active_super_admin(&self) -> bool {
        self.role_type == "SUPER_ADMIN" && self.status.is_active_or_absent()
    }
}

/// A user's assignment to an app: `scope` `USER` (direct) or `GROUP` (through a group).
#[derive(Debug, Deserialize)]
pub struct AppUser {
    pub id: String,
    #[serde(default)]
    pub scope: Option<String>,
}

/// A group (`GET /api/v1/users/{id}/groups`).
#[derive(Debug, Deserialize)]
pub struct Group {
    pub id: String,
    pub profile: GroupProfile,
}

#[derive(Debug, Deserialize)]
pub struct GroupProfile {
    #[serde(default)]
    pub name: String,
}

/// A group's assignment to an app (`GET /api/v1/apps/{id}/groups`).
#[derive(Debug, Deserialize)]
pub struct AppGroup {
    pub id: String,
}

/// The body of `POST /api/v1/apps/{appId}/grants`.
#[derive(Debug, serde::Serialize)]
pub struct NewGrant<'a> {
    /// The org's own URL (`https://<domain>`), whatever endpoint is called.
    pub issuer: &'a str,
    #[serde(rename = "scopeId")]
    pub scope_id: &'a str,
}

/// The body of `POST /api/v1/apps/{appId}/users`: a direct assignment.
#[derive(Debug, serde::Serialize)]
pub struct NewAppUser<'a> {
    pub id: &'a str,
    pub scope: &'static str,
    pub credentials: AppUserCredentials<'a>,
}

#[derive(Debug, serde::Serialize)]
pub struct AppUserCredentials<'a> {
    #[serde(rename = "userName")]
    pub user_name: &'a str,
}

/// The body of `POST /api/v1/users/{userId}/roles`.
#[derive(Debug, serde::Serialize)]
pub struct NewRole {
    #[serde(rename = "type")]
    pub role_type: &'static str,
}
