//! Applying a plan: reconciling a plan file with the changes derived anew, the executor of
//! ordered, idempotent steps, the report and its views.

mod executor;
mod reconcile;
mod report;
mod state;
mod verify;

pub use executor::{Executor, StepError};
pub use reconcile::{Refusal, as_planned, compare};
pub use report::{Report, StatusName, StepStatus};
pub use state::current_state;
pub use verify::read_back;
