//! `flows inspect`: every flow of some exports, its Okta cards, the connection each uses
//! and the scopes each needs with the source of the answer; per connection, the union of
//! what its cards need (the automatic scopes never listed as needed).

use super::catalog::{Source, requirement};
use super::export::Export;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What `flows inspect --format json` prints (DESIGN section 9).
#[derive(Debug, Serialize)]
pub struct Inspection {
    pub exports: Vec<ExportReport>,
    pub connections: Vec<ConnectionNeeds>,
}

#[derive(Debug, Serialize)]
pub struct ExportReport {
    pub file: String,
    pub flows: Vec<FlowReport>,
}

#[derive(Debug, Serialize)]
pub struct FlowReport {
    pub name: String,
    pub cards: Vec<CardReport>,
}

#[derive(Debug, Serialize)]
pub struct CardReport {
    pub key: String,
    pub name: String,
    pub kind: &'static str,
    /// The connection's name in the export; `null` when the card names none.
    pub connection: Option<String>,
    pub scopes: Vec<String>,
    pub source: Source,
    /// The API operation behind an `inferred` or `api_spec` answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ConnectionNeeds {
    pub name: String,
    pub scopes: Vec<String>,
}

/// The Okta cards of `exports`, what each needs, and what each connection needs.
pub fn inspect(exports: &[Export]) -> Inspection {
    let mut inspection = Inspector::default();
    for export in exports {
        inspection.add(export);
    }
    inspection.finish()
}

/// An inspection built export by export, so that each export can be dropped once read.
#[derive(Default)]
pub struct Inspector {
    exports: Vec<ExportReport>,
    needs: BTreeMap<String, BTreeSet<String>>,
}

impl Inspector {
    /// Adds what the Okta cards of `export` need.
    pub fn add(&mut self, export: &Export) {
        let automatic: BTreeSet<&str> = crate::catalog::auto_granted("okta").into_iter().collect();
        let needs = &mut self.needs;
        self.exports.push(ExportReport {
            file: export.file.display().to_string(),
            flows: export
                .flows
                .iter()
                .map(|flow| FlowReport {
                    name: flow.name.clone(),
                    cards: flow
                        .cards
                        .iter()
                        .filter(|card| card.connector == "okta")
                        .map(|card| {
                            let required = requirement(card);
                            let scopes: Vec<String> = required
                                .scopes
                                .into_iter()
                                .filter(|s| !automatic.contains(s.as_str()))
                                .collect();
                            if let Some(connection) = &card.connection {
                                needs
                                    .entry(connection.clone())
                                    .or_default()
                                    .extend(scopes.iter().cloned());
                            }
                            CardReport {
                                key: card.key.clone(),
                                name: card.name.clone(),
                                kind: if card.event { "event" } else { "action" },
                                connection: card.connection.clone(),
                                scopes,
                                source: required.source,
                                operation: required.operation,
                            }
                        })
                        .collect(),
                })
                .collect(),
        });
    }

    pub fn finish(self) -> Inspection {
        Inspection {
            exports: self.exports,
            connections: self
                .needs
                .into_iter()
                .map(|(name, scopes)| ConnectionNeeds {
                    name,
                    scopes: scopes.into_iter().collect(),
                })
                .collect(),
        }
    }
}
