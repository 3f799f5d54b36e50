//! After the steps: reading back only what they changed, once each (an app's grants in one
//! list, an account's assignment, a user's roles), instead of the whole org again.

use super::StepStatus;
use crate::live::{granted_scopes, super_admin_roles};
use crate::model::{Access, AppKey, Live};
use crate::okta::{OktaClient, OktaError, path_segment as encode, wire};
use crate::plan::{Change, Step};
use futures_util::future::{BoxFuture, join_all};
use std::collections::{BTreeMap, BTreeSet};

/// What was read back.
enum Read {
    Grants(AppKey, Vec<wire::Grant>),
    Assignment(AppKey, String, Option<wire::AppUser>),
    Roles(String, String, Vec<wire::Role>),
}

/// `before` with the objects of the steps that report themselves in place read anew;
/// `false` when a read failed (what it would have told stays as before).
pub async fn read_back(
    before: &Live,
    changes: &[Change],
    statuses: &[StepStatus],
    clients: &BTreeMap<String, OktaClient>,
) -> (Live, bool) {
    let mut apps: BTreeSet<&AppKey> = BTreeSet::new();
    let mut assignments: BTreeSet<(&AppKey, &str)> = BTreeSet::new();
    let mut roles: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (change, _) in changes.iter().zip(statuses).filter(|(_, s)| s.in_place()) {
        match &change.step {
            Step::Grant { app, .. } | Step::Revoke { app, .. } => {
                apps.insert(app);
            }
            Step::Assign { app, login } | Step::Unassign { app, login } => {
                assignments.insert((app, login));
            }
            Step::MakeSuperAdmin { domain, login } | Step::RemoveSuperAdmin { domain, login } => {
                roles.insert((domain, login));
            }
            Step::Reauthorize { .. } => {}
        }
    }
    let app_id = |key: &AppKey| before.apps.get(key).map(|a| encode(&a.app_id));
    let user_id = |domain: &str, login: &str| before.account(domain, login).map(|a| encode(&a.user_id));
    let client = |domain: &str| clients.get(domain);
    let mut reads: Vec<BoxFuture<'_, Result<Read, OktaError>>> = Vec::new();
    let mut unreadable = false;
    for key in apps {
        let (Some(client), Some(id)) = (client(&key.domain), app_id(key)) else {
            unreadable = true;
            continue;
        };
        reads.push(Box::pin(async move {
            let grants = client.get_all(&format!("/api/v1/apps/{id}/grants")).await?;
            Ok(Read::Grants(key.clone(), grants))
        }));
    }
    for (key, login) in assignments {
        let (Some(client), Some(id), Some(user)) = (client(&key.domain), app_id(key), user_id(&key.domain, login))
        else {
            unreadable = true;
            continue;
        };
        reads.push(Box::pin(async move {
            let member = client.get_optional(&format!("/api/v1/apps/{id}/users/{user}")).await?;
            Ok(Read::Assignment(key.clone(), login.to_owned(), member))
        }));
    }
    for (domain, login) in roles {
        let (Some(client), Some(user)) = (client(domain), user_id(domain, login)) else {
            unreadable = true;
            continue;
        };
        reads.push(Box::pin(async move {
            let roles = client.get(&format!("/api/v1/users/{user}/roles")).await?;
            Ok(Read::Roles(domain.to_owned(), login.to_owned(), roles))
        }));
    }
    let mut after = before.clone();
    for read in join_all(reads).await {
        match read {
            Ok(Read::Grants(key, grants)) => {
                if let Some(app) = after.apps.get_mut(&key) {
                    app.grants = granted_scopes(grants);
                }
            }
            Ok(Read::Assignment(key, login, member)) => {
                if let Some(account) = after.apps.get_mut(&key).and_then(|a| a.accounts.get_mut(&login)) {
                    account.access = match member {
                        None => Access::Unassigned,
                        Some(m) if m.scope.as_deref() == Some("GROUP") => match &account.access {
                            Access::Groups(groups) => Access::Groups(groups.clone()),
                            _ => Access::Groups(Vec::new()),
                        },
                        Some(_) => Access::Direct,
                    };
                }
            }
            Ok(Read::Roles(domain, login, roles)) => {
                let held = super_admin_roles(roles);
                for app in after.apps.values_mut().filter(|a| a.key.domain == domain) {
                    if let Some(account) = app.accounts.get_mut(&login) {
                        account.super_admin_roles.clone_from(&held);
                    }
                }
            }
            Err(_) => unreadable = true,
        }
    }
    (after, !unreadable)
}
