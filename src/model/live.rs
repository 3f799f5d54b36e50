//! What the org has, as far as the plan needs it: per Workflows app its grants, secrets and
//! the service accounts of its connections. Ids are kept to act on.

use super::AppKey;
use crate::secret::Secret;
use std::collections::BTreeMap;

/// How a service account has the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Unassigned,
    /// Assigned directly (`scope` `USER`).
    Direct,
    /// Through groups assigned to the app (`scope` `GROUP`), by name; Okta refuses to
    /// unassign such a user.
    Groups(Vec<String>),
}

/// A service account as found in the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveAccount {
    pub user_id: String,
    pub status: crate::catalog::Status,
    /// The account's ACTIVE `SUPER_ADMIN` role assignments (direct or through a group).
    pub super_admin_roles: Vec<SuperAdminRole>,
    pub access: Access,
}

/// An ACTIVE `SUPER_ADMIN` role assignment of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuperAdminRole {
    /// The role assignment's id.
    pub id: String,
    /// Held by the user itself; one held through a group cannot be removed from the user.
    pub direct: bool,
}

impl LiveAccount {
    pub fn is_super_admin(&self) -> bool {
        !self.super_admin_roles.is_empty()
    }

    /// Whether the account has the app, directly or through a group.
    pub fn assigned(&self) -> bool {
        self.access != Access::Unassigned
    }
}

/// What kind of app a connection uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppKind {
    /// The Okta Workflows OAuth app: some scopes are granted to it automatically.
    Workflows,
    /// An OIDC web app whose redirect URIs hold the Workflows callback: the documented way
    /// to connect the Okta connector to another org. No scope is implied for it.
    OtherOrg,
}

/// The client secrets of an app, as far as they could be read.
#[derive(Clone, Debug)]
pub enum Secrets {
    /// Not read: no configured secret to check.
    NotRead,
    /// The ACTIVE secrets.
    Active(Vec<Secret>),
    /// The org refused the list (a 4xx), for this reason.
    Unreadable(String),
}

/// One Workflows OAuth app as found in the org.
#[derive(Clone, Debug)]
pub struct LiveApp {
    pub key: AppKey,
    pub app_id: String,
    pub name: String,
    pub label: String,
    pub status: crate::catalog::Status,
    pub kind: AppKind,
    /// The app was taken for the connection's although its client id could not be read:
    /// the org's only `flow` app, which shows no `credentials.oauthClient`.
    pub client_id_unverified: bool,
    /// ACTIVE grants with source ADMIN: scope -> grant ids (duplicates are revoked together).
    pub grants: BTreeMap<String, Vec<String>>,
    /// The app's client secrets, when a configured secret is to be checked.
    pub client_secrets: Secrets,
    /// Service accounts by the login the config declares.
    pub accounts: BTreeMap<String, LiveAccount>,
}

/// Who oktaform acts as in an org: the System Log names it as the actor of oktaform's own
/// changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    /// The user of an API token (its id and login), or the service app (its client id).
    pub names: Vec<String>,
}

impl Caller {
    /// Whether an event's actor (its `id` or `alternateId`) is this caller.
    pub fn is(&self, id: &str, alternate_id: &str) -> bool {
        self.names
            .iter()
            .any(|name| !name.is_empty() && (name == id || name.eq_ignore_ascii_case(alternate_id)))
    }
}

/// Everything read from the orgs.
#[derive(Clone, Debug, Default)]
pub struct Live {
    pub apps: BTreeMap<AppKey, LiveApp>,
    /// Who oktaform acts as, per domain (as far as it could be read).
    pub callers: BTreeMap<String, Caller>,
}

impl Live {
    /// The service account `login` of the org `domain`, as read with any of its apps.
    pub fn account(&self, domain: &str, login: &str) -> Option<&LiveAccount> {
        self.apps
            .values()
            .filter(|app| app.key.domain == domain)
            .find_map(|app| app.accounts.get(login))
    }
}
