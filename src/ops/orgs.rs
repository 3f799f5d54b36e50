//! Where operations send their requests: the simulated org (started in-process from its
//! seed, its state beside the config) or the real orgs, with one client per domain and the
//! credentials of each.

use super::credentials::resolve_credentials;
use super::{Context, Target as Choice};
use crate::config::Sites;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Desired;
use crate::okta::{CredentialProblem, Credentials, OktaClient, OriginPolicy, OriginRefusal, Purpose, Tls, http_client};
use crate::plan::Target;
use crate::secret::Secret;
use crate::sim::{Seed, Sim};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The orgs a command talks to. Holds the in-process sim, if any, for as long as it lives.
pub struct Orgs {
    pub clients: BTreeMap<String, OktaClient>,
    /// Where each org's credentials came from, in words.
    pub sources: BTreeMap<String, String>,
    /// What the command does with the orgs (a service app asks for the scopes it needs).
    pub purpose: Purpose,
    _sim: Option<Sim>,
}

impl Orgs {
    /// Whether `domain` is reached as a service app.
    pub fn is_service_app(&self, domain: &str) -> bool {
        self.clients.get(domain).is_some_and(OktaClient::is_service_app)
    }

    /// Where the credentials of `domain` came from, in words.
    pub fn source(&self, domain: &str) -> &str {
        self.sources
            .get(domain)
            .map_or("the configured credentials", String::as_str)
    }
}

