//! Import: HCL for an org's live setup, so that an org set up by hand can adopt oktaform in
//! minutes. Reads the Workflows OAuth app (or the app asked for), its grants and the
//! accounts assigned to it; writes one connection per super admin among them, the grants
//! that are not automatic in one `scopes` block, and comments for what a config does not
//! declare (automatic grants, group assignments, the client secret check).

use super::orgs::{connect, resolve_target};
use super::{Context, Failure, Orgs, Target};
use crate::catalog;
use crate::config::Sites;
use crate::config::format_source;
use crate::config::writer::{ConfigWriter, identifier, is_identifier};
use crate::diagnostics::{Code, Diagnostic};
use crate::live::{Discovered, ReadError, discover, org_fault};
use crate::model::{AppKey, AppKind, Connection, Desired, ScopePolicy};
use crate::okta::Purpose;
use crate::sim::Seed;
use hcl::edit::expr::{Array, Expression, Traversal, TraversalOperator};
use hcl::edit::structure::{Attribute, Block};
use hcl::edit::{Decorate, Decorated};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub struct ImportRequest {
    /// The org (default: the seed's only org with the simulated org, or `OKTA_CLIENT_ORGURL`).
    pub domain: Option<String>,
    /// The app (default: the org's Okta Workflows OAuth app).
    pub client_id: Option<String>,
    /// The connection's service account (default: each super admin assigned to the app).
    pub service_account: Option<String>,
    /// The connection's name (default: the org's subdomain).
    pub name: Option<String>,
    /// Where the config will be written (default: the current directory).
    pub out: Option<PathBuf>,
    pub target: Target,
}

/// What import found, and the config it writes of it.
#[derive(Debug)]
pub struct Imported {
    /// The formatted HCL of the org's setup.
    pub text: String,
    domain: String,
    name: String,
    found: Discovered,
    service_account: Option<String>,
}

impl Imported {
    /// The config in `dir` (all its files) beside the org, each written as import writes a
    /// config, as a unified diff: empty when the config declares what the org has.
    pub fn compare(&self, dir: &Path, environment: &crate::environment::Environment) -> String {
        let mut loaded = crate::config::load(dir, &crate::config::VarInputs::default(), environment);
        let desired = crate::validate::validate(&mut loaded, time::OffsetDateTime::UNIX_EPOCH).desired;
        let connections: Vec<&Connection> = desired
            .connections
            .values()
            .filter(|c| c.app.domain == self.domain && c.app.client_id == self.found.client_id && !c.retired)
            .collect();
        let name = connections.first().map_or(self.name.as_str(), |c| c.name.as_str());
        let mut grants: BTreeSet<String> = connections
            .iter()
            .filter_map(|c| desired.apps.get(&c.app))
            .flat_map(|app| app.grants.keys().cloned())
            .collect();
        if self.found.kind == AppKind::Workflows {
            grants.extend(catalog::auto_granted("okta").into_iter().map(str::to_owned));
        }
        let mut logins: Vec<&str> = connections.iter().map(|c| c.service_account.as_str()).collect();
        logins.sort_unstable();
        logins.dedup();
        let configured = Discovered {
            client_id: self.found.client_id.clone(),
            kind: self.found.kind,
            grants: grants.into_iter().collect(),
            accounts: logins
                .iter()
                .map(|login| crate::live::DiscoveredAccount {
                    login: (*login).to_owned(),
                    super_admin: true,
                    groups: Vec::new(),
                })
                .collect(),
        };
        let service_account = |found: &Discovered| {
            self.service_account
                .as_deref()
                .filter(|_| found.accounts.iter().all(|a| !a.super_admin))
                .map(str::to_owned)
        };
        let render = |found: &Discovered| {
            hcl(&self.domain, name, found, service_account(found).as_deref()).unwrap_or_else(|failure| match failure {
                Failure::Usage(message) => format!("# {message}\n"),
                Failure::Diagnostics { .. } => String::new(),
            })
        };
        let (ours, theirs) = (render(&configured), render(&self.found));
        let diff = similar::TextDiff::from_lines(ours.as_str(), theirs.as_str());
        if diff.ratio() >= 1.0 {
            return String::new();
        }
        diff.unified_diff()
            .header(
                &format!("{} (the config, all its files)", dir.display()),
                &format!("{} (the org)", self.domain),
            )
            .to_string()
    }
}

