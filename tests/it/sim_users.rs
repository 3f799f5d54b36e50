//! Users, admin roles and app assignments in the sim.

use crate::harness::{ADMIN_TOKEN, Api, expect_error, expect_json, quickstart_seed};
use oktaform::sim::{Seed, Sim};
use serde_json::json;

fn sim() -> (Sim, Api) {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    (sim, api)
}

#[test]
fn users_by_id_login_and_me() {
    let (_sim, api) = sim();
    let by_id = expect_json(api.get("/api/v1/users/00usvcwf0example00001"), 200);
    assert_eq!(by_id["profile"]["login"], "svc-workflows@acme.com");
    assert_eq!(by_id["status"], "ACTIVE");
    let by_login = expect_json(api.get("/api/v1/users/svc-workflows%40acme.com"), 200);
    assert_eq!(by_login["id"], "00usvcwf0example00001");
    assert_eq!(
        expect_json(api.get("/api/v1/users/me"), 200)["id"],
        "00uadmin0example00001"
    );
    let missing = expect_error(api.get("/api/v1/users/nobody%40acme.com"), 404, "E0000007");
    assert_eq!(
        missing["errorSummary"],
        "Not found: Resource not found: nobody@acme.com (User)"
    );
}

#[test]
fn logins_with_a_slash_are_found_by_search_only() {
    let seed = json!({"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": "t", "user": "00uadmin"}],
        "users": [{"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]},
                  {"id": "00uslash", "login": "svc/workflows@acme.com"}]}]});
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let api = Api::new(sim.url(), "t");
    expect_error(api.get("/api/v1/users/svc%2Fworkflows%40acme.com"), 404, "E0000007");
    let found = expect_json(
        api.get("/api/v1/users?search=profile.login%20eq%20%22svc%2Fworkflows%40acme.com%22"),
        200,
    );
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["id"], "00uslash");
    let none = expect_json(
        api.get("/api/v1/users?search=profile.login%20eq%20%22nobody%40acme.com%22"),
        200,
    );
    assert_eq!(none, json!([]));
}

#[test]
fn roles_assign_duplicate_and_unassign() {
    let (_sim, api) = sim();
    let roles = "/api/v1/users/00usvcwf0example00001/roles";
    assert_eq!(expect_json(api.get(roles), 200), json!([]));
    let role = expect_json(api.post(roles, &json!({"type": "SUPER_ADMIN"})), 201);
    assert_eq!(role["type"], "SUPER_ADMIN");
    assert_eq!(role["label"], "Super Organization administrator");
    assert_eq!(role["assignmentType"], "USER");
    assert_eq!(role["status"], "ACTIVE");
    let duplicate = expect_error(api.post(roles, &json!({"type": "SUPER_ADMIN"})), 409, "E0000090");
    assert_eq!(
        duplicate["errorSummary"],
        "The role specified is already assigned to the user."
    );
    expect_error(api.post(roles, &json!({"type": "GOD_MODE"})), 400, "E0000001");
    let listed = expect_json(api.get(roles), 200);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let id = role["id"].as_str().unwrap();
    assert_eq!(expect_json(api.get(&format!("{roles}/{id}")), 200)["id"], id);
    assert_eq!(api.delete(&format!("{roles}/{id}")).status().as_u16(), 204);
    assert_eq!(expect_json(api.get(roles), 200), json!([]));
    expect_error(api.get("/api/v1/users/00unobody/roles"), 404, "E0000007");
}

#[test]
fn app_users_assign_get_list_unassign() {
    let (_sim, api) = sim();
    let users = "/api/v1/apps/0oa1wf0example/users";
    let svc = "00usvcwf0example00001";
    let missing = expect_error(api.get(&format!("{users}/{svc}")), 404, "E0000007");
    assert_eq!(
        missing["errorSummary"],
        format!("Not found: Resource not found: {svc} (AppUser)")
    );
    let body = json!({"id": svc, "scope": "USER", "credentials": {"userName": "svc-workflows@acme.com"}});
    let assigned = expect_json(api.post(users, &body), 200);
    assert_eq!(assigned["id"], svc);
    assert_eq!(assigned["scope"], "USER");
    assert_eq!(assigned["credentials"]["userName"], "svc-workflows@acme.com");
    assert_eq!(
        expect_json(api.post(users, &body), 200)["id"],
        svc,
        "assigning again is idempotent"
    );
    assert_eq!(expect_json(api.get(&format!("{users}/{svc}")), 200)["id"], svc);
    assert_eq!(expect_json(api.get(users), 200).as_array().unwrap().len(), 1);
    assert_eq!(api.delete(&format!("{users}/{svc}")).status().as_u16(), 204);
    expect_error(api.get(&format!("{users}/{svc}")), 404, "E0000007");
    expect_error(api.delete(&format!("{users}/{svc}")), 404, "E0000007");
    expect_error(
        api.post(users, &json!({"id": "00unobody", "scope": "USER"})),
        404,
        "E0000007",
    );
}
