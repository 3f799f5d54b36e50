//! One planned change: a [`Step`] (one variant per executable step, carrying exactly its
//! data), the connections it concerns, why it is planned, and the safety rule it falls
//! under. In the plan document a change is a flat record whose address, kind, action and
//! before/after states are derived from the step; reading one back checks that they agree,
//! so a record that describes no step cannot be built.

use crate::model::{AppKey, SafetyRule};
#[cfg(test)]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
#[cfg(test)]
use std::borrow::Cow;
use std::fmt::Write as _;

/// What a change does: the symbol of the human view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Delete,
    /// A step for a person: reauthorize the connection in the Workflows Console.
    Manual,
}

impl Action {
    pub fn symbol(self) -> char {
        match self {
            Action::Create => '+',
            Action::Delete => '-',
            Action::Manual => '!',
        }
    }
}

/// What a change is about, in apply order within an app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Assignment,
    Role,
    Grant,
    Reauthorize,
}

/// One executable step, by the natural identity of its object in the org.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Grant `scope` to the app.
    Grant { app: AppKey, scope: String },
    /// Revoke every ACTIVE admin grant of `scope` from the app.
    Revoke { app: AppKey, scope: String },
    /// Assign the user `login` to the app.
    Assign { app: AppKey, login: String },
    /// Unassign the user `login` from the app (only for a retired connection).
    Unassign { app: AppKey, login: String },
    /// Give the user `login` of the org `domain` the `SUPER_ADMIN` role.
    MakeSuperAdmin { domain: String, login: String },
    /// Remove the `SUPER_ADMIN` role the user `login` holds directly (only for the account of
    /// retired connections that no other connection of the org uses).
    RemoveSuperAdmin { domain: String, login: String },
    /// A person reauthorizes `connection` in the Workflows Console, after the grants of
    /// `app` changed.
    Reauthorize { connection: String, app: AppKey },
}

/// Whether an object holds: granted, assigned, super admin. `before` and `after` of a
/// change describe its object with one of these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
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

fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// `app["<domain>/<client_id>"]`.
pub fn app_address(app: &AppKey) -> String {
    format!("app[{}]", quoted(&format!("{}/{}", app.domain, app.client_id)))
}

/// `app["<domain>/<client_id>"].grant["<scope>"]`.
pub fn grant_address(app: &AppKey, scope: &str) -> String {
    format!("{}.grant[{}]", app_address(app), quoted(scope))
}

impl Step {
    /// The address: the natural identity of the object, independent of connection names.
    pub fn address(&self) -> String {
        match self {
            Step::Grant { app, scope } | Step::Revoke { app, scope } => grant_address(app, scope),
            Step::Assign { app, login } | Step::Unassign { app, login } => {
                format!("{}.assignment[{}]", app_address(app), quoted(login))
            }
            Step::MakeSuperAdmin { domain, login } | Step::RemoveSuperAdmin { domain, login } => {
                format!("user[{}].super_admin", quoted(&format!("{domain}/{login}")))
            }
            Step::Reauthorize { connection, .. } => format!("connection.{connection}.reauthorize"),
        }
    }

    pub fn action(&self) -> Action {
        match self {
            Step::Grant { .. } | Step::Assign { .. } | Step::MakeSuperAdmin { .. } => Action::Create,
            Step::Revoke { .. } | Step::Unassign { .. } | Step::RemoveSuperAdmin { .. } => Action::Delete,
            Step::Reauthorize { .. } => Action::Manual,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Step::Grant { .. } | Step::Revoke { .. } => Kind::Grant,
            Step::Assign { .. } | Step::Unassign { .. } => Kind::Assignment,
            Step::MakeSuperAdmin { .. } | Step::RemoveSuperAdmin { .. } => Kind::Role,
            Step::Reauthorize { .. } => Kind::Reauthorize,
        }
    }

