//! `oktaform apply [PLANFILE | PATH]`: apply a reviewed plan file, or plan a config and
//! apply after confirmation.
//!
//! A plan file is untrusted input. Before any request the target of this invocation must be
//! the plan's; then the config digest must match; then the changes are derived anew from
//! the config and the org, and run only when the file holds them. Safety rules are judged
//! from the derived changes, never from the file.

use super::planner::{self, Failure, Prepared, prepare, report_failure, runtime};
use super::target::Orgs;
use super::{Output, exit};
use crate::apply::{Executor, Refusal, Report, StepStatus, as_planned, compare, current_state, view};
use crate::cli::{ApplyArgs, ApplyFormat, ForceRule, GlobalArgs};
use crate::config::VarInputs;
use crate::diagnostics::{Code, Diagnostic, render as diagnostics_render};
use crate::model::{Live, SafetyRule};
use crate::okta::Purpose;
use crate::plan::{Change, PlanDocument, PlanError, Reason, Step};
use crate::render;
use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

/// What is to be applied: the derived changes, and what they were derived from.
struct Ready {
    prepared: Prepared,
    orgs: Orgs,
    live: Live,
    changes: Vec<Change>,
}

pub fn run(global: &GlobalArgs, args: &ApplyArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == ApplyFormat::Json;
    let runtime = runtime()?;
    let ready = match plan_file(&args.target) {
        Some(document) => from_plan_file(global, args, document, &runtime, output),
        None => from_config(global, args, &runtime, output),
    };
    let ready = match ready {
        Ok(Some(ready)) => ready,
        Ok(None) => return Ok(exit::OK),
        Err(Stop::Failure(failure)) => return report_failure(failure, json, output),
        Err(Stop::Cancelled) => {
            writeln!(output.err, "Apply cancelled.")?;
            return Ok(exit::FAILURE);
        }
        Err(Stop::Io(error)) => return Err(error),
    };
    if let Err(failure) = check_safety(&ready.changes, &args.force) {
        return report_failure(failure, json, output);
    }
    execute(args, &ready, &runtime, output)
}

/// Why apply stops before any step.
enum Stop {
    Failure(Failure),
    Cancelled,
    Io(std::io::Error),
}

impl From<Failure> for Stop {
    fn from(failure: Failure) -> Self {
        Stop::Failure(failure)
    }
}

impl From<std::io::Error> for Stop {
    fn from(error: std::io::Error) -> Self {
        Stop::Io(error)
    }
}

/// The plan document in `path`, when the file claims to be one (see
/// [`PlanDocument::claimed_by`]); whether it is a usable plan is checked later.
fn plan_file(path: &Path) -> Option<Result<PlanDocument, PlanError>> {
    PlanDocument::claimed_by(path).then(|| PlanDocument::read(path))
}

