//! Generates the catalogs from their sources and fails when the checked-in copy is stale.
//! `OKTAFORM_BLESS=1 cargo test --lib catalog` rewrites them.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn schemas() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn source(name: &str) -> String {
    std::fs::read_to_string(schemas().join("sources").join(name)).expect("catalog source is readable")
}

/// Compares a generated catalog with its checked-in file (or rewrites it when blessing).
fn check(file: &str, generated: &Value) {
    let text = serde_json::to_string_pretty(generated).expect("catalog serialises") + "\n";
    let path = schemas().join(file);
    if std::env::var_os("OKTAFORM_BLESS").is_some() {
        std::fs::write(&path, &text).expect("catalog is writable");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == text,
        "schemas/{file} is stale: run `OKTAFORM_BLESS=1 cargo test --lib catalog`"
    );
}

/// Scopes from `scopes.txt`; auto-granted (marked `*`) and Limited Early Access scopes of
/// the Okta connector from the connector guidance.
fn scopes_catalog(scopes_txt: &str, guidance: &str) -> Value {
    let mut scopes: BTreeMap<String, String> = BTreeMap::new();
    for line in scopes_txt
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (name, description) = line.split_once('\t').unwrap_or((line, ""));
        let description = description.replace("[used-only]", "").trim().to_owned();
        scopes.insert(name.trim().to_owned(), description);
    }
    let mut auto = Vec::new();
    let mut early = Vec::new();
    let section = guidance
        .split_once("List of default scopes")
        .and_then(|(_, rest)| rest.split_once("Best practices"))
        .map_or("", |(section, _)| section);
    for line in section.lines().map(str::trim) {
        let Some(item) = line.strip_prefix("• ") else {
            continue;
        };
        if let Some(name) = item.strip_suffix('*') {
            auto.push(name.to_owned());
        } else if let Some(name) = item.strip_suffix("(Limited Early Access release)") {
            early.push(name.trim().to_owned());
        } else {
            scopes.entry(item.to_owned()).or_default();
        }
    }
    for name in auto.iter().chain(&early) {
        scopes.entry(name.clone()).or_default();
    }
    let list: Vec<Value> = scopes
        .into_iter()
        .map(|(name, description)| {
            let auto_granted_by: Vec<&str> = if auto.contains(&name) { vec!["okta"] } else { vec![] };
            let stage = if early.contains(&name) { "LEA" } else { "GA" };
            json!({"name": name, "stage": stage, "auto_granted_by": auto_granted_by, "description": description})
        })
        .collect();
    json!({"source": "schemas/sources/scopes.txt and schemas/sources/okta-connector-guidance.txt", "scopes": list})
}

fn event_types_catalog(csv_text: &str) -> Value {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let mut list: Vec<(String, String)> = reader
        .records()
        .map(|record| {
            let record = record.expect("event-types.csv is valid CSV");
            (record[0].trim().to_owned(), record[2].trim().to_owned())
        })
        .collect();
    list.sort();
    list.dedup();
    let list: Vec<Value> = list
        .into_iter()
        .map(|(name, release)| json!({"name": name, "release": release}))
        .collect();
    json!({"source": "schemas/sources/event-types.csv", "event_types": list})
}

/// Attribute paths of the spec's `LogEvent` schema. Objects with `additionalProperties`
/// and no declared properties are free-form; `changeDetails` cannot be queried.
fn log_event_catalog(spec_yaml: &str) -> Value {
    let spec: serde_norway::Value = serde_norway::from_str(spec_yaml).expect("spec is valid YAML");
    let schemas = &spec["components"]["schemas"];
    let mut attributes = Vec::new();
    let mut free_form = Vec::new();
    walk(schemas, &schemas["LogEvent"], "", &mut attributes, &mut free_form);
    attributes.sort();
    free_form.sort();
    // Attributes whose values are not strings, by their JSON type.
    let types: std::collections::BTreeMap<&str, &str> = attributes
        .iter()
        .filter(|(_, kind)| kind != "string")
        .map(|(path, kind)| (path.as_str(), kind.as_str()))
        .collect();
    let attributes: Vec<&String> = attributes.iter().map(|(path, _)| path).collect();
    json!({"source": "schemas/sources/management-trimmed.yaml#/components/schemas/LogEvent", "attributes": attributes, "types": types, "free_form": free_form})
}

