//! Desired vs live, per app: grants to create and revoke (never an auto-granted scope),
//! the service accounts' assignment and super admin role, reauthorize steps for every
//! connection of an app whose grants change, the client secret check, and the safety rules.
//! Deterministic: apps in key order, changes in apply order within an app.

use super::{Change, Declaration, MassRevoke, Reason, Step, Unmanaged, app_address, grant_address};
use crate::catalog;
use crate::config::Sites;
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::model::{Access, App, AppKey, AppKind, Desired, Live, LiveApp, Origin, SafetyRule, ScopePolicy, Secrets};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The diff of one run.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    /// Per app (in key order) in apply order: assignments, roles, grants, revokes, manual steps.
    pub changes: Vec<Change>,
    pub unmanaged: Vec<Unmanaged>,
    pub mass_revokes: Vec<MassRevoke>,
    /// Desired facts already true.
    pub unchanged: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where the config declared things, to say why a grant is planned.
pub struct Declarations<'a> {
    pub sites: &'a Sites,
    pub sources: &'a SourceMap,
    /// The config directory that files are shown relative to; `None` for a config of one
    /// file (shown by its name).
    pub root: Option<&'a Path>,
}

impl Declarations<'_> {
    fn of(&self, app: &AppKey, origins: &[Origin], scope: &str) -> Reason {
        let flows: Vec<String> = self
            .sites
            .flows
            .get(&(app.clone(), scope.to_owned()))
            .map(|f| f.iter().cloned().collect())
            .unwrap_or_default();
        let mut declarations: Vec<Declaration> = origins
            .iter()
            .map(|o| Declaration {
                flows: flows.clone(),
                ..self.declaration(o, scope)
            })
            .collect();
        declarations.sort();
        declarations.dedup();
        Reason::DeclaredBy(declarations)
    }

    /// Where `origin` declared `scope`: its block, and file and line.
    fn declaration(&self, origin: &Origin, scope: &str) -> Declaration {
        let block = format!("scopes.{}", origin.scopes);
        let reason = self.sites.reasons.get(&origin.scopes).cloned();
        let Some(span) = self.sites.grants.get(&(origin.scopes.clone(), scope.to_owned())) else {
            return Declaration {
                block,
                file: String::new(),
                line: 0,
                reason,
                flows: Vec::new(),
            };
        };
        let path = self.sources.path(span.file);
        let relative = match self.root {
            Some(root) => path.strip_prefix(root).unwrap_or(path),
            None => path.file_name().map_or(path, Path::new),
        };
        Declaration {
            block,
            file: relative.display().to_string(),
            line: self.sources.position(*span).line,
            reason,
            flows: Vec::new(),
        }
    }
}

/// Computes the diff for the selected connections: their apps (whose desired grants come
/// from every connection) and their service accounts.
pub struct Differ<'a> {
    pub desired: &'a Desired,
    pub live: &'a Live,
    pub declarations: Declarations<'a>,
    pub selected: &'a BTreeSet<String>,
}

