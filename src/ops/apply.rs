//! Apply: a reviewed plan file, or a plan made here and approved through a callback.
//!
//! A plan file is untrusted input. Before any request the target of this invocation must be
//! the plan's; then the config digest must match; then the changes are derived anew from
//! the config and the org, and run only when the file holds them. Safety rules are judged
//! from the derived changes, never from the file.

use super::plan::{PlanRequest, plan};
use super::prepare::{Prepared, prepare, recorded_variables};
use super::{Context, Failure, Orgs, Target};
use crate::apply::{Executor, Refusal, Report, StepStatus, as_planned, compare, current_state};
use crate::config::VarInputs;
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::model::{Live, SafetyRule};
use crate::okta::Purpose;
use crate::plan::{Change, PlanDocument, PlanError, Reason, Step};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What to apply.
pub enum Source {
    /// A plan file as read (a file that claims to be a plan but is not one is refused), with
    /// the config it must have been made from (default: the current directory).
    PlanFile {
        document: Box<Result<PlanDocument, PlanError>>,
        config: Option<PathBuf>,
    },
    /// A config to plan and, once approved, apply.
    Config(PathBuf),
}

pub struct ApplyRequest {
    pub source: Source,
    pub variables: VarInputs,
    pub target: Target,
    /// The safety rules acknowledged (`--force`).
    pub acknowledged: BTreeSet<SafetyRule>,
}

/// The answer of whoever reviews a plan made from a config.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    Approved,
    Declined,
    /// Nobody can be asked (no terminal) and nothing approved in advance.
    CannotAsk,
}

/// Why apply stops before any step.
#[derive(Debug)]
pub enum Stop {
    Failure(Failure),
    /// The reviewer declined.
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

/// What is to be applied: the derived changes, and what they were derived from.
pub struct Ready {
    prepared: Prepared,
    orgs: Orgs,
    live: Live,
    pub changes: Vec<Change>,
}

impl Ready {
    /// The changes that are steps (a reauthorization is a reminder, not a request).
    pub fn steps(&self) -> usize {
        self.changes.iter().filter(|c| c.step.states().is_some()).count()
    }
}

/// An apply as it ended.
pub struct Applied {
    pub report: Report,
    /// A failed step at its declaration, an object not in its planned state after.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

/// Checks a request and derives its changes; nothing is changed. A plan made from a config
/// is handed to `review` (also when it holds no change, so that it can be shown) with
/// whether it may ask for approval (not when the plan needs a safety rule that the request
/// does not acknowledge); `Ok(None)` when there is nothing to do.
pub async fn ready(
    ctx: &Context<'_>,
    request: ApplyRequest,
    review: &mut dyn FnMut(&PlanDocument, bool) -> std::io::Result<Approval>,
) -> Result<Option<Ready>, Stop> {
    let ready = match request.source {
        Source::PlanFile { document, config } => {
            from_plan_file(ctx, *document, config, &request.variables, &request.target).await?
        }
        Source::Config(path) => {
            let plan_request = PlanRequest {
                variables: request.variables,
                ..PlanRequest::new(path, request.target, Purpose::Apply)
            };
            let planned = plan(ctx, &plan_request).await?;
            // Safety rules are judged before anyone is asked: a `yes` must never be wasted
            // on a plan that the flags given cannot apply.
            let safe = check_safety(&planned.diff.changes, &request.acknowledged);
            let approval = review(&planned.document, safe.is_ok())?;
            if planned.diff.changes.is_empty() {
                return Ok(None);
            }
            safe?;
            match approval {
                Approval::Approved => {}
                Approval::Declined => return Err(Stop::Cancelled),
                Approval::CannotAsk => {
                    return Err(Failure::refusal(
                        Code::ApplyRefused,
                        "not applying without confirmation: there is no terminal to ask on",
                        "apply a reviewed plan file (`oktaform plan -o plan.json`, then `oktaform apply plan.json`), or pass --auto-approve",
                    )
                    .into());
                }
            }
            Ready {
                changes: planned.diff.changes,
                prepared: planned.prepared,
                orgs: planned.orgs,
                live: planned.live,
            }
        }
    };
    check_safety(&ready.changes, &request.acknowledged)?;
    Ok(Some(ready))
}

async fn from_plan_file(
    ctx: &Context<'_>,
    document: Result<PlanDocument, PlanError>,
    config_flag: Option<PathBuf>,
    variables: &VarInputs,
    choice: &Target,
) -> Result<Ready, Stop> {
    let document = document.map_err(|error| {
        Failure::refusal(
            Code::ApplyNotAPlan,
            error.to_string(),
            "make a new plan file with `oktaform plan -o FILE`",
        )
    })?;
    // The config comes from this invocation, never from the path written in the file.
    let config = config_flag.clone().unwrap_or_else(|| PathBuf::from("."));
    let recorded_path = &document.config.path;
    let prepared = prepare(ctx, &config, &document.connections, variables, choice.is_sim()).map_err(|failure| {
        if config_flag.is_some() {
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
    let differing = crate::plan::changed_variables(&document.variables, &recorded_variables(&prepared.loaded));
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
    let target = prepared.target(choice)?;
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
    let orgs = prepared.connect(ctx, choice, &target, Purpose::Apply)?;
    let (live, mut diagnostics) = prepared.read(&orgs).await;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(prepared.fail(diagnostics).into());
    }
    let as_planned = as_planned(&document.changes, &live).map_err(refused)?;
    let derived = prepared.diff(&as_planned);
    diagnostics.extend(derived.diagnostics.iter().cloned());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(prepared.fail(diagnostics).into());
    }
    compare(&document.changes, &derived.changes).map_err(refused)?;
    Ok(Ready {
        prepared,
        orgs,
        live,
        changes: derived.changes,
    })
}

fn refused(refusal: Refusal) -> Stop {
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
}

/// Every safety rule of the derived changes must be acknowledged.
fn check_safety(changes: &[Change], acknowledged: &BTreeSet<SafetyRule>) -> Result<(), Failure> {
    let unacknowledged: BTreeSet<SafetyRule> = changes
        .iter()
        .filter_map(|c| c.safety_rule)
        .filter(|rule| !acknowledged.contains(rule))
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

/// Runs the steps of `ready` with at most `parallelism` requests in flight, telling
/// `observer` of each finished step, then reads the orgs back to verify.
/// `interrupted`, once set, starts no further step; the steps in flight finish.
pub async fn execute(
    ready: Ready,
    parallelism: usize,
    observer: &dyn Fn(&Change, &StepStatus),
    interrupted: &std::sync::atomic::AtomicBool,
) -> Applied {
    let changes = &ready.changes;
    let executor = Executor {
        clients: &ready.orgs.clients,
        live: &ready.live,
        parallelism,
        observer,
        interrupted,
    };
    let statuses = executor.run(changes).await;
    // Read back what the steps changed (once each) and verify that every object is in its
    // planned state.
    let (after, read) = crate::apply::read_back(&ready.live, changes, &statuses, &ready.orgs.clients).await;
    let unverified: Vec<&Change> = changes
        .iter()
        .zip(&statuses)
        .filter(|(_, status)| status.in_place())
        .map(|(change, _)| change)
        .filter(|c| c.step.states().map(|(_, after)| after) != current_state(&c.step, &after))
        .collect();
    let mut report = Report::new(changes, &statuses, read && unverified.is_empty());
    report.interrupted = interrupted.load(std::sync::atomic::Ordering::SeqCst);
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
    Applied {
        report,
        diagnostics,
        sources: ready.prepared.loaded.sources.clone(),
    }
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
