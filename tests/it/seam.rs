//! The seam between `plan` and `apply`: plan files are untrusted input, the target is
//! checked before any request, shared apps, credentials of unselected orgs, step statuses,
//! failures in JSON, usage errors and refused credentials. Each test names the defect it
//! guards against.

use crate::harness::{
    ADMIN_TOKEN, Api, QUICKSTART_PLAN_REQUESTS, Test, quickstart_seed, refused_grant_config, repo, snapshot_settings,
};
use oktaform::model::{AppKey, SafetyRule};
use oktaform::plan::{Change, PlanDocument, Reason, Step};
use oktaform::sim::Sim;
use std::path::Path;

/// Reads a plan file, lets `edit` change it, and writes it back with a valid checksum, as
/// anyone can (the formula is public).
fn forge(path: &Path, edit: impl FnOnce(&mut PlanDocument)) {
    let mut document = PlanDocument::read(path).expect("a plan file");
    edit(&mut document);
    document.seal();
    std::fs::write(path, document.to_json()).expect("plan written");
}

fn quickstart_plan(sim: &Sim) -> crate::harness::Outcome {
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "qs", "--endpoint", sim.url(), "-o", "plan.json"])
        .run()
        .success()
}

fn apply_in(dir: &Path, sim: &Sim) -> Test {
    Test::new()
        .copy_dir(dir, "work")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args([
            "apply",
            "work/plan.json",
            "--config",
            "work/qs",
            "--endpoint",
            sim.url(),
        ])
}

/// The requests the sim served that change something.
fn mutations(sim: &Sim) -> Vec<String> {
    Api::new(sim.url(), ADMIN_TOKEN)
        .served()
        .into_iter()
        .filter(|r| !r.starts_with("GET "))
        .collect()
}

#[test]
fn a_forged_safety_rule_does_not_skip_force() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = quickstart_plan(&sim);
    forge(&planned.dir.join("plan.json"), |plan| {
        for change in &mut plan.changes {
            change.safety_rule = None;
        }
    });
    apply_in(&planned.dir, &sim)
        .status(1)
        .stderr(
            "oktaform::apply::needs_force

  × the plan needs the safety rule(s) `privileged` acknowledged; nothing was
  │ changed
  help: review the changes marked [needs --force=...], then pass
        --force=privileged

1 error, 0 warnings, 0 advice
",
        )
        .verify();
    assert_eq!(mutations(&sim), Vec::<String>::new());
}

#[test]
fn a_forged_change_that_no_config_declares_is_refused() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = quickstart_plan(&sim);
    forge(&planned.dir.join("plan.json"), |plan| {
        plan.changes.push(Change::new(
            Step::Grant {
                app: AppKey {
                    domain: "acme.okta.com".into(),
                    client_id: "0oa1wf0example".into(),
                },
                scope: "okta.roles.manage".into(),
            },
            vec!["acme".into()],
            Reason::DeclaredBy(vec![]),
        ));
    });
    apply_in(&planned.dir, &sim)
        .args(["--force"])
        .status(1)
        .stderr(
            "oktaform::apply::plan_mismatch

  × the plan file holds changes that the config does not require; nothing was
  │ changed:
  │   + app[\"acme.okta.com/0oa1wf0example\"].grant[\"okta.roles.manage\"]
  help: apply only plans made by `oktaform plan -o FILE` and left as they are;
        plan again

1 error, 0 warnings, 0 advice
",
        )
        .verify();
    assert_eq!(mutations(&sim), Vec::<String>::new());
}

