//! `oktaform import` against the sim: the HCL it writes for each kind of setup, and the
//! round trip (apply a scenario, import the org, plan the imported config: no changes).

use crate::harness::{Outcome, Test, fixtures};
use serde_json::{Value, json};
use std::path::Path;

/// Applies the plan fixture `name` to its simulated org, then imports the org: the state
/// directory after the apply, and the imported HCL.
fn apply_then_import(name: &str, import_args: &[&str]) -> (Outcome, Outcome) {
    let applied = Test::new()
        .fixture("plan", name)
        .args(["apply", name, "--sim", "--auto-approve", "--force"])
        .run()
        .success();
    let imported = Test::new()
        .copy_dir(&applied.dir.join(name), name)
        .args(["import", "--sim", "--sim-seed", &format!("{name}/sim-org.json")])
        .args(import_args.iter().copied())
        .run()
        .success();
    (imported, applied)
}

/// Plans `config` as the config of the org in `state_dir`/`name`; returns the plan's exit
/// code with `--detailed-exitcode` and its output.
fn plan_imported(state_dir: &Path, name: &str, config: &str) -> Outcome {
    Test::new()
        .copy_dir(&state_dir.join(name), name)
        .file(&format!("{name}/main.hcl"), config)
        .args(["plan", name, "--sim", "--detailed-exitcode"])
        .run()
}

#[test]
fn every_plan_scenario_round_trips_through_import() {
    // The scenarios whose org, once applied, has a super admin assigned to the app (a
    // retired connection unassigns its account; the others are refused by plan).
    for name in [
        "additive",
        "auto_granted_none",
        "auto_granted_partial",
        "converged",
        "mass_revoke",
        "paged_lookup",
        "shared_app",
        "slash_login",
    ] {
        let (imported, _) = apply_then_import(name, &["--client-id", &client_id_of(name)]);
        let plan = plan_imported(&imported.dir, name, &imported.stdout);
        assert_eq!(
            plan.code, 0,
            "{name}: the imported config plans changes\n{}\n{}{}",
            imported.stdout, plan.stdout, plan.stderr
        );
        Test::new()
            .file("c/main.hcl", &imported.stdout)
            .args(["validate", "c"])
            .run()
            .success();
    }
}

/// The client id the plan fixture `name` configures.
fn client_id_of(name: &str) -> String {
    let config = std::fs::read_to_string(fixtures().join("plan").join(name).join("main.hcl")).unwrap();
    let line = config
        .lines()
        .find(|l| l.trim_start().starts_with("client_id"))
        .unwrap();
    line.split('"').nth(1).unwrap().to_owned()
}

/// A seed with the Workflows app of `scenario`'s org.
fn seed(apps: &Value, users: &Value, groups: &Value) -> String {
    json!({"orgs": [{
        "domain": "acme.okta.com",
        "tokens": [{"token": "sim-admin-token", "user": "admin@acme.com"}],
        "users": users,
        "groups": groups,
        "apps": apps,
        "log_events": [],
    }]})
    .to_string()
}

fn users() -> Value {
    json!([
        {"id": "00uadmin", "login": "admin@acme.com", "status": "ACTIVE", "roles": ["SUPER_ADMIN"]},
        {"id": "00usvc1", "login": "svc-hr@acme.com", "status": "ACTIVE", "roles": ["SUPER_ADMIN"]},
        {"id": "00usvc2", "login": "svc-it@acme.com", "status": "ACTIVE", "roles": []},
        {"id": "00ujane", "login": "jane@acme.com", "status": "ACTIVE", "roles": []},
    ])
}

const AUTOMATIC: [&str; 7] = [
    "openid",
    "profile",
    "email",
    "phone",
    "address",
    "groups",
    "offline_access",
];