/// The directory a config lives in: PATH itself, or the directory of a single file.
pub fn config_dir(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_owned()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

/// Where this invocation would send the requests for `domains`: the simulated org, the
/// `--endpoint`, or each connection's endpoint. Decided from flags and config alone, before
/// any request.
pub fn resolve_target(
    choice: &Choice,
    desired: &Desired,
    domains: &BTreeSet<String>,
) -> Result<Target, Vec<Diagnostic>> {
    if choice.is_sim() {
        return Ok(Target {
            sim: true,
            endpoints: domains.iter().map(|d| (d.clone(), "sim".to_owned())).collect(),
        });
    }
    let invalid = |message| vec![Diagnostic::new(Code::ConnectionInvalidEndpoint, message)];
    let endpoint_override = match choice {
        Choice::Endpoint(endpoint) => Some(parse_endpoint(endpoint).map_err(invalid)?),
        Choice::Org | Choice::Sim { .. } => None,
    };
    let mut endpoints = BTreeMap::new();
    for domain in domains {
        let base = match &endpoint_override {
            Some(url) => url.clone(),
            None => {
                let connection = desired.connections.values().find(|c| &c.app.domain == domain);
                parse_endpoint(connection.map_or("", |c| c.endpoint.as_str())).map_err(invalid)?
            }
        };
        endpoints.insert(domain.clone(), base.as_str().trim_end_matches('/').to_owned());
    }
    Ok(Target { sim: false, endpoints })
}

/// Connects to the orgs of `target`. Problems are diagnostics, at the connection they
/// concern where there is one.
pub fn connect(
    ctx: &Context<'_>,
    choice: &Choice,
    config: &Path,
    desired: &Desired,
    sites: &Sites,
    target: &Target,
    purpose: Purpose,
) -> Result<Orgs, Vec<Diagnostic>> {
    if let Choice::Sim { seed, reset } = choice {
        let sim = SimChoice {
            seed: seed.as_deref(),
            reset: *reset,
        };
        return connect_sim(ctx, &sim, config, desired, sites, target, purpose);
    }
    let domains: BTreeSet<String> = target.endpoints.keys().cloned().collect();
    let environment = ctx.environment;
    let endpoint = match choice {
        Choice::Endpoint(e) => url::Url::parse(e).ok(),
        Choice::Org | Choice::Sim { .. } => None,
    };
    let policy = OriginPolicy::new(environment, endpoint.as_ref());
    // Where each credential would go is judged before any credential is read or sent.
    let refused: Vec<Diagnostic> = target
        .endpoints
        .iter()
        .filter_map(|(domain, base)| {
            let url = url::Url::parse(base).ok()?;
            let refusal = policy.check(domain, &url).err()?;
            Some(origin_refused(domain, &url, &refusal, sites.org(desired, domain)))
        })
        .collect();
    if !refused.is_empty() {
        return Err(refused);
    }
    let bases: BTreeMap<&str, url::Url> = target
        .endpoints
        .iter()
        .filter_map(|(domain, base)| Some((domain.as_str(), url::Url::parse(base).ok()?)))
        .collect();
    let http = http_client(environment, Tls::for_endpoints(bases.values()))
        .map_err(|message| vec![Diagnostic::new(Code::LiveRequestFailed, message)])?;
    let credentials = resolve_credentials(desired, environment, &domains, purpose);
    let mut clients = BTreeMap::new();
    let mut sources = BTreeMap::new();
    let mut problems = Vec::new();
    for (domain, credential) in credentials {
        let site = sites.org(desired, &domain);
        let Some(base) = bases.get(domain.as_str()).cloned() else {
            continue;
        };
        match credential {
            Ok(resolved) => {
                clients.insert(
                    domain.clone(),
                    OktaClient::new(http.clone(), base, &domain, resolved.credentials, ctx.client.clone()),
                );
                sources.insert(domain.clone(), resolved.source);
            }
            Err(problem) => {
                let (code, message, help) = match problem {
                    CredentialProblem::Missing => (
                        Code::CredentialsMissing,
                        format!("no credentials for `{domain}`"),
                        "add `management { api_token = env(\"...\") }` to a connection of this org, or set OKTA_API_TOKEN".to_owned(),
                    ),
                    CredentialProblem::EmptyToken { connection, variables } => (
                        Code::CredentialsMissing,
                        match variables.as_slice() {
                            [] => format!("the `management` block of connection `{connection}` has an empty `api_token`"),
                            names => format!(
                                "the `management` block of connection `{connection}` has an empty `api_token` ({} unset or empty)",
                                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                            ),
                        },
                        "set the variable to an API token of a super admin of this org (or remove the block and set OKTA_API_TOKEN)".to_owned(),
                    ),
                    CredentialProblem::Ambiguous => (
                        Code::CredentialsAmbiguous,
                        format!("environment credentials, but several orgs could use them (`{domain}` is one)"),
                        "give each org a `management` block, or set OKTA_CLIENT_ORGURL to the org the environment's credentials are for".to_owned(),
                    ),
                    CredentialProblem::InvalidServiceApp { source, reason } => (
                        Code::CredentialsServiceApp,
                        format!("`{domain}`: {source} cannot be used: {reason}"),
                        "give the client id of the service app and its private key as PEM (PKCS#1 or PKCS#8) or as a JWK".to_owned(),
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
        sources,
        purpose,
        _sim: None,
    })
}

/// Why no credential of `domain` goes to `url`, naming what would allow it.
fn origin_refused(
    domain: &str,
    url: &url::Url,
    refusal: &OriginRefusal,
    site: Option<crate::diagnostics::Span>,
) -> Diagnostic {
    let origin = url.origin().ascii_serialization();
    let (code, message, help) = match refusal {
        OriginRefusal::Mismatch { org_url } => (
            Code::CredentialsOriginMismatch,
            format!(
                "`{domain}` would be reached at {origin}, but OKTA_CLIENT_ORGURL names {org_url}; no credential was sent"
            ),
            format!(
                "credentials go only to the org of OKTA_CLIENT_ORGURL; to allow {origin} too, add it to OKTAFORM_ALLOWED_ORIGINS or pass it as --endpoint"
            ),
        ),
        OriginRefusal::NotAllowed => (
            Code::CredentialsOriginNotAllowed,
            format!(
                "`{domain}` would be reached at {origin}, which is not an Okta org domain (https://<name>.okta.com, .oktapreview.com, .okta-emea.com, .okta-gov.com, .okta.mil); no credential was sent"
            ),
            format!(
                "the config does not decide where credentials go: if {origin} is your org (a custom URL domain, a proxy), allow it with OKTAFORM_ALLOWED_ORIGINS={origin} or pass --endpoint {origin}"
            ),
        ),
        OriginRefusal::IpLiteral => (
            Code::CredentialsOriginNotAllowed,
            format!(
                "`{domain}` would be reached at {origin}, an IP address outside the loopback; no credential was sent"
            ),
            "credentials never go to an IP address other than the loopback; use the org's domain name".to_owned(),
        ),
    };
    let mut diagnostic = Diagnostic::new(code, message).help(help);
    if let Some(site) = site {
        diagnostic = diagnostic.at(site, "this org");
    }
    diagnostic
}

/// An absolute URL; plain http only to the loopback.
fn parse_endpoint(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "`{text}`: an endpoint is an origin such as https://acme.okta.com, without a path, query or fragment"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("`{text}`: an endpoint holds no user name or password"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if url.host().is_some_and(|h| crate::validate::is_loopback(&h)) => Ok(url),
        "http" => Err(format!("`{text}`: plain http is allowed only to the loopback")),
        other => Err(format!("`{text}`: the scheme `{other}` is not http(s)")),
    }
}

/// The simulated org a command asked for.
struct SimChoice<'a> {
    seed: Option<&'a Path>,
    reset: bool,
}

fn connect_sim(
    ctx: &Context<'_>,
    choice: &SimChoice<'_>,
    config: &Path,
    desired: &Desired,
    sites: &Sites,
    target: &Target,
    purpose: Purpose,
) -> Result<Orgs, Vec<Diagnostic>> {
    // The simulated org is served over plain HTTP on loopback.
    let http = &http_client(ctx.environment, Tls::Unused)
        .map_err(|message| vec![Diagnostic::new(Code::LiveRequestFailed, message)])?;
    let dir = config_dir(config);
    let seed_path = choice.seed.map_or_else(|| dir.join("sim-org.json"), Path::to_path_buf);
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
    // The digest of the seed the state was made from, to notice a seed edited since.
    let seed_digest_path = dir.join(".oktaform").join("sim-seed.sha256");
    let seed_digest = std::fs::read(&seed_path)
        .map(|bytes| {
            use sha2::Digest as _;
            format!("{:x}", sha2::Sha256::digest(&bytes))
        })
        .unwrap_or_default();
    if choice.reset {
        let _ = std::fs::remove_file(&state);
    }
    let had_state = state.exists();
    let sim = Sim::builder()
        .seed(seed.clone())
        .state_file(&state)
        .clock(ctx.clock)
        .start()
        .map_err(|e| failed(e.to_string()))?;
    (ctx.notice)(&format!(
        "Using the simulated org (seed {}, state {}).",
        seed_path.display(),
        state.display()
    ));
    if !had_state {
        let _ = std::fs::write(&seed_digest_path, &seed_digest);
    } else if std::fs::read_to_string(&seed_digest_path).is_ok_and(|recorded| recorded.trim() != seed_digest) {
        (ctx.notice)(&format!(
            "The seed {} changed since this state was made from it; --sim-reset starts over from the seed.",
            seed_path.display()
        ));
    }
    let base = url::Url::parse(sim.url()).map_err(|e| failed(e.to_string()))?;
    let mut clients = BTreeMap::new();
    let mut sources = BTreeMap::new();
    let mut problems = Vec::new();
    for domain in target.endpoints.keys() {
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
                    OktaClient::new(http.clone(), base.clone(), domain, credentials, ctx.client.clone()),
                );
                sources.insert(
                    domain.clone(),
                    format!("the token of `{}` in the simulated org's seed", token.user),
                );
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
        sources,
        purpose,
        _sim: Some(sim),
    })
}
