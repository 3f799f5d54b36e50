//! Views of a plan: human, markdown (a pull-request comment) and GitHub Actions
//! annotations. JSON is the [`crate::plan::PlanDocument`] itself. None sees a secret, since
//! the plan holds none.

mod github;
mod groups;
mod human;
mod log_queries;
mod markdown;

pub use github::github;
pub use human::{human, summary_line};
pub use markdown::markdown;

/// What `validate` says of a valid config.
pub fn valid_line(desired: &crate::model::Desired) -> String {
    format!(
        "The configuration is valid: {} connection(s), {} app(s), {} log query(ies).",
        desired.connections.len(),
        desired.apps.len(),
        desired.log_queries.len()
    )
}
