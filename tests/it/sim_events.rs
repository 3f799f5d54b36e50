//! The System Log events the sim's changes write, whole, in the shapes real orgs record
//! (sources beside the code that builds each shape, src/sim/events.rs).

use crate::harness::{SavedSim, expect_json, snapshot_settings};
use serde_json::json;

const USERS: &str = "/api/v1/apps/0oa1wf0example/users";
const ROLES: &str = "/api/v1/users/00ujdoe00example00001/roles";
const GRANTS: &str = "/api/v1/apps/0oa1wf0example/grants";

/// Every change oktaform makes, by API token: assign and unassign a user, add two admin
/// roles and remove them one by one, grant and revoke a scope.
#[test]
fn changes_write_events_in_the_recorded_shapes() {
    let saved = SavedSim::start();
    let api = &saved.api;
    expect_json(api.post(USERS, &json!({"id": "00ujdoe00example00001"})), 200);
    let super_admin = expect_json(api.post(ROLES, &json!({"type": "SUPER_ADMIN"})), 201);
    let app_admin = expect_json(api.post(ROLES, &json!({"type": "APP_ADMIN"})), 201);
    let role = |value: &serde_json::Value| format!("{ROLES}/{}", value["id"].as_str().unwrap());
    assert_eq!(api.delete(&role(&super_admin)).status().as_u16(), 204);
    assert_eq!(api.delete(&role(&app_admin)).status().as_u16(), 204);
    assert_eq!(
        api.delete(&format!("{USERS}/00ujdoe00example00001")).status().as_u16(),
        204
    );
    let grant = expect_json(
        api.post(
            GRANTS,
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"}),
        ),
        200,
    );
    let revoke = format!("{GRANTS}/{}", grant["id"].as_str().unwrap());
    assert_eq!(api.delete(&revoke).status().as_u16(), 204);

    let events = saved.saved_events();
    let text = serde_json::to_string_pretty(&events).unwrap();
    let mut settings = snapshot_settings();
    settings.add_filter(
        r#""[0-9a-f]{8}-[0-9a-f]{4}-11ef-[0-9a-f]{4}-[0-9a-f]{12}""#,
        r#""[uuid]""#,
    );
    settings.add_filter(r#""req[A-Za-z0-9]{16,}""#, r#""[request id]""#);
    settings.add_filter(r#""[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z""#, r#""[time]""#);
    // Ids the sim numbers from its seed: they change with it.
    settings.add_filter(r"/roles/ra[A-Za-z0-9]{17}", "/roles/[role id]");
    settings.add_filter(r"/grants/oag[A-Za-z0-9]{17}", "/grants/[grant id]");
    settings.bind(|| insta::assert_snapshot!("sim_change_events", text));
}
