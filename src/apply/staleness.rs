//! A plan may be applied when every planned object is in its `before` state or already in
//! its `after` state (a partly applied plan runs again), and the org needs no change the
//! plan does not hold.

use crate::model::{AppKey, Live};
use crate::plan::{Action, Change, Kind, ObjectState};
use std::collections::BTreeSet;

/// The object's state in `live`, in the terms of the change; `None` when it cannot be told
/// (the app or account was not read).
pub fn current_state(change: &Change, live: &Live) -> Option<ObjectState> {
    let key = AppKey {
        domain: change.domain.clone(),
        client_id: change.client_id.clone(),
    };
    let app = live.apps.get(&key)?;
    let account = || change.account.as_ref().and_then(|login| app.accounts.get(login));
    Some(match change.kind {
        Kind::Grant => ObjectState::granted(app.grants.contains_key(change.scope.as_deref()?)),
        Kind::Assignment => ObjectState::assigned(account()?.assigned),
        Kind::Role => ObjectState::super_admin(account()?.is_super_admin()),
        Kind::Reauthorize => return None,
    })
}

/// What makes `planned` stale against `live` and the diff made now (`fresh`); empty when
/// it can be applied.
pub fn stale(planned: &[Change], fresh: &[Change], live: &Live) -> Vec<String> {
    let mut problems = Vec::new();
    for change in planned.iter().filter(|c| c.action != Action::Manual) {
        let now = current_state(change, live);
        if now.is_none() || (now != change.before && now != change.after) {
            problems.push(format!(
                "{} is now {}, the plan expected {}",
                change.address,
                describe(now.as_ref()),
                describe(change.before.as_ref())
            ));
        }
    }
    let addresses: BTreeSet<&str> = planned.iter().map(|c| c.address.as_str()).collect();
    for change in fresh
        .iter()
        .filter(|c| c.action != Action::Manual && !addresses.contains(c.address.as_str()))
    {
        problems.push(format!(
            "{} now needs a change the plan does not hold: {}",
            change.address, change.reason
        ));
    }
    problems
}

fn describe(state: Option<&ObjectState>) -> String {
    match state {
        None => "unknown".to_owned(),
        Some(state) => serde_json::to_string(state).unwrap_or_default(),
    }
}
