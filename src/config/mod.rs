//! Reading a config: HCL files -> spanned, evaluated raw config.
//!
//! This is the only module that touches `hcl::edit` (its API moves fast). It does the I/O of
//! loading files and evaluates `var.*`, `env()`, `file()` and references, but checks no
//! product rule: that is [`crate::validate`]'s job.

mod chunks;
mod decoder;
mod evaluator;
mod formatter;
mod literal;
mod loader;
mod raw;
mod reader;
mod sites;
pub use crate::catalog::language as spec;
mod syntax;
mod value;
mod variables;
pub mod writer;

pub use crate::environment::Environment;
pub use formatter::{FormatError, format_source};
pub use literal::literal_offsets;
pub use loader::{Loaded, config_files, load, load_text};
pub use raw::*;
pub use sites::{ConnectionSites, Sites};
pub use syntax::diagnose as diagnose_syntax;
pub use value::{Spanned, Value};
pub use variables::VarInputs;
