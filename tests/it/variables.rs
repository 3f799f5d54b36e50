//! Variables: `--var` beats `--var-file` beats `OKTAFORM_VAR_<name>` beats the default.

use crate::harness::Test;

const CONFIG: &str = r#"
variable "domain" {
  default = "default.okta.com"
}

connection "prod" {
  domain          = var.domain
  client_id       = "0oa1wf0example"
  service_account = "svc@acme.com"
  endpoint        = "http://${var.domain}"
}

scopes "prod" {
  connection = connection.prod
  grant      = ["okta.users.read"]
}
"#;

/// The domain the config resolved to, read from the insecure-endpoint diagnostic, which
/// names the endpoint's host.
fn resolved_domain(test: Test) -> String {
    let outcome = test.args(["validate", ".", "--format", "json"]).run().code(1);
    let message = outcome.json()["diagnostics"][0]["message"]
        .as_str()
        .expect("a message")
        .to_owned();
    message
        .trim_start_matches("plain HTTP to `")
        .trim_end_matches('`')
        .to_owned()
}

#[test]
fn precedence_of_variable_sources() {
    let base = || {
        Test::new()
            .file("main.hcl", CONFIG)
            .file("vars.hcl.txt", "domain = \"file.okta.com\"\n")
    };
    assert_eq!(resolved_domain(base()), "default.okta.com");
    assert_eq!(
        resolved_domain(base().env("OKTAFORM_VAR_domain", "env.okta.com")),
        "env.okta.com"
    );
    assert_eq!(
        resolved_domain(
            base()
                .env("OKTAFORM_VAR_domain", "env.okta.com")
                .args(["--var-file", "vars.hcl.txt"])
        ),
        "file.okta.com"
    );
    assert_eq!(
        resolved_domain(base().env("OKTAFORM_VAR_domain", "env.okta.com").args([
            "--var-file",
            "vars.hcl.txt",
            "--var",
            "domain=cli.okta.com"
        ])),
        "cli.okta.com"
    );
}

#[test]
fn env_function_with_default_and_file_function() {
    let config = r#"
connection "prod" {
  domain          = env("OKTAFORM_TEST_DOMAIN", "acme.okta.com")
  client_id       = file("client-id.txt")
  service_account = "svc@acme.com"
}

scopes "prod" {
  connection = connection.prod
  grant      = ["okta.users.read"]
}
"#;
    Test::new()
        .file("main.hcl", config)
        .file("client-id.txt", "0oa1")
        .args(["validate", "."])
        .run()
        .success();
    let outcome = Test::new()
        .file("main.hcl", config)
        .file("client-id.txt", "0oa1")
        .env("OKTAFORM_TEST_DOMAIN", "https://acme.okta.com")
        .args(["validate", ".", "--format", "json"])
        .run()
        .code(1);
    assert_eq!(
        outcome.json()["diagnostics"][0]["code"],
        "oktaform::connection::domain_scheme"
    );
}

#[test]
fn a_malformed_var_flag_is_a_usage_error() {
    let outcome = Test::new().args(["validate", ".", "--var", "novalue"]).run().code(1);
    assert!(outcome.stderr.contains("is not NAME=VALUE"), "{}", outcome.stderr);
}

/// A client secret read with `file()` from a file saved with a final newline matches the
/// app's secret (the newline is dropped), and no mismatch is reported.
#[test]
fn a_secret_file_with_a_final_newline_matches() {
    let quickstart = crate::harness::repo().join("examples/quickstart");
    let main = std::fs::read_to_string(quickstart.join("main.hcl")).unwrap().replace(
        r#"client_secret = env("WORKFLOWS_CLIENT_SECRET", "")"#,
        r#"client_secret = file("../client-secret.txt")"#,
    );
    let outcome = Test::new()
        .copy_dir(&quickstart, "qs")
        .file("qs/main.hcl", main)
        .file("client-secret.txt", "sim-quickstart-client-secret\n")
        .args(["plan", "qs", "--sim", "--format", "json"])
        .run()
        .success();
    assert_eq!(outcome.json()["diagnostics"], serde_json::json!([]));
}

/// A missing file outside the config's directory (a secret mounted where apply runs) is
/// not checked offline; one inside it is an error.
#[test]
fn a_missing_file_is_an_error_only_inside_the_config_tree() {
    let config = |path: &str| {
        format!(
            "connection \"prod\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1\"\n  client_secret   = file(\"{path}\")\n  service_account = \"svc@acme.com\"\n}}\n\nscopes \"prod\" {{\n  connection = connection.prod\n  grant      = [\"okta.users.read\"]\n}}\n"
        )
    };
    Test::new()
        .file("c/main.hcl", config("../mounted/secret"))
        .args(["validate", "c"])
        .stdout("The configuration is valid: 1 connection(s), 1 app(s), 0 log query(ies).\nNot checked until set: `file(\"../mounted/secret\")` (unset here; `plan` needs them).\n")
        .verify();
    let inside = Test::new()
        .file("c/main.hcl", config("secret.txt"))
        .args(["validate", "c", "--format", "json"])
        .run()
        .code(1);
    assert_eq!(
        inside.json()["diagnostics"][0]["code"],
        "oktaform::variable::unreadable_file"
    );
}
