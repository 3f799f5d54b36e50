//! The integration suite: the real `oktaform` binary, run in temp directories, one file per
//! feature.

mod apply;
mod ci_examples;
mod cli;
mod config_trust;
mod docs;
mod drift;
mod examples;
mod explain;
mod fidelity;
mod fmt;
mod harness;
mod import;
mod oauth;
mod plan;
mod query;
mod seam;
mod sim_api;
mod sim_faults;
mod sim_grants;
mod sim_logs;
mod sim_oauth;
mod sim_state;
mod sim_users;
mod validate;
mod variables;