#[test]
fn a_change_forged_out_of_a_plan_is_refused_as_stale() {
    // Dropping the revoke from the file would leave the org with a grant nobody reviewed.
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = quickstart_plan(&sim);
    forge(&planned.dir.join("plan.json"), |plan| {
        plan.changes.retain(|c| !matches!(c.step, Step::Revoke { .. }));
        for change in &mut plan.changes {
            change.safety_rule = Some(SafetyRule::Retire);
        }
    });
    apply_in(&planned.dir, &sim)
        .args(["--force"])
        .status(1)
        .stderr(
            "oktaform::apply::stale_plan

  × the org changed since the plan was made:
  │   app[\"acme.okta.com/0oa1wf0example\"].grant[\"okta.apps.manage\"] now needs
  │ a change the plan does not hold: not declared by any scopes block
  │ (scope_policy = \"exact\")
  help: plan again and review what changed

1 error, 0 warnings, 0 advice
",
        )
        .verify();
}

#[test]
fn the_target_is_checked_before_any_request_in_every_combination() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let by_endpoint = quickstart_plan(&sim);
    let endpoint = sim.url().trim_end_matches('/').to_owned();
    // A plan made against the real org: the same plan with the real org as its target.
    let real = tempfile::tempdir().unwrap();
    std::fs::copy(by_endpoint.dir.join("plan.json"), real.path().join("plan.json")).unwrap();
    copy_config(&by_endpoint.dir.join("qs"), &real.path().join("qs"));
    forge(&real.path().join("plan.json"), |plan| {
        plan.target
            .endpoints
            .insert("acme.okta.com".into(), "https://acme.okta.com".into());
    });
    let sim_plan = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["plan", "qs", "--sim", "-o", "plan.json"])
        .run()
        .success();
    let plans = [
        ("the simulated org", sim_plan.dir.as_path()),
        ("`acme.okta.com` at http://127.0.0.1:PORT", by_endpoint.dir.as_path()),
        ("`acme.okta.com` at https://acme.okta.com", real.path()),
    ];
    let invocations: [(&str, &[&str]); 3] = [
        ("the simulated org", &["--sim"]),
        ("`acme.okta.com` at http://127.0.0.1:PORT", &["--endpoint", &endpoint]),
        ("`acme.okta.com` at https://acme.okta.com", &[]),
    ];
    for (made, dir) in plans {
        for (now, flags) in invocations {
            if made == now {
                continue;
            }
            let mut args = vec!["apply", "work/plan.json", "--config", "work/qs", "--force"];
            args.extend_from_slice(flags);
            Test::new()
                .copy_dir(dir, "work")
                .env("OKTA_API_TOKEN", ADMIN_TOKEN)
                .args(args)
                .status(1)
                .stderr(&format!(
                    "oktaform::apply::target_changed

  × the plan was made against another target than this apply's; nothing was
  │ sent
  │   plan:  {made}
  │   apply: {now}
  help: apply where the plan was made (with the same --sim or --endpoint), or
        plan again

1 error, 0 warnings, 0 advice
"
                ))
                .verify();
        }
    }
    assert_eq!(
        Api::new(sim.url(), ADMIN_TOKEN)
            .served()
            .iter()
            .filter(|r| !r.starts_with("GET"))
            .count(),
        0
    );
}

fn copy_config(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn a_shared_app_changed_for_one_connection_lists_every_connection_to_reauthorize() {
    Test::new()
        .fixture("plan", "shared_app")
        .args(["plan", "shared_app", "--sim", "--connection", "it"])
        .stdout(
            r#"Target: the simulated org (nothing real is read or changed).

oktaform will make these changes:

Org acme.okta.com (simulated)
  App 0oa1wf0example (connections: hr, it)
    + app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]
        declared by scopes.it (main.hcl:20)
    + app["acme.okta.com/0oa1wf0example"].grant["okta.logs.read"]
        declared by scopes.it (main.hcl:20)
    ! connection.hr.reauthorize (manual)
        the app's grants change: reauthorize the connection in the Workflows Console to pick them up
    ! connection.it.reauthorize (manual)
        the app's grants change: reauthorize the connection in the Workflows Console to pick them up

Plan: 2 to grant, 2 manual steps.

After apply, reauthorize each connection marked (manual) in the Workflows Console.
"#,
        )
        .stderr("Using the simulated org (seed shared_app/sim-org.json, state shared_app/.oktaform/sim-state.json).\n")
        .verify();
}

const TWO_ORGS: &str = r#"
connection "prod" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = "svc-workflows@acme.com"
  management {
    api_token = env("ACME_TOKEN")
  }
}

connection "preview" {
  domain          = "acme.oktapreview.com"
  client_id       = "0oa2"
  service_account = "svc@acme.com"
  management {
    api_token = env("PREVIEW_TOKEN")
  }
}

scopes "prod" {
  connection = connection.prod
  grant      = ["okta.users.read"]
}

scopes "preview" {
  connection = connection.preview
  grant      = ["okta.users.read"]
}
"#;

