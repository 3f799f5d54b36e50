//! Behaviours of real Okta that the client must handle and the simulated org must show:
//! group assignments, client secrets only in their list, Okta's own Workflows app without
//! a visible client id, apps that connect to another org, and the app filters Okta
//! supports. Each through the real binary against the sim over HTTP.

use crate::harness::{ADMIN_TOKEN, Api, Test, expect_error, expect_json, quickstart_seed, repo};
use oktaform::sim::{Faults, Seed, Sim};
use serde_json::{Value, json};

/// The quickstart's seed, changed by `edit`.
fn seed(edit: impl FnOnce(&mut Value)) -> Value {
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).unwrap())
            .unwrap();
    edit(&mut seed["orgs"][0]);
    seed
}

fn start(seed: &Value) -> Sim {
    Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap()
}

const CONFIG: &str = r#"connection "acme" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = "svc-workflows@acme.com"
  scope_policy    = "additive"
}

scopes "acme" {
  connection = connection.acme
  grant      = ["okta.users.manage"]
}
"#;

fn plan(sim: &Sim, config: &str) -> Test {
    Test::new()
        .file("c/main.hcl", config)
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "c", "--endpoint", sim.url()])
}

/// The service account is in a group that is assigned to the app and holds `SUPER_ADMIN`.
fn through_a_group(org: &mut Value) {
    org["groups"] = json!([{"id": "00gwfadmins0000001", "name": "Workflows admins", "users": ["00usvcwf0example00001"], "roles": ["SUPER_ADMIN"]}]);
    org["apps"][0]["assigned_groups"] = json!(["00gwfadmins0000001"]);
}

#[test]
fn the_sim_shows_group_assignments_and_refuses_to_unassign_them() {
    let sim = start(&seed(through_a_group));
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    let member = expect_json(api.get("/api/v1/apps/0oa1wf0example/users/00usvcwf0example00001"), 200);
    assert_eq!(member["scope"], "GROUP");
    let refused = expect_error(
        api.delete("/api/v1/apps/0oa1wf0example/users/00usvcwf0example00001"),
        403,
        "E0000046",
    );
    assert_eq!(refused["errorSummary"], "Deactivate application for user forbidden.");
    let roles = expect_json(api.get("/api/v1/users/00usvcwf0example00001/roles"), 200);
    assert_eq!(roles[0]["type"], "SUPER_ADMIN");
    assert_eq!(roles[0]["assignmentType"], "GROUP");
    let groups = expect_json(api.get("/api/v1/users/00usvcwf0example00001/groups"), 200);
    assert_eq!(groups[0]["profile"]["name"], "Workflows admins");
    let app_groups = expect_json(api.get("/api/v1/apps/0oa1wf0example/groups"), 200);
    assert_eq!(app_groups[0]["id"], "00gwfadmins0000001");
}

#[test]
fn an_account_with_the_app_and_role_through_a_group_needs_nothing() {
    let sim = start(&seed(through_a_group));
    plan(&sim, CONFIG)
        .stdout(
            r#"Unmanaged grants, kept (scope_policy = "additive"):

  ~ app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]

No changes.
"#,
        )
        .verify();
}

#[test]
fn a_retired_connection_never_unassigns_a_group_member_and_names_the_group() {
    let sim = start(&seed(through_a_group));
    let retired = CONFIG.replace("  scope_policy    = \"additive\"\n", "  retired         = true\n");
    plan(&sim, &retired)
        .stdout_like(
            r#"oktaform will make these changes:

Org acme.okta.com (http://127.0.0.1:PORT)
  App 0oa1wf0example (connections: acme)
    - app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]  [needs --force=retire]
        every connection of the app is retired
    - app["acme.okta.com/0oa1wf0example"].grant["okta.users.manage"]  [needs --force=retire]
        declared only by a retired connection

Plan: 2 to revoke.
..."#,
        )
        .stderr_like(
            r"oktaform::plan::group_assignment

  ⚠ `svc-workflows@acme.com` keeps the app through the group(s) `Workflows
  │ admins`: oktaform does not unassign it
...
oktaform::plan::super_admin_kept

  ☞ `svc-workflows@acme.com` stays a super admin
...
  help: a group gives it the role: remove the account from the group, or the
        role from the group, in the Admin Console

0 errors, 1 warning, 1 advice",
        )
        .verify();
}

#[test]
fn client_secrets_are_read_from_their_list_and_only_active_ones_pass() {
    let sim = start(&seed(|org| {
        org["apps"][0]["client_secret"] = Value::Null;
        org["apps"][0]["client_secrets"] = json!([
            {"secret": "old-rotated-secret", "status": "INACTIVE"},
            {"secret": "current-secret", "status": "ACTIVE"}
        ]);
    }));
    let with_secret = |secret: &str| {
        CONFIG.replace(
            "  scope_policy",
            &format!("  client_secret   = env(\"S\", \"{secret}\")\n  scope_policy"),
        )
    };
    let app = expect_json(Api::new(sim.url(), ADMIN_TOKEN).get("/api/v1/apps/0oa1wf0example"), 200);
    assert_eq!(app["credentials"]["oauthClient"].get("client_secret"), None);
    plan(&sim, &with_secret("current-secret"))
        .stdout_like("oktaform will make these changes:\n...")
        .verify();
    plan(&sim, &with_secret("old-rotated-secret"))
        .status(1)
        .stderr_like(
            "oktaform::plan::client_secret_mismatch

  × the client secret of connection `acme` does not match the app's
...",
        )
        .verify();
}

