//! Where things were declared: the one span side table of the span-free model, for the
//! plan's "why" (file and line of each declared grant) and for problems found after
//! validation (a live app that is not the Workflows app, a step that failed).

use super::RawConfig;
use crate::diagnostics::Span;
use std::collections::{BTreeMap, BTreeSet};

/// Spans of one connection's attributes.
#[derive(Clone, Debug)]
pub struct ConnectionSites {
    pub header: Span,
    pub client_id: Option<Span>,
    pub client_secret: Option<Span>,
    pub service_account: Option<Span>,
}

/// Spans by connection, and of every declared grant by (`scopes` block, scope).
#[derive(Clone, Debug, Default)]
pub struct Sites {
    pub connections: BTreeMap<String, ConnectionSites>,
    pub grants: BTreeMap<(String, String), Span>,
    /// The `reason` of each `scopes` block that gives one, shown beside its grants.
    pub reasons: BTreeMap<String, String>,
    /// Per app and scope, the flows (of `flows` blocks) whose cards need it, as
    /// `flow "name" (file)`; filled by `validate`, which reads the exports.
    pub flows: BTreeMap<(crate::model::AppKey, String), BTreeSet<String>>,
}

impl Sites {
    pub fn from_config(config: &RawConfig) -> Self {
        let mut sites = Self::default();
        for connection in &config.connections {
            sites.connections.insert(
                connection.name.value.clone(),
                ConnectionSites {
                    header: connection.header,
                    client_id: connection.client_id.as_ref().map(|c| c.span),
                    client_secret: connection.client_secret.as_ref().map(|c| c.span),
                    service_account: connection.service_account.as_ref().map(|c| c.span),
                },
            );
        }
        for scopes in &config.scopes {
            if let Some(reason) = &scopes.reason {
                sites.reasons.insert(
                    scopes.name.value.clone(),
                    crate::text::one_line(&reason.value).into_owned(),
                );
            }
            for grant in &scopes.grant {
                sites
                    .grants
                    .entry((scopes.name.value.clone(), grant.value.clone()))
                    .or_insert(grant.span);
            }
        }
        sites
    }

    /// The header of the first connection to the org `domain`, to point at an org.
    pub fn org(&self, desired: &crate::model::Desired, domain: &str) -> Option<Span> {
        let connection = desired.connections.values().find(|c| c.app.domain == domain)?;
        self.connection(&connection.name, |c| Some(c.header))
    }

    /// The most precise span for a connection's attribute, else its header.
    pub fn connection(&self, name: &str, pick: impl Fn(&ConnectionSites) -> Option<Span>) -> Option<Span> {
        self.connections.get(name).map(|c| pick(c).unwrap_or(c.header))
    }
}
