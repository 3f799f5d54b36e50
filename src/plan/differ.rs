//! Desired vs live, per app: grants to create and revoke (never an auto-granted scope),
//! the service accounts' assignment and super admin role, reauthorize steps, the client
//! secret check, and the safety rules. Deterministic: apps by their first connection,
//! changes in apply order.

use super::{Action, Change, Kind, ObjectState, SafetyRule, Unmanaged};
use crate::catalog;
use crate::config::ScopePolicy;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{App, Desired, Live, LiveApp, Origin};
use crate::validate::Sites;
use std::collections::{BTreeMap, BTreeSet};

/// The diff of one run.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub unmanaged: Vec<Unmanaged>,
    /// Desired facts already true.
    pub unchanged: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Computes the diff for the selected connections.
pub struct Differ<'a> {
    pub desired: &'a Desired,
    pub live: &'a Live,
    pub sites: &'a Sites,
    /// Connections whose changes are shown; apps are shown when any of theirs is.
    pub selected: &'a BTreeSet<String>,
}

fn grant_address(connection: &str, scope: &str) -> String {
    format!(
        "connection.{connection}.grant[{}]",
        serde_json::Value::String(scope.to_owned())
    )
}

fn reason_for(origins: &[Origin]) -> String {
    let sites: Vec<String> = origins
        .iter()
        .map(|o| format!("scopes.{} ({}:{})", o.scopes, o.file, o.line))
        .collect();
    format!("declared by {}", sites.join(", "))
}

