//! Config you can trust: typos fail, variables are checked, secrets are never shown, and
//! `validate` needs no environment. Each test names the defect it guards against.

use crate::harness::{ADMIN_TOKEN, Api, Test, fixtures, quickstart_seed, repo};
use oktaform::sim::Sim;

const SCOPES: &str = "scopes \"prod\" {\n  connection = connection.prod\n  grant      = [\"okta.users.read\"]\n}\n";

fn connection(extra: &str) -> String {
    format!(
        "connection \"prod\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf0example\"\n  service_account = \"svc-workflows@acme.com\"\n{extra}}}\n\n{SCOPES}"
    )
}

#[test]
fn a_new_scope_is_accepted_only_when_the_config_says_so() {
    let config = "connection \"prod\" {\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf0example\"\n  service_account = \"svc-workflows@acme.com\"\n}\n\nscopes \"prod\" {\n  connection     = connection.prod\n  grant          = [\"okta.users.mange\", \"okta.agentPlatform.manage\"]\n  accept_unknown = [\"okta.users.mange\", \"okta.agentPlatform.manage\"]\n}\n";
    Test::new()
        .file("c/main.hcl", config)
        .args(["validate", "c"])
        .stdout("The configuration is valid: 1 connection(s), 1 app(s), 0 log query(ies).\n")
        .verify();
}

#[test]
fn scopes_of_a_service_app_are_checked_like_grants() {
    let management = "  management {\n    oauth {\n      client_id   = \"0oa1ci\"\n      private_key = env(\"KEY\")\n      scopes      = [\"okta.apps.raed\", \"okta.logs.read\"]\n    }\n  }\n";
    Test::new()
        .file("c/main.hcl", connection(management))
        .args(["validate", "c", "--format", "json"])
        .status(1)
        .stdout(
            r#"{
  "valid": false,
  "diagnostics": [
    {
      "code": "oktaform::scope::misspelled",
      "severity": "error",
      "message": "unknown scope `okta.apps.raed`",
      "file": "c/main.hcl",
      "line": 9,
      "column": 22,
      "help": "did you mean `okta.apps.read`? the service app's token would lack the real scope; if Okta added `okta.apps.raed` after oktaform's catalog, check the spelling in Okta's documentation"
    }
  ]
}
"#,
        )
        .verify();
}

#[test]
fn an_undeclared_var_flag_is_an_error_with_a_suggestion() {
    let config = format!(
        "variable \"prod_domain\" {{\n  default = \"acme.okta.com\"\n}}\n\n{}",
        connection("")
    );
    Test::new()
        .file("c/main.hcl", &config)
        .args(["validate", "c", "--var", "prod_domian=acme.oktapreview.com"])
        .status(1)
        .stderr(
            "oktaform::variable::undeclared

  × `--var prod_domian=...` sets a variable that no `variable` block declares
  help: did you mean `prod_domain`? fix the name, or declare the variable in a
        `variable` block

1 error, 0 warnings, 0 advice
",
        )
        .verify();
}

const WITH_VARIABLES: &str = r#"variable "svc" {}

variable "token" {
  sensitive = true
}

connection "acme" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = var.svc
  management {
    api_token = var.token
  }
}

scopes "acme" {
  connection = connection.acme
  grant      = ["okta.users.read"]
}
"#;

/// A plan file of [`WITH_VARIABLES`] made with `--var svc=svc-workflows@acme.com` and the
/// token from the environment.
fn plan_with_variables(sim: &Sim) -> crate::harness::Outcome {
    Test::new()
        .file("c/main.hcl", WITH_VARIABLES)
        .env("OKTAFORM_VAR_token", ADMIN_TOKEN)
        .args([
            "plan",
            "c",
            "--endpoint",
            sim.url(),
            "--var",
            "svc=svc-workflows@acme.com",
            "-o",
            "plan.json",
        ])
        .run()
        .success()
}

#[test]
fn a_plan_file_keeps_its_variables_but_never_a_sensitive_one() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = plan_with_variables(&sim);
    let plan = std::fs::read_to_string(planned.dir.join("plan.json")).unwrap();
    let document: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(
        document["variables"],
        serde_json::json!({"svc": "svc-workflows@acme.com"})
    );
    assert!(!plan.contains(ADMIN_TOKEN), "the sensitive token is not stored");
    // Applied with the same `--var`; the sensitive value comes from the environment.
    Test::new()
        .copy_dir(&planned.dir, "work")
        .env("OKTAFORM_VAR_token", ADMIN_TOKEN)
        .args([
            "apply",
            "work/plan.json",
            "--config",
            "work/c",
            "--endpoint",
            sim.url(),
            "--force",
            "--var",
            "svc=svc-workflows@acme.com",
        ])
        .stdout(
            "Apply complete: 5 applied, 0 already in place, 0 failed, 0 skipped, 1 manual.

Manual steps left: reauthorize these connections in the Workflows Console:
  ! connection.acme.reauthorize
",
        )
        .stderr_like("applied [..]\napplied [..]\napplied [..]\napplied [..]\napplied [..]")
        .verify();
}