/// The formatted HCL of the org's setup.
pub async fn import(ctx: &Context<'_>, request: &ImportRequest) -> Result<Imported, Failure> {
    let dir = request.out.clone().unwrap_or_else(|| PathBuf::from("."));
    let domain = domain(ctx, request, &dir)?;
    let name = match &request.name {
        Some(name) if is_identifier(name) => name.clone(),
        Some(name) => {
            return Err(Failure::Usage(format!(
                "--name `{name}` is not an HCL identifier (letters, digits, `_` and `-`, not starting with a digit)"
            )));
        }
        None => identifier(domain.split('.').next().unwrap_or("org")),
    };
    let desired = reading_desired(&domain, request.client_id.as_deref());
    let domains = BTreeSet::from([domain.clone()]);
    let target = resolve_target(&request.target, &desired, &domains).map_err(Failure::unplaced)?;
    // The sim's state is the one `plan` keeps for the config the import is for: in `--out
    // DIR`, else beside the seed named (where a config that uses it keeps it), else here.
    let seed = match &request.target {
        Target::Sim { seed, .. } => seed.as_deref(),
        Target::Org | Target::Endpoint(_) => None,
    };
    let config_dir = match (&request.out, seed.and_then(Path::parent)) {
        (Some(out), _) => out.clone(),
        (None, Some(beside_seed)) => beside_seed.to_path_buf(),
        (None, None) => dir.clone(),
    };
    let orgs = connect(
        ctx,
        &request.target,
        &config_dir.join("main.hcl"),
        &desired,
        &Sites::default(),
        &target,
        Purpose::Plan,
    )
    .map_err(Failure::unplaced)?;
    let client = orgs.clients.get(&domain).ok_or_else(|| {
        Failure::refusal(
            Code::CredentialsMissing,
            format!("no credentials for `{domain}`"),
            "set OKTA_API_TOKEN, OKTA_CLIENT_TOKEN, or the OKTA_CLIENT_* variables of a service app",
        )
    })?;
    let discovered = discover(client, &domain, request.client_id.as_deref())
        .await
        .map_err(|error| read_failure(&domain, error, &orgs))?;
    let text = hcl(&domain, &name, &discovered, request.service_account.as_deref())?;
    Ok(Imported {
        text,
        domain,
        name,
        found: discovered,
        service_account: request.service_account.clone(),
    })
}

/// The org to import: `--domain`, the seed's only org with `--sim`, or the org of
/// `OKTA_CLIENT_ORGURL`.
fn domain(ctx: &Context<'_>, request: &ImportRequest, dir: &Path) -> Result<String, Failure> {
    if let Some(domain) = &request.domain {
        return Ok(domain.trim().to_ascii_lowercase());
    }
    if let Target::Sim { seed, .. } = &request.target {
        let path = seed.clone().unwrap_or_else(|| dir.join("sim-org.json"));
        if let Ok(seed) = Seed::read(&path)
            && let [org] = seed.orgs.as_slice()
        {
            return Ok(org.domain.to_ascii_lowercase());
        }
    }
    ctx.environment
        .get("OKTA_CLIENT_ORGURL")
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .ok_or_else(|| Failure::Usage("which org? pass --domain, such as --domain acme.okta.com".to_owned()))
}

/// A config of one connection to `domain`: what connecting needs (its endpoint, its
/// credentials come from the environment or the seed).
fn reading_desired(domain: &str, client_id: Option<&str>) -> Desired {
    let key = AppKey {
        domain: domain.to_owned(),
        client_id: client_id.unwrap_or("flow").to_owned(),
    };
    let mut desired = Desired::default();
    desired.connections.insert(
        "import".to_owned(),
        Connection {
            name: "import".to_owned(),
            app: key.clone(),
            client_secret: None,
            service_account: String::new(),
            connector: "okta".to_owned(),
            scope_policy: ScopePolicy::Exact,
            endpoint: format!("https://{domain}"),
            nickname: None,
            retired: false,
            management: None,
        },
    );
    desired.apps.insert(
        key.clone(),
        crate::model::App {
            key,
            connections: vec!["import".to_owned()],
            scope_policy: ScopePolicy::Exact,
            connector: "okta".to_owned(),
            grants: std::collections::BTreeMap::new(),
        },
    );
    desired
}

