//! Where a command writes (stdout for results, stderr for diagnostics and progress), and
//! how failures are reported the same way by every command.

use super::{exit, step_summary};
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::environment::Environment;
use crate::ops::Failure;
use crate::view::diagnostics as diagnostics_view;
use std::io::Write;

/// Where a command writes: stdout for results, stderr for diagnostics and progress.
pub struct Output<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    /// Colour on stderr (diagnostics).
    pub color: bool,
    /// Colour on stdout (plans, drift reports, diffs).
    pub out_color: bool,
}

impl Output<'_> {
    /// Stdout, its lines painted with `palette` when stdout takes colour.
    pub fn painted(&mut self, palette: crate::view::paint::Palette) -> crate::view::paint::Painted<'_> {
        crate::view::paint::Painted::new(&mut *self.out, palette, self.out_color)
    }

    /// Diagnostics for people, on stderr; nothing when there are none.
    pub fn diagnostics(&mut self, sources: &SourceMap, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
        if diagnostics.is_empty() {
            return Ok(());
        }
        let style = diagnostics_view::HumanStyle {
            color: self.color,
            ..Default::default()
        };
        diagnostics_view::human(self.err, sources, diagnostics, style)
    }

    /// Reports a failure in GitHub Actions: diagnostics on stderr, an `::error` annotation
    /// per error on stdout, and the table in the step summary. Exit 1.
    pub fn github_failure(
        &mut self,
        failure: Failure,
        command: &str,
        environment: &Environment,
    ) -> std::io::Result<u8> {
        let (sources, diagnostics) = match failure {
            Failure::Usage(message) => (SourceMap::default(), vec![Diagnostic::new(Code::CliUsage, message)]),
            Failure::Diagnostics { sources, diagnostics } => (sources, diagnostics),
        };
        self.diagnostics(&sources, &diagnostics)?;
        diagnostics_view::github(self.out, &sources, &diagnostics)?;
        crate::view::append_step_summary(step_summary(environment), |summary| {
            diagnostics_view::markdown(summary, command, &sources, &diagnostics)
        })?;
        Ok(exit::FAILURE)
    }

    /// Reports a failure the way every command does: diagnostics on stderr and, with
    /// `--format json`, `{"ok": false, "diagnostics": [...]}` on stdout. Exit 1.
    pub fn failure(&mut self, failure: Failure, json: bool) -> std::io::Result<u8> {
        match failure {
            Failure::Usage(message) => {
                writeln!(self.err, "error: {message}")?;
                if json {
                    let usage = Diagnostic::new(Code::CliUsage, message);
                    diagnostics_view::failure_json(self.out, &SourceMap::default(), &[usage])?;
                }
            }
            Failure::Diagnostics { sources, diagnostics } => {
                self.diagnostics(&sources, &diagnostics)?;
                if json {
                    diagnostics_view::failure_json(self.out, &sources, &diagnostics)?;
                }
            }
        }
        Ok(exit::FAILURE)
    }
}
