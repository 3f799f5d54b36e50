//! System Log queries: the filter language and the compiler from a `log_query` block to the
//! API's `q` and `filter` parameters.
//!
//! Free of config concerns: the simulated org evaluates filters with this same module.

pub mod compiler;
pub mod filter;

pub use compiler::{CompiledQuery, compile};