    pub fn domain(&self) -> &str {
        match self {
            Step::Grant { app, .. }
            | Step::Revoke { app, .. }
            | Step::Assign { app, .. }
            | Step::Unassign { app, .. }
            | Step::Reauthorize { app, .. } => &app.domain,
            Step::MakeSuperAdmin { domain, .. } | Step::RemoveSuperAdmin { domain, .. } => domain,
        }
    }

    /// The app the step acts on; a role belongs to a user, not an app.
    pub fn app(&self) -> Option<&AppKey> {
        match self {
            Step::Grant { app, .. }
            | Step::Revoke { app, .. }
            | Step::Assign { app, .. }
            | Step::Unassign { app, .. }
            | Step::Reauthorize { app, .. } => Some(app),
            Step::MakeSuperAdmin { .. } | Step::RemoveSuperAdmin { .. } => None,
        }
    }

    /// The object's state before and after; `None` for the manual step.
    pub fn states(&self) -> Option<(ObjectState, ObjectState)> {
        Some(match self {
            Step::Grant { .. } => (ObjectState::granted(false), ObjectState::granted(true)),
            Step::Revoke { .. } => (ObjectState::granted(true), ObjectState::granted(false)),
            Step::Assign { .. } => (ObjectState::assigned(false), ObjectState::assigned(true)),
            Step::Unassign { .. } => (ObjectState::assigned(true), ObjectState::assigned(false)),
            Step::MakeSuperAdmin { .. } => (ObjectState::super_admin(false), ObjectState::super_admin(true)),
            Step::RemoveSuperAdmin { .. } => (ObjectState::super_admin(true), ObjectState::super_admin(false)),
            Step::Reauthorize { .. } => return None,
        })
    }
}

/// Where a desired grant was declared, for people: the `scopes` block and its file (relative
/// to the config path) and line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
pub struct Declaration {
    /// `scopes.<name>`.
    pub block: String,
    pub file: String,
    pub line: usize,
    /// The block's `reason`, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The flows (of `flows` blocks) whose cards need the scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<String>,
}

/// Why a change is planned. Data, rendered by the views; never used to decide anything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// `scopes` blocks declare the grant.
    DeclaredBy(Vec<Declaration>),
    /// An auto-granted scope is missing while the app lists other auto-granted scopes.
    AutoGrantedMissing,
    /// No `scopes` block declares the grant and the app's policy is `exact`.
    Undeclared,
    /// Only retired connections declare the grant.
    DeclaredOnlyByRetired,
    /// Every connection of the app is retired.
    AppRetired,
    /// The connections' service account must be assigned to the app.
    AccountUnassigned,
    /// The connections' service account must be a super admin.
    AccountNotSuperAdmin,
    /// The connection is retired and no active connection of the app uses its account.
    ConnectionRetired,
    /// The app's grants change; the connection picks them up only when reauthorized.
    GrantsChange,
}

impl Reason {
    /// One line for people.
    pub fn describe(&self) -> String {
        match self {
            Reason::DeclaredBy(declarations) => {
                let sites: Vec<String> = declarations
                    .iter()
                    .map(|d| {
                        let mut site = format!("{} ({}:{})", d.block, d.file, d.line);
                        if let Some(reason) = &d.reason {
                            let _ = write!(site, " for \"{reason}\"");
                        }
                        if !d.flows.is_empty() {
                            let _ = write!(site, ", used by {}", d.flows.join(", "));
                        }
                        site
                    })
                    .collect();
                format!("declared by {}", sites.join(", "))
            }
            Reason::AutoGrantedMissing => "auto-granted scope missing: the app lists other auto-granted scopes, and the connection's authorization fails without this one".to_owned(),
            Reason::Undeclared => "not declared by any scopes block (scope_policy = \"exact\")".to_owned(),
            Reason::DeclaredOnlyByRetired => "declared only by a retired connection".to_owned(),
            Reason::AppRetired => "every connection of the app is retired".to_owned(),
            Reason::AccountUnassigned => "the service account must be assigned to the Okta Workflows OAuth app".to_owned(),
            Reason::AccountNotSuperAdmin => "the service account must be a super admin to authorize the connection".to_owned(),
            Reason::ConnectionRetired => "the connection is retired".to_owned(),
            Reason::GrantsChange => "the app's grants change: reauthorize the connection in the Workflows Console to pick them up".to_owned(),
        }
    }
}