fn from_plan_file(
    global: &GlobalArgs,
    args: &ApplyArgs,
    document: Result<PlanDocument, PlanError>,
    runtime: &tokio::runtime::Runtime,
    output: &mut Output<'_>,
) -> Result<Option<Ready>, Stop> {
    let document = document.map_err(|error| {
        Failure::refusal(
            Code::ApplyNotAPlan,
            error.to_string(),
            "make a new plan file with `oktaform plan -o FILE`",
        )
    })?;
    // The config comes from this invocation, never from the path written in the file.
    let config = args.config.clone().unwrap_or_else(|| PathBuf::from("."));
    let recorded_path = &document.config.path;
    let inputs = VarInputs {
        vars: global.vars.clone(),
        files: global.var_files.clone(),
        recorded: Vec::new(),
    };
    let prepared = prepare(&config, &document.connections, &inputs, global.sim).map_err(|failure| {
        if args.config.is_some() {
            return failure;
        }
        let hint = format!(
            "apply reads the config from the current directory or `--config PATH`; the plan was made from `{recorded_path}` (as the plan file records it)"
        );
        match failure {
            Failure::Diagnostics { sources, diagnostics } => Failure::Diagnostics {
                sources,
                diagnostics: diagnostics
                    .into_iter()
                    .map(|d| {
                        if matches!(d.code, Code::ConfigNoFiles | Code::ConfigUnreadable) {
                            d.help(hint.clone())
                        } else {
                            d
                        }
                    })
                    .collect(),
            },
            usage @ Failure::Usage(_) => usage,
        }
    })?;
    let variables = planner::recorded_variables(&prepared.loaded);
    let differing = crate::plan::changed_variables(&document.variables, &variables);
    if !differing.is_empty() {
        return Err(Failure::refusal(
            Code::ApplyVariablesChanged,
            format!(
                "the variables differ from those the plan was made with; nothing was sent:\n  {}",
                differing.join("\n  ")
            ),
            "apply with the variables the plan was made with (--var, --var-file, OKTAFORM_VAR_<name>), or plan again and review the new plan",
        )
        .into());
    }
    let prepared = prepare(&config, &document.connections, &inputs, global.sim)?;
    let target = prepared.target(global)?;
    if target != document.target {
        return Err(Failure::refusal(
            Code::ApplyTargetChanged,
            format!(
                "the plan was made against another target than this apply's; nothing was sent\n  plan:  {}\n  apply: {}",
                document.target.describe(),
                target.describe()
            ),
            "apply where the plan was made (with the same --sim or --endpoint), or plan again",
        )
        .into());
    }
    if crate::plan::config_digest(&prepared.validated.desired) != document.config.digest {
        return Err(Failure::refusal(
            Code::ApplyConfigChanged,
            format!(
                "the config at `{}` is not the one the plan was made from (recorded as `{recorded_path}`)",
                config.display()
            ),
            "apply in the directory of the config the plan was made from, or name it with --config PATH; or plan again and review the new plan",
        )
        .into());
    }
    let orgs = prepared.connect(global, &target, Purpose::Apply, output)?;
    let (live, mut diagnostics) = prepared.read(&orgs, runtime);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(prepared.fail(diagnostics).into());
    }
    let refused = |refusal: Refusal| {
        let (code, message, help) = match refusal {
            Refusal::Mismatch(changes) => (
                Code::ApplyPlanMismatch,
                format!(
                    "the plan file holds changes that the config does not require; nothing was changed:\n  {}",
                    changes.join("\n  ")
                ),
                "apply only plans made by `oktaform plan -o FILE` and left as they are; plan again",
            ),
            Refusal::Stale(problems) => (
                Code::ApplyStalePlan,
                format!("the org changed since the plan was made:\n  {}", problems.join("\n  ")),
                "plan again and review what changed",
            ),
        };
        Stop::Failure(Failure::refusal(code, message, help))
    };
    let as_planned = as_planned(&document.changes, &live).map_err(refused)?;
    let derived = prepared.diff(&as_planned);
    diagnostics.extend(derived.diagnostics.iter().cloned());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(prepared.fail(diagnostics).into());
    }
    compare(&document.changes, &derived.changes).map_err(refused)?;
    Ok(Some(Ready {
        prepared,
        orgs,
        live,
        changes: derived.changes,
    }))
}

fn from_config(
    global: &GlobalArgs,
    args: &ApplyArgs,
    runtime: &tokio::runtime::Runtime,
    output: &mut Output<'_>,
) -> Result<Option<Ready>, Stop> {
    let planned = planner::plan(global, &args.target, &[], None, Purpose::Apply, runtime, output)?;
    // The plan is the human output; with a JSON report it goes to stderr instead.
    let shown: &mut dyn std::io::Write = if args.format == ApplyFormat::Human {
        &mut *output.out
    } else {
        &mut *output.err
    };
    render::human(shown, &planned.document)?;
    if planned.diff.changes.is_empty() {
        return Ok(None);
    }
    writeln!(shown)?;
    if !args.auto_approve {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::refusal(
                Code::ApplyRefused,
                "not applying without confirmation: there is no terminal to ask on",
                "apply a reviewed plan file (`oktaform plan -o plan.json`, then `oktaform apply plan.json`), or pass --auto-approve",
            )
            .into());
        }
        write!(output.err, "\nApply these changes? Only `yes` is accepted: ")?;
        output.err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != "yes" {
            return Err(Stop::Cancelled);
        }
    }
    Ok(Some(Ready {
        changes: planned.diff.changes,
        prepared: planned.prepared,
        orgs: planned.orgs,
        live: planned.live,
    }))
}

/// Every safety rule of the derived changes must be acknowledged with `--force`.
fn check_safety(changes: &[Change], force: &[ForceRule]) -> Result<(), Failure> {
    let acknowledged = |rule: SafetyRule| force.iter().any(|f| f.covers(rule));
    let unacknowledged: BTreeSet<SafetyRule> = changes
        .iter()
        .filter_map(|c| c.safety_rule)
        .filter(|rule| !acknowledged(*rule))
        .collect();
    if unacknowledged.is_empty() {
        return Ok(());
    }
    let rules: Vec<&str> = unacknowledged.iter().map(|r| r.as_str()).collect();
    let flags: Vec<String> = rules.iter().map(|r| format!("--force={r}")).collect();
    Err(Failure::refusal(
        Code::ApplyNeedsForce,
        format!(
            "the plan needs the safety rule(s) {} acknowledged; nothing was changed",
            rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
        ),
        format!(
            "review the changes marked [needs --force=...], then pass {}",
            flags.join(" ")
        ),
    ))
}

