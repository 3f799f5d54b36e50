//! The plan for GitHub Actions: a notice with the summary, a warning per change that needs
//! `--force`, an error or warning per diagnostic; the markdown goes to the step summary.

use super::summary_line;
use crate::plan::PlanDocument;
use crate::view::escape::github::{data as escape, property as escape_property};
use std::io::{self, Write};

pub fn github(out: &mut dyn Write, plan: &PlanDocument) -> io::Result<()> {
    writeln!(out, "::notice title=oktaform plan::{}", escape(&summary_line(plan)))?;
    for change in &plan.changes {
        let Some(rule) = change.safety_rule.map(crate::model::SafetyRule::as_str) else {
            continue;
        };
        writeln!(
            out,
            "::warning title={}::{} needs --force={rule} at apply: {}",
            escape_property(&format!("oktaform {rule}")),
            escape(&change.address()),
            escape(&change.reason.describe())
        )?;
    }
    // A revoke under no safety rule still takes something away: a reviewer sees each one.
    for change in plan
        .changes
        .iter()
        .filter(|c| c.action() == crate::plan::Action::Delete && c.safety_rule.is_none())
    {
        writeln!(
            out,
            "::warning title={}::{} will be removed: {}",
            escape_property("oktaform revoke"),
            escape(&change.address()),
            escape(&change.reason.describe())
        )?;
    }
    for mass in &plan.mass_revokes {
        writeln!(
            out,
            "::warning title={}::{}: {}",
            escape_property("oktaform mass_revoke"),
            escape(&mass.address),
            escape(&super::groups::mass_revoke_text(mass))
        )?;
    }
    for diagnostic in &plan.diagnostics {
        let command = if diagnostic.severity == crate::diagnostics::Severity::Error {
            "error"
        } else {
            "warning"
        };
        let mut properties = Vec::new();
        if let (Some(file), Some(line), Some(column)) = (&diagnostic.file, diagnostic.line, diagnostic.column) {
            properties.push(format!("file={},line={line},col={column}", escape_property(file)));
        }
        properties.push(format!("title={}", escape_property(&diagnostic.code)));
        writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            escape(&diagnostic.message)
        )?;
    }
    Ok(())
}
