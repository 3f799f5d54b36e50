//! Where plan, apply and drift send their requests: the simulated org (`--sim`, started
//! in-process from its seed, its state beside the config) or the real orgs, with one client
//! per domain and the credentials of each.

use crate::cli::GlobalArgs;
use crate::commands::Output;
use crate::config::Environment;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Desired;
use crate::okta::{
    ClientOptions, CredentialProblem, Credentials, OktaClient, RequestLog, http_client, resolve_credentials,
};
use crate::plan::Target;
use crate::secret::Secret;
use crate::sim::{Seed, Sim};
use crate::validate::Sites;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The orgs a command talks to. Holds the in-process sim, if any, for as long as it lives.
pub struct Orgs {
    pub clients: BTreeMap<String, OktaClient>,
    pub target: Target,
    _sim: Option<Sim>,
}

/// The directory a config lives in: PATH itself, or the directory of a single file.
pub fn config_dir(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_owned()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

fn options(global: &GlobalArgs) -> ClientOptions {
    let mut options = ClientOptions::default();
    if global.verbose > 0 {
        options.observer = Some(Arc::new(|log: &RequestLog| {
            let status = log.status.map_or_else(|| "no answer".to_owned(), |s| s.to_string());
            let id = log.request_id.as_deref().unwrap_or("-");
            let retry = if log.attempt > 0 {
                format!(" (retry {})", log.attempt)
            } else {
                String::new()
            };
            eprintln!("{} {} -> {status} [request {id}]{retry}", log.method, log.url);
        }));
    }
    options
}

/// Connects to the orgs of `desired`. Problems are diagnostics, at the connection they
/// concern where there is one.
pub fn connect(
    global: &GlobalArgs,
    config: &Path,
    desired: &Desired,
    sites: &Sites,
    output: &mut Output<'_>,
) -> Result<Orgs, Vec<Diagnostic>> {
    let http = http_client().map_err(|message| vec![Diagnostic::new(Code::LiveRequestFailed, message)])?;
    if global.sim {
        return connect_sim(global, config, desired, sites, &http, output);
    }
    let endpoint_override = match &global.endpoint {
        Some(endpoint) => {
            Some(parse_endpoint(endpoint).map_err(|m| vec![Diagnostic::new(Code::ConnectionInvalidEndpoint, m)])?)
        }
        None => None,
    };
    let credentials = resolve_credentials(desired, &Environment::capture());
    let mut clients = BTreeMap::new();
    let mut endpoints = BTreeMap::new();
    let mut problems = Vec::new();
    for (domain, credential) in credentials {
        let connection = desired.connections.values().find(|c| c.app.domain == domain);
        let site = sites.org(desired, &domain);
        let base = match &endpoint_override {
            Some(url) => url.clone(),
            None => match parse_endpoint(connection.map_or("", |c| c.endpoint.as_str())) {
                Ok(url) => url,
                Err(message) => {
                    problems.push(Diagnostic::new(Code::ConnectionInvalidEndpoint, message));
                    continue;
                }
            },
        };
        match credential {
            Ok(credentials) => {
                endpoints.insert(domain.clone(), base.as_str().trim_end_matches('/').to_owned());
                clients.insert(
                    domain.clone(),
                    OktaClient::new(http.clone(), base, &domain, credentials, options(global)),
                );
            }
            Err(problem) => {
                let (code, message, help) = match problem {
                    CredentialProblem::Missing => (
                        Code::CredentialsMissing,
                        format!("no credentials for `{domain}`"),
                        "add `management { api_token = env(\"...\") }` to a connection of this org, or set OKTA_API_TOKEN".to_owned(),
                    ),
                    CredentialProblem::Ambiguous => (
                        Code::CredentialsAmbiguous,
                        format!("environment credentials, but several orgs could use them (`{domain}` is one)"),
                        "give each org a `management` block, or set OKTA_CLIENT_ORGURL to the org the environment's credentials are for".to_owned(),
                    ),
                    CredentialProblem::Unsupported(what) => (
                        Code::CredentialsUnsupported,
                        format!("`{domain}` has only {what}, which this version cannot use yet"),
                        "use an API token: `management { api_token = ... }`, OKTA_CLIENT_TOKEN or OKTA_API_TOKEN".to_owned(),
                    ),
                };
                let mut diagnostic = Diagnostic::new(code, message).help(help);
                if let Some(site) = site {
                    diagnostic = diagnostic.at(site, "this org");
                }
                problems.push(diagnostic);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Orgs {
        clients,
        target: Target { sim: false, endpoints },
        _sim: None,
    })
}

/// An absolute URL; plain http only to the loopback.
fn parse_endpoint(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if url.host().is_some_and(|h| crate::validate::is_loopback(&h)) => Ok(url),
        "http" => Err(format!("`{text}`: plain http is allowed only to the loopback")),
        other => Err(format!("`{text}`: the scheme `{other}` is not http(s)")),
    }
}

fn connect_sim(
    global: &GlobalArgs,
    config: &Path,
    desired: &Desired,
    sites: &Sites,
    http: &reqwest::Client,
    output: &mut Output<'_>,
) -> Result<Orgs, Vec<Diagnostic>> {
    let dir = config_dir(config);
    let seed_path = global.sim_seed.clone().unwrap_or_else(|| dir.join("sim-org.json"));
    if !seed_path.exists() {
        return Err(vec![
            Diagnostic::new(
                Code::SimNoSeed,
                format!(
                    "no seed for the simulated org: `{}` does not exist",
                    seed_path.display()
                ),
            )
            .help(
                "pass --sim-seed FILE, or put a sim-org.json beside the config (see examples/quickstart/sim-org.json)",
            ),
        ]);
    }
    let failed = |message: String| {
        vec![
            Diagnostic::new(Code::SimFailed, message)
                .help("fix the file, or start over from the seed with --sim-reset"),
        ]
    };
    let seed = Seed::read(&seed_path).map_err(failed)?;
    let state = dir.join(".oktaform").join("sim-state.json");
    if global.sim_reset {
        let _ = std::fs::remove_file(&state);
    }
    let sim = Sim::builder()
        .seed(seed.clone())
        .state_file(&state)
        .start()
        .map_err(|e| failed(e.to_string()))?;
    let _ = writeln!(
        output.err,
        "Using the simulated org (seed {}, state {}).",
        seed_path.display(),
        state.display()
    );
    let base = url::Url::parse(sim.url()).map_err(|e| failed(e.to_string()))?;
    let mut clients = BTreeMap::new();
    let mut endpoints = BTreeMap::new();
    let mut problems = Vec::new();
    for domain in desired.domains() {
        let token = seed
            .orgs
            .iter()
            .find(|o| o.domain.eq_ignore_ascii_case(domain))
            .and_then(|o| o.tokens.first());
        match token {
            Some(token) => {
                let credentials = Credentials::ApiToken(Secret::new(token.token.clone()));
                clients.insert(
                    domain.to_owned(),
                    OktaClient::new(http.clone(), base.clone(), domain, credentials, options(global)),
                );
                endpoints.insert(domain.to_owned(), "sim".to_owned());
            }
            None => {
                let mut diagnostic = Diagnostic::new(
                    Code::CredentialsMissing,
                    format!("the simulated org has no org `{domain}` with a token"),
                )
                .help(format!("add `{domain}` with a token to `{}`", seed_path.display()));
                if let Some(site) = sites.org(desired, domain) {
                    diagnostic = diagnostic.at(site, "this org");
                }
                problems.push(diagnostic);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Orgs {
        clients,
        target: Target { sim: true, endpoints },
        _sim: Some(sim),
    })
}