#[test]
fn only_the_selected_connections_orgs_need_credentials() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = Test::new()
        .file("two/main.hcl", TWO_ORGS)
        .env("ACME_TOKEN", ADMIN_TOKEN)
        .args([
            "plan",
            "two",
            "--endpoint",
            sim.url(),
            "--connection",
            "prod",
            "--format",
            "json",
        ])
        .run()
        .success();
    let plan = planned.json();
    assert_eq!(planned.stderr, "");
    assert_eq!(plan["connections"], serde_json::json!(["prod"]));
    assert_eq!(
        plan["target"],
        serde_json::json!({"sim": false, "endpoints": {"acme.okta.com": sim.url().trim_end_matches('/')}})
    );
    let mut served = Api::new(sim.url(), ADMIN_TOKEN).served();
    served.sort();
    assert_eq!(served, QUICKSTART_PLAN_REQUESTS, "the preview org is not read");
    // Without --connection, the unset variable is an error again.
    Test::new()
        .file("two/main.hcl", TWO_ORGS)
        .env("ACME_TOKEN", ADMIN_TOKEN)
        .args(["plan", "two", "--endpoint", sim.url()])
        .status(1)
        .stderr(
            r#"oktaform::variable::unset_env

  × environment variable `PREVIEW_TOKEN` is not set
    ╭─[two/main.hcl:16:17]
 15 │   management {
 16 │     api_token = env("PREVIEW_TOKEN")
    ·                 ──────────┬─────────
    ·                           ╰── unset
 17 │   }
    ╰────
  help: set `PREVIEW_TOKEN`, or give a default: `env("PREVIEW_TOKEN", "...")`

1 error, 0 warnings, 0 advice
"#,
        )
        .verify();
}

#[test]
fn apply_reports_each_step_with_its_own_status() {
    for format in ["human", "json"] {
        let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
        let planned = quickstart_plan(&sim);
        let first = apply_in(&planned.dir, &sim).args(["--force", "--format", format]).run();
        assert_eq!(first.code, 0, "{}", first.stderr);
        // The same plan again: everything is already in place, and nothing is sent.
        let before = mutations(&sim).len();
        let again = apply_in(&planned.dir, &sim).args(["--force", "--format", format]).run();
        assert_eq!(again.code, 0, "{}", again.stderr);
        assert_eq!(mutations(&sim).len(), before, "a rerun changes nothing");
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("apply__first__{format}"), first.stdout);
            insta::assert_snapshot!(format!("apply__rerun__{format}"), again.stdout);
        });
    }
}

#[test]
fn an_apply_whose_grants_all_fail_lists_no_reauthorize_step() {
    let config = refused_grant_config(&["okta.workflows.invoke.manage", "okta.users.read", "okta.logs.read"]);
    for format in ["human", "json"] {
        let test = Test::new().fixture("plan", "converged");
        std::fs::write(test.path().join("converged/main.hcl"), &config).unwrap();
        // Only the refused grant is a change: the other two are in place already.
        let outcome = test
            .args(["apply", "converged", "--sim", "--auto-approve", "--format", format])
            .run()
            .code(1);
        snapshot_settings().bind(|| insta::assert_snapshot!(format!("apply__failed__{format}"), outcome.stdout));
    }
}

#[test]
fn a_failed_grant_points_at_the_block_of_that_app() {
    // Both apps declare the LEA scope; the first app has it already, so only the second
    // app's grant runs, and fails.
    let mut seed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).unwrap())
            .unwrap();
    let apps = seed["orgs"][0]["apps"].as_array_mut().unwrap();
    let mut second = apps[0].clone();
    apps[0]["grants"]
        .as_array_mut()
        .unwrap()
        .push("okta.workflows.invoke.manage".into());
    second["id"] = "0oa2wf0example".into();
    apps.push(second);
    let config = r#"connection "a" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = "admin@acme.com"
  scope_policy    = "additive"
}

connection "b" {
  domain          = "acme.okta.com"
  client_id       = "0oa2wf0example"
  service_account = "admin@acme.com"
  scope_policy    = "additive"
}

scopes "a" {
  connection = connection.a
  grant      = ["okta.workflows.invoke.manage"]
}

