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
    let loaded = config::load_text(
        Path::new("main.hcl"),
        text.to_owned(),
        &VarInputs::default(),
        &Environment::default(),
    );
    let validated = validate(&loaded, NOW);
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
                    vec!["ra-super".to_owned()]
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
