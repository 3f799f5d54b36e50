//! `flows import`: HCL for what exports use, offline: per export a `scopes` block granting
//! what its Okta cards need (the cards that need each scope as the reason) and a `flows`
//! block tying it to the connection; per Search System Logs card a `log_query`, so that the
//! log searches hidden in flows are linted like any other.

use super::catalog::requirement;
use super::export::{Card, Export};
use crate::config::writer::{ConfigWriter, ident, identifier, is_identifier};
use hcl::edit::Decorated;
use hcl::edit::expr::{
    Array, Expression, Object, ObjectKey, ObjectValue, ObjectValueTerminator, Traversal, TraversalOperator,
};
use hcl::edit::structure::{Attribute, Block};
use std::collections::{BTreeMap, BTreeSet};

/// The card key of Search System Logs.
const SEARCH_SYSTEM_LOGS: &str = "searchSystemLogs";

/// The config of `exports` for the connection `connection`; `relative` gives each export's
/// path as the config will name it.
pub fn hcl(exports: &[Export], connection: &str, relative: &dyn Fn(&Export) -> String) -> String {
    let automatic: BTreeSet<&str> = crate::catalog::auto_granted("okta").into_iter().collect();
    let mut config = ConfigWriter::default();
    config.comment("Imported from Workflows exports by `oktaform flows import`.");
    let mut names = BTreeSet::new();
    let mut queries = BTreeSet::new();
    // Scopes granted by an earlier export's block: declared once per app.
    let mut granted: BTreeSet<String> = BTreeSet::new();
    for export in exports {
        let stem = export
            .file
            .file_stem()
            .map_or_else(|| "flows".to_owned(), |s| s.to_string_lossy().into_owned());
        let name = unique(&identifier(&stem), &mut names);
        // Scope -> the cards that need it.
        let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut unknown = BTreeSet::new();
        for card in export
            .flows
            .iter()
            .flat_map(|f| &f.cards)
            .filter(|c| c.connector == "okta")
        {
            let required = requirement(card);
            if matches!(required.source, super::Source::Unknown | super::Source::Dynamic) {
                unknown.insert(card.name.clone());
            }
            for scope in required.scopes.into_iter().filter(|s| !automatic.contains(s.as_str())) {
                needs.entry(scope).or_default().insert(card.name.clone());
            }
        }
        config.blank();
        if !unknown.is_empty() {
            let cards: Vec<&str> = unknown.iter().map(String::as_str).collect();
            config.comment(&format!("Not known, so not granted here: {}.", cards.join(", ")));
        }
        let already: Vec<String> = needs.keys().filter(|s| granted.contains(*s)).cloned().collect();
        needs.retain(|scope, _| !granted.contains(scope));
        granted.extend(needs.keys().cloned());
        if !already.is_empty() {
            config.comment(&format!("Also needs, granted above: {}.", already.join(", ")));
        }
        if !needs.is_empty() {
            let reason: Vec<String> = needs
                .iter()
                .map(|(scope, cards)| format!("{scope}: {}", cards.iter().cloned().collect::<Vec<_>>().join(", ")))
                .collect();
            let mut grant = Array::new();
            for scope in needs.keys() {
                grant.push(scope.as_str());
            }
            config.block(
                block("scopes", &name)
                    .attribute(Attribute::new(key("connection"), reference(connection)))
                    .attribute(Attribute::new(key("reason"), reason.join("; ")))
                    .attribute(Attribute::new(key("grant"), Expression::from(grant)))
                    .build(),
            );
            config.blank();
        }
        config.block(
            block("flows", &name)
                .attribute(Attribute::new(key("connection"), reference(connection)))
                .attribute(Attribute::new(key("export"), relative(export)))
                .build(),
        );
        for flow in &export.flows {
            for card in flow
                .cards
                .iter()
                .filter(|c| c.connector == "okta" && c.key == SEARCH_SYSTEM_LOGS)
            {
                let query = unique(&identifier(&flow.name), &mut queries);
                config.blank();
                config.comment(&format!("The Search System Logs card of the flow \"{}\".", flow.name));
                config.block(log_query(&query, connection, card));
            }
        }
    }
    config.finish()
}

