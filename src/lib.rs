//! oktaform: the Okta Workflows connector setup as reviewed code.
//!
//! The pipeline, in module order: [`config`] reads HCL into a spanned raw config,
//! [`validate`] checks it into [`diagnostics`] and builds the span-free [`model`];
//! [`logquery`] holds the System Log filter language shared with the simulated org;
//! [`commands`] is the only place where phases meet.

pub(crate) mod apply;
pub mod catalog;
pub(crate) mod cli;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub(crate) mod drift;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod jose;
pub(crate) mod live;
pub(crate) mod logquery;
pub mod model;
pub mod okta;
pub mod ops;
pub mod plan;
pub(crate) mod secret;
pub mod sim;
pub mod text;
pub mod time_spec;
pub(crate) mod validate;
pub mod view;
