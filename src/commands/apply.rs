//! `oktaform apply [PLANFILE | PATH]`: apply a reviewed plan file, or plan a config and
//! apply after confirmation (asked here, on the terminal).

use super::{Output, exit};
use crate::cli::{ApplyArgs, ApplyFormat, GlobalArgs, acknowledged};
use crate::config::Environment;
use crate::ops::apply::{Applied, ApplyRequest, Approval, Source, Stop, execute, ready};
use crate::plan::PlanDocument;
use crate::view::{self, apply::Progress};
use std::io::{BufRead, IsTerminal};

pub fn run(global: &GlobalArgs, args: &ApplyArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == ApplyFormat::Json;
    let environment = Environment::capture();
    let ctx = super::context(global, &environment);
    let source = if PlanDocument::claimed_by(&args.target) {
        Source::PlanFile {
            document: Box::new(PlanDocument::read(&args.target)),
            config: args.config.clone(),
        }
    } else {
        Source::Config(args.target.clone())
    };
    let request = ApplyRequest {
        source,
        variables: args.vars.inputs(),
        target: args.target_args.target(),
        acknowledged: acknowledged(&args.force),
    };
    let runtime = super::runtime()?;
    let (format, auto_approve, color) = (args.format, args.auto_approve, output.out_color);
    let ready = {
        let (out, err) = (&mut *output.out, &mut *output.err);
        let mut review = |document: &PlanDocument, may_ask: bool| {
            review(document, (format, color), auto_approve && may_ask, may_ask, out, err)
        };
        runtime.block_on(ready(&ctx, request, &mut review))
    };
    let ready = match ready {
        Ok(Some(ready)) => ready,
        Ok(None) => return Ok(exit::OK),
        Err(Stop::Failure(failure)) if args.format == ApplyFormat::Github => {
            return output.github_failure(failure, "apply", &environment);
        }
        Err(Stop::Failure(failure)) => return output.failure(failure, json),
        Err(Stop::Cancelled) => {
            writeln!(output.err, "Apply cancelled.")?;
            return Ok(exit::FAILURE);
        }
        Err(Stop::Io(error)) => return Err(error),
    };
    let github = args.format == ApplyFormat::Github || environment.get("GITHUB_ACTIONS") == Some("true");
    let steps = ready.steps();
    if github {
        writeln!(output.err, "::group::oktaform apply ({steps} steps)")?;
    }
    let interrupted = super::process::interrupt_flag(&runtime);
    let applied = {
        let progress = if std::io::stderr().is_terminal() && !github {
            Progress::bar(steps)
        } else {
            Progress::lines(&mut *output.err)
        };
        let observer = |change: &_, status: &_| progress.step(change, status);
        let applied = runtime.block_on(execute(ready, usize::from(args.parallelism), &observer, &interrupted));
        progress.finish();
        applied
    };
    if github {
        writeln!(output.err, "::endgroup::")?;
    }
    report(output, &environment, args.format, &applied)?;
    Ok(if applied.report.interrupted {
        exit::INTERRUPTED
    } else if applied.report.ok {
        exit::OK
    } else {
        exit::FAILURE
    })
}

/// Shows the plan made from a config and asks for `yes`; the plan is the human output, or
/// goes to stderr beside a JSON report.
fn review(
    document: &PlanDocument,
    (format, color): (ApplyFormat, bool),
    auto_approve: bool,
    may_ask: bool,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> std::io::Result<Approval> {
    let shown: &mut dyn std::io::Write = if format == ApplyFormat::Human { out } else { &mut *err };
    let painted = color && format == ApplyFormat::Human;
    view::plan::human(
        &mut view::paint::Painted::new(&mut *shown, view::paint::Palette::Plan, painted),
        document,
    )?;
    if document.changes.is_empty() {
        return Ok(Approval::Approved);
    }
    writeln!(shown)?;
    if auto_approve {
        return Ok(Approval::Approved);
    }
    if !may_ask {
        // The plan needs a `--force` the command lacks: refused next, without asking.
        return Ok(Approval::Declined);
    }
    if !std::io::stdin().is_terminal() {
        return Ok(Approval::CannotAsk);
    }
    write!(err, "\nApply these changes? Only `yes` is accepted: ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(if answer.trim() == "yes" {
        Approval::Approved
    } else {
        Approval::Declined
    })
}

fn report(
    output: &mut Output<'_>,
    environment: &Environment,
    format: ApplyFormat,
    applied: &Applied,
) -> std::io::Result<()> {
    let report = &applied.report;
    match format {
        ApplyFormat::Json => view::apply::json(output.out, report)?,
        ApplyFormat::Human => view::apply::human(output.out, report)?,
        ApplyFormat::Github => {
            view::apply::github(output.out, report)?;
            view::append_step_summary(super::step_summary(environment), |summary| {
                view::apply::step_summary(summary, report)
            })?;
        }
    }
    output.diagnostics(&applied.sources, &applied.diagnostics)
}