#[test]
fn a_refused_secrets_list_is_a_warning_not_a_failure() {
    let sim = start(&seed(|_| {}));
    sim.set_faults(Faults {
        forbid: vec!["GET /api/v1/apps/0oa1wf0example/credentials/secrets".to_owned()],
        ..Faults::default()
    });
    let config = CONFIG.replace(
        "  scope_policy",
        "  client_secret   = env(\"S\", \"sim-quickstart-client-secret\")\n  scope_policy",
    );
    plan(&sim, &config)
        .stdout_like("oktaform will make these changes:\n...")
        .stderr_like(
            "oktaform::plan::client_secret_unverified

  ⚠ the client secret of connection `acme` could not be verified
...
0 errors, 1 warning, 0 advice",
        )
        .verify();
}

#[test]
fn okta_s_own_app_without_a_client_id_is_found_when_it_is_the_only_one() {
    let hidden = |org: &mut Value| {
        org["apps"][0]["client_id"] = json!("0oaWorkflowsClient01");
        org["apps"][0]["oauth_client_visible"] = json!(false);
    };
    let sim = start(&seed(hidden));
    let config = CONFIG.replace("0oa1wf0example", "0oaWorkflowsClient01");
    plan(&sim, &config)
        .stdout_like("oktaform will make these changes:\n...")
        .stderr_like(
            "oktaform::live::client_id_unverified

  ⚠ the org's only `flow` app `0oa1wf0example` shows no client id; it is taken
  │ for `0oaWorkflowsClient01`
...
0 errors, 1 warning, 0 advice",
        )
        .verify();
    // Two such apps: which one is the connection's cannot be told.
    let sim = start(&seed(|org| {
        hidden(org);
        let mut second = org["apps"][0].clone();
        second["id"] = json!("0oa2wf0example");
        org["apps"].as_array_mut().unwrap().push(second);
    }));
    plan(&sim, &config)
        .status(1)
        .stderr_like(
            "oktaform::live::app_not_found

  × no Okta Workflows OAuth app with client id `0oaWorkflowsClient01` in
  │ `acme.okta.com`: no app has the id `0oaWorkflowsClient01`; 2 apps are
  │ named `flow`, 2 of which show no client id, so none can be told to be the
  │ connection's
...",
        )
        .verify();
}

#[test]
fn an_app_that_connects_another_org_has_no_implied_scopes() {
    let sim = start(&seed(|org| {
        org["apps"].as_array_mut().unwrap().push(json!({
            "id": "0oaotherorg0000001", "name": "oidc_client", "label": "Workflows to acme",
            "redirect_uris": ["https://oauth.workflows.okta.com/oauth/okta/cb"],
            "assigned_users": ["00usvcwf0example00001"],
            "grants": ["openid", "okta.users.read"]
        }));
        org["users"][1]["roles"] = json!(["SUPER_ADMIN"]);
    }));
    let config = r#"connection "other" {
  domain          = "acme.okta.com"
  client_id       = "0oaotherorg0000001"
  service_account = "svc-workflows@acme.com"
}

scopes "other" {
  connection = connection.other
  grant      = ["okta.users.read"]
}
"#;
    // `openid` is an ordinary grant of this app: undeclared, it is revoked under `exact`.
    plan(&sim, config)
        .stdout_like(
            r#"oktaform will make these changes:

Org acme.okta.com (http://127.0.0.1:PORT)
  App 0oaotherorg0000001 (connections: other)
    - app["acme.okta.com/0oaotherorg0000001"].grant["openid"]
        not declared by any scopes block (scope_policy = "exact")
..."#,
        )
        .verify();
    // An OIDC app without the Workflows callback is not accepted.
    let sim = start(&seed(|org| {
        org["apps"].as_array_mut().unwrap().push(json!({
            "id": "0oaotherorg0000001", "name": "oidc_client", "label": "Some portal",
            "redirect_uris": ["https://portal.acme.com/callback"]
        }));
    }));
    plan(&sim, config)
        .status(1)
        .stderr_like("oktaform::live::not_workflows_app\n...")
        .verify();
}

#[test]
fn app_filters_are_limited_to_the_attributes_okta_supports() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    let flows = expect_json(api.get("/api/v1/apps?filter=name%20eq%20%22flow%22"), 200);
    assert_eq!(flows.as_array().unwrap().len(), 1);
    let refused = expect_error(api.get("/api/v1/apps?filter=label%20eq%20%22x%22"), 400, "E0000031");
    assert_eq!(
        refused["errorCauses"][0]["errorSummary"],
        "filter: the attribute `label` cannot be filtered on"
    );
}

#[test]
fn grants_name_their_creator_and_events_of_token_calls_name_the_token() {
    let saved = crate::harness::SavedSim::start();
    let grants = expect_json(saved.api.get("/api/v1/apps/0oa1wf0example/grants"), 200);
    assert_eq!(
        grants[0]["createdBy"],
        json!({"id": "00uadmin0example00001", "type": "User"})
    );
    expect_json(
        saved.api.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"}),
        ),
        200,
    );
    let events = saved.saved_events();
    let detail = &events.last().expect("an event")["transaction"]["detail"];
    let token_id = detail["requestApiTokenId"].as_str().expect("the token's id");
    assert!(
        token_id.starts_with("00T") && !token_id.contains(ADMIN_TOKEN),
        "{detail}"
    );
}
