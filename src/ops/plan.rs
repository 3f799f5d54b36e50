//! Plan: read the live orgs (read-only) and diff them with the config.

use super::prepare::{Prepared, prepare};
use super::{Context, Failure, Orgs, Target};
use crate::config::VarInputs;
use crate::diagnostics::Diagnostic;
use crate::model::Live;
use crate::okta::Purpose;
use crate::plan::{Diff, PlanDocument};
use std::path::PathBuf;

/// What to plan.
#[derive(Clone, Debug)]
pub struct PlanRequest {
    /// The config directory, or one file.
    pub config: PathBuf,
    /// Read and show only these connections; every one when empty.
    pub connections: Vec<String>,
    pub variables: VarInputs,
    pub target: Target,
    /// Why the orgs are read (a service app asks for the scopes this needs).
    pub purpose: Purpose,
    /// Where the plan document will be written (its config path is relative to it).
    pub plan_file: Option<PathBuf>,
}

impl PlanRequest {
    /// A plan of every connection of `config`, made for `purpose`.
    pub fn new(config: impl Into<PathBuf>, target: Target, purpose: Purpose) -> Self {
        Self {
            config: config.into(),
            connections: Vec::new(),
            variables: VarInputs::default(),
            target,
            purpose,
            plan_file: None,
        }
    }
}

/// A plan made, with what it was made from.
pub struct Planned {
    pub prepared: Prepared,
    pub orgs: Orgs,
    pub live: Live,
    pub diff: Diff,
    /// Every warning and advice: of the config, of reading the orgs, of the diff.
    pub diagnostics: Vec<Diagnostic>,
    pub document: PlanDocument,
}

/// The whole pipeline of `plan`: load, validate, connect, read, diff.
pub async fn plan(ctx: &Context<'_>, request: &PlanRequest) -> Result<Planned, Failure> {
    let prepared = prepare(
        ctx,
        &request.config,
        &request.connections,
        &request.variables,
        request.target.is_sim(),
    )?;
    let target = prepared.target(&request.target)?;
    let orgs = prepared.connect(ctx, &request.target, &target, request.purpose)?;
    let (live, read_diagnostics) = prepared.read(&orgs).await;
    let diff = prepared.diff(&live);
    let mut diagnostics = prepared.validated.diagnostics.clone();
    diagnostics.extend(read_diagnostics);
    diagnostics.extend(diff.diagnostics.iter().cloned());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(prepared.fail(diagnostics));
    }
    let document = prepared.document(ctx.now, &diff, target, &diagnostics, request.plan_file.as_deref());
    Ok(Planned {
        prepared,
        orgs,
        live,
        diff,
        diagnostics,
        document,
    })
}
