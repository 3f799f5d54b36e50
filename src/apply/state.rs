//! The state of a step's object in the org, and the org as it was before a step: what
//! apply compares a plan file against.

use crate::model::{Access, Live, SuperAdminRole};
use crate::plan::{ObjectState, Step};

/// The object's state in `live`; `None` when it cannot be told (the app or account was not
/// read) and for the manual step.
pub fn current_state(step: &Step, live: &Live) -> Option<ObjectState> {
    Some(match step {
        Step::Grant { app, scope } | Step::Revoke { app, scope } => {
            ObjectState::granted(live.apps.get(app)?.grants.contains_key(scope))
        }
        Step::Assign { app, login } | Step::Unassign { app, login } => {
            ObjectState::assigned(live.apps.get(app)?.accounts.get(login)?.assigned())
        }
        Step::MakeSuperAdmin { domain, login } | Step::RemoveSuperAdmin { domain, login } => {
            ObjectState::super_admin(live.account(domain, login)?.is_super_admin())
        }
        Step::Reauthorize { .. } => return None,
    })
}

/// Puts the object of `step` back in its state before the step, in `live` (a copy of what
/// was read, never used to act on).
pub fn rewind(step: &Step, live: &mut Live) {
    match step {
        Step::Grant { app, scope } => {
            if let Some(app) = live.apps.get_mut(app) {
                app.grants.remove(scope);
            }
        }
        Step::Revoke { app, scope } => {
            if let Some(app) = live.apps.get_mut(app) {
                app.grants.entry(scope.clone()).or_default();
            }
        }
        Step::Assign { app, login } | Step::Unassign { app, login } => {
            let access = if matches!(step, Step::Unassign { .. }) {
                Access::Direct
            } else {
                Access::Unassigned
            };
            if let Some(account) = live.apps.get_mut(app).and_then(|a| a.accounts.get_mut(login)) {
                account.access = access;
            }
        }
        Step::MakeSuperAdmin { domain, login } | Step::RemoveSuperAdmin { domain, login } => {
            let removed = matches!(step, Step::RemoveSuperAdmin { .. });
            for app in live.apps.values_mut().filter(|a| &a.key.domain == domain) {
                if let Some(account) = app.accounts.get_mut(login) {
                    account.super_admin_roles.clear();
                    if removed {
                        account.super_admin_roles.push(SuperAdminRole {
                            id: String::new(),
                            direct: true,
                        });
                    }
                }
            }
        }
        Step::Reauthorize { .. } => {}
    }
}
