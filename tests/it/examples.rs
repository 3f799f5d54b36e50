//! Every example config validates with zero diagnostics and is formatted (`examples/ci`
//! holds CI recipes, checked in `ci_examples.rs`).

use crate::harness::{Test, repo};

fn examples() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|dir| dir.file_name().is_some_and(|n| n != "ci"))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn examples_validate_without_diagnostics() {
    assert!(examples().len() >= 2);
    for dir in examples() {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let outcome = Test::new()
            .copy_dir(&dir, &name)
            .args(["validate", &name, "--format", "json"])
            .run()
            .success();
        assert_eq!(
            outcome.json(),
            serde_json::json!({"valid": true, "diagnostics": []}),
            "{name}"
        );
    }
}

#[test]
fn examples_are_formatted() {
    for dir in examples() {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        Test::new()
            .copy_dir(&dir, &name)
            .args(["fmt", &name, "--check"])
            .run()
            .success();
    }
}

#[test]
fn the_multi_org_example_plans_against_its_simulated_orgs() {
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/multi-org"), "multi")
        .args(["plan", "multi", "--sim", "--format", "json"])
        .run()
        .success();
    let addresses: Vec<String> = outcome.json()["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["address"].as_str().expect("address").to_owned())
        .collect();
    assert_eq!(
        addresses,
        [
            r#"user["acme.okta.com/svc-reporting@acme.com"].super_admin"#,
            r#"app["acme.okta.com/0oa1wf0prod"].grant["okta.apps.manage"]"#,
            r#"app["acme.okta.com/0oa1wf0prod"].grant["okta.groups.manage"]"#,
            r#"app["acme.okta.com/0oa1wf0prod"].grant["okta.logs.read"]"#,
            "connection.prod.reauthorize",
            "connection.prod_reporting.reauthorize",
            r#"app["acme.oktapreview.com/0oa1wf0preview"].grant["okta.eventHooks.manage"]"#,
            r#"app["acme.oktapreview.com/0oa1wf0preview"].grant["okta.groups.manage"]"#,
            "connection.preview.reauthorize",
        ]
    );
}