impl Differ<'_> {
    pub fn diff(&self) -> Diff {
        let mut diff = Diff::default();
        let mut apps: Vec<&App> = self
            .desired
            .apps
            .values()
            .filter(|app| app.connections.iter().any(|c| self.selected.contains(c)))
            .collect();
        apps.sort_by(|a, b| a.connections.cmp(&b.connections));
        for app in apps {
            if let Some(live) = self.live.apps.get(&app.key) {
                self.diff_app(app, live, &mut diff);
            }
        }
        diff
    }

    fn retired(&self, connection: &str) -> bool {
        self.desired.connections.get(connection).is_some_and(|c| c.retired)
    }

    fn diff_app(&self, app: &App, live: &LiveApp, diff: &mut Diff) {
        let owner = app.connections.first().cloned().unwrap_or_default();
        let change = |address: String, action, kind, connection: &str, scope: Option<&str>, reason: String| Change {
            address,
            action,
            kind,
            connection: connection.to_owned(),
            scope: scope.map(str::to_owned),
            reason,
            requires_force: false,
            safety_rule: None,
            before: None,
            after: None,
            domain: app.key.domain.clone(),
            client_id: app.key.client_id.clone(),
            account: None,
        };
        let auto: BTreeSet<&str> = catalog::auto_granted(&app.connector).into_iter().collect();
        // Desired: declared by a connection that is not retired.
        let desired: BTreeMap<&str, Vec<Origin>> = app
            .grants
            .iter()
            .filter_map(|(scope, origins)| {
                let active: Vec<Origin> = origins
                    .iter()
                    .filter(|o| !self.retired(&o.connection))
                    .cloned()
                    .collect();
                (!active.is_empty()).then_some((scope.as_str(), active))
            })
            .collect();
        let mut creates = Vec::new();
        let mut deletes = Vec::new();
        for (scope, origins) in &desired {
            if auto.contains(scope) {
                continue;
            }
            if live.grants.contains_key(*scope) {
                diff.unchanged += 1;
            } else {
                creates.push(change(
                    grant_address(&owner, scope),
                    Action::Create,
                    Kind::Grant,
                    &owner,
                    Some(scope),
                    reason_for(origins),
                ));
            }
        }
        let listed_auto: Vec<&str> = auto.iter().copied().filter(|s| live.grants.contains_key(*s)).collect();
        if !listed_auto.is_empty() {
            diff.unchanged += listed_auto.len();
            for scope in auto.iter().filter(|s| !live.grants.contains_key(**s)) {
                creates.push(change(
                    grant_address(&owner, scope),
                    Action::Create,
                    Kind::Grant,
                    &owner,
                    Some(scope),
                    "auto-granted scope missing: the app lists other auto-granted scopes, and the connection's authorization fails without this one".to_owned(),
                ));
            }
        }
        let all_retired = app.connections.iter().all(|c| self.retired(c));
        for scope in live
            .grants
            .keys()
            .filter(|s| !auto.contains(s.as_str()) && !desired.contains_key(s.as_str()))
        {
            let declared_by_retired = app.grants.contains_key(scope);
            if declared_by_retired || all_retired {
                let mut revoke = change(
                    grant_address(&owner, scope),
                    Action::Delete,
                    Kind::Grant,
                    &owner,
                    Some(scope),
                    "declared only by a retired connection".to_owned(),
                );
                if all_retired && !declared_by_retired {
                    "every connection of the app is retired".clone_into(&mut revoke.reason);
                }
                revoke.safety_rule = Some(SafetyRule::Retire);
                deletes.push(revoke);
            } else if app.scope_policy == ScopePolicy::Additive {
                diff.unmanaged.push(Unmanaged {
                    address: grant_address(&owner, scope),
                    connection: owner.clone(),
                    scope: scope.clone(),
                    domain: app.key.domain.clone(),
                    client_id: app.key.client_id.clone(),
                });
            } else {
                deletes.push(change(
                    grant_address(&owner, scope),
                    Action::Delete,
                    Kind::Grant,
                    &owner,
                    Some(scope),
                    "not declared by any scopes block (scope_policy = \"exact\")".to_owned(),
                ));
            }
        }
        self.mass_revoke(live, &auto, &mut deletes);
        for grant in &mut creates {
            grant.before = Some(ObjectState::granted(false));
            grant.after = Some(ObjectState::granted(true));
        }
        for grant in &mut deletes {
            grant.before = Some(ObjectState::granted(true));
            grant.after = Some(ObjectState::granted(false));
        }
        let grants_change = !creates.is_empty() || !deletes.is_empty();

        let mut accounts = Vec::new();
        let active_logins: BTreeSet<&str> = app
            .connections
            .iter()
            .filter(|c| !self.retired(c))
            .filter_map(|c| self.desired.connections.get(c))
            .map(|c| c.service_account.as_str())
            .collect();
        for name in app.connections.iter().filter(|c| self.selected.contains(*c)) {
            let Some(connection) = self.desired.connections.get(name) else {
                continue;
            };
            let Some(account) = live.accounts.get(&connection.service_account) else {
                continue;
            };
            let mut with_account = |mut c: Change, before: ObjectState, after: ObjectState| {
                c.account = Some(connection.service_account.clone());
                c.before = Some(before);
                c.after = Some(after);
                accounts.push(c);
            };
            if connection.retired {
                if account.assigned && !active_logins.contains(connection.service_account.as_str()) {
                    let mut unassign = change(
                        format!("connection.{name}.assignment"),
                        Action::Delete,
                        Kind::Assignment,
                        name,
                        None,
                        "the connection is retired".to_owned(),
                    );
                    unassign.safety_rule = Some(SafetyRule::Retire);
                    with_account(unassign, ObjectState::assigned(true), ObjectState::assigned(false));
                }
                continue;
            }
            if account.assigned {
                diff.unchanged += 1;
            } else {
                let assign = change(
                    format!("connection.{name}.assignment"),
                    Action::Create,
                    Kind::Assignment,
                    name,
                    None,
                    "the service account must be assigned to the Okta Workflows OAuth app".to_owned(),
                );
                with_account(assign, ObjectState::assigned(false), ObjectState::assigned(true));
            }
            if account.is_super_admin() {
                diff.unchanged += 1;
            } else {
                let mut role = change(
                    format!("connection.{name}.super_admin"),
                    Action::Create,
                    Kind::Role,
                    name,
                    None,
                    "the service account must be a super admin to authorize the connection".to_owned(),
                );
                role.safety_rule = Some(SafetyRule::Privileged);
                with_account(role, ObjectState::super_admin(false), ObjectState::super_admin(true));
            }
        }
        self.check_secrets(app, live, diff);

        let mut reauthorize = Vec::new();
        if grants_change {
            for name in app
                .connections
                .iter()
                .filter(|c| self.selected.contains(*c) && !self.retired(c))
            {
                reauthorize.push(change(
                    format!("connection.{name}.reauthorize"),
                    Action::Manual,
                    Kind::Reauthorize,
                    name,
                    None,
                    "the app's grants change: reauthorize the connection in the Workflows Console to pick them up"
                        .to_owned(),
                ));
            }
        }
        let mut ordered: Vec<Change> = accounts
            .into_iter()
            .chain(creates)
            .chain(deletes)
            .chain(reauthorize)
            .collect();
        for change in &mut ordered {
            change.requires_force = change.safety_rule.is_some();
        }
        ordered.sort_by(|a, b| (a.kind, a.action, &a.address).cmp(&(b.kind, b.action, &b.address)));
        diff.changes.extend(ordered);
    }

    /// Marks every revoke of an app when they are more than `max_revoke_percent` of its
    /// non-default grants and it has at least `min_grants`.
    fn mass_revoke(&self, live: &LiveApp, auto: &BTreeSet<&str>, deletes: &mut [Change]) {
        let safety = self.desired.safety;
        let current = live.grants.keys().filter(|s| !auto.contains(s.as_str())).count();
        let revoking = deletes.len();
        if current >= safety.min_grants as usize && revoking * 100 > usize::from(safety.max_revoke_percent) * current {
            for delete in deletes.iter_mut().filter(|d| d.safety_rule.is_none()) {
                delete.safety_rule = Some(SafetyRule::MassRevoke);
                delete.reason = format!(
                    "{}; {revoking} of {current} non-default grants would be revoked",
                    delete.reason
                );
            }
        }
    }

    /// Compares each configured client secret with the app's, in constant time.
    fn check_secrets(&self, app: &App, live: &LiveApp, diff: &mut Diff) {
        for name in app.connections.iter().filter(|c| self.selected.contains(*c)) {
            let Some(connection) = self.desired.connections.get(name) else {
                continue;
            };
            let Some(secret) = connection.client_secret.as_ref().filter(|s| !s.expose().is_empty()) else {
                continue;
            };
            let Some(span) = self.sites.connection(name, |c| c.client_secret) else {
                continue;
            };
            match &live.client_secrets {
                Some(secrets) if secrets.is_empty() => diff.diagnostics.push(
                    Diagnostic::new(
                        Code::PlanClientSecretUnverified,
                        format!("the client secret of connection `{name}` could not be verified"),
                    )
                    .at(span, "could not verify")
                    .help("the org shows no ACTIVE client secret of the app"),
                ),
                Some(secrets) if !secrets.iter().any(|s| secret.constant_time_eq(s.expose())) => diff.diagnostics.push(
                    Diagnostic::new(
                        Code::PlanClientSecretMismatch,
                        format!("the client secret of connection `{name}` does not match the app's"),
                    )
                    .at(span, "not a secret of the app")
                    .help("copy the client secret from the Sign On tab of the Okta Workflows OAuth app"),
                ),
                _ => {}
            }
        }
    }
}
