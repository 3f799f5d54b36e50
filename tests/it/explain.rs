//! `oktaform explain CODE`.

use crate::harness::{Test, snapshot_settings};
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
    assert!(
        outcome.stderr.contains("did you mean `oktaform::scope::unknown`?"),
        "{}",
        outcome.stderr
    );
}
