//! `oktaform plan [PATH]`: read the live orgs (read-only), diff, print the plan; `-o FILE`
//! writes the plan document for `apply`.

use super::planner::{self, report_failure, runtime};
use super::{Output, exit};
use crate::cli::{GlobalArgs, PlanArgs, PlanFormat};
use crate::diagnostics::render as diagnostics_render;
use crate::plan::PlanDocument;
use crate::render;

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
        return report_failure(planner::Failure::Usage(message), json, output);
    }
    let runtime = runtime()?;
    let planned = match planner::plan(
        global,
        &args.path,
        &args.connections,
        args.out.as_deref(),
        crate::okta::Purpose::Plan,
        &runtime,
        output,
    ) {
        Ok(planned) => planned,
        Err(failure) => return report_failure(failure, json, output),
    };
    let document = &planned.document;
    let warnings = &planned.diagnostics;
    if !warnings.is_empty() && args.format == PlanFormat::Human {
        let style = diagnostics_render::HumanStyle {
            color: output.color,
            ..Default::default()
        };
        diagnostics_render::human(output.err, &planned.prepared.loaded.sources, warnings, style)?;
    }
    if let Some(out) = &args.out {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, document.to_json())?;
    }
    show(output, document, args.format)?;
    if let (Some(out), PlanFormat::Human) = (&args.out, args.format) {
        writeln!(
            output.out,
            "\nSaved the plan to {}. Apply it with: oktaform apply {} --config {}",
            out.display(),
            out.display(),
            args.path.display()
        )?;
    }
    Ok(if args.detailed_exitcode && !document.changes.is_empty() {
        exit::CHANGES
    } else {
        exit::OK
    })
}

/// Prints a plan in `format`; `show` and `plan` print the same.
pub fn show(output: &mut Output<'_>, document: &PlanDocument, format: PlanFormat) -> std::io::Result<()> {
    match format {
        PlanFormat::Human => render::human(output.out, document),
        PlanFormat::Json => output.out.write_all(document.to_json().as_bytes()),
        PlanFormat::Markdown => render::markdown(output.out, document),
        PlanFormat::Github => {
            render::github(output.out, document)?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                render::markdown(&mut summary, document)?;
            }
            Ok(())
        }
    }
}