fn execute(
    args: &ApplyArgs,
    ready: &Ready,
    runtime: &tokio::runtime::Runtime,
    output: &mut Output<'_>,
) -> std::io::Result<u8> {
    let github = args.format == ApplyFormat::Github || std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let changes = &ready.changes;
    let steps = changes.iter().filter(|c| c.step.states().is_some()).count();
    if github {
        writeln!(output.err, "::group::oktaform apply ({steps} steps)")?;
    }
    let statuses = {
        let progress = if std::io::stderr().is_terminal() && !github {
            view::Progress::bar(steps)
        } else {
            view::Progress::lines(&mut *output.err)
        };
        let observer = |change: &Change, status: &StepStatus| progress.step(change, status);
        let executor = Executor {
            clients: &ready.orgs.clients,
            live: &ready.live,
            parallelism: usize::from(args.parallelism),
            observer: &observer,
        };
        let statuses = runtime.block_on(executor.run(changes));
        progress.finish();
        statuses
    };
    if github {
        writeln!(output.err, "::endgroup::")?;
    }
    // Read back and verify that every object is in its planned state.
    let (after, read) = ready.prepared.read_back(&ready.orgs, runtime);
    let unverified: Vec<&Change> = changes
        .iter()
        .zip(&statuses)
        .filter(|(_, status)| status.in_place())
        .map(|(change, _)| change)
        .filter(|c| c.step.states().map(|(_, after)| after) != current_state(&c.step, &after))
        .collect();
    let report = Report::new(changes, &statuses, read && unverified.is_empty());
    let mut diagnostics: Vec<Diagnostic> = changes
        .iter()
        .zip(&statuses)
        .filter_map(|(change, status)| match status {
            StepStatus::Failed(error) => Some(step_diagnostic(change, &error.to_string(), &ready.prepared)),
            _ => None,
        })
        .collect();
    for change in &unverified {
        diagnostics.push(
            Diagnostic::new(
                Code::ApplyVerifyFailed,
                format!("{} is not in its planned state after apply", change.address()),
            )
            .help("something changed it while apply ran; plan again to see"),
        );
    }
    match args.format {
        ApplyFormat::Json => view::json(output.out, &report)?,
        ApplyFormat::Human => view::human(output.out, &report)?,
        ApplyFormat::Github => {
            view::github(output.out, &report)?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                view::step_summary(&mut summary, &report)?;
            }
        }
    }
    if !diagnostics.is_empty() {
        let style = diagnostics_render::HumanStyle {
            color: output.color,
            ..Default::default()
        };
        diagnostics_render::human(output.err, &ready.prepared.loaded.sources, &diagnostics, style)?;
    }
    Ok(if report.ok { exit::OK } else { exit::FAILURE })
}

/// A failed step as a report at the declaration that asked for that very item: a grant at
/// the `scopes` block of that app that declared it, an account at its connection.
fn step_diagnostic(change: &Change, error: &str, prepared: &Prepared) -> Diagnostic {
    let sites = &prepared.validated.sites;
    let desired = &prepared.validated.desired;
    let mut diagnostic = Diagnostic::new(Code::ApplyStepFailed, format!("{} failed: {error}", change.address()))
        .help("the steps before it were applied; fix the cause and run apply again: it continues from here");
    let first_connection = || {
        change
            .connections
            .first()
            .and_then(|c| sites.connection(c, |s| Some(s.header)))
    };
    let span = match (&change.step, &change.reason) {
        (Step::Grant { app, scope }, Reason::DeclaredBy(_)) => desired
            .apps
            .get(app)
            .and_then(|a| a.grants.get(scope))
            .and_then(|origins| {
                origins
                    .iter()
                    .find_map(|o| sites.grants.get(&(o.scopes.clone(), scope.clone())).copied())
            })
            .or_else(first_connection),
        (Step::Assign { .. } | Step::Unassign { .. } | Step::MakeSuperAdmin { .. }, _) => change
            .connections
            .first()
            .and_then(|c| sites.connection(c, |s| s.service_account)),
        _ => first_connection(),
    };
    if let Some(span) = span {
        diagnostic = diagnostic.at(span, "declared here");
    }
    diagnostic
}