/// A plan made with another value of a variable (here the service account, from an
/// identical config) and swapped in after review chooses nothing: apply takes the values
/// of its own inputs and refuses when they differ from the recorded ones, before any
/// request.
#[test]
fn a_plan_file_never_chooses_a_variable() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = plan_with_variables(&sim);
    let before = Api::new(sim.url(), ADMIN_TOKEN).served().len();
    for (env_var, args) in [
        (None, vec!["--var", "svc=other@acme.com"]),
        (Some(("OKTAFORM_VAR_svc", "other@acme.com")), vec![]),
    ] {
        let mut test = Test::new()
            .copy_dir(&planned.dir, "work")
            .env("OKTAFORM_VAR_token", ADMIN_TOKEN);
        if let Some((name, value)) = env_var {
            test = test.env(name, value);
        }
        let mut all = vec![
            "apply",
            "work/plan.json",
            "--config",
            "work/c",
            "--endpoint",
            sim.url(),
            "--force",
        ];
        all.extend(args);
        test.args(all)
            .status(1)
            .stderr(
                "oktaform::apply::variables_changed

  × the variables differ from those the plan was made with; nothing was sent:
  │   `svc`: planned with `svc-workflows@acme.com`, applied with
  │ `other@acme.com`
  help: apply with the variables the plan was made with (--var, --var-file,
        OKTAFORM_VAR_<name>), or plan again and review the new plan

1 error, 0 warnings, 0 advice
",
            )
            .verify();
    }
    assert_eq!(
        Api::new(sim.url(), ADMIN_TOKEN).served().len(),
        before,
        "nothing was sent"
    );
}

/// Every way a secret could reach an excerpt: a wrong type, a file that does not parse, a
/// var file (parsed or not), a variable default. Nothing printed or written holds it.
#[test]
fn secrets_never_reach_any_output() {
    const SECRETS: [&str; 10] = [
        "SuperSecretValue123",
        "UnterminatedSecret456",
        "VarFileSecret789",
        "DefaultSecret012",
        "BrokenVarFileSecret345",
        "OneLineToken678",
        "MisspeltSecret901",
        "73918264",
        "EnvironmentToken234",
        "MisspeltVarFile567",
    ];
    let wrong_type = connection("  client_secret   = [\"SuperSecretValue123\"]\n");
    let unterminated = connection("  client_secret   = \"UnterminatedSecret456\n");
    let sensitive_variable = format!(
        "variable \"token\" {{\n  sensitive = true\n}}\n\nvariable \"secret\" {{\n  default = \"DefaultSecret012\"\n}}\n\n{}",
        connection(
            "  client_secret   = var.secret\n  management {\n    api_token = var.token\n  }\n  retired = \"no\"\n"
        )
    );
    // A literal token on one line next to a syntax error; a misspelled secret attribute; a
    // number as a secret; credentials and sensitive values in attributes that are shown.
    let one_line = connection("  management { api_token = \"OneLineToken678\" }\n  retired = \n");
    let misspelt = connection("  client_secert   = \"MisspeltSecret901\"\n");
    let number = connection("  client_secret   = 73918264\n");
    let in_grant = format!(
        "{}\nscopes \"leak\" {{\n  connection = connection.prod\n  grant      = [env(\"OKTA_API_TOKEN\")]\n}}\n",
        connection("")
    );
    let in_keyword = format!(
        "{sensitive_variable}\nlog_query \"leak\" {{\n  connection = connection.prod\n  keyword    = var.token\n}}\n"
    );
    let cases: [(&str, &str, Vec<&str>); 10] = [
        ("one_line", &one_line, vec![]),
        ("misspelt", &misspelt, vec![]),
        ("number", &number, vec![]),
        ("in_grant", &in_grant, vec![]),
        ("in_keyword", &in_keyword, vec!["--var-file", "c/secrets.vars"]),
        (
            "misspelt_var_file",
            &sensitive_variable,
            vec!["--var-file", "c/misspelt.vars"],
        ),
        ("wrong_type", &wrong_type, vec![]),
        ("unterminated", &unterminated, vec![]),
        ("var_file", &sensitive_variable, vec!["--var-file", "c/secrets.vars"]),
        (
            "broken_var_file",
            &sensitive_variable,
            vec!["--var-file", "c/broken.vars"],
        ),
    ];
    for (name, config, extra) in cases {
        for format in ["human", "json", "github"] {
            for command in ["validate", "plan"] {
                let mut args = vec![command, "c", "--format", format];
                args.extend(extra.iter().copied());
                let outcome = Test::new()
                    .file("c/main.hcl", config)
                    .file("c/secrets.vars", "token = \"VarFileSecret789\"\n")
                    .file("c/broken.vars", "token = \"BrokenVarFileSecret345\n")
                    .file("c/misspelt.vars", "tokn = \"MisspeltVarFile567\"\n")
                    .env("OKTA_API_TOKEN", "EnvironmentToken234")
                    .env("GITHUB_STEP_SUMMARY", "summary.md")
                    .args(args)
                    .run();
                let summary = std::fs::read_to_string(outcome.dir.join("summary.md")).unwrap_or_default();
                let all = format!("{}{}{summary}", outcome.stdout, outcome.stderr);
                assert_eq!(outcome.code, 1, "{name} {command} {format}: refused:\n{all}");
                assert!(!all.is_empty(), "{name} {command} {format}: something is reported");
                for secret in SECRETS {
                    assert!(
                        !all.contains(secret),
                        "{name} {command} {format} leaked `{secret}`:\n{all}"
                    );
                }
            }
        }
    }
}

