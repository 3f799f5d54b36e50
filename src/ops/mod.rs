//! The operations of oktaform: plan, apply, drift, query and import, each a typed request
//! in and a typed result out. Nothing here parses a command line, prints, or reads the
//! process's state: the environment, "now", the client options and where notices go come
//! in a [`Context`]; confirmation comes as a callback. The commands build requests from
//! flags and hand results to [`crate::view`].

pub mod apply;
mod credentials;
pub mod drift;
pub mod import;
pub mod orgs;
pub mod plan;
pub mod prepare;
pub mod query;
mod read;

use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::environment::Environment;
use crate::okta::ClientOptions;
use std::path::PathBuf;
use time::OffsetDateTime;

pub use orgs::Orgs;
pub use prepare::Prepared;

/// What an operation takes from the world around it.
pub struct Context<'a> {
    /// The environment's variables (credentials, `env()` in configs, allowed origins).
    pub environment: &'a Environment,
    /// "Now", for relative times and the plan's creation time.
    pub now: OffsetDateTime,
    /// The clock an in-process simulated org keeps.
    pub clock: crate::time_spec::Clock,
    /// Timeouts, retries and the request observer (`-v`).
    pub client: ClientOptions,
    /// Told of what an operation does on the way (the simulated org in use, a compiled
    /// query); the command decides where it goes.
    pub notice: &'a (dyn Fn(&str) + Sync),
}

/// Where the requests of an operation go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// Each connection's org, at its endpoint.
    #[default]
    Org,
    /// Every request to this URL (an origin), whatever the connection's endpoint.
    Endpoint(String),
    /// The simulated org of the binary, started in-process from `seed` (default: the
    /// config's `sim-org.json`); `reset` starts over from the seed.
    Sim { seed: Option<PathBuf>, reset: bool },
}

impl Target {
    pub fn is_sim(&self) -> bool {
        matches!(self, Target::Sim { .. })
    }
}

/// Why an operation stopped.
#[derive(Debug)]
pub enum Failure {
    /// Diagnostics to show, at least one an error.
    Diagnostics {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    /// A request that makes no sense (an unknown `--connection`, a bad name).
    Usage(String),
}

impl Failure {
    /// A refusal with no place in the config.
    pub fn refusal(code: Code, message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Diagnostics {
            sources: SourceMap::default(),
            diagnostics: vec![Diagnostic::new(code, message).help(help)],
        }
    }

    /// Diagnostics with no source to show.
    pub fn unplaced(diagnostics: Vec<Diagnostic>) -> Self {
        Failure::Diagnostics {
            sources: SourceMap::default(),
            diagnostics,
        }
    }
}

#[cfg(test)]
mod tests;
