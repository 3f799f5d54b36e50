//! `oktaform apply [PLANFILE | PATH]`: apply a reviewed plan file, or plan a config and
//! apply after confirmation. Refuses a plan made for another config or target, a stale
//! plan, and unacknowledged safety rules, before any step runs.

use super::plan::{Failure, Planned, build, report_failure, runtime};
use super::{Output, exit};
use crate::apply::{Executor, Report, StepResult, stale};
use crate::cli::{ApplyArgs, ApplyFormat, GlobalArgs};
use crate::diagnostics::{Code, Diagnostic, SourceMap, render as diagnostics_render};
use crate::live::{Reader, Selection};
use crate::plan::{Change, Kind, PlanDocument, SafetyRule};
use crate::render;
use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::sync::{Arc, Mutex};

fn refuse(
    code: Code,
    message: impl Into<String>,
    help: impl Into<String>,
    output: &mut Output<'_>,
) -> std::io::Result<u8> {
    let diagnostic = Diagnostic::new(code, message).help(help);
    report_failure(
        Failure::Diagnostics {
            sources: SourceMap::default(),
            diagnostics: vec![diagnostic],
        },
        output,
    )
}

/// Whether `path` is a plan file: a file whose content is a plan document (by content, not name).
fn plan_file(path: &Path) -> Option<Result<PlanDocument, crate::plan::PlanError>> {
    if !path.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let looks_like_plan = serde_json::from_str::<serde_json::Value>(&text)
        .ok()?
        .get("format_version")
        .is_some();
    looks_like_plan.then(|| PlanDocument::parse(&text, &path.display().to_string()))
}

pub fn run(global: &GlobalArgs, args: &ApplyArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let runtime = runtime()?;
    let (changes, planned) = match plan_file(&args.target) {
        Some(Err(error)) => {
            return refuse(
                Code::ApplyNotAPlan,
                error.to_string(),
                "make a new plan with `oktaform plan -o FILE`",
                output,
            );
        }
        Some(Ok(document)) => {
            let base = args.target.parent().map(Path::to_path_buf).unwrap_or_default();
            let config = if document.config.path == "." {
                base.clone()
            } else {
                base.join(&document.config.path)
            };
            let config = if config.as_os_str().is_empty() {
                std::path::PathBuf::from(".")
            } else {
                config
            };
            let planned = match build(global, &config, &document.connections, None, &runtime, output) {
                Ok(planned) => planned,
                Err(failure) => return report_failure(failure, output),
            };
            if planned.document.config.digest != document.config.digest {
                return refuse(
                    Code::ApplyConfigChanged,
                    format!("the config at `{}` changed since the plan was made", config.display()),
                    "plan again and review the new plan",
                    output,
                );
            }
            if planned.document.target != document.target {
                let was = if document.target.sim {
                    "the simulated org"
                } else {
                    "real orgs"
                };
                return refuse(
                    Code::ApplyTargetChanged,
                    format!("the plan was made against {was} at {:?}", document.target.endpoints),
                    "apply where the plan was made (with the same --sim or --endpoint), or plan again",
                    output,
                );
            }
            let problems = stale(&document.changes, &planned.document.changes, &planned.live);
            if !problems.is_empty() {
                return refuse(
                    Code::ApplyStalePlan,
                    format!("the org changed since the plan was made:\n  {}", problems.join("\n  ")),
                    "plan again and review what changed",
                    output,
                );
            }
            (document.changes, planned)
        }
        None => {
            let planned = match build(global, &args.target, &[], None, &runtime, output) {
                Ok(planned) => planned,
                Err(failure) => return report_failure(failure, output),
            };
            // The plan is the human output; with a JSON report it goes to stderr instead.
            let shown: &mut dyn std::io::Write = if args.format == ApplyFormat::Human {
                &mut *output.out
            } else {
                &mut *output.err
            };
            render::human(shown, &planned.document)?;
            if planned.document.changes.is_empty() {
                return Ok(exit::OK);
            }
            if !args.auto_approve {
                if !std::io::stdin().is_terminal() {
                    return refuse(
                        Code::ApplyRefused,
                        "not applying without confirmation: there is no terminal to ask on",
                        "apply a reviewed plan file (`oktaform plan -o plan.json`, then `oktaform apply plan.json`), or pass --auto-approve",
                        output,
                    );
                }
                write!(output.err, "\nApply these changes? Only `yes` is accepted: ")?;
                output.err.flush()?;
                let mut answer = String::new();
                std::io::stdin().lock().read_line(&mut answer)?;
                if answer.trim() != "yes" {
                    writeln!(output.err, "Apply cancelled.")?;
                    return Ok(exit::FAILURE);
                }
            }
            (planned.document.changes.clone(), planned)
        }
    };
    let unacknowledged: BTreeSet<SafetyRule> = changes
        .iter()
        .filter_map(|c| c.safety_rule)
        .filter(|rule| !args.force.iter().any(|f| f == "all" || f == rule.as_str()))
        .collect();
    if !unacknowledged.is_empty() {
        let rules: Vec<&str> = unacknowledged.iter().map(|r| r.as_str()).collect();
        let flags: Vec<String> = rules.iter().map(|r| format!("--force={r}")).collect();
        return refuse(
            Code::ApplyNeedsForce,
            format!(
                "the plan needs the safety rule(s) {} acknowledged; nothing was changed",
                rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            ),
            format!(
                "review the changes marked [needs --force=...], then pass {}",
                flags.join(" ")
            ),
            output,
        );
    }
    execute(args, &changes, &planned, &runtime, output)
}

