//! oktaform: the Okta Workflows connector setup as reviewed code.
//!
//! # The map
//!
//! Layers, lowest first; a module uses only modules of its own layer or below (tests may
//! start a [`sim`] anywhere).
//!
//! 1. Utilities, used by anyone: [`text`] (showing untrusted text), [`secret`],
//!    [`environment`] (a snapshot of the process's variables), [`time_spec`] (durations,
//!    times, the clock), [`input`] (bounded reads of local files), [`jose`] (keys and JWTs).
//! 2. Facts: [`catalog`] (scopes and event types), [`diagnostics`] (codes, spans, sources).
//! 3. [`logquery`]: the System Log filter language, shared with the simulated org.
//! 4. [`model`]: the span-free desired and live state, and safety policy.
//! 5. [`config`]: HCL into a spanned raw config, its span side table ([`config::Sites`]),
//!    variables and `fmt`.
//! 6. [`validate`]: the product rules over the raw config, building [`model::Desired`].
//! 7. [`plan`]: the differ (desired vs live into ordered, typed changes) and the plan
//!    document.
//! 8. [`okta`]: the Management API client (credentials, one retry policy, pacing, paging);
//!    [`live`] reads an org into [`model::Live`] and its System Log.
//! 9. [`apply`] (reconcile a plan file, run steps) and [`drift`] (classify from events).
//! 10. [`view`]: every rendering (human, json, markdown, github); reads nothing of the process.
//! 11. [`ops`]: the operations (plan, apply, drift, query, import) as typed requests and
//!     results; the environment, "now" and notices come in an [`ops::Context`].
//! 12. `cli` and [`commands`]: flags into requests, results into views, exit codes.
//!
//! [`sim`], the simulated org, is its own wing: reached only over HTTP (`ops` starts one
//! in-process for `--sim`), it uses only the utilities, [`catalog`] and [`logquery`], and
//! keeps the clock it is given.

pub mod apply;
pub mod catalog;
pub(crate) mod cli;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod drift;
pub mod environment;
pub mod flows;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod jose;
pub mod live;
pub mod logquery;
pub mod model;
pub mod okta;
pub mod ops;
pub mod plan;
pub mod secret;
pub mod sim;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;
pub mod time_spec;
pub mod validate;
pub mod view;
