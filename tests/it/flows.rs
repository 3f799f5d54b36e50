//! `oktaform flows inspect` over exports written in the shape of Okta's public export
//! templates (`tests/fixtures/flows/README.md`).

use crate::harness::{Test, fixtures, snapshot};

fn inspect(files: &[&str], format: &str) -> crate::harness::Outcome {
    let mut test = Test::new();
    for file in files {
        test = test.file(file, std::fs::read(fixtures().join("flows").join(file)).unwrap());
    }
    test.args(["flows", "inspect"])
        .args(files.iter().copied())
        .args(["--format", format])
        .run()
}

#[test]
fn inspect_names_each_card_its_connection_scopes_and_source() {
    for format in ["human", "json"] {
        let outcome = inspect(&["onboarding.flopack", "audit.flopack"], format).success();
        snapshot(&format!("flows__inspect__{format}"), &outcome);
    }
}

#[test]
fn files_that_are_not_exports_are_refused_each_with_why() {
    let outcome = inspect(
        &["notes.json", "old.flopack", "broken.flopack", "audit.flopack"],
        "json",
    )
    .code(1);
    let messages: Vec<(String, String)> = outcome.json()["diagnostics"]
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
    let code = "oktaform::flows::not_an_export".to_owned();
    assert_eq!(
        messages,
        [
            (code.clone(), "`notes.json` is not a Workflows export: its `type` is not \"flopack\"".to_owned()),
            (
                code.clone(),
                "`old.flopack` is not a Workflows export: format version `0.9.0` (oktaform reads 1.2.0, 1.3.0, 1.4.0, 1.5.0)".to_owned()
            ),
            (code, "`broken.flopack` is not JSON: EOF while parsing a value at line 1 column 31".to_owned()),
        ]
    );
}
