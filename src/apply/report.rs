//! What an apply did, step by step: one status per step, counted apart.

use super::StepError;
use crate::plan::{Action, Change, Kind};
use serde::Serialize;

/// The outcome of one step.
#[derive(Clone, Debug)]
pub enum StepStatus {
    /// Made by this run.
    Applied,
    /// Found already made (by an earlier run, or by someone else).
    AlreadyInPlace,
    Failed(StepError),
    /// Not started, because another step failed for good; or a reauthorize step of an app
    /// whose grant steps all failed or were skipped.
    Skipped,
    /// For a person to do: reauthorize the connection.
    Manual,
}

impl StepStatus {
    pub fn name(&self) -> StatusName {
        match self {
            StepStatus::Applied => StatusName::Applied,
            StepStatus::AlreadyInPlace => StatusName::AlreadyInPlace,
            StepStatus::Failed(_) => StatusName::Failed,
            StepStatus::Skipped => StatusName::Skipped,
            StepStatus::Manual => StatusName::Manual,
        }
    }

    /// Whether the object is now in its planned state.
    pub fn in_place(&self) -> bool {
        matches!(self, StepStatus::Applied | StepStatus::AlreadyInPlace)
    }
}

/// A status as the report names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    Applied,
    AlreadyInPlace,
    Failed,
    Skipped,
    Manual,
}

impl StatusName {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusName::Applied => "applied",
            StatusName::AlreadyInPlace => "already in place",
            StatusName::Failed => "failed",
            StatusName::Skipped => "skipped",
            StatusName::Manual => "manual",
        }
    }
}

/// One step in the report.
#[derive(Clone, Debug, Serialize)]
pub struct StepReport {
    pub address: String,
    pub action: Action,
    pub kind: Kind,
    pub status: StatusName,
    pub connections: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub applied: usize,
    pub already_in_place: usize,
    pub failed: usize,
    pub skipped: usize,
    pub manual: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Failed {
    pub address: String,
    pub error: String,
}

/// The report of `apply`: what `--format json` prints.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub ok: bool,
    pub steps: Vec<StepReport>,
    pub counts: Counts,
    /// Whether the read-back after the last step matched the plan.
    pub verified: bool,
    /// Stopped by an interrupt (Ctrl-C): the skipped steps were not started.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// The steps by status, by address (the lists of format 1 reports).
    pub applied: Vec<String>,
    pub already_in_place: Vec<String>,
    pub failed: Vec<Failed>,
    pub skipped: Vec<String>,
    pub manual: Vec<String>,
}

impl Report {
    pub fn new(changes: &[Change], statuses: &[StepStatus], verified: bool) -> Self {
        let mut report = Report {
            verified,
            ..Report::default()
        };
        for (change, status) in changes.iter().zip(statuses) {
            let address = change.address();
            let error = match status {
                StepStatus::Failed(error) => Some(error.to_string()),
                _ => None,
            };
            match status {
                StepStatus::Applied => {
                    report.counts.applied += 1;
                    report.applied.push(address.clone());
                }
                StepStatus::AlreadyInPlace => {
                    report.counts.already_in_place += 1;
                    report.already_in_place.push(address.clone());
                }
                StepStatus::Failed(error) => {
                    report.counts.failed += 1;
                    report.failed.push(Failed {
                        address: address.clone(),
                        error: error.to_string(),
                    });
                }
                StepStatus::Skipped => {
                    report.counts.skipped += 1;
                    report.skipped.push(address.clone());
                }
                StepStatus::Manual => {
                    report.counts.manual += 1;
                    report.manual.push(address.clone());
                }
            }
            report.steps.push(StepReport {
                address,
                action: change.action(),
                kind: change.kind(),
                status: status.name(),
                connections: change.connections.clone(),
                error,
            });
        }
        report.ok = report.counts.failed == 0 && report.counts.skipped == 0 && verified;
        report
    }
}