fn execute(
    args: &ApplyArgs,
    changes: &[Change],
    planned: &Planned,
    runtime: &tokio::runtime::Runtime,
    output: &mut Output<'_>,
) -> std::io::Result<u8> {
    let github = args.format == ApplyFormat::Github || std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let steps = changes.iter().filter(|c| c.kind != Kind::Reauthorize).count();
    let bar = indicatif::ProgressBar::new(steps as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let plain = !std::io::stderr().is_terminal();
    if github {
        writeln!(output.err, "::group::oktaform apply ({steps} steps)")?;
    }
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let progress = {
        let (bar, lines) = (bar.clone(), lines.clone());
        Arc::new(move |change: &Change, result: &StepResult| {
            let line = match result {
                StepResult::Applied { already: false } => format!("applied  {}", change.address),
                StepResult::Applied { already: true } => format!("applied  {} (already in place)", change.address),
                StepResult::Failed(error) => format!("failed   {}: {error}", change.address),
                StepResult::Skipped => format!("skipped  {}", change.address),
                StepResult::Manual => return,
            };
            bar.inc(1);
            bar.set_message(change.address.clone());
            if plain {
                eprintln!("{line}");
            }
            lines
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(line);
        })
    };
    let executor = Executor {
        clients: &planned.orgs.clients,
        live: &planned.live,
        parallelism: usize::from(args.parallelism),
        progress,
    };
    let results = runtime.block_on(executor.run(changes));
    bar.finish_and_clear();
    if github {
        writeln!(output.err, "::endgroup::")?;
    }
    let mut report = Report::default();
    for (change, result) in changes.iter().zip(&results) {
        report.record(&change.address, result);
    }
    // Read back and verify that every object is in its planned state.
    let mut selection = Selection::default();
    for change in changes {
        let key = crate::model::AppKey {
            domain: change.domain.clone(),
            client_id: change.client_id.clone(),
        };
        let entry = selection.apps.entry(key).or_default();
        if let Some(account) = &change.account {
            entry.0.insert(account.clone());
        }
    }
    let reader = Reader::new(planned.orgs.clients.clone());
    let (after, errors) = runtime.block_on(reader.read(&selection));
    let unverified: Vec<&Change> = changes
        .iter()
        .filter(|c| c.kind != Kind::Reauthorize && report.applied.contains(&c.address))
        .filter(|c| crate::apply::current_state(c, &after) != c.after)
        .collect();
    report.verified = errors.is_empty() && unverified.is_empty();
    let mut diagnostics: Vec<Diagnostic> = changes
        .iter()
        .zip(&results)
        .filter_map(|(change, result)| match result {
            StepResult::Failed(error) => Some(step_diagnostic(change, error, planned)),
            _ => None,
        })
        .collect();
    for change in &unverified {
        diagnostics.push(
            Diagnostic::new(
                Code::ApplyVerifyFailed,
                format!("{} is not in its planned state after apply", change.address),
            )
            .help("something changed it while apply ran; plan again to see"),
        );
    }
    match args.format {
        ApplyFormat::Json => {
            serde_json::to_writer_pretty(&mut *output.out, &report)?;
            writeln!(output.out)?;
        }
        ApplyFormat::Human | ApplyFormat::Github => {
            writeln!(
                output.out,
                "Apply {}: {} applied, {} failed, {} skipped.",
                if report.succeeded() { "complete" } else { "incomplete" },
                report.applied.len(),
                report.failed.len(),
                report.skipped.len()
            )?;
            if !report.manual.is_empty() {
                writeln!(
                    output.out,
                    "\nManual steps left: reauthorize these connections in the Workflows Console:"
                )?;
                for address in &report.manual {
                    writeln!(output.out, "  ! {address}")?;
                }
            }
            if args.format == ApplyFormat::Github {
                if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                    let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                    step_summary(&mut summary, &report)?;
                }
                for failed in &report.failed {
                    writeln!(
                        output.out,
                        "::error title=oktaform apply::{} failed: {}",
                        failed.address,
                        failed.error.replace('\n', "%0A")
                    )?;
                }
            }
        }
    }
    if !diagnostics.is_empty() {
        let style = diagnostics_render::HumanStyle {
            color: output.color,
            ..Default::default()
        };
        diagnostics_render::human(output.err, &planned.loaded.sources, &diagnostics, style)?;
    }
    Ok(if report.succeeded() { exit::OK } else { exit::FAILURE })
}

