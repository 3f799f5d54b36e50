//! The integration suite: the real `oktaform` binary, run in temp directories, one file per
//! feature.

mod cli;
mod examples;
mod explain;
mod fmt;
mod harness;
mod validate;
mod variables;
