//! `oktaform validate [PATH] [--format human|json|github]`: offline checks, no network.

use super::{Output, exit};
use crate::cli::{GlobalArgs, ValidateArgs, ValidateFormat};
use crate::config::{self, Environment, VarInputs};
use crate::diagnostics::render;
use crate::time_spec;
use crate::validate::validate;

pub fn run(global: &GlobalArgs, args: &ValidateArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let inputs = VarInputs {
        vars: global.vars.clone(),
        files: global.var_files.clone(),
        recorded: Vec::new(),
    };
    let loaded = config::load(&args.path, &inputs, &Environment::capture().offline());
    let validated = validate(&loaded, time_spec::now());
    let diagnostics = &validated.diagnostics;
    match args.format {
        ValidateFormat::Human => {
            if !diagnostics.is_empty() {
                let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(80);
                render::human(
                    output.err,
                    &loaded.sources,
                    diagnostics,
                    render::HumanStyle {
                        color: output.color,
                        width,
                    },
                )?;
            }
            if !validated.has_errors() {
                let desired = &validated.desired;
                writeln!(
                    output.out,
                    "The configuration is valid: {} connection(s), {} app(s), {} log query(ies).",
                    desired.connections.len(),
                    desired.apps.len(),
                    desired.log_queries.len()
                )?;
            }
        }
        ValidateFormat::Json => render::json(output.out, &loaded.sources, diagnostics)?,
        ValidateFormat::Github => {
            render::github(output.out, &loaded.sources, diagnostics)?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                render::markdown(&mut summary, &loaded.sources, diagnostics)?;
            }
        }
    }
    Ok(if validated.has_errors() {
        exit::FAILURE
    } else {
        exit::OK
    })
}
