//! Replays every input in `fuzz/regressions/<target>/` through its fuzz target's entry
//! point (`oktaform::fuzzing`), on the stable toolchain: what once crashed stays fixed.

use crate::harness::repo;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = repo().join("fuzz/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{} holds no input", dir.display());
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        // A panic fails the test and names no input: say which one first.
        eprintln!("replaying {}", input.display());
        run(&data);
    }
}

#[test]
fn config_regressions() {
    replay("config", oktaform::fuzzing::config);
}

#[test]
fn filter_regressions() {
    replay("filter", oktaform::fuzzing::filter);
}

#[test]
fn plan_file_regressions() {
    replay("plan_file", oktaform::fuzzing::plan_file);
}

#[test]
fn answer_regressions() {
    replay("answer", oktaform::fuzzing::answer);
}
