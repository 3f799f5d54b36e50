//! `oktaform plan [PATH]`: read the live orgs (read-only), diff, print the plan; `-o FILE`
//! writes the plan document for `apply`.

use super::target::{Orgs, connect};
use super::{Output, exit};
use crate::cli::{GlobalArgs, PlanArgs, PlanFormat};
use crate::config::{self, Environment, Loaded, VarInputs};
use crate::diagnostics::{Code, Diagnostic, SourceMap, did_you_mean, render as diagnostics_render};
use crate::live::{ReadError, Reader, Selection};
use crate::model::Live;
use crate::plan::{ConfigRef, Differ, LiveRef, LogQueryRef, PlanDiagnostic, PlanDocument, config_digest};
use crate::render;
use crate::time_spec;
use crate::validate::{Validated, validate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A plan made, with what it was made from.
pub struct Planned {
    pub document: PlanDocument,
    pub loaded: Loaded,
    pub validated: Validated,
    pub orgs: Orgs,
    pub live: Live,
}

/// Why no plan was made.
pub enum Failure {
    /// Diagnostics to show, at least one an error.
    Diagnostics {
        sources: SourceMap,
        diagnostics: Vec<Diagnostic>,
    },
    Usage(String),
}

/// Loads, validates, reads the orgs and diffs. `plan_file` is where the plan will be
/// written (its `config.path` is relative to it).
pub fn build(
    global: &GlobalArgs,
    path: &Path,
    connections: &[String],
    plan_file: Option<&Path>,
    runtime: &tokio::runtime::Runtime,
    output: &mut Output<'_>,
) -> Result<Planned, Failure> {
    let inputs = VarInputs {
        vars: global.vars.clone(),
        files: global.var_files.clone(),
    };
    let loaded = config::load(path, &inputs, &Environment::capture());
    let mut validated = validate(&loaded, path, time_spec::now());
    if global.sim {
        // The sim's credentials come from its seed: an unset env() for a credential is fine.
        let credential_spans: Vec<_> = loaded
            .config
            .connections
            .iter()
            .flat_map(|c| c.credential_spans.iter().copied())
            .collect();
        validated.diagnostics.retain(|d| {
            !(d.code == Code::VariableUnsetEnv
                && d.primary.as_ref().is_some_and(|l| {
                    credential_spans
                        .iter()
                        .any(|s| s.file == l.span.file && s.start <= l.span.start && l.span.end <= s.end)
                }))
        });
    }
    if validated.has_errors() {
        return Err(Failure::Diagnostics {
            sources: loaded.sources,
            diagnostics: validated.diagnostics,
        });
    }
    let desired = &validated.desired;
    for name in connections {
        if !desired.connections.contains_key(name) {
            let hint = did_you_mean(name, desired.connections.keys().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
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
    let orgs = match connect(global, path, desired, &validated.sites, output) {
        Ok(orgs) => orgs,
        Err(diagnostics) => {
            return Err(Failure::Diagnostics {
                sources: loaded.sources,
                diagnostics,
            });
        }
    };
    let mut selection = Selection::default();
    for name in &selected {
        let Some(connection) = desired.connections.get(name) else {
            continue;
        };
        let entry = selection.apps.entry(connection.app.clone()).or_default();
        entry.0.insert(connection.service_account.clone());
        entry.1 |= connection
            .client_secret
            .as_ref()
            .is_some_and(|s| !s.expose().is_empty());
    }
    let reader = Reader::new(orgs.clients.clone());
    let (live, read_errors) = runtime.block_on(reader.read(&selection));
    let mut diagnostics = validated.diagnostics.clone();
    diagnostics.extend(read_errors.iter().map(|e| read_diagnostic(e, &validated)));
    diagnostics.extend(preflight(&validated, &live, &selected));
    let diff = Differ {
        desired,
        live: &live,
        sites: &validated.sites,
        selected: &selected,
    }
    .diff();
    diagnostics.extend(diff.diagnostics.iter().cloned());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure::Diagnostics {
            sources: loaded.sources,
            diagnostics,
        });
    }
    let mut document = PlanDocument {
        format_version: "1".to_owned(),
        oktaform_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: time_spec::now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        config: ConfigRef {
            path: config_path(path, plan_file),
            digest: config_digest(desired),
        },
        target: orgs.target.clone(),
        connections: selected.iter().cloned().collect(),
        summary: PlanDocument::summarize(&diff.changes, diff.unchanged),
        changes: diff.changes,
        unmanaged: diff.unmanaged,
        live: live
            .apps
            .values()
            .map(|app| LiveRef {
                domain: app.key.domain.clone(),
                app_id: app.app_id.clone(),
                fingerprint: app.fingerprint(),
            })
            .collect(),
        log_queries: desired
            .log_queries
            .values()
            .filter(|q| selected.contains(&q.connection))
            .map(|q| LogQueryRef {
                name: q.name.clone(),
                connection: q.connection.clone(),
                q: q.compiled.q.clone(),
                filter: q.compiled.filter.clone(),
                since: q.since.map(|s| s.to_string()),
                until: q.until.map(|u| u.to_string()),
                order: serde_json::to_value(q.order)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                records: serde_json::to_value(q.records)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                limit: q.limit,
            })
            .collect(),
        diagnostics: diagnostics
            .iter()
            .map(|d| plan_diagnostic(d, &loaded.sources))
            .collect(),
        checksum: String::new(),
    };
    document.seal();
    Ok(Planned {
        document,
        loaded,
        validated,
        orgs,
        live,
    })
}

fn plan_diagnostic(diagnostic: &Diagnostic, sources: &SourceMap) -> PlanDiagnostic {
    let json = diagnostics_render::JsonDiagnostic::new(diagnostic, sources);
    PlanDiagnostic {
        code: json.code.to_owned(),
        severity: serde_json::to_value(json.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        message: json.message.to_owned(),
        file: json.file,
        line: json.line,
        column: json.column,
        help: json.help.map(str::to_owned),
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

/// A read error as a diagnostic at the connection it concerns.
fn read_diagnostic(error: &ReadError, validated: &Validated) -> Diagnostic {
    let desired = &validated.desired;
    let sites = &validated.sites;
    let on_app = |key: &crate::model::AppKey| {
        desired
            .apps
            .get(key)
            .and_then(|a| a.connections.first())
            .and_then(|c| sites.connection(c, |s| s.client_id))
    };
    let mut diagnostic = match error {
        ReadError::AppNotFound { key } => {
            let d = Diagnostic::new(
                Code::LiveAppNotFound,
                format!(
                    "no Okta Workflows OAuth app with client id `{}` in `{}`",
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
            Diagnostic::new(Code::LiveRequestFailed, format!("reading `{domain}` failed: {error}"))
                .help("429s, 5xx, timeouts and resets were retried; run again, or with -v to see each request")
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

/// The runtime of a command that talks to orgs.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// Prints a failure the way every command does: diagnostics on stderr.
pub fn report_failure(failure: Failure, output: &mut Output<'_>) -> std::io::Result<u8> {
    match failure {
        Failure::Diagnostics { sources, diagnostics } => {
            let style = diagnostics_render::HumanStyle {
                color: output.color,
                ..Default::default()
            };
            diagnostics_render::human(output.err, &sources, &diagnostics, style)?;
        }
        Failure::Usage(message) => writeln!(output.err, "error: {message}")?,
    }
    Ok(exit::FAILURE)
}

pub fn run(global: &GlobalArgs, args: &PlanArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let runtime = runtime()?;
    let planned = match build(
        global,
        &args.path,
        &args.connections,
        args.out.as_deref(),
        &runtime,
        output,
    ) {
        Ok(planned) => planned,
        Err(failure) => return report_failure(failure, output),
    };
    let document = &planned.document;
    let warnings: Vec<Diagnostic> = planned.validated.diagnostics.clone();
    if !warnings.is_empty() && args.format == PlanFormat::Human {
        let style = diagnostics_render::HumanStyle {
            color: output.color,
            ..Default::default()
        };
        diagnostics_render::human(output.err, &planned.loaded.sources, &warnings, style)?;
    }
    if let Some(out) = &args.out {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, document.to_json())?;
    }
    match args.format {
        PlanFormat::Human => {
            render::human(output.out, document)?;
            if let Some(out) = &args.out {
                writeln!(
                    output.out,
                    "\nSaved the plan to {}. Apply it with: oktaform apply {}",
                    out.display(),
                    out.display()
                )?;
            }
        }
        PlanFormat::Json => output.out.write_all(document.to_json().as_bytes())?,
        PlanFormat::Markdown => render::markdown(output.out, document)?,
        PlanFormat::Github => {
            render::github(output.out, document)?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                render::markdown(&mut summary, document)?;
            }
        }
    }
    Ok(if args.detailed_exitcode && !document.changes.is_empty() {
        exit::CHANGES
    } else {
        exit::OK
    })
}