#[test]
fn several_service_accounts_group_assignments_and_unknown_scopes() {
    let mut grants: Vec<&str> = AUTOMATIC.to_vec();
    grants.extend(["okta.users.manage", "okta.logs.read", "okta.brandNewThing.read"]);
    let seed = seed(
        &json!([{"id": "0oa1wf", "name": "flow", "label": "Okta Workflows OAuth", "status": "ACTIVE",
                "assigned_users": ["00usvc1", "00ujane"], "assigned_groups": ["00gwf"], "grants": grants}]),
        &users(),
        &json!([{"id": "00gwf", "name": "Workflows admins", "users": ["00usvc2"], "roles": ["SUPER_ADMIN"]}]),
    );
    let imported = Test::new()
        .file("org/sim-org.json", &seed)
        .args(["import", "--sim", "--sim-seed", "org/sim-org.json", "--name", "acme"])
        .stdout(
            r#"# Imported from acme.okta.com by `oktaform import`.

connection "acme_svc_hr" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf"
  service_account = "svc-hr@acme.com"
  # Checks the app's client secret when set (never printed):
  # client_secret = env("WORKFLOWS_CLIENT_SECRET")
}

# svc-it@acme.com has the app through the group(s) "Workflows admins"; oktaform never unassigns it.
connection "acme_svc_it" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf"
  service_account = "svc-it@acme.com"
  # Checks the app's client secret when set (never printed):
  # client_secret = env("WORKFLOWS_CLIENT_SECRET")
}

# Also assigned to the app, without a connection here: jane@acme.com.

# Granted automatically to the Okta Workflows OAuth app, never declared:
#   address, email, groups, offline_access, openid, phone, profile

scopes "acme_svc_hr" {
  connection = connection.acme_svc_hr
  reason     = "TODO: what the flows of this connection do with these scopes"
  grant      = ["okta.brandNewThing.read", "okta.logs.read", "okta.users.manage"]
  # Granted in the org but not in oktaform's scope catalog:
  accept_unknown = ["okta.brandNewThing.read"]
}
"#,
        )
        .stderr("Using the simulated org (seed org/sim-org.json, state org/.oktaform/sim-state.json).\n")
        .verify();
    let plan = plan_imported(&imported.dir, "org", &imported.stdout);
    assert_eq!(plan.code, 0, "{}{}", plan.stdout, plan.stderr);
}

#[test]
fn an_app_that_connects_to_another_org_declares_every_grant() {
    let seed = seed(
        &json!([
            {"id": "0oa1wf", "name": "flow", "label": "Okta Workflows OAuth", "status": "ACTIVE", "grants": AUTOMATIC},
            {"id": "0oa1other", "name": "oidc_client", "label": "Workflows to the partner org", "status": "ACTIVE",
             "redirect_uris": ["https://oauth.workflows.okta.com/oauth/okta/cb"],
             "assigned_users": ["00usvc1"], "grants": ["openid", "okta.users.read"]}
        ]),
        &users(),
        &json!([]),
    );
    let imported = Test::new()
        .file("org/sim-org.json", &seed)
        .args([
            "import",
            "--sim",
            "--sim-seed",
            "org/sim-org.json",
            "--client-id",
            "0oa1other",
            "--name",
            "partner",
        ])
        .stdout(
            r#"# Imported from acme.okta.com by `oktaform import`.
# The app `0oa1other` connects Workflows to another org: every grant is declared.

connection "partner" {
  domain          = "acme.okta.com"
  client_id       = "0oa1other"
  service_account = "svc-hr@acme.com"
  # Checks the app's client secret when set (never printed):
  # client_secret = env("WORKFLOWS_CLIENT_SECRET")
}

scopes "partner" {
  connection = connection.partner
  reason     = "TODO: what the flows of this connection do with these scopes"
  grant      = ["okta.users.read", "openid"]
}
"#,
        )
        .stderr("Using the simulated org (seed org/sim-org.json, state org/.oktaform/sim-state.json).\n")
        .verify();
    let plan = plan_imported(&imported.dir, "org", &imported.stdout);
    assert_eq!(plan.code, 0, "{}{}", plan.stdout, plan.stderr);
}

