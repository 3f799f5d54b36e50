//! Applying a plan: the staleness check, the executor of ordered, idempotent steps, and the
//! report. Apply consumes only the plan; it re-reads the org first and verifies after.

mod executor;
mod report;
mod staleness;

pub use executor::{Executor, Progress};
pub use report::{Report, StepResult};
pub use staleness::{current_state, stale};
