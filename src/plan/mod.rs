//! Plans: the diff of desired and live state, ordered, with safety rules, and the plan
//! document (JSON output and plan file) with its digest and checksum.
//!
//! A change is keyed by the natural identity of its object in the org (an app by domain and
//! client id, a user by domain and login), never by a server id or a connection name, so an
//! address does not depend on which connections exist. `reason` is for display only.

mod change;
mod differ;
mod document;

pub use change::{Action, Change, Declaration, Kind, ObjectState, Reason, Step, app_address, grant_address};
pub use differ::{Declarations, Diff, Differ};
pub use document::{
    ConfigRef, FORMAT_VERSION, LogQueryRef, MassRevoke, PlanDiagnostic, PlanDocument, PlanError, Summary, Target,
    Unmanaged, changed_variables, config_digest,
};
