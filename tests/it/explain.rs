//! `oktaform explain CODE`.

use crate::harness::{Test, snapshot, snapshot_settings};
use oktaform::diagnostics::Code;

#[test]
fn every_code_is_explained() {
    for code in Code::ALL {
        let outcome = Test::new().args(["explain", code.as_str()]).run().success();
        assert!(outcome.stdout.starts_with(code.as_str()), "{}", outcome.stdout);
        assert!(outcome.stdout.contains(code.what()));
    }
}

#[test]
fn explain_text_snapshot() {
    let outcome = Test::new()
        .args(["explain", "log_query::or_precedence"])
        .run()
        .success();
    snapshot_settings().bind(|| insta::assert_snapshot!("explain__or_precedence", outcome.stdout));
}

#[test]
fn an_unknown_code_suggests_the_closest() {
    let outcome = Test::new().args(["explain", "scope::unkown"]).run().code(1);
    snapshot("explain__unknown_code", &outcome);
}

#[test]
fn without_a_code_every_code_is_listed() {
    let outcome = Test::new().args(["explain"]).run().success();
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        Code::ALL.len() + 2,
        "one line per code, a blank and a hint"
    );
    for (line, code) in lines.iter().zip(Code::ALL) {
        assert!(line.starts_with(code.as_str()) && line.ends_with(code.what()), "{line}");
    }
    assert_eq!(
        lines[lines.len() - 1],
        "`oktaform explain CODE` tells why and shows an example."
    );
}

#[test]
fn explanations_as_json() {
    let all = Test::new().args(["explain", "--format", "json"]).run().success().json();
    let codes: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, expected);
    Test::new()
        .args(["explain", "scope::empty_grant", "--format", "json"])
        .stdout(
            r#"{
  "code": "oktaform::scope::empty_grant",
  "severity": "warning",
  "offline": true,
  "what": "A `scopes` block whose `grant` list is empty.",
  "why": "It grants nothing; under `scope_policy = \"exact\"` it does not keep any grant either. Remove the block or list its scopes.",
  "example": "scopes \"hr\" {\n  connection = connection.prod\n  grant      = []\n}"
}
"#,
        )
        .verify();
}
