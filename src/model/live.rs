//! What the org has, as far as the plan needs it: per Workflows app its grants, secrets and
//! the service accounts of its connections. Ids are kept to act on; the fingerprint covers
//! the facts only.

use super::AppKey;
use crate::secret::Secret;
use sha2::{Digest, Sha256};
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

impl LiveApp {
    /// `sha256:<hex>` of the facts: name, label, status, granted scopes, and per account its
    /// status, super admin and assignment. Never ids, timestamps or secrets.
    pub fn fingerprint(&self) -> String {
        let facts = serde_json::json!({
            "name": self.name,
            "label": self.label,
            "status": self.status,
            "grants": self.grants.iter().map(|(scope, ids)| (scope.clone(), ids.len())).collect::<BTreeMap<_, _>>(),
            "accounts": self.accounts.iter().map(|(login, a)| (login.clone(), serde_json::json!({
                "status": a.status,
                "super_admin": a.is_super_admin(),
                "assigned": a.assigned,
            }))).collect::<BTreeMap<_, _>>(),
        });
        format!("sha256:{:x}", Sha256::digest(facts.to_string().as_bytes()))
    }
}

/// Everything read from the orgs.
#[derive(Clone, Debug, Default)]
pub struct Live {
    pub apps: BTreeMap<AppKey, LiveApp>,
}