impl Differ<'_> {
    pub fn diff(&self) -> Diff {
        let mut diff = Diff::default();
        let mut roles_planned = BTreeSet::new();
        for app in self
            .desired
            .apps
            .values()
            .filter(|app| app.connections.iter().any(|c| self.selected.contains(c)))
        {
            if let Some(live) = self.live.apps.get(&app.key) {
                self.diff_app(app, live, &mut roles_planned, &mut diff);
            }
        }
        diff
    }

    fn retired(&self, connection: &str) -> bool {
        self.desired.connections.get(connection).is_some_and(|c| c.retired)
    }

    /// The connections of `app` whose service account is `login`.
    fn using_account<'b>(&'b self, app: &'b App, login: &'b str) -> impl Iterator<Item = &'b String> + 'b {
        app.connections.iter().filter(move |c| {
            self.desired
                .connections
                .get(*c)
                .is_some_and(|c| c.service_account == login)
        })
    }

    fn diff_app(&self, app: &App, live: &LiveApp, roles_planned: &mut BTreeSet<String>, diff: &mut Diff) {
        let (mut grants, grants_unchanged) = self.grant_changes(app, live, diff);
        diff.unchanged += grants_unchanged;
        let grants_change = !grants.is_empty();
        let mut changes = self.account_changes(app, live, roles_planned, diff);
        self.check_secrets(app, live, diff);
        changes.append(&mut grants);
        if grants_change {
            for name in app.connections.iter().filter(|c| !self.retired(c)) {
                changes.push(Change::new(
                    Step::Reauthorize {
                        connection: name.clone(),
                        app: app.key.clone(),
                    },
                    vec![name.clone()],
                    Reason::GrantsChange,
                ));
            }
        }
        changes.sort_by_cached_key(|c| (c.kind(), c.action(), c.address()));
        diff.changes.extend(changes);
    }

    /// Grants to create and revoke, with the `retire` and `mass_revoke` rules; the number of
    /// desired grants already in place.
    fn grant_changes(&self, app: &App, live: &LiveApp, diff: &mut Diff) -> (Vec<Change>, usize) {
        // Auto-granted scopes belong to the Workflows OAuth app; an app that connects to
        // another org is an ordinary OIDC app, and none is implied for it.
        let auto: BTreeSet<&str> = match live.kind {
            AppKind::Workflows => catalog::auto_granted(&app.connector).into_iter().collect(),
            AppKind::OtherOrg => BTreeSet::new(),
        };
        let change = |step: Step, reason: Reason| Change::new(step, app.connections.clone(), reason);
        let grant = |scope: &str| Step::Grant {
            app: app.key.clone(),
            scope: scope.to_owned(),
        };
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
        let mut unchanged = 0;
        let mut changes = Vec::new();
        for (scope, origins) in &desired {
            if auto.contains(scope) {
                continue;
            }
            if live.grants.contains_key(*scope) {
                unchanged += 1;
            } else {
                changes.push(change(grant(scope), self.declarations.of(&app.key, origins, scope)));
            }
        }
        let listed_auto = auto.iter().filter(|s| live.grants.contains_key(**s)).count();
        if listed_auto > 0 {
            unchanged += listed_auto;
            for scope in auto.iter().filter(|s| !live.grants.contains_key(**s)) {
                changes.push(change(grant(scope), Reason::AutoGrantedMissing));
            }
        }
        let all_retired = app.connections.iter().all(|c| self.retired(c));
        let mut revokes = Vec::new();
        for scope in live
            .grants
            .keys()
            .filter(|s| !auto.contains(s.as_str()) && !desired.contains_key(s.as_str()))
        {
            let revoke = Step::Revoke {
                app: app.key.clone(),
                scope: scope.clone(),
            };
            if app.grants.contains_key(scope) || all_retired {
                let reason = if app.grants.contains_key(scope) {
                    Reason::DeclaredOnlyByRetired
                } else {
                    Reason::AppRetired
                };
                let mut revoke = change(revoke, reason);
                revoke.safety_rule = Some(SafetyRule::Retire);
                revokes.push(revoke);
            } else if app.scope_policy == ScopePolicy::Additive {
                diff.unmanaged.push(Unmanaged {
                    address: grant_address(&app.key, scope),
                    domain: app.key.domain.clone(),
                    client_id: app.key.client_id.clone(),
                    scope: scope.clone(),
                    connections: app.connections.clone(),
                });
            } else {
                revokes.push(change(revoke, Reason::Undeclared));
            }
        }
        let current = live.grants.keys().filter(|s| !auto.contains(s.as_str())).count();
        if self.desired.safety.is_mass_revoke(revokes.len(), current) {
            let unmarked: Vec<&mut Change> = revokes.iter_mut().filter(|r| r.safety_rule.is_none()).collect();
            if !unmarked.is_empty() {
                for revoke in unmarked {
                    revoke.safety_rule = Some(SafetyRule::MassRevoke);
                }
                diff.mass_revokes.push(MassRevoke {
                    address: app_address(&app.key),
                    domain: app.key.domain.clone(),
                    client_id: app.key.client_id.clone(),
                    revoking: revokes.len(),
                    current,
                });
            }
        }
        changes.append(&mut revokes);
        (changes, unchanged)
    }

    /// Per service account of the selected connections: its assignment to the app and its
    /// super admin role (planned once per org and account).
    fn account_changes(
        &self,
        app: &App,
        live: &LiveApp,
        roles_planned: &mut BTreeSet<String>,
        diff: &mut Diff,
    ) -> Vec<Change> {
        let logins: BTreeSet<&str> = app
            .connections
            .iter()
            .filter(|c| self.selected.contains(*c))
            .filter_map(|c| self.desired.connections.get(c))
            .map(|c| c.service_account.as_str())
            .collect();
        let mut changes = Vec::new();
        for login in logins {
            let Some(account) = live.accounts.get(login) else {
                continue;
            };
            let connections: Vec<String> = self.using_account(app, login).cloned().collect();
            let active = connections.iter().any(|c| !self.retired(c));
            let assignment = |assign: bool| {
                let (app, login) = (app.key.clone(), login.to_owned());
                if assign {
                    Step::Assign { app, login }
                } else {
                    Step::Unassign { app, login }
                }
            };
            if !active {
                match &account.access {
                    Access::Direct => {
                        let mut unassign =
                            Change::new(assignment(false), connections.clone(), Reason::ConnectionRetired);
                        unassign.safety_rule = Some(SafetyRule::Retire);
                        changes.push(unassign);
                    }
                    Access::Groups(groups) => diff.diagnostics.push(self.kept_by_groups(login, groups, &connections)),
                    Access::Unassigned => {}
                }
                if account.is_super_admin() && roles_planned.insert(login.to_owned()) {
                    changes.extend(self.retire_role(&app.key.domain, login, account, &connections, diff));
                }
                continue;
            }
            if !connections
                .iter()
                .any(|c| self.selected.contains(c) && !self.retired(c))
            {
                continue;
            }
            if account.assigned() {
                diff.unchanged += 1;
            } else {
                changes.push(Change::new(
                    assignment(true),
                    connections.clone(),
                    Reason::AccountUnassigned,
                ));
            }
            if account.is_super_admin() {
                diff.unchanged += 1;
            } else if roles_planned.insert(login.to_owned()) {
                let in_org: Vec<String> = self
                    .desired
                    .connections
                    .values()
                    .filter(|c| c.app.domain == app.key.domain && c.service_account == login)
                    .map(|c| c.name.clone())
                    .collect();
                let mut role = Change::new(
                    Step::MakeSuperAdmin {
                        domain: app.key.domain.clone(),
                        login: login.to_owned(),
                    },
                    in_org,
                    Reason::AccountNotSuperAdmin,
                );
                role.safety_rule = Some(SafetyRule::Privileged);
                changes.push(role);
            }
        }
        changes
    }

    /// The `SUPER_ADMIN` role of the account `login` of retired `connections`: removed under
    /// the `retire` rule when no active connection of the org uses the account; else kept,
    /// and the plan says why.
    fn retire_role(
        &self,
        domain: &str,
        login: &str,
        account: &crate::model::LiveAccount,
        connections: &[String],
        diff: &mut Diff,
    ) -> Option<Change> {
        let users: Vec<&str> = self
            .desired
            .connections
            .values()
            .filter(|c| c.app.domain == domain && c.service_account == login && !c.retired)
            .map(|c| c.name.as_str())
            .collect();
        let why = if users.is_empty() {
            if account.super_admin_roles.iter().any(|r| r.direct) {
                let mut remove = Change::new(
                    Step::RemoveSuperAdmin {
                        domain: domain.to_owned(),
                        login: login.to_owned(),
                    },
                    connections.to_vec(),
                    Reason::ConnectionRetired,
                );
                remove.safety_rule = Some(SafetyRule::Retire);
                return Some(remove);
            }
            "a group gives it the role: remove the account from the group, or the role from the group, in the Admin Console".to_owned()
        } else {
            let names: Vec<String> = users.iter().map(|u| format!("`connection.{u}`")).collect();
            format!("{} still uses it", names.join(", "))
        };
        let mut diagnostic =
            Diagnostic::new(Code::PlanSuperAdminKept, format!("`{login}` stays a super admin")).help(why);
        if let Some(span) = connections
            .first()
            .and_then(|c| self.declarations.sites.connection(c, |s| s.service_account))
        {
            diagnostic = diagnostic.at(span, "the retired connection's account");
        }
        diff.diagnostics.push(diagnostic);
        None
    }

    /// A retired connection's account that keeps the app through groups: Okta refuses to
    /// unassign it (403 `E0000046`), so the plan says which groups and leaves it to the admin.
    fn kept_by_groups(&self, login: &str, groups: &[String], connections: &[String]) -> Diagnostic {
        let names: Vec<String> = groups.iter().map(|g| format!("`{g}`")).collect();
        let mut diagnostic = Diagnostic::new(
            Code::PlanGroupAssignment,
            format!(
                "`{login}` keeps the app through the group(s) {}: oktaform does not unassign it",
                names.join(", ")
            ),
        )
        .help("Okta refuses to unassign a user whose groups give them the app; remove the account from the group, or the group from the app, in the Admin Console");
        if let Some(span) = connections
            .first()
            .and_then(|c| self.declarations.sites.connection(c, |s| s.service_account))
        {
            diagnostic = diagnostic.at(span, "assigned through a group");
        }
        diagnostic
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
            let Some(span) = self.declarations.sites.connection(name, |c| c.client_secret) else {
                continue;
            };
            let unverified = |why: String| {
                Diagnostic::new(
                    Code::PlanClientSecretUnverified,
                    format!("the client secret of connection `{name}` could not be verified"),
                )
                .at(span, "could not verify")
                .help(why)
            };
            match &live.client_secrets {
                Secrets::Active(secrets) if secrets.is_empty() => {
                    diff.diagnostics.push(unverified("the org shows no ACTIVE client secret of the app".to_owned()));
                }
                Secrets::Unreadable(error) => diff.diagnostics.push(unverified(format!(
                    "the org refused the list of the app's client secrets ({error}); the credentials may lack `okta.apps.read`"
                ))),
                Secrets::Active(secrets) if !secrets.iter().any(|s| secret.constant_time_eq(s.expose())) => diff.diagnostics.push(
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

#[cfg(test)]
mod tests;
