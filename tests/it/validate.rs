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

/// Environment of a fixture: the `NAME=VALUE` lines of its `env` file.
fn fixture_env(name: &str) -> Vec<(String, String)> {
    std::fs::read_to_string(fixtures().join("invalid").join(name).join("env"))
        .map(|text| {
            text.lines()
                .filter_map(|line| line.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A run of `validate` on the fixture `name`, with its arguments and environment.
fn fixture_run(name: &str, source: &std::path::Path, format: Option<&str>) -> Test {
    let mut test = Test::new().copy_dir(source, name).args(["validate", name]);
    if let Some(format) = format {
        test = test.args(["--format", format]);
    }
    for (key, value) in fixture_env(name) {
        test = test.env(&key, &value);
    }
    test.args(fixture_args(name))
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

        let json = fixture_run(&name, &source, Some("json")).run().code(expected_exit);
        let document = json.json();
        let codes: BTreeSet<&str> = document["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| d["code"].as_str().expect("code"))
            .collect();
        assert_eq!(codes, BTreeSet::from([code.as_str()]), "{name}");
        assert_eq!(document["valid"], expected_exit == 0, "{name}");

        let human = fixture_run(&name, &source, None).run().code(expected_exit);
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

/// The smaller edges: an unreadable `*.hcl` entry is reported and not followed by rules
/// run on the partial config; an `OKTAFORM_VAR_` name no variable declares is a warning
/// with did-you-mean; a config without a connection warns.
#[test]
fn small_edges_of_a_config_are_reported() {
    let quickstart = crate::harness::repo().join("examples/quickstart");
    let test = Test::new().copy_dir(&quickstart, "qs");
    std::fs::create_dir_all(test.path().join("qs/x.hcl")).unwrap();
    std::os::unix::fs::symlink("nowhere.hcl", test.path().join("qs/dangling.hcl")).unwrap();
    let outcome = test.args(["validate", "qs", "--format", "json"]).run().code(1);
    let codes: Vec<(String, String)> = outcome.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (
                "oktaform::config::unreadable".to_owned(),
                "cannot read `qs/dangling.hcl`: No such file or directory (os error 2)".to_owned()
            ),
            (
                "oktaform::config::unreadable".to_owned(),
                "cannot read `qs/x.hcl`: it is a directory, not a regular file".to_owned()
            ),
        ]
    );

    let variables = "variable \"domain\" {\n  default = \"acme.okta.com\"\n}\n";
    let outcome = Test::new()
        .file("c/main.hcl", variables)
        .env("OKTAFORM_VAR_domian", "acme.oktapreview.com")
        .args(["validate", "c", "--format", "json"])
        .run()
        .success();
    let found: Vec<(String, String, String)> = outcome.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
                d["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "oktaform::config::no_connections".to_owned(),
                "the config declares no connection".to_owned(),
                "declare a `connection` block (see examples/quickstart/main.hcl), or point PATH at the config's directory".to_owned()
            ),
            (
                "oktaform::variable::undeclared_env".to_owned(),
                "`OKTAFORM_VAR_domian` is set, but no `variable` block declares `domian`".to_owned(),
                "did you mean `OKTAFORM_VAR_domain`? fix the name, or declare the variable in a `variable` block; ignore this when the environment also serves another config".to_owned()
            ),
        ]
    );
}

/// A seed edited after the simulated state was made from it is noticed.
#[test]
fn an_edited_seed_is_noticed() {
    let quickstart = crate::harness::repo().join("examples/quickstart");
    let first = Test::new()
        .copy_dir(&quickstart, "qs")
        .args(["plan", "qs", "--sim"])
        .run()
        .success();
    let seed = std::fs::read_to_string(first.dir.join("qs/sim-org.json")).unwrap();
    Test::new()
        .copy_dir(&first.dir.join("qs"), "qs")
        .file("qs/sim-org.json", seed.replace("\"Okta Workflows OAuth\"", "\"Okta Workflows OAuth \""))
        .args(["plan", "qs", "--sim", "--format", "json"])
        .stdout_like("...")
        .stderr("Using the simulated org (seed qs/sim-org.json, state qs/.oktaform/sim-state.json).\nThe seed qs/sim-org.json changed since this state was made from it; --sim-reset starts over from the seed.\n")
        .verify();
}

/// `explain` given a part of a code names the codes that hold it.
#[test]
fn explain_a_part_of_a_code_names_the_codes_that_hold_it() {
    Test::new()
        .args(["explain", "misspelled"])
        .stderr("error: unknown diagnostic code `misspelled`\nhelp: codes with `misspelled` in their name: `oktaform::scope::misspelled`\n")
        .status(1)
        .verify();
}

/// Files are read one top-level block at a time; a file with a block that does not parse
/// still adds nothing but its syntax error (as if it were absent), and positions after the
/// first block of a file are exact.
#[test]
fn a_block_that_does_not_parse_leaves_its_whole_file_out() {
    let declares = "connection \"prod\" {\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf\"\n  service_account = \"svc@acme.com\"\n}\n\nlog_query \"broken\" {\n  keyword \"admin\"\n}\n";
    let uses = "# scopes of prod\nscopes \"read\" {\n  connection = connection.prod\n  grant      = [\"okta.users.read\"]\n}\n\nscopes \"typo\" {\n  connection = connection.prod\n  grant      = [\"okta.users.raed\"]\n}\n";
    let outcome = Test::new()
        .file("c/a.hcl", uses)
        .file("c/b.hcl", declares)
        .args(["validate", "c", "--format", "json"])
        .run()
        .code(1);
    let found: Vec<(String, String, u64, u64)> = outcome.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "oktaform::schema::bad_reference".to_owned(),
                "c/a.hcl".to_owned(),
                3,
                16
            ),
            (
                "oktaform::schema::bad_reference".to_owned(),
                "c/a.hcl".to_owned(),
                8,
                16
            ),
            ("oktaform::scope::misspelled".to_owned(), "c/a.hcl".to_owned(), 9, 17),
            (
                "oktaform::syntax::missing_equals".to_owned(),
                "c/b.hcl".to_owned(),
                8,
                10
            ),
        ]
    );
}
