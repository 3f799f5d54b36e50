//! `oktaform drift [PATH]`: what changed out of band, by whom and when, and whether log
//! queries' `expect` holds. Exit 0 no finding, 2 findings, 1 error.

use super::{Output, exit};
use crate::cli::{DriftArgs, GlobalArgs, PlanFormat};
use crate::config::Environment;
use crate::okta::Purpose;
use crate::ops::drift::{DriftRequest, drift};
use crate::ops::plan::PlanRequest;
use crate::view;
use crate::view::paint::Palette;

pub fn run(global: &GlobalArgs, args: &DriftArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == PlanFormat::Json;
    let environment = Environment::capture();
    let ctx = super::context(global, &environment);
    let request = DriftRequest {
        plan: PlanRequest {
            connections: args.connections.clone(),
            variables: args.vars.inputs(),
            ..PlanRequest::new(&args.path, args.target.target(), Purpose::Drift)
        },
        since: args.since,
        out_of_band_only: args.out_of_band_only,
    };
    let drifted = match super::reading(super::runtime()?, drift(&ctx, request)) {
        None => return super::interrupted(output),
        Some(Ok(drifted)) => drifted,
        Some(Err(failure)) if args.format == PlanFormat::Github => {
            return output.github_failure(failure, "drift", &environment);
        }
        Some(Err(failure)) => return output.failure(failure, json),
    };
    let report = &drifted.report;
    if args.format == PlanFormat::Human {
        output.diagnostics(&drifted.sources, &drifted.diagnostics)?;
    }
    match args.format {
        PlanFormat::Human => view::drift::human(&mut output.painted(Palette::Drift), report)?,
        PlanFormat::Json => {
            serde_json::to_writer_pretty(&mut *output.out, report)?;
            writeln!(output.out)?;
        }
        PlanFormat::Markdown => view::drift::markdown(output.out, report)?,
        PlanFormat::Github => {
            view::drift::github(output.out, report)?;
            view::append_step_summary(super::step_summary(&environment), |summary| {
                view::drift::markdown(summary, report)
            })?;
        }
    }
    Ok(if report.counted > 0 { exit::FINDINGS } else { exit::OK })
}
