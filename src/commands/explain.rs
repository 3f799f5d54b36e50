//! `oktaform explain [CODE] [--format human|json]`: the long text of a diagnostic code, or
//! the list of every code.

use super::{Output, exit};
use crate::cli::{ExplainArgs, ExplainFormat};
use crate::diagnostics::{Code, Severity, did_you_mean};
use serde::Serialize;

/// A code as `explain --format json` prints it.
#[derive(Serialize)]
struct Explanation {
    code: &'static str,
    severity: Severity,
    /// Whether `validate` can report it (it needs no org and no environment).
    offline: bool,
    what: &'static str,
    why: &'static str,
    example: &'static str,
}

impl Explanation {
    fn of(code: Code) -> Self {
        Self {
            code: code.as_str(),
            severity: code.severity(),
            offline: code.is_offline(),
            what: code.what(),
            why: code.why(),
            example: code.example(),
        }
    }
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    }
}

pub fn run(args: &ExplainArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let Some(name) = &args.code else {
        return list(args.format, output);
    };
    let Some(code) = Code::from_name(name.trim()) else {
        let names = Code::ALL.iter().map(|c| c.as_str());
        let wanted = if name.starts_with("oktaform::") {
            name.clone()
        } else {
            format!("oktaform::{name}")
        };
        writeln!(output.err, "error: unknown diagnostic code `{name}`")?;
        // A part of a code (`misspelled`, `credentials`): the codes that hold it.
        let part = name.trim().to_ascii_lowercase();
        let holding: Vec<&str> = Code::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|c| !part.is_empty() && c.to_ascii_lowercase().contains(&part))
            .collect();
        if let Some(suggestion) = did_you_mean(&wanted, names) {
            writeln!(output.err, "help: did you mean `{suggestion}`?")?;
        } else if !holding.is_empty() {
            let shown: Vec<String> = holding.iter().take(12).map(|c| format!("`{c}`")).collect();
            let more = holding.len().saturating_sub(shown.len());
            writeln!(
                output.err,
                "help: codes with `{}` in their name: {}{}",
                crate::text::one_line(name.trim()),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )?;
        } else {
            writeln!(
                output.err,
                "help: `oktaform explain` lists every code; `oktaform validate` prints them"
            )?;
        }
        return Ok(exit::FAILURE);
    };
    match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut *output.out, &Explanation::of(code))?;
            writeln!(output.out)?;
        }
        ExplainFormat::Human => {
            writeln!(output.out, "{code} ({})\n", severity_name(code.severity()))?;
            writeln!(output.out, "What it checks\n    {}\n", code.what())?;
            writeln!(output.out, "Why\n    {}\n", code.why())?;
            writeln!(output.out, "Example")?;
            for line in code.example().lines() {
                writeln!(output.out, "    {line}")?;
            }
        }
    }
    Ok(exit::OK)
}

/// Every code, one line each (or a JSON array of the explanations).
fn list(format: ExplainFormat, output: &mut Output<'_>) -> std::io::Result<u8> {
    match format {
        ExplainFormat::Json => {
            let all: Vec<Explanation> = Code::ALL.iter().copied().map(Explanation::of).collect();
            serde_json::to_writer_pretty(&mut *output.out, &all)?;
            writeln!(output.out)?;
        }
        ExplainFormat::Human => {
            let width = Code::ALL.iter().map(|c| c.as_str().len()).max().unwrap_or(0);
            for code in Code::ALL {
                writeln!(
                    output.out,
                    "{:<width$}  {:<7}  {}",
                    code.as_str(),
                    severity_name(code.severity()),
                    code.what()
                )?;
            }
            writeln!(output.out, "\n`oktaform explain CODE` tells why and shows an example.")?;
        }
    }
    Ok(exit::OK)
}