fn walk(
    schemas: &serde_norway::Value,
    schema: &serde_norway::Value,
    path: &str,
    attributes: &mut Vec<(String, String)>,
    free_form: &mut Vec<String>,
) {
    let schema = resolve(schemas, schema);
    if let Some(items) = schema.get("items") {
        return walk(schemas, items, path, attributes, free_form);
    }
    match schema.get("properties").and_then(serde_norway::Value::as_mapping) {
        Some(properties) => {
            for (name, property) in properties {
                let name = name.as_str().expect("property names are strings");
                if name == "changeDetails" {
                    continue;
                }
                let child = if path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                };
                walk(schemas, property, &child, attributes, free_form);
            }
        }
        None if schema.get("additionalProperties").is_some() => free_form.push(path.to_owned()),
        None => {
            let kind = match schema.get("type").and_then(serde_norway::Value::as_str) {
                Some("integer" | "number") => "number",
                Some("boolean") => "boolean",
                _ => "string",
            };
            attributes.push((path.to_owned(), kind.to_owned()));
        }
    }
}

fn resolve<'a>(schemas: &'a serde_norway::Value, schema: &'a serde_norway::Value) -> &'a serde_norway::Value {
    match schema.get("$ref").and_then(serde_norway::Value::as_str) {
        Some(reference) => {
            let name = reference.rsplit('/').next().expect("a $ref names a schema");
            resolve(schemas, &schemas[name])
        }
        None => schema,
    }
}

#[test]
fn scopes_catalog_is_fresh() {
    check(
        "scopes.json",
        &scopes_catalog(&source("scopes.txt"), &source("okta-connector-guidance.txt")),
    );
}

#[test]
fn event_types_catalog_is_fresh() {
    check("event-types.json", &event_types_catalog(&source("event-types.csv")));
}

#[test]
fn log_event_catalog_is_fresh() {
    check("log-event.json", &log_event_catalog(&source("management-trimmed.yaml")));
}

/// The in-repository sources are copies of the shared reference; when that reference is
/// beside the checkout, they must not have drifted apart.
#[test]
fn sources_match_the_shared_reference_when_present() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let pairs = [
        ("okta-api/scopes.txt", "scopes.txt"),
        ("okta-api/event-types.csv", "event-types.csv"),
        ("okta-api/spec/management-trimmed.yaml", "management-trimmed.yaml"),
        ("seed/000_18bc5251e9e27984.txt", "okta-connector-guidance.txt"),
    ];
    for (theirs, ours) in pairs {
        if let Ok(reference) = std::fs::read_to_string(shared.join(theirs)) {
            assert_eq!(
                reference,
                source(ours),
                "schemas/sources/{ours} differs from shared/{theirs}"
            );
        }
    }
}

#[test]
fn generators_read_their_sources() {
    let scopes = scopes_catalog(
        "okta.users.read\tRead users\n# comment\n",
        "• not a scope\nList of default scopes\n  • openid*\n  • okta.x.manage (Limited Early Access release)\n  • okta.users.read\nBest practices\n",
    );
    let list = scopes["scopes"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["name"], "okta.users.read");
    assert_eq!(list[1]["stage"], "LEA");
    assert_eq!(list[2]["auto_granted_by"], json!(["okta"]));
    let events = event_types_catalog(
        "Event Type,Description,Release Date,Tags, Change Details\n\"a.b\",\"x, y\",\"2024.01.0\",\"t\",\"\"\n",
    );
    assert_eq!(events["event_types"], json!([{"name": "a.b", "release": "2024.01.0"}]));
}
