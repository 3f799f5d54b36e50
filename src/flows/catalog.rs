//! The scopes an Okta connector card needs, and where that answer comes from:
//! `schemas/cards.json` (Okta's table of card scopes, or the operation a card's help page
//! describes), and for a Custom API Action with a literal URL the operation it calls, from
//! `schemas/sources/operation-scopes.tsv` (the official `OpenAPI` specs). Never guessed: a
//! card none of these covers is `unknown`, a wired URL `dynamic`.

use super::export::Card;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// Where a card's scopes come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Okta's table "Scopes for Okta connector cards".
    CardTable,
    /// The one operation the card's help page describes.
    Inferred,
    /// A Custom API Action's literal URL, matched in the official specs.
    ApiSpec,
    /// No source covers the card.
    Unknown,
    /// A Custom API Action whose URL is wired from another card.
    Dynamic,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::CardTable => "card_table",
            Source::Inferred => "inferred",
            Source::ApiSpec => "api_spec",
            Source::Unknown => "unknown",
            Source::Dynamic => "dynamic",
        }
    }
}

/// What a card needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub scopes: Vec<String>,
    pub source: Source,
    /// The API operation behind an `inferred` or `api_spec` answer.
    pub operation: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Catalog {
    event_scopes: Vec<String>,
    cards: Vec<Row>,
}

#[derive(Debug, Deserialize)]
struct Row {
    name: String,
    #[serde(default)]
    key: Option<String>,
    scopes: Vec<String>,
    source: Source,
    #[serde(default)]
    operation: Option<String>,
}

/// One operation of the official specs: method, path template, scopes.
#[derive(Debug)]
struct Operation {
    method: String,
    segments: Vec<String>,
    id: String,
    /// Alternatives as the specs list them (comma-separated); the first is taken.
    scopes: Vec<String>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../schemas/cards.json")).expect("schemas/cards.json is the card catalog")
});

static OPERATIONS: LazyLock<Vec<Operation>> = LazyLock::new(|| {
    include_str!("../../schemas/sources/operation-scopes.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [_, method, path, id, scopes] = fields.as_slice() else {
                return None;
            };
            Some(Operation {
                method: (*method).to_owned(),
                segments: path.trim_matches('/').split('/').map(str::to_owned).collect(),
                id: (*id).to_owned(),
                scopes: scopes
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect()
});

/// The Custom API Action's card key.
pub const CUSTOM_API_ACTION: &str = "hTTPRequest";

/// What `card` (of the Okta connector) needs.
pub fn requirement(card: &Card) -> Requirement {
    let row = CATALOG
        .cards
        .iter()
        .find(|row| row.key.as_deref() == Some(card.key.as_str()) || row.name == card.name);
    if let Some(row) = row {
        return Requirement {
            scopes: row.scopes.clone(),
            source: row.source,
            operation: row.operation.clone(),
        };
    }
    if card.event {
        // "All Okta connector event cards: okta.eventHooks.manage".
        return Requirement {
            scopes: CATALOG.event_scopes.clone(),
            source: Source::CardTable,
            operation: None,
        };
    }
    if card.key == CUSTOM_API_ACTION {
        return custom_api_action(card);
    }
    unknown()
}

fn unknown() -> Requirement {
    Requirement {
        scopes: Vec::new(),
        source: Source::Unknown,
        operation: None,
    }
}

/// A Custom API Action: the operation its method and literal relative URL name.
fn custom_api_action(card: &Card) -> Requirement {
    let method = card
        .input("parameters", "requestType")
        .unwrap_or("GET")
        .to_ascii_uppercase();
    let Some(url) = card
        .input("Request", "Relative URL")
        .map(str::trim)
        .filter(|u| !u.is_empty())
    else {
        return Requirement {
            scopes: Vec::new(),
            source: Source::Dynamic,
            operation: None,
        };
    };
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let found = OPERATIONS.iter().find(|op| {
        op.method == method
            && op.segments.len() == segments.len()
            && op
                .segments
                .iter()
                .zip(&segments)
                .all(|(template, part)| (template.starts_with('{') && !part.is_empty()) || template == part)
    });
    match found {
        Some(op) => Requirement {
            scopes: op.scopes.first().cloned().into_iter().collect(),
            source: Source::ApiSpec,
            operation: Some(op.id.clone()),
        },
        None => unknown(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn card(key: &str, name: &str, event: bool, inputs: &[(&str, &str, &str)]) -> Card {
        Card {
            connector: "okta".into(),
            key: key.into(),
            name: name.into(),
            event,
            connection: None,
            inputs: inputs
                .iter()
                .map(|(g, k, v)| (((*g).to_owned(), (*k).to_owned()), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    /// Every scope the catalog names is one the scope catalog knows, and every inferred
    /// row names an operation of the specs that asks for exactly those scopes.
    #[test]
    fn the_card_catalog_agrees_with_its_sources() {
        for row in &CATALOG.cards {
            for scope in &row.scopes {
                assert!(crate::catalog::scope(scope).is_some(), "{}: {scope}", row.name);
            }
            if row.source == Source::Inferred {
                let id = row.operation.as_deref().expect("an inferred row names its operation");
                let op = OPERATIONS
                    .iter()
                    .find(|op| op.id == id)
                    .expect("the operation is in the specs");
                assert_eq!(op.scopes, row.scopes, "{}", row.name);
            }
        }
    }

    #[test]
    fn cards_are_answered_from_the_table_the_specs_or_not_at_all() {
        let answer = |c: &Card| {
            let r = requirement(c);
            (r.scopes, r.source, r.operation)
        };
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            answer(&card("userCreated", "User Created", true, &[])),
            (s(&["okta.eventHooks.manage"]), Source::CardTable, None)
        );
        assert_eq!(
            answer(&card("addNewUserToGroup", "Add User to Group", false, &[])),
            (s(&["okta.groups.manage"]), Source::CardTable, None)
        );
        assert_eq!(
            answer(&card(
                CUSTOM_API_ACTION,
                "Custom API Action",
                false,
                &[
                    ("parameters", "requestType", "GET"),
                    ("Request", "Relative URL", "/api/v1/users/00u1/roles?expand=targets")
                ]
            )),
            (
                s(&["okta.roles.read"]),
                Source::ApiSpec,
                Some("listAssignedRolesForUser".to_owned())
            )
        );
        assert_eq!(
            answer(&card(
                CUSTOM_API_ACTION,
                "Custom API Action",
                false,
                &[("Request", "Relative URL", "")]
            )),
            (Vec::new(), Source::Dynamic, None)
        );
        assert_eq!(
            answer(&card("listGroupMembers", "List Group Members", false, &[])),
            (Vec::new(), Source::Unknown, None)
        );
    }
}
