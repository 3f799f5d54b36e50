//! The phases that plan, apply, drift and query share: load -> validate -> target ->
//! connect -> read -> diff. Each phase is a method so that `apply` can check a plan file's
//! target between validating and connecting, before any request.

use super::orgs::{Orgs, connect, resolve_target};
use super::read::{preflight, read_diagnostics};
use super::{Context, Failure, Target as Choice};
use crate::config::{self, Loaded, VarInputs};
use crate::diagnostics::{Code, Diagnostic, SourceMap, did_you_mean};
use crate::live::{AppSelection, Reader, Selection};
use crate::model::Live;
use crate::okta::Purpose;
use crate::plan::{
    ConfigRef, Declarations, Diff, Differ, FORMAT_VERSION, LogQueryRef, PlanDiagnostic, PlanDocument, Target,
    config_digest,
};
use crate::validate::{Validated, validate};
use crate::view::diagnostics::JsonDiagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// A config loaded and validated, with the connections a command is limited to.
pub struct Prepared {
    pub path: PathBuf,
    pub loaded: Loaded,
    pub validated: Validated,
    /// `--connection` names, else every connection.
    pub selected: BTreeSet<String>,
}

/// Loads and validates the config at `path`, limited to `connections` (all when empty).
/// An unset `env()` in credentials that this run will not use is no error: under `--sim`
/// (credentials come from the seed) and in the orgs of unselected connections.
pub fn prepare(
    ctx: &Context<'_>,
    path: &Path,
    connections: &[String],
    inputs: &VarInputs,
    sim: bool,
) -> Result<Prepared, Failure> {
    let mut loaded = config::load(path, inputs, ctx.environment);
    let mut validated = validate(&mut loaded, ctx.now);
    let desired = &validated.desired;
    for name in connections {
        if !desired.connections.contains_key(name) {
            let hint = did_you_mean(name, desired.connections.keys().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            if validated.has_errors() {
                break;
            }
            return Err(Failure::Usage(format!(
                "--connection: no connection named `{name}`{hint}"
            )));
        }
    }
    let selected: BTreeSet<String> = if connections.is_empty() {
        desired.connections.keys().cloned().collect()
    } else {
        connections.iter().cloned().collect()
    };
    let domains: BTreeSet<&str> = selected
        .iter()
        .filter_map(|c| desired.connections.get(c))
        .map(|c| c.app.domain.as_str())
        .collect();
    let forgiven: Vec<_> = loaded
        .config
        .connections
        .iter()
        .filter(|c| {
            sim || desired
                .connections
                .get(&c.name.value)
                .is_some_and(|c| !domains.contains(c.app.domain.as_str()))
        })
        .flat_map(|c| c.credential_spans.iter().copied())
        .collect();
    validated.diagnostics.retain(|d| {
        !(d.code == Code::VariableUnsetEnv
            && d.primary.as_ref().is_some_and(|l| {
                forgiven
                    .iter()
                    .any(|s| s.file == l.span.file && s.start() <= l.span.start() && l.span.end() <= s.end())
            }))
    });
    if validated.has_errors() {
        return Err(Failure::Diagnostics {
            sources: loaded.sources,
            diagnostics: validated.diagnostics,
        });
    }
    Ok(Prepared {
        path: path.to_owned(),
        loaded,
        validated,
        selected,
    })
}

impl Prepared {
    /// The orgs of the selected connections.
    pub fn domains(&self) -> BTreeSet<String> {
        self.selected
            .iter()
            .filter_map(|c| self.validated.desired.connections.get(c))
            .map(|c| c.app.domain.clone())
            .collect()
    }

    pub fn fail(&self, diagnostics: Vec<Diagnostic>) -> Failure {
        Failure::Diagnostics {
            sources: self.loaded.sources.clone(),
            diagnostics,
        }
    }

    /// Where this invocation would send requests; no request is made.
    pub fn target(&self, choice: &Choice) -> Result<Target, Failure> {
        resolve_target(choice, &self.validated.desired, &self.domains()).map_err(|d| self.fail(d))
    }

    pub fn connect(
        &self,
        ctx: &Context<'_>,
        choice: &Choice,
        target: &Target,
        purpose: Purpose,
    ) -> Result<Orgs, Failure> {
        connect(
            ctx,
            choice,
            &self.path,
            &self.validated.desired,
            &self.validated.sites,
            target,
            purpose,
        )
        .map_err(|d| self.fail(d))
    }

    /// What to read: the apps of the selected connections and their service accounts.
    fn selection(&self) -> Selection {
        let desired = &self.validated.desired;
        let mut selection = Selection::default();
        for connection in self.selected.iter().filter_map(|c| desired.connections.get(c)) {
            let app: &mut AppSelection = selection.apps.entry(connection.app.clone()).or_default();
            app.accounts.insert(connection.service_account.clone());
            app.secrets |= connection
                .client_secret
                .as_ref()
                .is_some_and(|s| !s.expose().is_empty());
        }
        selection
    }

    /// Reads the selected apps and accounts; read problems and preflight checks as diagnostics.
    pub async fn read(&self, orgs: &Orgs) -> (Live, Vec<Diagnostic>) {
        let reader = Reader::new(orgs.clients.clone());
        let (live, errors) = reader.read(&self.selection()).await;
        let mut diagnostics = read_diagnostics(&errors, orgs, &self.validated);
        diagnostics.extend(preflight(&self.validated, &live, &self.selected));
        (live, diagnostics)
    }

    pub fn diff(&self, live: &Live) -> Diff {
        Differ {
            desired: &self.validated.desired,
            live,
            declarations: Declarations {
                sites: &self.validated.sites,
                sources: &self.loaded.sources,
                root: self.path.is_dir().then_some(self.path.as_path()),
            },
            selected: &self.selected,
        }
        .diff()
    }

    /// The plan document of `diff`; `plan_file` is where it will be written (its
    /// `config.path` is relative to it).
    pub fn document(
        &self,
        now: OffsetDateTime,
        diff: &Diff,
        target: Target,
        diagnostics: &[Diagnostic],
        plan_file: Option<&Path>,
    ) -> PlanDocument {
        let desired = &self.validated.desired;
        let mut document = PlanDocument {
            format_version: FORMAT_VERSION.to_owned(),
            oktaform_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            config: ConfigRef {
                path: config_path(&self.path, plan_file),
                digest: config_digest(desired),
            },
            target,
            connections: self.selected.iter().cloned().collect(),
            summary: PlanDocument::summarize(&diff.changes, diff.unchanged),
            variables: recorded_variables(&self.loaded),
            changes: diff.changes.clone(),
            unmanaged: diff.unmanaged.clone(),
            mass_revokes: diff.mass_revokes.clone(),
            log_queries: desired
                .log_queries
                .values()
                .filter(|q| self.selected.contains(&q.connection))
                .map(|q| {
                    let compiled = q.compiled();
                    LogQueryRef {
                        name: q.name.clone(),
                        connection: q.connection.clone(),
                        card: q.card.clone(),
                        q: compiled.q,
                        filter: compiled.filter,
                        since: q.since.map(|s| s.to_string()),
                        until: q.until.map(|u| u.to_string()),
                        order: q.order,
                        records: q.records,
                        limit: q.limit,
                    }
                })
                .collect(),
            diagnostics: diagnostics
                .iter()
                .map(|d| plan_diagnostic(d, &self.loaded.sources))
                .collect(),
            checksum: String::new(),
        };
        document.seal();
        document
    }
}

/// The values of the non-sensitive variables of `loaded`, as a plan file records them.
pub fn recorded_variables(loaded: &Loaded) -> std::collections::BTreeMap<String, serde_json::Value> {
    loaded
        .config
        .variables
        .iter()
        .filter(|v| !v.sensitive)
        .filter_map(|v| Some((v.name.value.clone(), v.value.as_ref()?.to_json()?)))
        .collect()
}

fn plan_diagnostic(diagnostic: &Diagnostic, sources: &SourceMap) -> PlanDiagnostic {
    let json = JsonDiagnostic::new(diagnostic, sources);
    PlanDiagnostic {
        code: json.code.to_owned(),
        severity: json.severity,
        message: json.message.into_owned(),
        file: json.file,
        line: json.line,
        column: json.column,
        help: json.help.map(std::borrow::Cow::into_owned),
    }
}

/// The config path as the plan records it: relative to the plan file's directory.
fn config_path(config: &Path, plan_file: Option<&Path>) -> String {
    let shown = config.display().to_string();
    let Some(plan_file) = plan_file else {
        return shown;
    };
    let absolute = |p: &Path| std::path::absolute(p).ok();
    let plan_dir = plan_file
        .parent()
        .map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p })
        .and_then(absolute);
    match (absolute(config), plan_dir) {
        (Some(config), Some(base)) => relative(&config, &base).display().to_string(),
        _ => shown,
    }
}

fn relative(target: &Path, base: &Path) -> PathBuf {
    let target: Vec<_> = target.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = target.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..base.len() {
        path.push("..");
    }
    for component in &target[common..] {
        path.push(component);
    }
    if path.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        path
    }
}
