//! What the org has, as far as the plan needs it: per Workflows app its grants, secrets and
//! the service accounts of its connections. Ids are kept to act on.

use super::AppKey;
use crate::secret::Secret;
use std::collections::BTreeMap;

/// A service account as found in the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveAccount {
    pub user_id: String,
    pub status: String,
    /// Ids of the account's ACTIVE `SUPER_ADMIN` role assignments.
    pub super_admin_roles: Vec<String>,
    pub assigned: bool,
}

impl LiveAccount {
    pub fn is_super_admin(&self) -> bool {
        !self.super_admin_roles.is_empty()
    }
}

/// One Workflows OAuth app as found in the org.
#[derive(Clone, Debug)]
pub struct LiveApp {
    pub key: AppKey,
    pub app_id: String,
    pub name: String,
    pub label: String,
    pub status: String,
    /// ACTIVE grants with source ADMIN: scope -> grant ids (duplicates are revoked together).
    pub grants: BTreeMap<String, Vec<String>>,
    /// The app's ACTIVE client secrets, when a configured secret is to be checked.
    pub client_secrets: Option<Vec<Secret>>,
    /// Service accounts by the login the config declares.
    pub accounts: BTreeMap<String, LiveAccount>,
}

/// Everything read from the orgs.
#[derive(Clone, Debug, Default)]
pub struct Live {
    pub apps: BTreeMap<AppKey, LiveApp>,
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
