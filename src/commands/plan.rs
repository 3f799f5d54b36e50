//! `oktaform plan [PATH]`: read the live orgs (read-only), diff, print the plan; `-o FILE`
//! writes the plan document for `apply`.

use super::{Output, exit};
use crate::cli::{GlobalArgs, PlanArgs, PlanFormat};
use crate::config::Environment;
use crate::ops::Failure;
use crate::ops::plan::{PlanRequest, plan};
use crate::plan::PlanDocument;
use crate::view;
use crate::view::paint::Palette;
use std::fmt::Write as _;

pub fn run(global: &GlobalArgs, args: &PlanArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == PlanFormat::Json;
    // `-o` replaces only a plan file: never a config or anything else a typo could name.
    if let Some(out) = args
        .out
        .as_ref()
        .filter(|out| std::fs::symlink_metadata(out).is_ok() && !PlanDocument::is_plan_file(out))
    {
        let message = format!(
            "-o {}: the file exists and is not a plan file; refusing to overwrite it (name a new file)",
            out.display()
        );
        return output.failure(Failure::Usage(message), json);
    }
    let environment = Environment::capture();
    let ctx = super::context(global, &environment);
    let request = PlanRequest {
        connections: args.connections.clone(),
        variables: args.vars.inputs(),
        plan_file: args.out.clone(),
        ..PlanRequest::new(&args.path, args.target.target(), crate::okta::Purpose::Plan)
    };
    let planned = match super::reading(super::runtime()?, plan(&ctx, &request)) {
        None => return super::interrupted(output),
        Some(Ok(planned)) => planned,
        Some(Err(failure)) if args.format == PlanFormat::Github => {
            return output.github_failure(failure, "plan", &environment);
        }
        Some(Err(failure)) => return output.failure(failure, json),
    };
    let document = &planned.document;
    if args.format == PlanFormat::Human {
        output.diagnostics(&planned.prepared.loaded.sources, &planned.diagnostics)?;
    }
    if let Some(out) = &args.out {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, document.to_json())?;
    }
    show(output, &environment, document, args.format)?;
    if let (Some(out), PlanFormat::Human) = (&args.out, args.format) {
        writeln!(
            output.out,
            "\nSaved the plan to {}. Apply it with:\n  {}",
            out.display(),
            apply_command(args, out, document)
        )?;
    }
    Ok(if args.detailed_exitcode && !document.changes.is_empty() {
        exit::CHANGES
    } else {
        exit::OK
    })
}

/// Prints a plan in `format`; `show` and `plan` print the same.
pub fn show(
    output: &mut Output<'_>,
    environment: &Environment,
    document: &PlanDocument,
    format: PlanFormat,
) -> std::io::Result<()> {
    match format {
        PlanFormat::Human => view::plan::human(&mut output.painted(Palette::Plan), document),
        PlanFormat::Json => output.out.write_all(document.to_json().as_bytes()),
        PlanFormat::Markdown => view::plan::markdown(output.out, document),
        PlanFormat::Github => {
            view::plan::github(output.out, document)?;
            view::append_step_summary(super::step_summary(environment), |summary| {
                view::plan::markdown(summary, document)
            })
        }
    }
}

/// The command that applies the plan saved to `out`: the same target, and every safety
/// rule its changes need.
fn apply_command(args: &PlanArgs, out: &std::path::Path, document: &PlanDocument) -> String {
    let quoted = |path: &std::path::Path| {
        let text = path.display().to_string();
        if !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/._-+:@=".contains(c))
        {
            text
        } else {
            format!("'{}'", text.replace('\'', r"'\''"))
        }
    };
    let mut command = format!("oktaform apply {} --config {}", quoted(out), quoted(&args.path));
    if args.target.sim {
        command.push_str(" --sim");
        if let Some(seed) = &args.target.sim_seed {
            let _ = write!(command, " --sim-seed {}", quoted(seed));
        }
    } else if let Some(endpoint) = &args.target.endpoint {
        let _ = write!(command, " --endpoint {}", quoted(std::path::Path::new(endpoint)));
    }
    let rules: std::collections::BTreeSet<&str> = document
        .changes
        .iter()
        .filter_map(|c| c.safety_rule.map(crate::model::SafetyRule::as_str))
        .collect();
    for rule in rules {
        let _ = write!(command, " --force={rule}");
    }
    if !args.vars.vars.is_empty() || !args.vars.var_files.is_empty() {
        command.push_str(" (with the same --var and --var-file flags)");
    }
    command
}
