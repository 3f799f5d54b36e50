//! Rules of `flows` blocks: the connection's app must be granted every scope the Okta cards
//! of the flows need (else the card fails with 403 at run time); cards whose needs are not
//! known are warned about; and when every connection of an app declares its flows, a granted
//! scope no card needs is a least-privilege revoke candidate.

use crate::config::{RawConfig, RawFlows, Spanned};
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::flows::{Card, Export, Source};
use crate::model::Desired;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The most export files one `export` pattern may name.
const MAX_EXPORTS: usize = 1_000;

/// Checks the `flows` blocks; returns, per app and scope, the flows whose cards need it.
pub(super) fn check(
    config: &RawConfig,
    desired: &Desired,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<(crate::model::AppKey, String), BTreeSet<String>> {
    let mut users: BTreeMap<(crate::model::AppKey, String), BTreeSet<String>> = BTreeMap::new();
    // Per app: the scopes its flows' cards need, and the connections that declare flows.
    let mut needed: BTreeMap<crate::model::AppKey, BTreeSet<String>> = BTreeMap::new();
    let mut declaring: BTreeSet<&str> = BTreeSet::new();
    // Apps whose flows hold a card of unknown needs, or an export that could not be read:
    // what they need is not known whole, so no grant is called unused.
    let mut uncertain: BTreeSet<crate::model::AppKey> = BTreeSet::new();
    for block in &config.flows {
        let (Some(reference), Some(pattern)) = (&block.connection, &block.export) else {
            continue;
        };
        let Some(connection) = desired.connections.get(&reference.value) else {
            continue;
        };
        declaring.insert(connection.name.as_str());
        let before = diagnostics.len();
        let exports = read_exports(block, pattern, diagnostics);
        if diagnostics.len() > before {
            uncertain.insert(connection.app.clone());
        }
        let Some(exports) = exports else {
            continue;
        };
        let app = desired.apps.get(&connection.app);
        let granted: BTreeSet<&str> = app
            .map(|a| a.grants.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let automatic: BTreeSet<&str> = crate::catalog::auto_granted(&connection.connector)
            .into_iter()
            .collect();
        let needs = needed.entry(connection.app.clone()).or_default();
        for export in &exports {
            for flow in &export.flows {
                for card in flow.cards.iter().filter(|c| c.connector == "okta" && uses(block, c)) {
                    let required = crate::flows::catalog::requirement(card);
                    let place = Place {
                        export,
                        flow: &flow.name,
                        card,
                        span: Some(pattern.span),
                    };
                    match required.source {
                        Source::Unknown => diagnostics.push(place.unknown()),
                        Source::Dynamic => diagnostics.push(place.dynamic()),
                        _ => {}
                    }
                    if matches!(required.source, Source::Unknown | Source::Dynamic) {
                        uncertain.insert(connection.app.clone());
                    }
                    for scope in required.scopes.iter().filter(|s| !automatic.contains(s.as_str())) {
                        needs.insert(scope.clone());
                        users
                            .entry((connection.app.clone(), scope.clone()))
                            .or_default()
                            .insert(place.flow_name());
                        if !granted.contains(scope.as_str()) {
                            diagnostics.push(place.missing(scope, &reference.value));
                        }
                    }
                }
            }
        }
    }
    needed.retain(|app, _| !uncertain.contains(app));
    unused(config, desired, &needed, &declaring, diagnostics);
    users
}

/// Whether `card` runs with the block's connection: its name in the export is
/// `export_connection`, or any when the block names none.
fn uses(block: &RawFlows, card: &Card) -> bool {
    match (&block.export_connection, &card.connection) {
        (Some(wanted), Some(name)) => name == &wanted.value,
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// The exports `export` names (a file, or a glob relative to the block's file); problems
/// as diagnostics. `None` when none could be read.
fn read_exports(block: &RawFlows, export: &Spanned<String>, diagnostics: &mut Vec<Diagnostic>) -> Option<Vec<Export>> {
    let pattern = block.dir.join(&export.value);
    let paths: Vec<PathBuf> = if export.value.contains(['*', '?', '[']) {
        match glob::glob(&pattern.to_string_lossy()) {
            Ok(paths) => paths.filter_map(Result::ok).take(MAX_EXPORTS).collect(),
            Err(error) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::FlowsNotAnExport,
                        format!("`export` is not a valid pattern: {error}"),
                    )
                    .at(export.span, "not a pattern"),
                );
                return None;
            }
        }
    } else {
        vec![pattern]
    };
    if paths.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::FlowsNotAnExport, format!("no file matches `{}`", export.value))
                .at(export.span, "matches nothing")
                .help("`export` is relative to the file that declares the block"),
        );
        return None;
    }
    let mut exports = Vec::new();
    for path in paths {
        match crate::flows::read(&path) {
            Ok(export) => exports.push(export),
            Err(error) => diagnostics.push(
                Diagnostic::new(Code::FlowsNotAnExport, error.to_string())
                    .at(export.span, "not an export")
                    .help("give `.flopack` files or a folder's JSON export, as the Workflows Console exports them"),
            ),
        }
    }
    Some(exports)
}