scopes "b" {
  connection = connection.b
  grant      = ["okta.workflows.invoke.manage"]
}
"#;
    Test::new()
        .file("two/main.hcl", config)
        .file("two/sim-org.json", seed.to_string())
        .args(["apply", "two", "--sim", "--auto-approve", "--force"])
        .status(1)
        .stdout_like(
            r#"Target: the simulated org (nothing real is read or changed).

oktaform will make these changes:

Org acme.okta.com (simulated)
  App 0oa1wf0example (connections: a)
    + app["acme.okta.com/0oa1wf0example"].assignment["admin@acme.com"]
        the service account must be assigned to the Okta Workflows OAuth app
  App 0oa2wf0example (connections: b)
    + app["acme.okta.com/0oa2wf0example"].assignment["admin@acme.com"]
        the service account must be assigned to the Okta Workflows OAuth app
    + app["acme.okta.com/0oa2wf0example"].grant["okta.workflows.invoke.manage"]
        declared by scopes.b (main.hcl:22)
    ! connection.b.reauthorize (manual)
        the app's grants change: reauthorize the connection in the Workflows Console to pick them up

Unmanaged grants, kept (scope_policy = "additive"):

  ~ app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]
  ~ app["acme.okta.com/0oa1wf0example"].grant["okta.users.manage"]
  ~ app["acme.okta.com/0oa2wf0example"].grant["okta.apps.manage"]
  ~ app["acme.okta.com/0oa2wf0example"].grant["okta.users.manage"]

Plan: 1 to grant, 2 to assign, 1 manual step.

After apply, reauthorize each connection marked (manual) in the Workflows Console.

Apply incomplete: [..] applied, 0 already in place, 1 failed, [..] skipped, 0 manual."#,
        )
        .stderr_like(
            r#"Using the simulated org (seed two/sim-org.json, state two/.oktaform/sim-state.json).
[..]
[..]
[..]
oktaform::apply::step_failed

  × app["acme.okta.com/0oa2wf0example"].grant["okta.workflows.invoke.manage"]
  │ failed: POST /api/v1/apps/0oa2wf0example/grants answered 400 E0000001: Api
  │ validation failed: scopeId (scopeId: Invalid scope:
  │ okta.workflows.invoke.manage) (request [..])
    ╭─[two/main.hcl:22:17]
 21 │   connection = connection.b
 22 │   grant      = ["okta.workflows.invoke.manage"]
    ·                 ───────────────┬──────────────
    ·                                ╰── declared here
 23 │ }
    ╰────
  help: the steps before it were applied; fix the cause and run apply again:
        it continues from here

1 error, 0 warnings, 0 advice"#,
        )
        .verify();
}

#[test]
fn json_failures_print_one_object_on_stdout() {
    for command in ["plan", "apply"] {
        Test::new()
            .fixture("plan", "not_super_admin")
            .args([command, "not_super_admin", "--sim", "--format", "json"])
            .status(1)
            .stdout(
                r#"{
  "ok": false,
  "diagnostics": [
    {
      "code": "oktaform::preflight::not_super_admin",
      "severity": "error",
      "message": "`admin@acme.com`, whose credentials oktaform uses for `acme.okta.com`, is not a super admin",
      "file": "not_super_admin/main.hcl",
      "line": 1,
      "column": 1,
      "help": "only super admins may grant scopes: use an API token of a super admin"
    }
  ]
}
"#,
            )
            .stderr(
                "Using the simulated org (seed not_super_admin/sim-org.json, state not_super_admin/.oktaform/sim-state.json).
oktaform::preflight::not_super_admin

  × `admin@acme.com`, whose credentials oktaform uses for `acme.okta.com`, is
  │ not a super admin
   ╭─[not_super_admin/main.hcl:1:1]
 1 │ connection \"prod\" {
   · ────────┬────────
   ·         ╰── this org
 2 │   domain          = \"acme.okta.com\"
   ╰────
  help: only super admins may grant scopes: use an API token of a super admin

1 error, 0 warnings, 0 advice
",
            )
            .verify();
    }
}

#[test]
fn flags_that_mean_nothing_are_usage_errors() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["plan", "-out=p.json"],
            "error: `-out=p.json` is Terraform's spelling; oktaform's is -o p.json (or --out p.json)\n",
        ),
        (
            &["fmt", "--endpoint", "https://acme.okta.com"],
            "error: unexpected argument '--endpoint' found\n\n  tip: to pass '--endpoint' as a value, use '-- --endpoint'\n\nUsage: oktaform fmt [OPTIONS] [PATH]\n\nFor more information, try '--help'.\n",
        ),
        (
            &["validate", "--sim-reset"],
            "error: unexpected argument '--sim-reset' found\n\n  tip: to pass '--sim-reset' as a value, use '-- --sim-reset'\n\nUsage: oktaform validate [OPTIONS] [PATH]\n\nFor more information, try '--help'.\n",
        ),
        (
            &["--sim-reset", "validate"],
            "error: unexpected argument '--sim-reset' found\n\nUsage: oktaform [OPTIONS] <COMMAND>\n\nFor more information, try '--help'.\n",
        ),
        (
            &["plan", "--sim-seed", "seed.json"],
            "error: the following required arguments were not provided:\n  --sim\n\nUsage: oktaform plan --sim --sim-seed <FILE> [PATH]\n\nFor more information, try '--help'.\n",
        ),
        (
            &["plan", "--sim", "--endpoint", "https://acme.okta.com"],
            "error: the argument '--sim' cannot be used with '--endpoint <URL>'\n\nUsage: oktaform plan --sim [PATH]\n\nFor more information, try '--help'.\n",
        ),
    ];
    for (args, stderr) in cases {
        Test::new().args(args.iter().copied()).status(1).stderr(stderr).verify();
    }
    assert!(!Path::new("ut=p.json").exists());
}

