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
