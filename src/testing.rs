//! Builders for the in-process tests of the core: a config from HCL text, the live state of
//! an org by hand, a plan's changes in a line each, and an in-process simulated org.

use crate::catalog::Status;
use crate::config::{self, Loaded, VarInputs};
use crate::environment::Environment;
use crate::model::{Access, AppKey, AppKind, Live, LiveAccount, LiveApp, Secrets};
use crate::plan::{Change, Diff};
use crate::validate::{Validated, validate};
use std::path::Path;
use time::macros::datetime;

/// "Now" of every test: the same each run.
pub const NOW: time::OffsetDateTime = datetime!(2026-11-28 12:00 UTC);

/// The Workflows app of `acme.okta.com` that most tests use.
pub fn acme() -> AppKey {
    AppKey {
        domain: "acme.okta.com".to_owned(),
        client_id: "0oa1wf".to_owned(),
    }
}

/// The config `text` (one file, `main.hcl`), loaded offline-free and validated; panics
/// with the diagnostics when it does not validate, so a test's config is known good.
pub fn config(text: &str) -> (Loaded, Validated) {
    let mut loaded = config::load_text(
        Path::new("main.hcl"),
        text.to_owned(),
        &VarInputs::default(),
        &Environment::default(),
    );
    let validated = validate(&mut loaded, NOW);
    assert!(
        !validated.has_errors(),
        "the test config does not validate: {:#?}",
        validated.diagnostics
    );
    (loaded, validated)
}

/// One connection `prod` to [`acme`] with the service account `svc@acme.com`, the grants of
/// one `scopes` block and the given extra connection attributes.
pub fn one_connection(grants: &[&str], extra: &str) -> String {
    let grants: Vec<String> = grants.iter().map(|g| format!("\"{g}\"")).collect();
    format!(
        "connection \"prod\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf\"\n  service_account = \"svc@acme.com\"\n{extra}}}\n\nscopes \"base\" {{\n  connection = connection.prod\n  grant      = [{}]\n}}\n",
        grants.join(", ")
    )
}

/// A live app being built.
pub struct AppBuilder {
    app: LiveApp,
}

/// The app `key` as an org shows it: ACTIVE, the Workflows app, nothing granted or assigned.
pub fn app(key: &AppKey) -> AppBuilder {
    AppBuilder {
        app: LiveApp {
            key: key.clone(),
            app_id: format!("{}-id", key.client_id),
            name: "okta_flow_sso".to_owned(),
            label: "Okta Workflows OAuth".to_owned(),
            status: Status::Active,
            kind: AppKind::Workflows,
            client_id_unverified: false,
            grants: std::collections::BTreeMap::new(),
            client_secrets: Secrets::NotRead,
            accounts: std::collections::BTreeMap::new(),
        },
    }
}

impl AppBuilder {
    /// Grants `scopes`, one grant each.
    pub fn granted(mut self, scopes: &[&str]) -> Self {
        for scope in scopes {
            let id = format!("oag-{scope}");
            self.app.grants.entry((*scope).to_owned()).or_default().push(id);
        }
        self
    }

    /// Every scope the catalog grants the Workflows app automatically.
    pub fn auto_granted(self) -> Self {
        let scopes = crate::catalog::auto_granted("okta");
        self.granted(&scopes)
    }

    /// The account `login`, with the app through `access`, super admin or not.
    pub fn account(mut self, login: &str, access: Access, super_admin: bool) -> Self {
        self.app.accounts.insert(
            login.to_owned(),
            LiveAccount {
                user_id: format!("00u-{login}"),
                status: Status::Active,
                super_admin_roles: if super_admin {
                    vec![crate::model::SuperAdminRole {
                        id: "ra-super".to_owned(),
                        direct: true,
                    }]
                } else {
                    Vec::new()
                },
                access,
            },
        );
        self
    }

    /// The service account of [`one_connection`], assigned directly and super admin.
    pub fn ready(self) -> Self {
        self.account("svc@acme.com", Access::Direct, true)
    }

    pub fn with(mut self, change: impl FnOnce(&mut LiveApp)) -> Self {
        change(&mut self.app);
        self
    }

    pub fn build(self) -> LiveApp {
        self.app
    }
}

/// The live state of these apps.
pub fn live(apps: impl IntoIterator<Item = AppBuilder>) -> Live {
    Live {
        apps: apps.into_iter().map(|a| (a.app.key.clone(), a.app)).collect(),
        ..Live::default()
    }
}

/// A change in one line: its symbol, address, safety rule and why.
pub fn line(change: &Change) -> String {
    let rule = change
        .safety_rule
        .map(|r| format!(" [needs --force={}]", r.as_str()))
        .unwrap_or_default();
    format!(
        "{} {}{rule} ({})",
        change.action().symbol(),
        change.address(),
        change.reason.describe()
    )
}

/// A diff in lines: its changes, then what it leaves unmanaged, then its diagnostics' codes
/// and messages.
pub fn lines(diff: &Diff) -> Vec<String> {
    let mut lines: Vec<String> = diff.changes.iter().map(line).collect();
    lines.extend(diff.unmanaged.iter().map(|u| format!("unmanaged {}", u.address)));
    lines.extend(
        diff.mass_revokes
            .iter()
            .map(|m| format!("mass_revoke {}: {} of {}", m.address, m.revoking, m.current)),
    );
    lines.extend(diff.diagnostics.iter().map(|d| format!("{}: {}", d.code, d.message)));
    lines
}

