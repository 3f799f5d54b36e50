//! `oktaform validate`: one fixture per diagnostic code, its report and JSON snapshotted.

use crate::harness::{Test, fixtures, snapshot, snapshot_settings};
use oktaform::diagnostics::{Code, Severity};
use std::collections::BTreeSet;

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8 name"))
        .collect();
    names.sort();
    names
}

/// Extra arguments of a fixture: the lines of its `args` file, `{dir}` standing for the
/// fixture's directory.
fn fixture_args(name: &str) -> Vec<String> {
    std::fs::read_to_string(fixtures().join("invalid").join(name).join("args"))
        .map(|text| text.lines().map(|line| line.replace("{dir}", name)).collect())
        .unwrap_or_default()
}

fn code_of(fixture: &str) -> Code {
    Code::from_name(&fixture.replace('.', "::"))
        .unwrap_or_else(|| panic!("fixture `{fixture}` is not named after a code"))
}

#[test]
fn every_code_has_a_fixture() {
    let covered: BTreeSet<Code> = fixture_names().iter().map(|name| code_of(name)).collect();
    let missing: Vec<_> = Code::ALL
        .iter()
        .filter(|c| c.is_offline() && !covered.contains(c))
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture in tests/fixtures/invalid: {missing:?}"
    );
}

#[test]
fn each_invalid_fixture_reports_its_code() {
    for name in fixture_names() {
        let code = code_of(&name);
        let expected_exit = i32::from(code.severity() == Severity::Error);
        let source = fixtures().join("invalid").join(&name);

        let json = Test::new()
            .copy_dir(&source, &name)
            .args(["validate", &name, "--format", "json"])
            .args(fixture_args(&name))
            .run()
            .code(expected_exit);
        let document = json.json();
        let codes: BTreeSet<&str> = document["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().expect("code"))
            .collect();
        assert_eq!(codes, BTreeSet::from([code.as_str()]), "{name}");
        assert_eq!(document["valid"], expected_exit == 0, "{name}");

        let human = Test::new()
            .copy_dir(&source, &name)
            .args(["validate", &name])
            .args(fixture_args(&name))
            .run()
            .code(expected_exit);
        assert!(human.stderr.contains(code.as_str()), "{name}: {}", human.stderr);

        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("validate__{name}__human"), human.stderr);
            insta::assert_json_snapshot!(format!("validate__{name}__json"), document);
        });
    }
}

#[test]
fn a_literal_secret_never_reaches_any_output() {
    let name = "connection.literal_secret";
    let source = fixtures().join("invalid").join(name);
    for format in ["human", "json", "github"] {
        let outcome = Test::new()
            .copy_dir(&source, name)
            .args(["validate", name, "--format", format])
            .run()
            .success();
        let all = format!("{}{}", outcome.stdout, outcome.stderr);
        assert!(all.contains("literal_secret"), "{format}: {all}");
        assert!(
            !all.contains("fixture-client-secret-do-not-print"),
            "{format} leaked the secret: {all}"
        );
    }
}

#[test]
fn github_format_prints_annotations_and_a_step_summary() {
    let name = "log_query.filter_syntax";
    let test = Test::new().copy_dir(&fixtures().join("invalid").join(name), name);
    let summary = test.path().join("summary.md");
    let outcome = test
        .env("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8 path"))
        .args(["validate", name, "--format", "github"])
        .run()
        .code(1);
    snapshot("validate__github", &outcome);
    let markdown = std::fs::read_to_string(&summary).expect("step summary written");
    snapshot_settings().bind(|| insta::assert_snapshot!("validate__github_step_summary", markdown));
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let config = r#"
connection "prod" {
  domian          = "acme.okta.com"
  client_id       = 42
  service_account = "svc@acme.com"
}

scopes "hr" {
  connection = connection.prod
  grant      = ["okta.user.manage"]
}

log_query "q" {
  connection = connection.prod
  limit      = 0
  filter     = "eventType eq"
}
"#;
    let outcome = Test::new()
        .file("main.hcl", config)
        .args(["validate", ".", "--format", "json"])
        .run()
        .code(1);
    let codes: Vec<String> = outcome.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "oktaform::schema::unknown_attribute",
        "oktaform::schema::missing_attribute",
        "oktaform::schema::wrong_type",
        "oktaform::log_query::limit_range",
        "oktaform::log_query::filter_syntax",
    ] {
        assert!(codes.iter().any(|c| c == expected), "{expected} missing from {codes:?}");
    }
}

#[test]
fn a_missing_path_is_a_coded_error() {
    let outcome = Test::new()
        .args(["validate", "no-such-dir", "--format", "json"])
        .run()
        .code(1);
    let document = outcome.json();
    assert_eq!(document["diagnostics"][0]["code"], "oktaform::config::unreadable");
    assert_eq!(document["diagnostics"][0]["file"], serde_json::Value::Null);
}