fn read_failure(domain: &str, error: ReadError, orgs: &Orgs) -> Failure {
    let diagnostic = match error {
        ReadError::Request { error, .. } => org_fault(
            domain,
            &error,
            orgs.source(domain),
            orgs.purpose,
            orgs.is_service_app(domain),
        )
        .unwrap_or_else(|| {
            Diagnostic::new(Code::LiveRequestFailed, format!("`{domain}`: {error}"))
                .help("run again; requests were retried before giving up")
        }),
        ReadError::AppNotFound { key, searched } => Diagnostic::new(
            Code::LiveAppNotFound,
            format!("no app to import in `{}`: {searched}", key.domain),
        )
        .help("pass --client-id with the client ID from the Sign On tab of the Okta Workflows OAuth app"),
        ReadError::NotWorkflowsApp { key, name, label } => Diagnostic::new(
            Code::LiveNotWorkflowsApp,
            format!(
                "`{}` is the app \"{label}\" (name `{name}`), not an Okta Workflows OAuth app",
                key.client_id
            ),
        )
        .help("pass the client ID of the app labelled \"Okta Workflows OAuth\", or of an app that connects to another org"),
        ReadError::AccountNotFound { login, .. } | ReadError::NotSuperAdmin { login, .. } => {
            Diagnostic::new(Code::LiveRequestFailed, format!("`{domain}`: cannot read `{login}`"))
        }
    };
    Failure::unplaced(vec![diagnostic])
}

/// The config of what was discovered.
fn hcl(domain: &str, name: &str, found: &Discovered, service_account: Option<&str>) -> Result<String, Failure> {
    let accounts = connection_accounts(domain, found, service_account)?;
    let names: Vec<String> = if accounts.len() == 1 {
        vec![name.to_owned()]
    } else {
        accounts
            .iter()
            .map(|login| format!("{name}_{}", identifier(login.split('@').next().unwrap_or(login))))
            .collect()
    };
    let (automatic, declared): (Vec<&str>, Vec<&str>) = found
        .grants
        .iter()
        .map(String::as_str)
        .partition(|s| found.kind == AppKind::Workflows && catalog::is_auto_granted("okta", s));
    let unknown: Vec<&str> = declared
        .iter()
        .copied()
        .filter(|s| catalog::scope(s).is_none())
        .collect();

    let mut config = ConfigWriter::default();
    config.comment(&format!("Imported from {domain} by `oktaform import`."));
    if found.kind == AppKind::OtherOrg {
        config.comment(&format!(
            "The app `{}` connects Workflows to another org: every grant is declared.",
            found.client_id
        ));
    }
    for (login, connection) in accounts.iter().zip(&names) {
        config.blank();
        if let Some(account) = found.accounts.iter().find(|a| a.login == *login)
            && !account.groups.is_empty()
        {
            let groups: Vec<String> = account.groups.iter().map(|g| format!("\"{g}\"")).collect();
            config.comment(&format!(
                "{login} has the app through the group(s) {}; oktaform never unassigns it.",
                groups.join(", ")
            ));
        }
        let mut secret_hint = Attribute::new(ident("service_account")?, *login);
        secret_hint.decor_mut().set_suffix(
            "\n  # Checks the app's client secret when set (never printed):\n  # client_secret = env(\"WORKFLOWS_CLIENT_SECRET\")",
        );
        let block = Block::builder(ident("connection")?)
            .label(Decorated::new(connection.clone()))
            .attribute(Attribute::new(ident("domain")?, domain))
            .attribute(Attribute::new(ident("client_id")?, found.client_id.as_str()))
            .attribute(secret_hint)
            .build();
        config.block(block);
    }
    let others: Vec<&str> = found
        .accounts
        .iter()
        .map(|a| a.login.as_str())
        .filter(|login| !accounts.contains(login))
        .collect();
    if !others.is_empty() {
        config.blank();
        config.comment(&format!(
            "Also assigned to the app, without a connection here: {}.",
            others.join(", ")
        ));
    }
    if !automatic.is_empty() {
        config.blank();
        config.comment("Granted automatically to the Okta Workflows OAuth app, never declared:");
        config.comment(&format!("  {}", automatic.join(", ")));
        let missing: Vec<&str> = catalog::auto_granted("okta")
            .into_iter()
            .filter(|s| !automatic.contains(s))
            .collect();
        if !missing.is_empty() {
            config.comment(&format!(
                "Missing from the org, though granted automatically (`plan` grants them back): {}",
                missing.join(", ")
            ));
        }
    }
    if !declared.is_empty() {
        config.blank();
        config.block(scopes_block(&names[0], &declared, &unknown)?);
    }
    let text = config.finish();
    Ok(format_source(&text).unwrap_or(text))
}

