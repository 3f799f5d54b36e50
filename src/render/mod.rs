//! Views of a plan: human, markdown (a pull-request comment) and GitHub Actions
//! annotations. JSON is the [`crate::plan::PlanDocument`] itself. Renderers write into a
//! sink; none sees a secret, since the plan holds none.

mod drift;
mod events;
mod github;
mod groups;
mod human;
mod log_queries;
mod markdown;

pub use drift::{drift_github, drift_human, drift_markdown};
pub use events::{EventFormat, EventWriter};
pub use github::github;
pub use human::{human, summary_line};
pub use markdown::markdown;