/// The token of the admin of [`seed`]'s org.
pub const ADMIN_TOKEN: &str = "test-admin-token";

/// A seed of `acme.okta.com`: the admin (a super admin with [`ADMIN_TOKEN`]), the service
/// account `svc@acme.com`, and the Workflows app `0oa1wf` with the automatic grants and
/// `grants`; `app` changes the app's seed (assignments, status, ...).
pub fn seed(grants: &[&str], app: impl FnOnce(&mut serde_json::Value)) -> crate::sim::Seed {
    org_seed(grants, app, |_| {})
}

/// [`seed`], with `org` changing the org's seed too (users, groups, more apps).
pub fn org_seed(
    grants: &[&str],
    app: impl FnOnce(&mut serde_json::Value),
    org: impl FnOnce(&mut serde_json::Value),
) -> crate::sim::Seed {
    let mut scopes: Vec<&str> = crate::catalog::auto_granted("okta");
    scopes.extend_from_slice(grants);
    let mut workflows = serde_json::json!({
        "id": "0oa1wf", "name": "flow", "label": "Okta Workflows OAuth", "grants": scopes,
    });
    app(&mut workflows);
    let mut seed = serde_json::json!({
        "domain": "acme.okta.com",
        "tokens": [{"token": ADMIN_TOKEN, "user": "admin@acme.com"}],
        "users": [
            {"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]},
            {"id": "00usvc", "login": "svc@acme.com"},
        ],
        "apps": [workflows],
    });
    org(&mut seed);
    serde_json::from_value(serde_json::json!({ "orgs": [seed] })).expect("the test seed is a seed")
}

/// An in-process simulated org of `seed`.
pub fn sim(seed: crate::sim::Seed) -> crate::sim::Sim {
    crate::sim::Sim::builder().seed(seed).start().expect("the sim starts")
}

/// Client options for tests: retries without real waiting.
pub fn quick_client() -> crate::okta::ClientOptions {
    crate::okta::ClientOptions {
        timeout: std::time::Duration::from_secs(10),
        retry: crate::okta::RetryPolicy {
            max_retries: 4,
            base: std::time::Duration::from_millis(1),
            max_backoff: std::time::Duration::from_millis(5),
            jitter: std::time::Duration::ZERO,
        },
        observer: None,
        warn: None,
    }
}

fn no_notice(_: &str) {}

/// The context of an operation run by a test: `environment`, [`NOW`], quick retries.
pub fn context(environment: &Environment) -> crate::ops::Context<'_> {
    crate::ops::Context {
        environment,
        now: NOW,
        clock: crate::time_spec::Clock::Fixed(NOW),
        client: quick_client(),
        notice: &no_notice,
    }
}

/// The environment of a run against a sim: the admin's API token.
pub fn admin_environment() -> Environment {
    Environment::default().with("OKTA_API_TOKEN", ADMIN_TOKEN)
}

/// A config directory holding `main.hcl`.
pub fn config_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("main.hcl"), text).expect("the config is written");
    dir
}

/// A client of `acme.okta.com` on `sim`, with the admin's token and quick retries.
pub fn client(sim: &crate::sim::Sim) -> crate::okta::OktaClient {
    let http = crate::okta::http_client(&Environment::default(), crate::okta::Tls::Unused).expect("an HTTP client");
    let base = url::Url::parse(sim.url()).expect("the sim's URL");
    crate::okta::OktaClient::new(
        http,
        base,
        "acme.okta.com",
        crate::okta::Credentials::ApiToken(crate::secret::Secret::new(ADMIN_TOKEN)),
        quick_client(),
    )
}

/// What to read of [`acme`]: the app and the account `svc@acme.com`.
pub fn selection() -> crate::live::Selection {
    let mut selection = crate::live::Selection::default();
    selection
        .apps
        .entry(acme())
        .or_default()
        .accounts
        .insert("svc@acme.com".to_owned());
    selection
}

/// Reads [`selection`] from `sim`.
pub async fn read(sim: &crate::sim::Sim) -> (Live, Vec<crate::live::ReadError>) {
    let clients = std::collections::BTreeMap::from([("acme.okta.com".to_owned(), client(sim))]);
    crate::live::Reader::new(clients).read(&selection()).await
}

/// The changes `config_text` needs against `live`.
pub fn changes(config_text: &str, live: &Live) -> Vec<Change> {
    let (loaded, validated) = config(config_text);
    let selected = validated.desired.connections.keys().cloned().collect();
    crate::plan::Differ {
        desired: &validated.desired,
        live,
        declarations: crate::plan::Declarations {
            sites: &validated.sites,
            sources: &loaded.sources,
            root: None,
        },
        selected: &selected,
    }
    .diff()
    .changes
}

/// The API requests `sim` served, as `METHOD path` (reads of the log itself left out).
pub fn requests(sim: &crate::sim::Sim) -> Vec<String> {
    sim.requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// `text` with Okta's request ids (random) as `ID`.
pub fn without_request_id(text: &str) -> String {
    match text.split_once("(request ") {
        Some((before, after)) => {
            let rest = after.split_once(')').map_or("", |(_, rest)| rest);
            format!("{before}(request ID){}", without_request_id(rest))
        }
        None => text.to_owned(),
    }
}
