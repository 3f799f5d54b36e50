//! Scope consent grants in the sim: list, expand, grant, duplicate, revoke, events.

use crate::harness::{ADMIN_TOKEN, Api, expect_error, expect_json, quickstart_seed};
use oktaform::sim::Sim;
use serde_json::json;

const GRANTS: &str = "/api/v1/apps/0oa1wf0example/grants";

fn scopes(api: &Api) -> Vec<String> {
    let mut scopes: Vec<String> = expect_json(api.get(GRANTS), 200)
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["scopeId"].as_str().unwrap().to_owned())
        .collect();
    scopes.sort();
    scopes
}

#[test]
fn list_and_expand_grants() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    let grants = expect_json(api.get(GRANTS), 200);
    let first = &grants[0];
    assert_eq!(first["status"], "ACTIVE");
    assert_eq!(first["source"], "ADMIN");
    assert_eq!(first["issuer"], "https://acme.okta.com");
    assert_eq!(first["clientId"], "0oa1wf0example");
    assert!(first["id"].as_str().unwrap().starts_with("oag"));
    assert!(first.get("_embedded").is_none(), "no _embedded without expand");
    let expanded = expect_json(api.get(&format!("{GRANTS}?expand=scope")), 200);
    assert_eq!(expanded[0]["_embedded"]["scope"]["id"], expanded[0]["scopeId"]);
    let one = expect_json(api.get(&format!("{GRANTS}/{}", first["id"].as_str().unwrap())), 200);
    assert_eq!(one["id"], first["id"]);
    let missing = expect_error(api.get(&format!("{GRANTS}/oagmissing")), 404, "E0000007");
    assert_eq!(
        missing["errorSummary"],
        "Not found: Resource not found: oagmissing (OAuth2ScopeConsentGrant)"
    );
    expect_error(api.get("/api/v1/apps/0oamissing/grants"), 404, "E0000007");
}

#[test]
fn grant_then_duplicate_then_revoke() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    let body = json!({"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"});
    let grant = expect_json(api.post(GRANTS, &body), 200);
    assert_eq!(grant["scopeId"], "okta.logs.read");
    assert_eq!(grant["_embedded"]["scope"]["id"], "okta.logs.read");
    assert_eq!(
        grant["createdBy"],
        json!({"id": "00uadmin0example00001", "type": "User"})
    );
    assert!(scopes(&api).contains(&"okta.logs.read".to_owned()));

    let duplicate = expect_error(api.post(GRANTS, &body), 400, "E0000001");
    assert_eq!(duplicate["errorSummary"], "Api validation failed: scopeId");

    let response = api.delete(&format!("{GRANTS}/{}", grant["id"].as_str().unwrap()));
    assert_eq!(response.status().as_u16(), 204);
    assert!(
        response.headers().get("content-type").is_none(),
        "204 has no Content-Type"
    );
    assert_eq!(response.text().unwrap(), "");
    assert!(
        !scopes(&api).contains(&"okta.logs.read".to_owned()),
        "a revoked grant disappears"
    );
    expect_error(
        api.delete(&format!("{GRANTS}/{}", grant["id"].as_str().unwrap())),
        404,
        "E0000007",
    );
}

#[test]
fn invalid_grants_are_rejected() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    expect_error(
        api.post(
            GRANTS,
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.nothing.manage"}),
        ),
        400,
        "E0000001",
    );
    expect_error(
        api.post(GRANTS, &json!({"issuer": "https://acme.okta.com"})),
        400,
        "E0000001",
    );
    expect_error(
        api.post(GRANTS, &json!({"scopeId": "okta.users.read"})),
        400,
        "E0000001",
    );
    let lea = json!({"issuer": "https://acme.okta.com", "scopeId": "okta.workflows.invoke.manage"});
    expect_error(api.post(GRANTS, &lea), 400, "E0000001");
    let malformed = api
        .request(reqwest::Method::POST, GRANTS)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    expect_error(malformed, 400, "E0000003");
}