/// The service accounts to write a connection for: the one asked for, else every super
/// admin assigned to the app.
fn connection_accounts<'a>(
    domain: &str,
    found: &'a Discovered,
    service_account: Option<&'a str>,
) -> Result<Vec<&'a str>, Failure> {
    if let Some(login) = service_account {
        return Ok(vec![login]);
    }
    let super_admins: Vec<&str> = found
        .accounts
        .iter()
        .filter(|a| a.super_admin)
        .map(|a| a.login.as_str())
        .collect();
    if super_admins.is_empty() {
        let assigned: Vec<&str> = found.accounts.iter().map(|a| a.login.as_str()).collect();
        return Err(Failure::Usage(format!(
            "no super admin is assigned to the app `{}` in `{domain}` (assigned: {}); pass --service-account LOGIN",
            found.client_id,
            if assigned.is_empty() {
                "nobody".to_owned()
            } else {
                assigned.join(", ")
            }
        )));
    }
    Ok(super_admins)
}

/// `scopes "<connection>" { connection = connection.<connection> ... }` granting `declared`.
fn scopes_block(connection: &str, declared: &[&str], unknown: &[&str]) -> Result<Block, Failure> {
    let list = |scopes: &[&str]| {
        let mut array = Array::new();
        for scope in scopes {
            array.push(*scope);
        }
        Expression::from(array)
    };
    let reference = Traversal::new(
        ident("connection")?,
        vec![Decorated::new(TraversalOperator::GetAttr(ident(connection)?))],
    );
    let mut builder = Block::builder(ident("scopes")?)
        .label(Decorated::new(connection.to_owned()))
        .attribute(Attribute::new(ident("connection")?, reference))
        .attribute(Attribute::new(
            ident("reason")?,
            "TODO: what the flows of this connection do with these scopes",
        ))
        .attribute(Attribute::new(ident("grant")?, list(declared)));
    if !unknown.is_empty() {
        let mut accept = Attribute::new(ident("accept_unknown")?, list(unknown));
        accept
            .decor_mut()
            .set_prefix("  # Granted in the org but not in oktaform's scope catalog:\n  ");
        builder = builder.attribute(accept);
    }
    Ok(builder.build())
}

fn ident(name: &str) -> Result<Decorated<hcl::edit::Ident>, Failure> {
    crate::config::writer::ident(name).ok_or_else(|| Failure::Usage(format!("`{name}` is not an HCL identifier")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::DiscoveredAccount;

    fn found(login: &str, group: &str, grants: &[&str]) -> Discovered {
        Discovered {
            client_id: "0oa1wf".to_owned(),
            kind: AppKind::Workflows,
            grants: grants.iter().map(|g| (*g).to_owned()).collect(),
            accounts: vec![DiscoveredAccount {
                login: login.to_owned(),
                super_admin: true,
                groups: vec![group.to_owned()],
            }],
        }
    }

    #[test]
    fn values_of_the_org_stay_values_and_comments_stay_comments() {
        let text = hcl(
            "acme.okta.com",
            "acme",
            &found(
                "svc${var.x}@acme.com",
                "admins\nconnection \"evil\" {}",
                &["okta.users.read", "x.${y}"],
            ),
            None,
        )
        .unwrap();
        assert_eq!(
            text,
            r#"# Imported from acme.okta.com by `oktaform import`.

# svc${var.x}@acme.com has the app through the group(s) "admins\u{a}connection "evil" {}"; oktaform never unassigns it.
connection "acme" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf"
  service_account = "svc$${var.x}@acme.com"
  # Checks the app's client secret when set (never printed):
  # client_secret = env("WORKFLOWS_CLIENT_SECRET")
}

scopes "acme" {
  connection = connection.acme
  reason     = "TODO: what the flows of this connection do with these scopes"
  grant      = ["okta.users.read", "x.$${y}"]
  # Granted in the org but not in oktaform's scope catalog:
  accept_unknown = ["x.$${y}"]
}
"#
        );
        let body: hcl::Body = hcl::from_str(&text).unwrap();
        let connection = body.blocks().find(|b| b.identifier() == "connection").unwrap();
        let login = connection
            .body()
            .attributes()
            .find(|a| a.key() == "service_account")
            .unwrap();
        assert_eq!(login.expr(), &hcl::Expression::from("svc${var.x}@acme.com"));
    }
}