#[test]
fn refused_credentials_give_one_diagnostic_per_org() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_API_TOKEN", "not-a-token")
        .args(["plan", "qs", "--endpoint", sim.url()])
        .status(1)
        .stderr_like(
            r#"oktaform::credentials::rejected

  × `acme.okta.com` does not accept the API token in OKTA_API_TOKEN: GET /api/
  │ v1/users/me answered 401 E0000011: Invalid token provided (request
  │ req[..])
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection "acme" {
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = "acme.okta.com"
   ╰────
  help: the token is unknown, expired or revoked: create an API token as a
        super admin (Security > API > Tokens) and use it

1 error, 0 warnings, 0 advice"#,
        )
        .verify();
}

#[test]
fn a_name_that_does_not_resolve_is_not_retried() {
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "qs", "--endpoint", "https://oktaform-test.invalid", "-v"])
        .status(1)
        .stderr_like(
            r#"GET https://oktaform-test.invalid/api/v1/[..] -> no answer [request -]
GET https://oktaform-test.invalid/api/v1/[..] -> no answer [request -]
GET https://oktaform-test.invalid/api/v1/[..] -> no answer [request -]
oktaform::live::request_failed

  × `acme.okta.com` cannot be reached: the host name `oktaform-test.invalid`
  │ does not resolve
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection "acme" {
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = "acme.okta.com"
   ╰────
  help: check the org's domain or endpoint (and --endpoint), and the network's
        DNS; this is not retried

1 error, 0 warnings, 0 advice"#,
        )
        .verify();
}

#[test]
fn show_renders_a_plan_file_as_plan_did() {
    let planned = Test::new()
        .fixture("plan", "shared_app")
        .args(["plan", "shared_app", "--sim", "-o", "plan.json", "--format", "markdown"])
        .run()
        .success();
    Test::new()
        .copy_dir(&planned.dir, "work")
        .args(["show", "work/plan.json", "--format", "markdown"])
        .stdout(&planned.stdout)
        .verify();
    let old = planned.dir.join("plan.json");
    let text = std::fs::read_to_string(&old)
        .unwrap()
        .replace("\"format_version\": \"2\"", "\"format_version\": \"1\"");
    std::fs::write(&old, text).unwrap();
    for command in ["show", "apply"] {
        Test::new()
            .copy_dir(&planned.dir, "work")
            .args([command, "work/plan.json"])
            .status(1)
            .stderr(
                "oktaform::apply::not_a_plan

  × `work/plan.json` is a plan of format 1, made by an older oktaform; this
  │ version applies format 2 only
  help: make a new plan file with `oktaform plan -o FILE`

1 error, 0 warnings, 0 advice
",
            )
            .verify();
    }
}

#[test]
fn a_forgotten_scopes_block_is_a_mass_revoke_stated_once() {
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["plan", "qs/main.hcl", "--sim"])
        .stdout(
            r#"Target: the simulated org (nothing real is read or changed).

oktaform will make these changes:

Org acme.okta.com (simulated)
  App 0oa1wf0example (connections: acme)
    2 of 2 non-default grants would be revoked (safety rule `mass_revoke`): needs --force=mass_revoke
    + app["acme.okta.com/0oa1wf0example"].assignment["svc-workflows@acme.com"]
        the service account must be assigned to the Okta Workflows OAuth app
    - app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]  [needs --force=mass_revoke]
        not declared by any scopes block (scope_policy = "exact")
    - app["acme.okta.com/0oa1wf0example"].grant["okta.users.manage"]  [needs --force=mass_revoke]
        not declared by any scopes block (scope_policy = "exact")
    ! connection.acme.reauthorize (manual)
        the app's grants change: reauthorize the connection in the Workflows Console to pick them up
  Users
    + user["acme.okta.com/svc-workflows@acme.com"].super_admin  [needs --force=privileged]
        the service account must be a super admin to authorize the connection