/// A failed step as a report at the declaration that asked for it.
fn step_diagnostic(change: &Change, error: &str, planned: &Planned) -> Diagnostic {
    let sites = &planned.validated.sites;
    let mut diagnostic = Diagnostic::new(Code::ApplyStepFailed, format!("{} failed: {error}", change.address))
        .help("the steps before it were applied; fix the cause and run apply again: it continues from here");
    let span = match change.kind {
        Kind::Grant => change
            .scope
            .as_ref()
            .and_then(|scope| {
                sites
                    .grants
                    .iter()
                    .find(|((_, s), _)| s == scope)
                    .map(|(_, span)| *span)
            })
            .or_else(|| sites.connection(&change.connection, |c| Some(c.header))),
        Kind::Assignment | Kind::Role => sites.connection(&change.connection, |c| c.service_account),
        Kind::Reauthorize => None,
    };
    if let Some(span) = span {
        diagnostic = diagnostic.at(span, "declared here");
    }
    diagnostic
}

/// The report as markdown, for the GitHub Actions step summary.
fn step_summary(out: &mut dyn std::io::Write, report: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "### oktaform apply\n\n**{} applied, {} failed, {} skipped{}**\n",
        report.applied.len(),
        report.failed.len(),
        report.skipped.len(),
        if report.verified { ", verified" } else { "" }
    )?;
    writeln!(out, "| step | result |\n|---|---|")?;
    let rows = report
        .applied
        .iter()
        .map(|a| (a.as_str(), "applied".to_owned()))
        .chain(
            report
                .failed
                .iter()
                .map(|f| (f.address.as_str(), format!("failed: {}", f.error.replace('|', "\\|")))),
        )
        .chain(report.skipped.iter().map(|a| (a.as_str(), "skipped".to_owned())))
        .chain(
            report
                .manual
                .iter()
                .map(|a| (a.as_str(), "manual: reauthorize in the Workflows Console".to_owned())),
        );
    for (address, result) in rows {
        writeln!(out, "| `{address}` | {result} |")?;
    }
    Ok(())
}
