//! Views of a drift report: human, markdown (an issue or pull-request comment) and GitHub
//! Actions annotations. JSON is the [`DriftReport`] itself.

use super::escape::github::data as escape_data;
use super::escape::markdown_cell as escape;
use crate::drift::{DriftReport, FindingKind};
use std::io::{self, Write};

/// `Drift: 3 findings (1 out of band, 2 pending).`, or `No drift.`
pub fn summary(report: &DriftReport) -> String {
    if report.findings.is_empty() {
        return "No drift.".to_owned();
    }
    let c = &report.counts;
    let parts: Vec<String> = [
        (c.out_of_band, "out of band"),
        (c.pending, "pending"),
        (c.unknown, "unknown"),
        (c.reauthorize_pending, "likely not reauthorized"),
        (c.expect_failed, "failed expectation(s)"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let n = report.findings.len();
    format!(
        "Drift: {n} finding{} ({}).",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

pub fn human(out: &mut dyn Write, report: &DriftReport) -> io::Result<()> {
    let mut domain = None;
    for finding in &report.findings {
        if domain != Some(&finding.domain) {
            let target = report.orgs.get(&finding.domain).map_or("", String::as_str);
            writeln!(
                out,
                "Org {} ({target}), System Log read since {}:\n",
                finding.domain, report.since
            )?;
            domain = Some(&finding.domain);
        }
        writeln!(out, "  {:<19} {}", finding.kind.as_str(), finding.address)?;
        writeln!(out, "      {}", finding.detail)?;
    }
    if !report.findings.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(report))
}

pub fn markdown(out: &mut dyn Write, report: &DriftReport) -> io::Result<()> {
    writeln!(out, "### oktaform drift\n\n**{}**\n", summary(report))?;
    if report.findings.is_empty() {
        return Ok(());
    }
    if report.counts.out_of_band > 0 {
        writeln!(
            out,
            "> [!WARNING]\n> {} change(s) were made out of band, outside the reviewed config.\n",
            report.counts.out_of_band
        )?;
    }
    writeln!(out, "System Log read since {}.\n", report.since)?;
    writeln!(out, "| finding | object | who, when | detail |\n|---|---|---|---|")?;
    for finding in &report.findings {
        let who = finding
            .attribution
            .as_ref()
            .filter(|_| finding.kind == FindingKind::OutOfBand)
            .map(|a| format!("`{}` at {}", escape(&a.actor), a.published))
            .unwrap_or_default();
        writeln!(
            out,
            "| `{}` | `{}` | {who} | {} |",
            finding.kind.as_str(),
            escape(&finding.address),
            escape(&finding.detail)
        )?;
    }
    Ok(())
}

pub fn github(out: &mut dyn Write, report: &DriftReport) -> io::Result<()> {
    writeln!(out, "::notice title=oktaform drift::{}", escape_data(&summary(report)))?;
    for finding in &report.findings {
        let command = if finding.kind.out_of_band() { "error" } else { "warning" };
        writeln!(
            out,
            "::{command} title=oktaform drift {}::{}: {}",
            finding.kind.as_str(),
            escape_data(&finding.address),
            escape_data(&finding.detail)
        )?;
    }
    Ok(())
}
