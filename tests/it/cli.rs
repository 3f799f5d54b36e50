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

/// `--color always` paints a plan's lines by what they do and a `fmt --diff` by line; with
/// `--color never` (or `NO_COLOR`, which the harness sets, under `auto`) nothing is painted.
#[test]
fn colour_follows_the_flag_and_no_color() {
    let quickstart = crate::harness::repo().join("examples/quickstart");
    let run = |args: &[&str]| {
        crate::harness::Test::new()
            .copy_dir(&quickstart, "qs")
            .file("ugly.hcl", "connection \"x\" {\ndomain=\"acme.okta.com\"\n}\n")
            .args(args.iter().copied())
            .run()
    };
    let painted = run(&["plan", "qs", "--sim", "--color", "always"]);
    let plain = run(&["plan", "qs", "--sim"]);
    assert_eq!(
        painted
            .stdout
            .replace('\u{1b}', "<ESC>")
            .lines()
            .filter(|l| l.contains("<ESC>"))
            .collect::<Vec<_>>(),
        [
            "<ESC>[32m    + app[\"acme.okta.com/0oa1wf0example\"].assignment[\"svc-workflows@acme.com\"]<ESC>[0m",
            "<ESC>[32m    + app[\"acme.okta.com/0oa1wf0example\"].grant[\"okta.groups.manage\"]<ESC>[0m",
            "<ESC>[32m    + app[\"acme.okta.com/0oa1wf0example\"].grant[\"okta.logs.read\"]<ESC>[0m",
            "<ESC>[31m    - app[\"acme.okta.com/0oa1wf0example\"].grant[\"okta.apps.manage\"]<ESC>[0m",
            "<ESC>[33m    ! connection.acme.reauthorize (manual)<ESC>[0m",
            "<ESC>[32m    + user[\"acme.okta.com/svc-workflows@acme.com\"].super_admin  [needs --force=privileged]<ESC>[0m",
        ]
    );
    assert_eq!(
        painted
            .stdout
            .replace("\u{1b}[32m", "")
            .replace("\u{1b}[31m", "")
            .replace("\u{1b}[33m", "")
            .replace("\u{1b}[0m", ""),
        plain.stdout
    );
    let never = run(&["plan", "qs", "--sim", "--color", "never"]);
    assert_eq!(never.stdout, plain.stdout);
    let diff = run(&["fmt", "ugly.hcl", "--diff", "--color", "always"]);
    assert_eq!(
        diff.stdout.replace('\u{1b}', "<ESC>"),
        "<ESC>[1m--- a/ugly.hcl<ESC>[0m\n<ESC>[1m+++ b/ugly.hcl<ESC>[0m\n<ESC>[36m@@ -1,3 +1,3 @@<ESC>[0m\n connection \"x\" {\n<ESC>[31m-domain=\"acme.okta.com\"<ESC>[0m\n<ESC>[32m+  domain = \"acme.okta.com\"<ESC>[0m\n }\n"
    );
}

/// Terraform's single-dash flags get oktaform's spelling, and `oktaform version` answers.
#[test]
fn terraform_muscle_memory_is_answered() {
    for (args, said) in [
        (
            vec!["apply", "qs", "-auto-approve"],
            "`-auto-approve` is Terraform's spelling; oktaform's is --auto-approve",
        ),
        (
            vec!["plan", "qs", "-no-color"],
            "`-no-color` is Terraform's spelling; oktaform's is --color never",
        ),
        (
            vec!["plan", "qs", "-detailed-exitcode"],
            "`-detailed-exitcode` is Terraform's spelling; oktaform's is --detailed-exitcode",
        ),
        (
            vec!["plan", "qs", "-json"],
            "`-json` is Terraform's spelling; oktaform's is --format json",
        ),
        (
            vec!["plan", "qs", "-var", "domain=x"],
            "`-var` is Terraform's spelling; oktaform's is --var NAME=VALUE",
        ),
        (
            vec!["plan", "qs", "-var=domain=x"],
            "`-var=domain=x` is Terraform's spelling; oktaform's is --var domain=x",
        ),
        (
            vec!["plan", "qs", "-out=p.json"],
            "`-out=p.json` is Terraform's spelling; oktaform's is -o p.json (or --out p.json)",
        ),
    ] {
        crate::harness::Test::new()
            .args(args.iter().copied())
            .stderr(&format!("error: {said}\n"))
            .status(1)
            .verify();
    }
    crate::harness::Test::new()
        .args(["version"])
        .stdout(&format!("oktaform {}\n", env!("CARGO_PKG_VERSION")))
        .verify();
}

/// `oktaform query <TAB>` in bash offers the log queries of the config in the current
/// directory.
#[test]
fn bash_completes_log_query_names() {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_oktaform"));
    let test = crate::harness::Test::new().copy_dir(&crate::harness::repo().join("examples/quickstart"), "qs");
    let script = format!(
        "export PATH={}:$PATH; cd qs; source <(oktaform completions bash); COMP_WORDS=(oktaform query s); COMP_CWORD=2; _oktaform_with_queries; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        binary.parent().unwrap().display()
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(test.path())
        .output()
        .expect("bash runs");
    assert_eq!(
        (
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned()
        ),
        ("scope_changes\n".to_owned(), String::new())
    );
}
