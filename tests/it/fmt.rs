//! `oktaform fmt`: canonical formatting; `--check` exits 3 and changes nothing.

use crate::harness::{Test, snapshot};

const UNFORMATTED: &str = "connection \"prod\" {\ndomain=\"acme.okta.com\"   # the org\n      client_id = \"0oa1\"\n\n\n  service_account = \"svc@acme.com\"\n}\n";
const FORMATTED: &str = "connection \"prod\" {\n  domain    = \"acme.okta.com\" # the org\n  client_id = \"0oa1\"\n\n  service_account = \"svc@acme.com\"\n}\n";

#[test]
fn check_reports_and_changes_nothing() {
    let outcome = Test::new()
        .file("cfg/main.hcl", UNFORMATTED)
        .args(["fmt", "cfg", "--check"])
        .run()
        .code(3);
    assert_eq!(outcome.stdout, "cfg/main.hcl\n");
    assert_eq!(
        std::fs::read_to_string(outcome.dir.join("cfg/main.hcl")).unwrap(),
        UNFORMATTED
    );
}

#[test]
fn fmt_rewrites_then_check_passes() {
    let outcome = Test::new()
        .file("cfg/main.hcl", UNFORMATTED)
        .args(["fmt", "cfg"])
        .run()
        .success();
    assert_eq!(outcome.stdout, "cfg/main.hcl\n");
    assert_eq!(
        std::fs::read_to_string(outcome.dir.join("cfg/main.hcl")).unwrap(),
        FORMATTED
    );
    Test::new()
        .file("cfg/main.hcl", FORMATTED)
        .args(["fmt", "cfg", "--check"])
        .run()
        .success();
}

#[test]
fn invalid_hcl_is_reported_not_rewritten() {
    let outcome = Test::new()
        .file("main.hcl", "a {\n b = \n}\n")
        .args(["fmt", "."])
        .run()
        .code(1);
    snapshot("fmt__invalid_hcl", &outcome);
    assert_eq!(
        std::fs::read_to_string(outcome.dir.join("main.hcl")).unwrap(),
        "a {\n b = \n}\n"
    );
}

/// Every HCL file the project ships formats to text that parses to the same config, and
/// formatting is idempotent.
#[test]
fn formatting_every_shipped_file_is_stable() {
    let mut files = Vec::new();
    let mut stack = vec![crate::harness::repo().join("examples"), crate::harness::fixtures()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "hcl") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 50, "{}", files.len());
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        match oktaform::config::format_source(&text) {
            Ok(once) => {
                let twice = oktaform::config::format_source(&once).expect("formatted text formats again");
                assert_eq!(once, twice, "{}", path.display());
            }
            Err(error) => assert!(
                path.to_string_lossy().contains("/syntax."),
                "{}: {error}",
                path.display()
            ),
        }
    }
}

const INLINE: &str = "connection \"p\" {\ndomain=\"acme.okta.com\"\nm={a=\"1\",b = \"2\"}\nt=env( \"X\" ,\"d\" )\n}\n";

#[test]
fn diff_prints_what_would_change_and_changes_nothing() {
    let outcome = Test::new()
        .file("c/main.hcl", INLINE)
        .args(["fmt", "c", "--diff"])
        .stdout(
            "--- a/c/main.hcl
+++ b/c/main.hcl
@@ -1,5 +1,5 @@
 connection \"p\" {
-domain=\"acme.okta.com\"
-m={a=\"1\",b = \"2\"}
-t=env( \"X\" ,\"d\" )
+  domain = \"acme.okta.com\"
+  m      = { a = \"1\", b = \"2\" }
+  t      = env(\"X\", \"d\")
 }
",
        )
        .verify();
    assert_eq!(std::fs::read_to_string(outcome.dir.join("c/main.hcl")).unwrap(), INLINE);
}

#[test]
fn a_dash_formats_standard_input_to_standard_output() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_oktaform"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), INLINE.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "connection \"p\" {\n  domain = \"acme.okta.com\"\n  m      = { a = \"1\", b = \"2\" }\n  t      = env(\"X\", \"d\")\n}\n"
    );
}
