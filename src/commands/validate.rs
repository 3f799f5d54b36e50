//! `oktaform validate [PATH] [--format human|json|github]`: offline checks, no network.

use super::{Output, exit};
use crate::cli::{ValidateArgs, ValidateFormat};
use crate::config::{self, Environment};
use crate::validate::validate;
use crate::view::{self, diagnostics as diagnostics_view};

pub fn run(args: &ValidateArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let environment = Environment::capture();
    let mut loaded = config::load(&args.path, &args.vars.inputs(), &environment.clone().offline());
    let validated = validate(
        &mut loaded,
        crate::time_spec::Clock::from_environment(&environment).now(),
    );
    let diagnostics = &validated.diagnostics;
    match args.format {
        ValidateFormat::Human => {
            if !diagnostics.is_empty() {
                let width = environment.get("COLUMNS").and_then(|c| c.parse().ok()).unwrap_or(80);
                let style = diagnostics_view::HumanStyle {
                    color: output.color,
                    width,
                };
                diagnostics_view::human(output.err, &loaded.sources, diagnostics, style)?;
            }
            if !validated.has_errors() {
                writeln!(
                    output.out,
                    "{}",
                    view::plan::valid_line(&loaded.config, &validated.desired)
                )?;
            }
        }
        ValidateFormat::Json => diagnostics_view::json(output.out, &loaded.sources, diagnostics)?,
        ValidateFormat::Github => {
            diagnostics_view::github(output.out, &loaded.sources, diagnostics)?;
            view::append_step_summary(super::step_summary(&environment), |summary| {
                diagnostics_view::markdown(summary, "validate", &loaded.sources, diagnostics)
            })?;
        }
    }
    Ok(if validated.has_errors() {
        exit::FAILURE
    } else {
        exit::OK
    })
}
