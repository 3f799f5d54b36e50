//! Problems of reading the orgs as diagnostics, placed at the connection they concern.

use super::Orgs;
use crate::diagnostics::{Code, Diagnostic};
use crate::live::{ReadError, org_fault};
use crate::model::{AppKey, Live};
use crate::validate::Validated;
use std::collections::BTreeSet;

/// Read errors as diagnostics at the connection they concern. A fault of a whole org (its
/// credentials refused, its name unresolved) is one diagnostic, however many requests met it.
pub(super) fn read_diagnostics(errors: &[ReadError], orgs: &Orgs, validated: &Validated) -> Vec<Diagnostic> {
    let desired = &validated.desired;
    let sites = &validated.sites;
    let mut faulty_orgs = BTreeSet::new();
    let mut diagnostics = Vec::new();
    for error in errors {
        if let ReadError::Request { domain, error } = error
            && let Some(mut diagnostic) = org_fault(
                domain,
                error,
                orgs.source(domain),
                orgs.purpose,
                orgs.is_service_app(domain),
            )
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

/// A read error as a diagnostic ([`ReadError::diagnostic`]) at the connection it concerns.
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
    let diagnostic = error.diagnostic();
    let site = match error {
        ReadError::AppNotFound { key, .. } => on_app(key).map(|s| (s, "not found in the org")),
        ReadError::NotWorkflowsApp { key, .. } => on_app(key).map(|s| (s, "not the Workflows app")),
        ReadError::AccountNotFound { key, login } => desired
            .apps
            .get(key)
            .and_then(|a| {
                a.connections
                    .iter()
                    .find(|c| desired.connections.get(*c).is_some_and(|c| &c.service_account == login))
            })
            .and_then(|c| sites.connection(c, |s| s.service_account))
            .map(|s| (s, "not a user of the org")),
        ReadError::NotSuperAdmin { domain, .. } | ReadError::Request { domain, .. } => {
            sites.org(desired, domain).map(|s| (s, "this org"))
        }
    };
    match site {
        Some((span, label)) => diagnostic.at(span, label),
        None => diagnostic,
    }
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
