//! Reading the live state of the orgs into [`crate::model::Live`]: each thing once, apps
//! concurrently, only what the plan needs.

mod reader;

pub use reader::{AppSelection, ReadError, Reader, Selection};
