//! Problems of reading the orgs as diagnostics, placed at the connection they concern.

use super::Orgs;
use crate::diagnostics::{Code, Diagnostic};
use crate::live::ReadError;
use crate::model::{AppKey, Live};
use crate::okta::OktaError;
use crate::validate::Validated;
use std::collections::BTreeSet;

/// A diagnostic for a whole org when `error` is a fault of the org as a whole: its
/// credentials refused (401/403), or its name not resolving.
pub(crate) fn org_fault(domain: &str, error: &OktaError, orgs: &Orgs) -> Option<Diagnostic> {
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
        (OktaError::Token { error: kind, .. }, _) if kind.is_missing_scope() => {
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
pub(super) fn read_diagnostics(errors: &[ReadError], orgs: &Orgs, validated: &Validated) -> Vec<Diagnostic> {
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
pub(super) fn preflight(validated: &Validated, live: &Live, selected: &BTreeSet<String>) -> Vec<Diagnostic> {
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
        if !app.status.is_active() {
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
            && !account.status.is_active()
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