#[test]
fn out_writes_a_new_config_that_plans_no_change_and_compares_an_existing_one_whole() {
    let (imported, _) = apply_then_import("converged", &[]);
    let seed_arg = "converged/sim-org.json";
    // A directory without a config: main.hcl is written, and the sim's state is the one a
    // plan of that directory uses, so the two agree.
    let written = Test::new()
        .copy_dir(&imported.dir.join("converged"), "converged")
        .args(["import", "--sim", "--sim-seed", seed_arg, "--out", "fresh"])
        .stdout("")
        .stderr_like(
            "Using the simulated org (seed converged/sim-org.json, state fresh[..].oktaform[..]sim-state.json).\nWrote fresh[..]main.hcl.\n",
        )
        .verify();
    let replanned = Test::new()
        .copy_dir(&written.dir.join("fresh"), "fresh")
        .copy_dir(&written.dir.join("converged"), "converged")
        .args(["plan", "fresh", "--sim", "--sim-seed", seed_arg, "--detailed-exitcode"])
        .run();
    assert_eq!(replanned.code, 0, "{}{}", replanned.stdout, replanned.stderr);
    // The fixture's own config, of several blocks: compared whole with the org, which it
    // matches; nothing is written.
    let before = std::fs::read_to_string(fixtures().join("plan/converged/main.hcl")).unwrap();
    let diffed = Test::new()
        .copy_dir(&imported.dir.join("converged"), "converged")
        .args(["import", "--sim", "--sim-seed", seed_arg, "--out", "converged"])
        .stdout("")
        .stderr_like(
            "Using the simulated org (seed converged/sim-org.json, state converged[..].oktaform[..]sim-state.json).\nconverged declares what the org has: nothing was written.\n",
        )
        .verify();
    assert_eq!(
        std::fs::read_to_string(diffed.dir.join("converged/main.hcl")).unwrap(),
        before
    );
}

#[test]
fn an_org_without_a_super_admin_on_the_app_asks_for_the_service_account() {
    let seed = seed(
        &json!([{"id": "0oa1wf", "name": "flow", "label": "Okta Workflows OAuth", "status": "ACTIVE",
                "assigned_users": ["00ujane"], "grants": AUTOMATIC}]),
        &users(),
        &json!([]),
    );
    Test::new()
        .file("org/sim-org.json", &seed)
        .args(["import", "--sim", "--sim-seed", "org/sim-org.json"])
        .status(1)
        .stdout("")
        .stderr(
            "Using the simulated org (seed org/sim-org.json, state org/.oktaform/sim-state.json).\nerror: no super admin is assigned to the app `0oa1wf` in `acme.okta.com` (assigned: jane@acme.com); pass --service-account LOGIN\n",
        )
        .verify();
}

#[test]
fn import_reads_a_real_org_through_an_endpoint_with_environment_credentials() {
    let mut seed: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::harness::repo().join("examples/quickstart/sim-org.json")).unwrap(),
    )
    .unwrap();
    seed["orgs"][0]["apps"][0]["assigned_users"] = json!(["00uadmin0example00001"]);
    let sim = oktaform::sim::Sim::builder()
        .seed(oktaform::sim::Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    Test::new()
        .env("OKTA_API_TOKEN", crate::harness::ADMIN_TOKEN)
        .args(["import", "--domain", "acme.okta.com", "--endpoint", sim.url()])
        .stdout(&quickstart_import("admin@acme.com"))
        .stderr("")
        .verify();
}

/// What `import` writes for the quickstart's org with the service account `login`.
pub fn quickstart_import(login: &str) -> String {
    format!(
        r#"# Imported from acme.okta.com by `oktaform import`.

connection "acme" {{
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = "{login}"
  # Checks the app's client secret when set (never printed):
  # client_secret = env("WORKFLOWS_CLIENT_SECRET")
}}

# Granted automatically to the Okta Workflows OAuth app, never declared:
#   address, email, groups, offline_access, openid, phone, profile

scopes "acme" {{
  connection = connection.acme
  reason     = "TODO: what the flows of this connection do with these scopes"
  grant      = ["okta.apps.manage", "okta.users.manage"]
}}
"#
    )
}
