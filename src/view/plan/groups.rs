//! The changes of a plan grouped for people: by org (with its target), then by app (naming
//! its connections); roles belong to users, so they form a group of their own per org.

use crate::model::AppKey;
use crate::plan::{Change, MassRevoke, PlanDocument};
use std::collections::{BTreeMap, BTreeSet};

/// The changes of one org.
pub struct OrgGroup<'a> {
    pub domain: &'a str,
    /// "simulated", or the URL requests went to.
    pub target: String,
    pub apps: Vec<AppGroup<'a>>,
    /// Changes of users (roles), not of an app.
    pub users: Vec<&'a Change>,
}

/// The changes of one app, in plan order.
pub struct AppGroup<'a> {
    pub key: AppKey,
    pub connections: BTreeSet<&'a str>,
    pub changes: Vec<&'a Change>,
    pub mass_revoke: Option<&'a MassRevoke>,
}

pub fn groups(plan: &PlanDocument) -> Vec<OrgGroup<'_>> {
    let mut orgs: BTreeMap<&str, OrgGroup<'_>> = BTreeMap::new();
    for change in &plan.changes {
        let domain = change.step.domain();
        let org = orgs.entry(domain).or_insert_with(|| OrgGroup {
            domain,
            target: plan.target.describe_org(domain),
            apps: Vec::new(),
            users: Vec::new(),
        });
        let Some(key) = change.step.app() else {
            org.users.push(change);
            continue;
        };
        let index = match org.apps.iter().position(|a| &a.key == key) {
            Some(index) => index,
            None => {
                org.apps.push(AppGroup {
                    key: key.clone(),
                    connections: BTreeSet::new(),
                    changes: Vec::new(),
                    mass_revoke: plan.mass_revokes.iter().find(|m| &m.app() == key),
                });
                org.apps.len() - 1
            }
        };
        let app = &mut org.apps[index];
        app.connections.extend(change.connections.iter().map(String::as_str));
        app.changes.push(change);
    }
    orgs.into_values().collect()
}

/// `3 of 3 non-default grants would be revoked`.
pub fn mass_revoke_text(mass: &MassRevoke) -> String {
    format!(
        "{} of {} non-default grants would be revoked (safety rule `mass_revoke`)",
        mass.revoking, mass.current
    )
}
