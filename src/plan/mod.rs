//! Plans: the diff of desired and live state, ordered, with safety rules, and the plan
//! document (JSON output and plan file) with its digest and checksum.
//!
//! A change is keyed by its natural address (`connection.<name>.grant["<scope>"]`), never a
//! server id. `before` and `after` describe the object: `{"granted": bool}` for a grant,
//! `{"assigned": bool}` for an assignment, `{"super_admin": bool}` for a role; both are null
//! for the manual reauthorize step. `reason` is for display only.

mod differ;
mod document;

pub use differ::{Diff, Differ};
pub use document::{
    ConfigRef, LiveRef, LogQueryRef, PlanDiagnostic, PlanDocument, PlanError, Summary, Target, config_digest,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a change does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Delete,
    /// A step for a person: reauthorize the connection in the Workflows Console.
    Manual,
}

impl Action {
    /// The symbol of the human view.
    pub fn symbol(self) -> char {
        match self {
            Action::Create => '+',
            Action::Delete => '-',
            Action::Manual => '!',
        }
    }
}

/// What a change is about, in apply order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Assignment,
    Role,
    Grant,
    Reauthorize,
}

/// A rule that a change needs `--force` (or `--force=<rule>`) for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SafetyRule {
    /// Granting `SUPER_ADMIN`.
    Privileged,
    /// Revoking more than `max_revoke_percent` of an app's non-default grants.
    MassRevoke,
    /// A change made because a connection is retired.
    Retire,
}

impl SafetyRule {
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyRule::Privileged => "privileged",
            SafetyRule::MassRevoke => "mass_revoke",
            SafetyRule::Retire => "retire",
        }
    }
}

/// The state of one object before or after a change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub super_admin: Option<bool>,
}

impl ObjectState {
    pub fn granted(granted: bool) -> Self {
        Self {
            granted: Some(granted),
            ..Self::default()
        }
    }

    pub fn assigned(assigned: bool) -> Self {
        Self {
            assigned: Some(assigned),
            ..Self::default()
        }
    }

    pub fn super_admin(super_admin: bool) -> Self {
        Self {
            super_admin: Some(super_admin),
            ..Self::default()
        }
    }
}

/// One planned change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    pub address: String,
    pub action: Action,
    pub kind: Kind,
    pub connection: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Why, for people: which declarations ask for it, or which rule.
    pub reason: String,
    pub requires_force: bool,
    pub safety_rule: Option<SafetyRule>,
    pub before: Option<ObjectState>,
    pub after: Option<ObjectState>,
    /// The org and app the change is made in.
    pub domain: String,
    pub client_id: String,
    /// The service account, for assignment and role changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// A live grant that no `scopes` block declares, kept because the app's policy is
/// `additive`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unmanaged {
    pub address: String,
    pub connection: String,
    pub scope: String,
    pub domain: String,
    pub client_id: String,
}