/// One planned change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub step: Step,
    /// Every connection the change concerns: all connections using the app or account.
    pub connections: Vec<String>,
    pub reason: Reason,
    /// The rule that makes `apply` ask for `--force`.
    pub safety_rule: Option<SafetyRule>,
}

impl Change {
    pub fn new(step: Step, connections: Vec<String>, reason: Reason) -> Self {
        Self {
            step,
            connections,
            reason,
            safety_rule: None,
        }
    }

    pub fn address(&self) -> String {
        self.step.address()
    }

    pub fn action(&self) -> Action {
        self.step.action()
    }

    pub fn kind(&self) -> Kind {
        self.step.kind()
    }
}

/// A change as the plan document writes it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
struct ChangeRecord {
    address: String,
    action: Action,
    kind: Kind,
    domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    /// The service account, for assignment and role changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    login: Option<String>,
    /// The connection to reauthorize, for the manual step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    connection: Option<String>,
    connections: Vec<String>,
    reason: Reason,
    safety_rule: Option<SafetyRule>,
    before: Option<ObjectState>,
    after: Option<ObjectState>,
}

impl From<&Change> for ChangeRecord {
    fn from(change: &Change) -> Self {
        let step = &change.step;
        let (before, after) = step.states().map_or((None, None), |(b, a)| (Some(b), Some(a)));
        let mut record = ChangeRecord {
            address: step.address(),
            action: step.action(),
            kind: step.kind(),
            domain: step.domain().to_owned(),
            client_id: step.app().map(|a| a.client_id.clone()),
            scope: None,
            login: None,
            connection: None,
            connections: change.connections.clone(),
            reason: change.reason.clone(),
            safety_rule: change.safety_rule,
            before,
            after,
        };
        match step {
            Step::Grant { scope, .. } | Step::Revoke { scope, .. } => record.scope = Some(scope.clone()),
            Step::Assign { login, .. }
            | Step::Unassign { login, .. }
            | Step::MakeSuperAdmin { login, .. }
            | Step::RemoveSuperAdmin { login, .. } => {
                record.login = Some(login.clone());
            }
            Step::Reauthorize { connection, .. } => record.connection = Some(connection.clone()),
        }
        record
    }
}

impl TryFrom<ChangeRecord> for Change {
    type Error = String;

    fn try_from(record: ChangeRecord) -> Result<Self, String> {
        let missing = |field: &str| format!("a {:?} {:?} change needs `{field}`", record.kind, record.action);
        let app = || {
            record.client_id.clone().map(|client_id| AppKey {
                domain: record.domain.clone(),
                client_id,
            })
        };
        let step = match (record.kind, record.action) {
            (Kind::Grant, Action::Create | Action::Delete) => {
                let app = app().ok_or_else(|| missing("client_id"))?;
                let scope = record.scope.clone().ok_or_else(|| missing("scope"))?;
                if record.action == Action::Create {
                    Step::Grant { app, scope }
                } else {
                    Step::Revoke { app, scope }
                }
            }
            (Kind::Assignment, Action::Create | Action::Delete) => {
                let app = app().ok_or_else(|| missing("client_id"))?;
                let login = record.login.clone().ok_or_else(|| missing("login"))?;
                if record.action == Action::Create {
                    Step::Assign { app, login }
                } else {
                    Step::Unassign { app, login }
                }
            }
            (Kind::Role, Action::Create | Action::Delete) => {
                let (domain, login) = (
                    record.domain.clone(),
                    record.login.clone().ok_or_else(|| missing("login"))?,
                );
                if record.action == Action::Create {
                    Step::MakeSuperAdmin { domain, login }
                } else {
                    Step::RemoveSuperAdmin { domain, login }
                }
            }
            (Kind::Reauthorize, Action::Manual) => Step::Reauthorize {
                connection: record.connection.clone().ok_or_else(|| missing("connection"))?,
                app: app().ok_or_else(|| missing("client_id"))?,
            },
            (kind, action) => return Err(format!("no change is a {kind:?} with the action {action:?}")),
        };
        let change = Change {
            step,
            connections: record.connections.clone(),
            reason: record.reason.clone(),
            safety_rule: record.safety_rule,
        };
        let canonical = ChangeRecord::from(&change);
        if canonical.address != record.address
            || canonical.before != record.before
            || canonical.after != record.after
            || canonical.scope != record.scope
            || canonical.login != record.login
            || canonical.connection != record.connection
            || canonical.client_id != record.client_id
        {
            return Err(format!(
                "the change `{}` does not agree with its own fields (expected the address `{}`)",
                record.address, canonical.address
            ));
        }
        Ok(change)
    }
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ChangeRecord::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let record = ChangeRecord::deserialize(deserializer)?;
        Change::try_from(record).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
impl JsonSchema for Change {
    fn schema_name() -> Cow<'static, str> {
        "Change".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ChangeRecord::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> AppKey {
        AppKey {
            domain: "acme.okta.com".into(),
            client_id: "0oa1".into(),
        }
    }