#[test]
fn masks_have_one_length_whatever_the_secret() {
    let short = connection("  client_secret   = \"ab\"\n");
    let long = connection("  client_secret   = \"a-very-long-secret-of-fifty-characters-0123456789\"\n");
    let masked_line = |config: &str| {
        let outcome = Test::new()
            .file("c/main.hcl", config)
            .args(["validate", "c"])
            .run()
            .success();
        outcome
            .stderr
            .lines()
            .find(|l| l.contains("│   client_secret"))
            .expect("the excerpt")
            .to_owned()
    };
    assert_eq!(masked_line(&short), " 5 │   client_secret   = \"********\"");
    assert_eq!(masked_line(&long), masked_line(&short));
}

#[test]
fn validate_needs_no_environment_and_plan_does() {
    // The domain is unknown offline: the connection is counted, its app cannot be known,
    // and the output says what was not checked.
    for (name, apps, unknown) in [
        ("variable.no_value", 0, "var.domain (OKTAFORM_VAR_domain)"),
        ("variable.unset_env", 1, "OKTAFORM_FIXTURE_UNSET_SECRET"),
    ] {
        let source = fixtures().join("environment").join(name);
        Test::new()
            .copy_dir(&source, name)
            .args(["validate", name])
            .stdout(&format!(
                "The configuration is valid: 1 connection(s), {apps} app(s), 0 log query(ies).\nNot checked until set: `{unknown}` (unset here; `plan` needs them).\n"
            ))
            .verify();
    }
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    Test::new()
        .copy_dir(&fixtures().join("environment/variable.unset_env"), "c")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "c", "--endpoint", sim.url()])
        .status(1)
        .stderr_like("oktaform::variable::unset_env\n...")
        .verify();
    Test::new()
        .copy_dir(&fixtures().join("environment/variable.no_value"), "c")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "c", "--endpoint", sim.url()])
        .status(1)
        .stderr_like("oktaform::variable::no_value\n...")
        .verify();
}

#[test]
fn an_empty_environment_variable_is_an_empty_value_at_plan_time() {
    let config = "connection \"prod\" {\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf0example\"\n  service_account = env(\"SVC\")\n}\n\nscopes \"prod\" {\n  connection = connection.prod\n  grant      = [\"okta.users.read\"]\n}\n";
    Test::new()
        .file("c/main.hcl", config)
        .env("SVC", "")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args([
            "plan",
            "c",
            "--sim",
            "--sim-seed",
            repo().join("examples/quickstart/sim-org.json").to_str().unwrap(),
        ])
        .status(1)
        .stderr(
            "oktaform::connection::empty_value

  × `service_account` is empty (its value is empty)
   ╭─[c/main.hcl:4:21]
 3 │   client_id       = \"0oa1wf0example\"
 4 │   service_account = env(\"SVC\")
   ·                     ─────┬────
   ·                          ╰── empty
 5 │ }
   ╰────
  help: write the login of the super admin that authorizes the connection

1 error, 0 warnings, 0 advice
",
        )
        .verify();
}