Plan: 2 to revoke, 1 to assign, 1 to make super admin, 1 manual step.

Some changes need --force at apply:
  1 change(s) under rule `privileged` (grants SUPER_ADMIN): acknowledge with --force=privileged (or --force for every rule)
  2 change(s) under rule `mass_revoke` (revokes more than the safety threshold of an app's grants): acknowledge with --force=mass_revoke (or --force for every rule)

After apply, reauthorize each connection marked (manual) in the Workflows Console.
"#,
        )
        .stderr_like(
            "Using the simulated org (seed qs/sim-org.json, state qs/.oktaform/sim-state.json).
oktaform::connection::no_scopes

  ⚠ no `scopes` block declares grants for connection `acme`
...
0 errors, 1 warning, 0 advice",
        )
        .verify();
}

const INVOKE: &str =
    "scopes \"invoke\" {\n  connection = connection.acme\n  grant      = [\"okta.workflows.invoke.manage\"]\n}\n";

#[test]
fn a_plan_against_an_endpoint_names_it_and_the_markdown_shows_the_warnings() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let run = |format: &str| {
        Test::new()
            .copy_dir(&repo().join("examples/quickstart"), "qs")
            .file("qs/invoke.hcl", INVOKE)
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args(["plan", "qs", "--endpoint", sim.url(), "--format", format])
    };
    run("markdown")
        .stdout(
            r#"### oktaform plan

**Plan: 3 to grant, 1 to revoke, 1 to assign, 1 to make super admin, 1 manual step.**

> [!WARNING]
> This plan removes 1 grant(s), assignment(s) or role(s) and makes 1 service account(s) super admin. Review before applying; changes under a safety rule need `--force`.

**Warnings (1)**

- warning `oktaform::scope::limited_early_access` (qs/invoke.hcl:3): `okta.workflows.invoke.manage` is a Limited Early Access scope

**Changes**

#### Org `acme.okta.com` (http://127.0.0.1:PORT)

App `0oa1wf0example` (connections: acme)

| | address | needs | reason |
|---|---|---|---|
| `+` | `app["acme.okta.com/0oa1wf0example"].assignment["svc-workflows@acme.com"]` |  | the service account must be assigned to the Okta Workflows OAuth app |
| `+` | `app["acme.okta.com/0oa1wf0example"].grant["okta.groups.manage"]` |  | declared by scopes.hr_onboarding (scopes.hcl:4) for "HR onboarding flows create users and add them to groups" |
| `+` | `app["acme.okta.com/0oa1wf0example"].grant["okta.logs.read"]` |  | declared by scopes.audit (scopes.hcl:10) for "Nightly audit flows search the System Log" |
| `+` | `app["acme.okta.com/0oa1wf0example"].grant["okta.workflows.invoke.manage"]` |  | declared by scopes.invoke (invoke.hcl:3) |
| `-` | `app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]` |  | not declared by any scopes block (scope_policy = "exact") |
| `!` | `connection.acme.reauthorize` |  | the app's grants change: reauthorize the connection in the Workflows Console to pick them up |

Users

| | address | needs | reason |
|---|---|---|---|
| `+` | `user["acme.okta.com/svc-workflows@acme.com"].super_admin` | `--force=privileged` | the service account must be a super admin to authorize the connection |


<details><summary>Log queries (2): the Workflows "Search System Log" card fields</summary>

`failed_admin_logins` (connection `acme`)

| field | value |
|---|---|
| Keyword | `admin` |
| eventType | `user.session.start` |
| outcome.result | `FAILURE` |
| Custom Filter | `client.geographicalContext.country ne "US"` |
| API request | `q=admin filter=eventType eq "user.session.start" and outcome.result eq "FAILURE" and (client.geographicalContext.country ne "US") since=-1d sortOrder=ASCENDING limit=200 (the first page)` |

`scope_changes` (connection `acme`)

| field | value |
|---|---|
| Custom Filter | `eventType sw "app.oauth2.admin.consent"` |
| API request | `filter=eventType sw "app.oauth2.admin.consent" since=-1w sortOrder=ASCENDING limit=100 (every page)` |

</details>
"#,
        )
        .verify();
    run("human")
        .stdout_like(
            "oktaform will make these changes:

Org acme.okta.com (http://127.0.0.1:PORT)
  App 0oa1wf0example (connections: acme)
...",
        )
        .stderr_like("oktaform::scope::limited_early_access\n...")
        .verify();
}
