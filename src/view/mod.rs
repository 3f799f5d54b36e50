//! Every rendering of oktaform in one place: plans, apply progress and reports, drift
//! reports, System Log events and diagnostics; for people (human), tools (json), pull
//! requests (markdown) and GitHub Actions (github). Views write into a sink they are given
//! and read nothing of the process; each format has one escaper, in [`escape`].

pub mod apply;
pub mod diagnostics;
pub mod drift;
pub mod escape;
pub mod events;
pub mod flows;
pub mod paint;
pub mod plan;

use std::io::{self, Write};
use std::path::Path;

/// Appends to the GitHub Actions step summary at `path` (`GITHUB_STEP_SUMMARY`), when there
/// is one.
pub fn append_step_summary(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let Some(path) = path else {
        return Ok(());
    };
    let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    write(&mut summary)
}
