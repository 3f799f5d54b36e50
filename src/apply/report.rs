//! What an apply did, step by step, by address.

use serde::Serialize;

/// The result of one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepResult {
    /// Made now, or found already made.
    Applied {
        already: bool,
    },
    Failed(String),
    /// Not started, because another step failed for good.
    Skipped,
    /// For a person to do.
    Manual,
}

/// The JSON report of `apply --format json`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub applied: Vec<String>,
    pub failed: Vec<Failed>,
    pub skipped: Vec<String>,
    pub manual: Vec<String>,
    /// Whether the read-back after the last step matched the plan.
    pub verified: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Failed {
    pub address: String,
    pub error: String,
}

impl Report {
    pub fn record(&mut self, address: &str, result: &StepResult) {
        match result {
            StepResult::Applied { .. } => self.applied.push(address.to_owned()),
            StepResult::Failed(error) => self.failed.push(Failed {
                address: address.to_owned(),
                error: error.clone(),
            }),
            StepResult::Skipped => self.skipped.push(address.to_owned()),
            StepResult::Manual => self.manual.push(address.to_owned()),
        }
    }

    pub fn succeeded(&self) -> bool {
        self.failed.is_empty() && self.skipped.is_empty() && self.verified
    }
}
