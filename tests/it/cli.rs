//! The command line itself: usage errors exit 1 (never 2), help and version exit 0.

use crate::harness::Test;

#[test]
fn usage_errors_exit_one() {
    Test::new().args(["validate", "--format", "yaml"]).run().code(1);
    Test::new().args(["no-such-command"]).run().code(1);
    Test::new().args(Vec::<String>::new()).run().code(1);
}

#[test]
fn help_and_version_exit_zero() {
    let help = Test::new().args(["validate", "--help"]).run().success();
    assert!(help.stdout.contains("--format"), "{}", help.stdout);
    let version = Test::new().args(["--version"]).run().success();
    assert_eq!(version.stdout.trim(), format!("oktaform {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn global_flags_work_after_the_subcommand_too() {
    Test::new()
        .file("main.hcl", "variable \"d\" {}\nconnection \"p\" {\n  domain = var.d\n  client_id = \"0oa1\"\n  service_account = \"s@a.com\"\n}\n")
        .args(["--var", "d=acme.okta.com", "validate", "."])
        .run()
        .success();
    Test::new()
        .file("main.hcl", "variable \"d\" {}\nconnection \"p\" {\n  domain = var.d\n  client_id = \"0oa1\"\n  service_account = \"s@a.com\"\n}\n")
        .args(["validate", ".", "--var", "d=acme.okta.com"])
        .run()
        .success();
}

#[test]
fn completions_are_printed() {
    let outcome = Test::new().args(["completions", "bash"]).run().success();
    assert!(outcome.stdout.contains("oktaform"));
}

/// Each subcommand's `--help` lists the flags it takes, and only those.
#[test]
fn each_subcommand_helps_with_its_own_flags() {
    for command in [
        "validate",
        "plan",
        "apply",
        "show",
        "query",
        "drift",
        "import",
        "fmt",
        "explain",
        "completions",
    ] {
        let outcome = Test::new().args([command, "--help"]).run().success();
        crate::harness::snapshot(&format!("help__{command}"), &outcome);
    }
}
