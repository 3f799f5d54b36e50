//! The seed format: the starting state of one or more orgs, as tests and examples write it.
//! Extend it, never break it: every field added here is optional.

use serde::Deserialize;
use std::path::Path;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub orgs: Vec<SeedOrg>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOrg {
    pub domain: String,
    pub tokens: Vec<SeedToken>,
    #[serde(default)]
    pub users: Vec<SeedUser>,
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    #[serde(default)]
    pub apps: Vec<SeedApp>,
    #[serde(default)]
    pub log_events: Vec<serde_json::Value>,
    #[serde(default)]
    pub synthetic_log_events: Option<SyntheticLogEvents>,
    /// Limited Early Access scopes whose feature is enabled for this org.
    #[serde(default)]
    pub early_access_scopes: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    pub token: String,
    /// The login (or id) of the user the token acts as.
    pub user: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub id: String,
    pub login: String,
    #[serde(default = "active")]
    pub status: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
}

/// A group: its members (user ids) and the admin roles they hold through it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A client secret of an app.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedSecret {
    pub secret: String,
    #[serde(default = "active")]
    pub status: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedApp {
    pub id: String,
    pub name: String,
    pub label: String,
    #[serde(default = "active")]
    pub status: String,
    /// Defaults to the app id, as Okta does for OIDC apps.
    #[serde(default)]
    pub client_id: Option<String>,
    /// One ACTIVE client secret (shorthand for `client_secrets`).
    #[serde(default)]
    pub client_secret: Option<String>,
    #[serde(default)]
    pub client_secrets: Vec<SeedSecret>,
    /// `settings.oauthClient.redirect_uris`; default: the Workflows callback for `flow`
    /// apps, none for others.
    #[serde(default)]
    pub redirect_uris: Option<Vec<String>>,
    /// False: reads of the app carry no `credentials.oauthClient`, as Okta's own
    /// first-party apps may.
    #[serde(default = "yes")]
    pub oauth_client_visible: bool,
    #[serde(default)]
    pub application_type: Option<String>,
    #[serde(default)]
    pub jwks: Option<serde_json::Value>,
    #[serde(default)]
    pub dpop_bound_access_tokens: bool,
    /// Admin roles of a service app (default: none, as Okta gives a new service app).
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    /// User ids assigned to the app.
    #[serde(default)]
    pub assigned_users: Vec<String>,
    /// Group ids assigned to the app: their members have it with `scope` `GROUP`.
    #[serde(default)]
    pub assigned_groups: Vec<String>,
    /// Granted scopes.
    #[serde(default)]
    pub grants: Vec<String>,
}

/// Log events generated from their index and seed, never stored.
#[derive(Clone, Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheticLogEvents {
    pub count: u64,
    pub start: String,
    pub seed: u64,
    /// Seconds between consecutive events (default 1): a long interval spreads few events
    /// over a long time.
    #[serde(default = "one_second")]
    pub interval_seconds: u64,
}

fn one_second() -> u64 {
    1
}

fn active() -> String {
    "ACTIVE".to_owned()
}

fn yes() -> bool {
    true
}

impl Seed {
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn read(path: &Path) -> Result<Self, String> {
        let text = crate::input::read_text(path, crate::input::SIM_LIMIT)
            .map_err(|e| format!("cannot read the seed `{}`: {e}", path.display()))?;
        Self::from_json(&text).map_err(|e| format!("`{}` is not a valid seed: {e}", path.display()))
    }
}
