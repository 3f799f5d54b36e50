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

/// `flows import` writes a `scopes` and a `flows` block per export and a `log_query` per
/// Search System Logs card; the result validates (the cards of unknown needs are warnings,
/// not errors) and is formatted.
#[test]
fn import_writes_hcl_that_validates_and_is_formatted() {
    let printed = Test::new()
        .file(
            "onboarding.flopack",
            std::fs::read(fixtures().join("flows/onboarding.flopack")).unwrap(),
        )
        .file(
            "audit.flopack",
            std::fs::read(fixtures().join("flows/audit.flopack")).unwrap(),
        )
        .args([
            "flows",
            "import",
            "onboarding.flopack",
            "audit.flopack",
            "--connection",
            "hr",
        ])
        .run()
        .success();
    snapshot("flows__import", &printed);
    let connection = "connection \"hr\" {\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf0example\"\n  service_account = \"svc-workflows@acme.com\"\n}\n";
    let written = Test::new()
        .copy_dir(&fixtures().join("flows"), "exports")
        .file("cfg/main.hcl", connection)
        .args([
            "flows",
            "import",
            "exports/onboarding.flopack",
            "exports/audit.flopack",
            "--connection",
            "hr",
            "--out",
            "cfg",
        ])
        .stderr_like("Wrote cfg[..]flows.hcl.\n")
        .verify();
    let validated = Test::new()
        .copy_dir(&written.dir.join("exports"), "exports")
        .copy_dir(&written.dir.join("cfg"), "cfg")
        .args(["validate", "cfg", "--format", "json"])
        .run()
        .success();
    let document = validated.json();
    let codes: Vec<&str> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["oktaform::flows::dynamic_request", "oktaform::flows::unknown_card"],
        "{}",
        validated.stdout
    );
    Test::new()
        .copy_dir(&written.dir.join("cfg"), "cfg")
        .args(["fmt", "--check", "cfg"])
        .verify();
}

/// `plan` shows, beside the `scopes` block that declared a grant, the flows that need it.
#[test]
fn plan_names_the_flows_behind_each_grant() {
    let outcome = Test::new()
        .copy_dir(&crate::harness::repo().join("examples/flows"), "fx")
        .file(
            "fx/sim-org.json",
            std::fs::read(crate::harness::repo().join("examples/quickstart/sim-org.json")).unwrap(),
        )
        .args(["plan", "fx", "--sim", "--format", "json"])
        .run()
        .success();
    let document = outcome.json();
    let users_read = document["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["scope"] == "okta.users.read")
        .expect("the grant of okta.users.read");
    assert_eq!(
        users_read["reason"]["declared_by"][0]["flows"],
        serde_json::json!(["flow \"Onboard a new hire\" (onboarding.flopack)"])
    );
}

/// Search System Logs cards of formats 1.3.0 and 1.4.0 become log queries: by fields with a
/// keyword and the first record (`limit = 1`), by expression streamed (`records = "all"`);
/// a scope granted for one export is not declared again for the next.
#[test]
fn search_cards_of_every_result_set_become_log_queries() {
    let printed = Test::new()
        .file(
            "a.flopack",
            std::fs::read(fixtures().join("flows/search-1_3_0.flopack")).unwrap(),
        )
        .file(
            "b.flopack",
            std::fs::read(fixtures().join("flows/search-1_4_0.flopack")).unwrap(),
        )
        .args(["flows", "import", "a.flopack", "b.flopack", "--connection", "sec"])
        .run()
        .success();
    snapshot("flows__import_search", &printed);
}
