//! `oktaform explain CODE`: the long text of a diagnostic code.

use super::{Output, exit};
use crate::cli::ExplainArgs;
use crate::diagnostics::{Code, Severity, did_you_mean};

pub fn run(args: &ExplainArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let Some(code) = Code::from_name(args.code.trim()) else {
        let names = Code::ALL.iter().map(|c| c.as_str());
        let wanted = if args.code.starts_with("oktaform::") {
            args.code.clone()
        } else {
            format!("oktaform::{}", args.code)
        };
        writeln!(output.err, "error: unknown diagnostic code `{}`", args.code)?;
        if let Some(suggestion) = did_you_mean(&wanted, names) {
            writeln!(output.err, "help: did you mean `{suggestion}`?")?;
        } else {
            writeln!(
                output.err,
                "help: codes look like `oktaform::scope::unknown`; `oktaform validate` prints them"
            )?;
        }
        return Ok(exit::FAILURE);
    };
    let severity = match code.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    };
    writeln!(output.out, "{code} ({severity})\n")?;
    writeln!(output.out, "What it checks\n    {}\n", code.what())?;
    writeln!(output.out, "Why\n    {}\n", code.why())?;
    writeln!(output.out, "Example")?;
    for line in code.example().lines() {
        writeln!(output.out, "    {line}")?;
    }
    Ok(exit::OK)
}
