//! The one planner that `plan`, `apply` and `show` share: load -> validate -> target ->
//! connect -> read -> diff. Each phase is a method so that `apply` can check a plan file's
//! target between validating and connecting, before any request.

use super::target::{Orgs, connect, resolve_target};
use super::{Output, exit};
use crate::cli::GlobalArgs;
use crate::config::{self, Environment, Loaded, VarInputs};
use crate::diagnostics::{Code, Diagnostic, SourceMap, did_you_mean, render as diagnostics_render};
use crate::live::{AppSelection, ReadError, Reader, Selection};
use crate::model::{AppKey, Live};
use crate::okta::{OktaError, Purpose};
use crate::plan::{
    ConfigRef, Declarations, Diff, Differ, FORMAT_VERSION, LogQueryRef, PlanDiagnostic, PlanDocument, Target,
    config_digest,
};
use crate::time_spec;
use crate::validate::{Validated, validate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why a command stopped.
pub enum Failure {
    /// Diagnostics to show, at least one an error.
    Diagnostics {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    Usage(String),
}

impl Failure {
    /// A refusal with no place in the config.
    pub fn refusal(code: Code, message: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::Diagnostics {
            sources: SourceMap::default(),
            diagnostics: vec![Diagnostic::new(code, message).help(help)],
        }
    }
}

/// Prints a failure the way every command does: diagnostics on stderr and, with
/// `--format json`, `{"ok": false, "diagnostics": [...]}` on stdout.
pub fn report_failure(failure: Failure, json: bool, output: &mut Output<'_>) -> std::io::Result<u8> {
    let (sources, diagnostics) = match failure {
        Failure::Diagnostics { sources, diagnostics } => (sources, diagnostics),
        Failure::Usage(message) => {
            writeln!(output.err, "error: {message}")?;
            if json {
                let usage = Diagnostic::new(Code::CliUsage, message);
                diagnostics_render::failure_json(output.out, &SourceMap::default(), &[usage])?;
            }
            return Ok(exit::FAILURE);
        }
    };
    let style = diagnostics_render::HumanStyle {
        color: output.color,
        ..Default::default()
    };
    diagnostics_render::human(output.err, &sources, &diagnostics, style)?;
    if json {
        diagnostics_render::failure_json(output.out, &sources, &diagnostics)?;
    }
    Ok(exit::FAILURE)
}

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
pub fn prepare(path: &Path, connections: &[String], inputs: &VarInputs, sim: bool) -> Result<Prepared, Failure> {
    let loaded = config::load(path, inputs, &Environment::capture());
    let mut validated = validate(&loaded, time_spec::now());
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
                    .any(|s| s.file == l.span.file && s.start <= l.span.start && l.span.end <= s.end)
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
    pub fn target(&self, global: &GlobalArgs) -> Result<Target, Failure> {
        resolve_target(global, &self.validated.desired, &self.domains()).map_err(|d| self.fail(d))
    }

    pub fn connect(
        &self,
        global: &GlobalArgs,
        target: &Target,
        purpose: Purpose,
        output: &mut Output<'_>,
    ) -> Result<Orgs, Failure> {
        connect(
            global,
            &self.path,
            &self.validated.desired,
            &self.validated.sites,
            target,
            purpose,
            output,
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
    pub fn read(&self, orgs: &Orgs, runtime: &tokio::runtime::Runtime) -> (Live, Vec<Diagnostic>) {
        let reader = Reader::new(orgs.clients.clone());
        let (live, errors) = runtime.block_on(reader.read(&self.selection()));
        let mut diagnostics = read_diagnostics(&errors, orgs, &self.validated);
        diagnostics.extend(preflight(&self.validated, &live, &self.selected));
        (live, diagnostics)
    }

    /// Reads what `apps` name, for the verification after apply.
    pub fn read_back(&self, orgs: &Orgs, runtime: &tokio::runtime::Runtime) -> (Live, bool) {
        let reader = Reader::new(orgs.clients.clone());
        let (live, errors) = runtime.block_on(reader.read(&self.selection()));
        (live, errors.is_empty())
    }

    pub fn diff(&self, live: &Live) -> Diff {
        Differ {
            desired: &self.validated.desired,
            live,
            declarations: Declarations {
                sites: &self.validated.sites,
                sources: &self.loaded.sources,
                root: &self.path,
            },
            selected: &self.selected,
        }
        .diff()
    }

    /// The plan document of `diff`; `plan_file` is where it will be written (its
    /// `config.path` is relative to it).
    pub fn document(
        &self,
        diff: &Diff,
        target: Target,
        diagnostics: &[Diagnostic],
        plan_file: Option<&Path>,
    ) -> PlanDocument {
        let desired = &self.validated.desired;
        let mut document = PlanDocument {
            format_version: FORMAT_VERSION.to_owned(),
            oktaform_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at: time_spec::now()
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
                .map(|q| LogQueryRef {
                    name: q.name.clone(),
                    connection: q.connection.clone(),
                    card: q.card.clone(),
                    q: q.compiled.q.clone(),
                    filter: q.compiled.filter.clone(),
                    since: q.since.map(|s| s.to_string()),
                    until: q.until.map(|u| u.to_string()),
                    order: q.order,
                    records: q.records,
                    limit: q.limit,
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

/// The whole pipeline of `plan`.
pub fn plan(
    global: &GlobalArgs,
    path: &Path,
    connections: &[String],
    plan_file: Option<&Path>,
    purpose: Purpose,
    runtime: &tokio::runtime::Runtime,
    output: &mut Output<'_>,
) -> Result<Planned, Failure> {
    let inputs = VarInputs {
        vars: global.vars.clone(),
        files: global.var_files.clone(),
        recorded: Vec::new(),
    };
    let prepared = prepare(path, connections, &inputs, global.sim)?;
    let target = prepared.target(global)?;
    let orgs = prepared.connect(global, &target, purpose, output)?;
    let (live, read_diagnostics) = prepared.read(&orgs, runtime);
    let diff = prepared.diff(&live);
    let mut diagnostics = prepared.validated.diagnostics.clone();
    diagnostics.extend(read_diagnostics);
    diagnostics.extend(diff.diagnostics.iter().cloned());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(prepared.fail(diagnostics));
    }
    let document = prepared.document(&diff, target, &diagnostics, plan_file);
    Ok(Planned {
        prepared,
        orgs,
        live,
        diff,
        diagnostics,
        document,
    })
}

/// The runtime of a command that talks to orgs.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

fn plan_diagnostic(diagnostic: &Diagnostic, sources: &SourceMap) -> PlanDiagnostic {
    let json = diagnostics_render::JsonDiagnostic::new(diagnostic, sources);
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

/// A diagnostic for a whole org when `error` is a fault of the org as a whole: its
/// credentials refused (401/403), or its name not resolving.
pub(super) fn org_fault(domain: &str, error: &OktaError, orgs: &Orgs) -> Option<Diagnostic> {
    let source = orgs
        .sources
        .get(domain)
        .map_or("the configured credentials", String::as_str);
    let (code, message, help) = match (error, error.status()) {
        (OktaError::MissingScope { scope, .. }, _) => {
            return Some(
                Diagnostic::new(
                    Code::CredentialsMissingScope,
                    format!("`{domain}`: {source} lacks the scope `{scope}`, which `oktaform {}` needs: {error}", orgs.purpose.command()),
                )
                .help(format!(
                    "grant `{scope}` to the service app (Okta API Scopes tab), and list it in `oauth {{ scopes }}` or leave `scopes` out"
                )),
            );
        }
        (OktaError::Token { error: kind, .. }, _) if kind == "consent_required" || kind == "invalid_scope" => {
            return Some(
                Diagnostic::new(
                    Code::CredentialsMissingScope,
                    format!(
                        "`{domain}` grants {source} none of the scopes `oktaform {}` asks for: {error}",
                        orgs.purpose.command()
                    ),
                )
                .help(format!(
                    "grant the service app these scopes (Okta API Scopes tab): {}",
                    orgs.purpose.scopes().join(", ")
                )),
            );
        }
        (OktaError::Token { .. }, _) => (
            Code::CredentialsRejected,
            format!("`{domain}` does not accept {source}: {error}"),
            "check the client id, and that the app's public keys (JWKS) hold the private key's public half; the key id (`key_id`) must name it",
        ),
        (_, Some(401)) => (
            Code::CredentialsRejected,
            format!("`{domain}` does not accept {source}: {error}"),
            "the token is unknown, expired or revoked: create an API token as a super admin (Security > API > Tokens) and use it",
        ),
        (_, Some(403)) => (
            Code::CredentialsRejected,
            format!("`{domain}` refuses a request made with {source}: {error}"),
            "the token's user lacks a permission oktaform needs: use an API token of a super admin",
        ),
        (OktaError::Unresolved { host, .. }, _) => (
            Code::LiveRequestFailed,
            format!("`{domain}` cannot be reached: the host name `{host}` does not resolve"),
            "check the org's domain or endpoint (and --endpoint), and the network's DNS; this is not retried",
        ),
        _ => return None,
    };
    Some(Diagnostic::new(code, message).help(help))
}

/// Read errors as diagnostics at the connection they concern. A fault of a whole org (its
/// credentials refused, its name unresolved) is one diagnostic, however many requests met it.
fn read_diagnostics(errors: &[ReadError], orgs: &Orgs, validated: &Validated) -> Vec<Diagnostic> {
    let desired = &validated.desired;
    let sites = &validated.sites;
    let mut faulty_orgs = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for error in errors {
        if let ReadError::Request { domain, error } = error
            && let Some(mut diagnostic) = org_fault(domain, error, orgs)
        {
            if !faulty_orgs.insert(domain.clone()) {
                continue;
            }
            if let Some(site) = sites.org(desired, domain) {
                diagnostic = diagnostic.at(site, "this org");
            }
            diagnostics.push(diagnostic);
        }
    }
    for error in errors {
        if let ReadError::Request { domain, .. } | ReadError::NotSuperAdmin { domain, .. } = error
            && faulty_orgs.contains(domain)
        {
            continue;
        }
        diagnostics.push(read_diagnostic(error, validated));
    }
    diagnostics
}

/// A read error as a diagnostic at the connection it concerns.
fn read_diagnostic(error: &ReadError, validated: &Validated) -> Diagnostic {
    let desired = &validated.desired;
    let sites = &validated.sites;
    let on_app = |key: &AppKey| {
        desired
            .apps
            .get(key)
            .and_then(|a| a.connections.first())
            .and_then(|c| sites.connection(c, |s| s.client_id))
    };
    let mut diagnostic = match error {
        ReadError::AppNotFound { key, searched } => {
            let d = Diagnostic::new(
                Code::LiveAppNotFound,
                format!(
                    "no Okta Workflows OAuth app with client id `{}` in `{}`: {searched}",
                    key.client_id, key.domain
                ),
            )
            .help("copy the client ID from the Sign On tab of the Okta Workflows OAuth app");
            on_app(key).map_or(d.clone(), |s| d.at(s, "not found in the org"))
        }
        ReadError::NotWorkflowsApp { key, name, label } => {
            let d = Diagnostic::new(
                Code::LiveNotWorkflowsApp,
                format!(
                    "`{}` is the app \"{label}\" (name `{name}`), not the Okta Workflows OAuth app",
                    key.client_id
                ),
            )
            .help("use the client ID of the app labelled \"Okta Workflows OAuth\"");
            on_app(key).map_or(d.clone(), |s| d.at(s, "not the Workflows app"))
        }
        ReadError::AccountNotFound { key, login } => {
            let connection = desired.apps.get(key).and_then(|a| {
                a.connections
                    .iter()
                    .find(|c| desired.connections.get(*c).is_some_and(|c| &c.service_account == login))
            });
            let d = Diagnostic::new(
                Code::LiveAccountNotFound,
                format!("no user `{login}` in `{}`", key.domain),
            )
            .help("the service account must exist; oktaform does not create users");
            match connection.and_then(|c| sites.connection(c, |s| s.service_account)) {
                Some(span) => d.at(span, "not a user of the org"),
                None => d,
            }
        }
        ReadError::NotSuperAdmin { domain, login } => Diagnostic::new(
            Code::PreflightNotSuperAdmin,
            format!("`{login}`, whose credentials oktaform uses for `{domain}`, is not a super admin"),
        )
        .help("only super admins may grant scopes: use an API token of a super admin"),
        ReadError::Request { domain, error } => {
            Diagnostic::new(Code::LiveRequestFailed, format!("reading `{domain}` failed: {error}")).help(
                if error.retried() {
                    "429s, 5xx, timeouts and resets were retried; run again, or with -v to see each request"
                } else {
                    "run with -v to see each request"
                },
            )
        }
    };
    if diagnostic.primary.is_none()
        && let Some(site) = match error {
            ReadError::NotSuperAdmin { domain, .. } | ReadError::Request { domain, .. } => sites.org(desired, domain),
            _ => None,
        }
    {
        diagnostic = diagnostic.at(site, "this org");
    }
    diagnostic
}

/// The app and the selected service accounts must be ACTIVE.
fn preflight(validated: &Validated, live: &Live, selected: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for name in selected {
        let Some(connection) = validated.desired.connections.get(name) else {
            continue;
        };
        let Some(app) = live.apps.get(&connection.app) else {
            continue;
        };
        if app.client_id_unverified {
            let d = Diagnostic::new(
                Code::LiveClientIdUnverified,
                format!(
                    "the org's only `flow` app `{}` shows no client id; it is taken for `{}`",
                    app.app_id, connection.app.client_id
                ),
            )
            .help("Okta's own Workflows OAuth app may hide its client id; check the client ID on its Sign On tab");
            diagnostics.push(match validated.sites.connection(name, |s| s.client_id) {
                Some(span) => d.at(span, "not verified"),
                None => d,
            });
        }
        if app.status != "ACTIVE" {
            let d = Diagnostic::new(
                Code::PreflightAppInactive,
                format!("the Okta Workflows OAuth app `{}` is {}", app.app_id, app.status),
            )
            .help("activate it in the Admin Console");
            diagnostics.push(match validated.sites.connection(name, |s| s.client_id) {
                Some(span) => d.at(span, "inactive app"),
                None => d,
            });
        }
        if let Some(account) = app.accounts.get(&connection.service_account)
            && account.status != "ACTIVE"
        {
            let d = Diagnostic::new(
                Code::PreflightAccountInactive,
                format!(
                    "the service account `{}` is {}",
                    connection.service_account, account.status
                ),
            )
            .help("reactivate the user, or name another service account");
            diagnostics.push(match validated.sites.connection(name, |s| s.service_account) {
                Some(span) => d.at(span, "inactive account"),
                None => d,
            });
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    diagnostics
}