    #[test]
    fn addresses_are_natural_identities() {
        let cases = [
            (
                Step::Grant {
                    app: app(),
                    scope: "okta.users.read".into(),
                },
                r#"app["acme.okta.com/0oa1"].grant["okta.users.read"]"#,
            ),
            (
                Step::Unassign {
                    app: app(),
                    login: "svc@acme.com".into(),
                },
                r#"app["acme.okta.com/0oa1"].assignment["svc@acme.com"]"#,
            ),
            (
                Step::MakeSuperAdmin {
                    domain: "acme.okta.com".into(),
                    login: "a\"b".into(),
                },
                r#"user["acme.okta.com/a\"b"].super_admin"#,
            ),
            (
                Step::Reauthorize {
                    connection: "prod".into(),
                    app: app(),
                },
                "connection.prod.reauthorize",
            ),
        ];
        for (step, address) in cases {
            assert_eq!(step.address(), address);
        }
    }

    #[test]
    fn every_step_round_trips_and_a_record_must_agree_with_itself() {
        let steps = [
            Step::Grant {
                app: app(),
                scope: "s".into(),
            },
            Step::Revoke {
                app: app(),
                scope: "s".into(),
            },
            Step::Assign {
                app: app(),
                login: "l".into(),
            },
            Step::Unassign {
                app: app(),
                login: "l".into(),
            },
            Step::MakeSuperAdmin {
                domain: "acme.okta.com".into(),
                login: "l".into(),
            },
            Step::RemoveSuperAdmin {
                domain: "acme.okta.com".into(),
                login: "l".into(),
            },
            Step::Reauthorize {
                connection: "c".into(),
                app: app(),
            },
        ];
        for step in steps {
            let change = Change::new(step, vec!["c".into()], Reason::GrantsChange);
            let json = serde_json::to_value(&change).unwrap();
            assert_eq!(serde_json::from_value::<Change>(json.clone()).unwrap(), change);
            let mut flipped = json.clone();
            flipped["after"] = flipped["before"].clone();
            if json["before"].is_null() {
                flipped["before"] = serde_json::json!({"granted": true});
            }
            assert!(serde_json::from_value::<Change>(flipped).is_err(), "{json}");
            let mut other = json;
            other["address"] = "connection.x.grant[\"s\"]".into();
            assert!(serde_json::from_value::<Change>(other).is_err());
        }
    }

    #[test]
    fn impossible_combinations_are_refused() {
        let record = serde_json::json!({
            "address": "x", "action": "manual", "kind": "role", "domain": "acme.okta.com",
            "login": "l", "connections": [], "reason": "grants_change", "safety_rule": null,
            "before": null, "after": null
        });
        let error = serde_json::from_value::<Change>(record).unwrap_err().to_string();
        assert_eq!(error, "no change is a Role with the action Manual");
    }
}