/// Where a card is, for its diagnostics.
struct Place<'a> {
    export: &'a Export,
    flow: &'a str,
    card: &'a Card,
    span: Option<Span>,
}

impl Place<'_> {
    /// `flow "name" (file)`.
    fn flow_name(&self) -> String {
        let file = self
            .export
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        format!("flow \"{}\" ({file})", crate::text::one_line(self.flow))
    }

    fn what(&self) -> String {
        let file = self
            .export
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        format!(
            "the card \"{}\" of the flow \"{}\" ({file})",
            crate::text::one_line(&self.card.name),
            crate::text::one_line(self.flow)
        )
    }

    fn placed(&self, diagnostic: Diagnostic, label: &str) -> Diagnostic {
        match self.span {
            Some(span) => diagnostic.at(span, label),
            None => diagnostic,
        }
    }

    fn missing(&self, scope: &str, connection: &str) -> Diagnostic {
        self.placed(
            Diagnostic::new(
                Code::FlowsMissingScope,
                format!("{} needs `{scope}`, which the app of `connection.{connection}` is not granted", self.what()),
            )
            .help(format!(
                "add `{scope}` to a `scopes` block of `connection.{connection}`: without it the card fails with 403 when the flow runs"
            )),
            "this export",
        )
    }

    fn unknown(&self) -> Diagnostic {
        self.placed(
            Diagnostic::new(
                Code::FlowsUnknownCard,
                format!("what {} needs is not known", self.what()),
            )
            .help("its scopes are not checked; schemas/cards.json says how to add the card from Okta's table of card scopes"),
            "this export",
        )
    }

    fn dynamic(&self) -> Diagnostic {
        self.placed(
            Diagnostic::new(
                Code::FlowsDynamicRequest,
                format!("{} calls a URL wired from another card", self.what()),
            )
            .help("its scopes are not checked; grant what the endpoints it may call need"),
            "this export",
        )
    }
}

/// Granted scopes that no card needs, for apps whose every connection declares its flows.
fn unused(
    config: &RawConfig,
    desired: &Desired,
    needed: &BTreeMap<crate::model::AppKey, BTreeSet<String>>,
    declaring: &BTreeSet<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (key, needs) in needed {
        let Some(app) = desired.apps.get(key) else {
            continue;
        };
        if !app.connections.iter().all(|c| declaring.contains(c.as_str())) {
            continue;
        }
        // A log query of the app's connections is a Search System Logs card too.
        let mut needs = needs.clone();
        if desired
            .log_queries
            .values()
            .any(|q| desired.connections.get(&q.connection).is_some_and(|c| c.app == *key))
        {
            needs.insert("okta.logs.read".to_owned());
        }
        for scopes in &config.scopes {
            let Some(connection) = scopes
                .connection
                .as_ref()
                .and_then(|c| desired.connections.get(&c.value))
            else {
                continue;
            };
            if connection.app != *key {
                continue;
            }
            for grant in scopes.grant.iter().filter(|g| !needs.contains(&g.value)) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::FlowsUnusedScope,
                        format!("no card of the declared flows needs `{}`", grant.value),
                    )
                    .at(grant.span, "not needed by the flows")
                    .help(format!(
                        "a least-privilege revoke candidate, if nothing else uses the app's `{}` (see who calls it with a log query on the app's client id)",
                        grant.value
                    )),
                );
            }
        }
    }
}
