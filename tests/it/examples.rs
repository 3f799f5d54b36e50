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