#[test]
fn filter_mistakes_get_hints() {
    let query = |filter: &str| {
        format!(
            "{}\nlog_query \"q\" {{\n  connection = connection.prod\n  filter     = {}\n}}\n",
            connection("").replace("okta.users.read", "okta.logs.read"),
            serde_json::to_string(filter).unwrap()
        )
    };
    let help = |filter: &str| {
        let outcome = Test::new()
            .file("c/main.hcl", query(filter))
            .args(["validate", "c", "--format", "json"])
            .run()
            .code(1);
        let diagnostic = &outcome.json()["diagnostics"][0];
        (
            diagnostic["message"].as_str().unwrap().to_owned(),
            diagnostic["help"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        help("eventType == \"user.session.start\""),
        (
            "invalid filter: `==` is not an operator of System Log filters".to_owned(),
            "write `eq`: operators are words (`eq ne gt ge lt le pr sw ew co`, `and or not`)".to_owned()
        )
    );
    assert_eq!(
        help("actor.id pr \"x\""),
        (
            "invalid filter: `pr` takes no value".to_owned(),
            "`actor.id pr` matches events where `actor.id` is present; to compare with a value, use `eq`".to_owned()
        )
    );
    assert_eq!(
        help("actor.alternateid eq \"x\""),
        (
            "`actor.alternateid` is not an attribute of a System Log event".to_owned(),
            "did you mean `actor.alternateId`? attributes are paths of the LogEvent object, such as `eventType` or `actor.alternateId`; `debugContext.debugData.*` and `*.detailEntry.*` are free-form".to_owned()
        )
    );
}

/// `env("OKTA_API_TOKEN")` in a `grant` was planned as a scope, printed and stored in the
/// plan file: a credential in an attribute that is shown is an error, and is masked in
/// every message.
#[test]
fn a_credential_in_an_attribute_that_is_shown_is_an_error() {
    Test::new()
        .file(
            "g/main.hcl",
            format!(
                "{}\nscopes \"leak\" {{\n  connection = connection.prod\n  grant      = [env(\"OKTA_API_TOKEN\")]\n}}\n",
                connection("")
            ),
        )
        .env("OKTA_API_TOKEN", "EnvironmentToken234")
        .args(["validate", "g"])
        .status(1)
        .stderr(
            r#"oktaform::credentials::secret_misplaced

  × `grant` holds a secret: the value of a credential or of a sensitive
  │ variable
    ╭─[g/main.hcl:14:17]
 13 │   connection = connection.prod
 14 │   grant      = [env("OKTA_API_TOKEN")]
    ·                 ──────────┬──────────
    ·                           ╰── a secret in an attribute that is shown
 15 │ }
    ╰────
  help: secrets belong in `client_secret`, `api_token` or `private_key`; this
        value would be shown in plans, plan files and logs

oktaform::scope::unknown

  ⚠ unknown scope `********`
    ╭─[g/main.hcl:14:17]
 13 │   connection = connection.prod
 14 │   grant      = [env("OKTA_API_TOKEN")]
    ·                 ──────────┬──────────
    ·                           ╰── not in the scope catalog
 15 │ }
    ╰────
  help: the grant will be attempted as written; if it is a scope Okta added
        recently, list it in this block's `accept_unknown = ["********"]`

1 error, 1 warning, 0 advice
"#,
        )
        .verify();
}

/// A `management` block whose token variable is unset says so, naming the variable,
/// instead of asking for a block that is there.
#[test]
fn an_empty_management_token_names_its_variable() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let main = std::fs::read_to_string(crate::harness::repo().join("examples/quickstart/main.hcl"))
        .unwrap()
        .replace(
            "  service_account = \"svc-workflows@acme.com\"\n}",
            "  service_account = \"svc-workflows@acme.com\"\n\n  management {\n    api_token = env(\"PROD_OKTA_API_TOKEN\", \"\")\n  }\n}",
        );
    let outcome = Test::new()
        .copy_dir(&crate::harness::repo().join("examples/quickstart"), "qs")
        .file("qs/main.hcl", main)
        .args(["plan", "qs", "--endpoint", sim.url(), "--format", "json"])
        .run()
        .code(1);
    let diagnostic = &outcome.json()["diagnostics"][0];
    assert_eq!(
        (
            diagnostic["code"].as_str(),
            diagnostic["message"].as_str(),
            diagnostic["help"].as_str()
        ),
        (
            Some("oktaform::credentials::missing"),
            Some(
                "the `management` block of connection `acme` has an empty `api_token` (`PROD_OKTA_API_TOKEN` unset or empty)"
            ),
            Some(
                "set the variable to an API token of a super admin of this org (or remove the block and set OKTA_API_TOKEN)"
            ),
        )
    );
}