fn key(name: &str) -> Decorated<hcl::edit::Ident> {
    ident(name).expect("a fixed identifier")
}

fn block(kind: &str, label: &str) -> hcl::edit::structure::BlockBuilder {
    Block::builder(key(kind)).label(Decorated::new(label.to_owned()))
}

/// `connection.<name>`.
fn reference(connection: &str) -> Traversal {
    Traversal::new(
        key("connection"),
        vec![Decorated::new(TraversalOperator::GetAttr(
            ident(connection).unwrap_or_else(|| key("connection_name")),
        ))],
    )
}

/// `name`, or `name_2`, `name_3`... when taken.
fn unique(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.to_owned();
    let mut n = 1;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{name}_{n}");
    }
    candidate
}

/// A `log_query` of a Search System Logs card: its Custom Filter (or keyword and fields),
/// its dates, and its result set (first record: `limit = 1`; first 200: `limit = 200`;
/// stream: `records = "all"`).
fn log_query(name: &str, connection: &str, card: &Card) -> Block {
    let mut builder = block("log_query", name).attribute(Attribute::new(key("connection"), reference(connection)));
    let literal = |group: &str, input: &str| card.input(group, input).map(str::trim).filter(|v| !v.is_empty());
    if let Some(keyword) = literal("Search By", "Keyword") {
        builder = builder.attribute(Attribute::new(key("keyword"), keyword));
    }
    let fields: Vec<(&String, &String)> = card
        .inputs
        .iter()
        .filter(|((group, input), value)| {
            group == "Search By" && input != "Custom Filter" && input != "Keyword" && !value.trim().is_empty()
        })
        .map(|((_, input), value)| (input, value))
        .collect();
    if !fields.is_empty() {
        let mut object = Object::new();
        let last = fields.len() - 1;
        for (at, (field, value)) in fields.into_iter().enumerate() {
            // As the docs write a match: `{ eventType = "...", "outcome.result" = "..." }`.
            let key = match ident(field).filter(|_| is_identifier(field)) {
                Some(name) => ObjectKey::Ident(name),
                None => ObjectKey::from(Expression::from(field.as_str())),
            };
            let mut value = ObjectValue::new(Expression::from(value.as_str()));
            if at == last {
                value.set_terminator(ObjectValueTerminator::None);
            }
            object.insert(key, value);
        }
        builder = builder.attribute(Attribute::new(key("match"), Expression::from(object)));
    }
    if let Some(filter) = literal("Search By", "Custom Filter") {
        builder = builder.attribute(Attribute::new(key("filter"), filter));
    }
    for date in ["since", "until"] {
        if let Some(value) = literal("Date", date) {
            builder = builder.attribute(Attribute::new(key(date), value));
        }
    }
    builder = match literal("parameters", "resultSet") {
        Some("First Matching Record") => builder.attribute(Attribute::new(key("limit"), 1)),
        Some("Stream Matching Records") => builder.attribute(Attribute::new(key("records"), "all")),
        _ => builder.attribute(Attribute::new(key("limit"), 200)),
    };
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::{Card, log_query};
    use crate::config::writer::ConfigWriter;

    #[test]
    fn a_search_card_writes_its_fields_as_the_docs_write_a_match() {
        let inputs = [
            ("Search By", "eventType", "user.session.start"),
            ("Search By", "outcome.result", "FAILURE"),
            ("Search By", "Keyword", "admin"),
        ];
        let card = Card {
            connector: "okta".to_owned(),
            key: "searchSystemLogs".to_owned(),
            name: "Search System Logs".to_owned(),
            event: false,
            connection: None,
            inputs: inputs
                .iter()
                .map(|(group, input, value)| (((*group).to_owned(), (*input).to_owned()), (*value).to_owned()))
                .collect(),
        };
        let mut writer = ConfigWriter::default();
        writer.block(log_query("failed", "hr", &card));
        assert_eq!(
            writer.finish(),
            concat!(
                "log_query \"failed\" {\n",
                "  connection = connection.hr\n",
                "  keyword    = \"admin\"\n",
                "  match      = { eventType = \"user.session.start\", \"outcome.result\" = \"FAILURE\" }\n",
                "  limit      = 200\n",
                "}\n",
            )
        );
    }
}
