//! Views of a plan: human, markdown (a pull-request comment) and GitHub Actions
//! annotations. JSON is the [`crate::plan::PlanDocument`] itself. None sees a secret, since
//! the plan holds none.

use std::fmt::Write as _;

mod github;
mod groups;
mod human;
mod log_queries;
mod markdown;

pub use github::github;
pub use human::{human, summary_line};
pub use markdown::markdown;

/// What `validate` says of a valid config: connections as the config declares them (one
/// whose values are unknown offline counts too), log queries as the model holds them (a
/// valid config resolves each), and what stays unknown until set.
pub fn valid_line(config: &crate::config::RawConfig, desired: &crate::model::Desired) -> String {
    let mut line = format!(
        "The configuration is valid: {} connection(s), {} app(s), {} log query(ies).",
        config.connections.len(),
        desired.apps.len(),
        desired.log_queries.len()
    );
    if !config.unknown_variables.is_empty() {
        let names: Vec<String> = config
            .unknown_variables
            .iter()
            .map(|v| format!("`{}`", crate::text::one_line(v)))
            .collect();
        let _ = write!(
            line,
            "\nNot checked until set: {} (unset here; `plan` needs them).",
            names.join(", ")
        );
    }
    line
}
