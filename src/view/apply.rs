//! Views of an apply: progress while it runs (a bar on a terminal, plain lines elsewhere,
//! GitHub Actions groups), and the report after (human, JSON, GitHub annotations, the
//! markdown step summary). Everything is written into sinks the command hands over.

use super::escape::github::data as escape;
use crate::apply::{Report, StatusName, StepStatus};
use crate::plan::{Change, Kind};
use std::cell::RefCell;
use std::io::{self, Write};

/// How the progress of an apply is shown.
pub struct Progress<'a> {
    bar: Option<indicatif::ProgressBar>,
    /// Plain lines, when there is no bar.
    lines: Option<RefCell<&'a mut dyn Write>>,
}

impl<'a> Progress<'a> {
    /// A bar (drawn on stderr) for `steps` steps.
    pub fn bar(steps: usize) -> Self {
        let bar = indicatif::ProgressBar::new(steps as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Self {
            bar: Some(bar),
            lines: None,
        }
    }

    /// One line per finished step into `out`.
    pub fn lines(out: &'a mut dyn Write) -> Self {
        Self {
            bar: None,
            lines: Some(RefCell::new(out)),
        }
    }

    pub fn step(&self, change: &Change, status: &StepStatus) {
        if change.kind() == Kind::Reauthorize {
            return;
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(change.address());
        }
        if let Some(lines) = &self.lines {
            let line = match status {
                StepStatus::Failed(error) => format!("failed           {}: {error}", change.address()),
                other => format!("{:<16} {}", other.name().as_str(), change.address()),
            };
            let mut out = lines.borrow_mut();
            let _ = writeln!(out, "{line}");
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `Apply complete: 2 applied, 3 already in place, 0 failed, 0 skipped, 1 manual.`
pub fn summary_line(report: &Report) -> String {
    let c = &report.counts;
    format!(
        "Apply {}: {} applied, {} already in place, {} failed, {} skipped, {} manual.",
        if report.interrupted {
            "interrupted"
        } else if report.ok {
            "complete"
        } else {
            "incomplete"
        },
        c.applied,
        c.already_in_place,
        c.failed,
        c.skipped,
        c.manual
    )
}

pub fn human(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(out, "{}", summary_line(report))?;
    if report.interrupted && !report.skipped.is_empty() {
        writeln!(out, "\nNot started (interrupted); apply again to make them:")?;
        for address in &report.skipped {
            writeln!(out, "  - {address}")?;
        }
    }
    if !report.manual.is_empty() {
        writeln!(
            out,
            "\nManual steps left: reauthorize these connections in the Workflows Console:"
        )?;
        for address in &report.manual {
            writeln!(out, "  ! {address}")?;
        }
    }
    Ok(())
}

pub fn json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

/// The human report plus an error annotation per failed step.
pub fn github(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    human(out, report)?;
    for failed in &report.failed {
        writeln!(
            out,
            "::error title=oktaform apply::{} failed: {}",
            escape(&failed.address),
            escape(&failed.error)
        )?;
    }
    Ok(())
}

/// The report as markdown, for the GitHub Actions step summary.
pub fn step_summary(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let c = &report.counts;
    writeln!(
        out,
        "### oktaform apply\n\n**{} applied, {} already in place, {} failed, {} skipped, {} manual{}**\n",
        c.applied,
        c.already_in_place,
        c.failed,
        c.skipped,
        c.manual,
        if report.verified { ", verified" } else { "" }
    )?;
    writeln!(out, "| step | status |\n|---|---|")?;
    for step in &report.steps {
        let status = match (step.status, &step.error) {
            (StatusName::Failed, Some(error)) => format!("failed: {}", error.replace('|', "\\|")),
            (StatusName::Manual, _) => "manual: reauthorize in the Workflows Console".to_owned(),
            (status, _) => status.as_str().to_owned(),
        };
        writeln!(out, "| `{}` | {status} |", step.address)?;
    }
    Ok(())
}
