//! Whether a plan file may be applied. The file is untrusted: anyone can edit it and
//! recompute its checksum. So apply derives the changes anew from the config and the org as
//! it was when the plan was made (every planned object that is now in its `after` state is
//! put back in its `before` state), and runs a change only when the file holds it and the
//! config still requires it.

use super::state::{current_state, rewind};
use crate::model::Live;
use crate::plan::{Action, Change, Step};
use std::collections::BTreeSet;

/// Why a plan file is not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Changes in the file that the config does not require, by address.
    Mismatch(Vec<String>),
    /// The org changed in a way the plan does not cover: what changed.
    Stale(Vec<String>),
}

/// The org as the plan found it, as far as its changes tell.
pub fn as_planned(planned: &[Change], live: &Live) -> Result<Live, Refusal> {
    let mut rewound = live.clone();
    let mut unreadable = Vec::new();
    for change in planned.iter().filter(|c| c.action() != Action::Manual) {
        let Some((before, after)) = change.step.states() else {
            continue;
        };
        match current_state(&change.step, live) {
            Some(now) if now == after => rewind(&change.step, &mut rewound),
            Some(now) if now == before => {}
            _ => unreadable.push(format!("{} could not be read in the org", change.address())),
        }
    }
    if unreadable.is_empty() {
        Ok(rewound)
    } else {
        Err(Refusal::Stale(unreadable))
    }
}

/// Checks the file's changes against those derived from the config and the org as planned.
pub fn compare(planned: &[Change], derived: &[Change]) -> Result<(), Refusal> {
    let derived_steps: BTreeSet<&Step> = derived.iter().map(|c| &c.step).collect();
    let planned_steps: BTreeSet<&Step> = planned.iter().map(|c| &c.step).collect();
    let unrequired: Vec<String> = planned
        .iter()
        .filter(|c| !derived_steps.contains(&c.step))
        .map(|c| format!("{} {}", c.action().symbol(), c.address()))
        .collect();
    if !unrequired.is_empty() {
        return Err(Refusal::Mismatch(unrequired));
    }
    let unplanned: Vec<String> = derived
        .iter()
        .filter(|c| c.action() != Action::Manual && !planned_steps.contains(&c.step))
        .map(|c| {
            format!(
                "{} now needs a change the plan does not hold: {}",
                c.address(),
                c.reason.describe()
            )
        })
        .collect();
    if unplanned.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Stale(unplanned))
    }
}

#[cfg(test)]
mod tests;
