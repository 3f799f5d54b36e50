//! `oktaform drift` against the simulated org over HTTP: changes made out of band (by
//! another admin, or with oktaform's token and another User-Agent), pending changes,
//! reauthorization, `expect`, and one System Log query per org.

use crate::harness::{ADMIN_TOKEN, Api, Test, expect_json, repo, snapshot};
use oktaform::sim::{Seed, Sim};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

const OTHER_TOKEN: &str = "other-admin-token";

/// "Now" for the binary: a minute ahead of the clock, so that the events the sim writes
/// now (on the clock) are inside its windows.
fn soon() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::minutes(1))
        .format(&Rfc3339)
        .unwrap()
}

/// The quickstart's org, with a second admin who has a token of their own.
fn start() -> (Sim, Api) {
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).unwrap())
            .unwrap();
    let org = &mut seed["orgs"][0];
    org["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "00uother0example00001", "login": "other.admin@acme.com", "roles": ["SUPER_ADMIN"]}));
    org["tokens"]
        .as_array_mut()
        .unwrap()
        .push(json!({"token": OTHER_TOKEN, "user": "other.admin@acme.com"}));
    org["synthetic_log_events"] = json!({"count": 0, "start": "2026-01-01T00:00:00Z", "seed": 1});
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    (sim, api)
}

fn oktaform(sim: &Sim, args: &[&str]) -> Test {
    let mut all = args.to_vec();
    all.extend(["qs", "--endpoint", sim.url()]);
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_NOW", &soon())
        .args(all)
}

fn drift(sim: &Sim, extra: &[&str]) -> Value {
    let mut args = vec!["drift", "--format", "json"];
    args.extend_from_slice(extra);
    let outcome = oktaform(sim, &args).run();
    assert!(matches!(outcome.code, 0 | 2), "{}\n{}", outcome.stdout, outcome.stderr);
    outcome.json()
}

/// `(kind, address, actor)` of each finding.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["address"].as_str().unwrap().to_owned(),
                f["attribution"]["actor"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn apply(sim: &Sim) {
    oktaform(sim, &["apply", "--auto-approve", "--force"]).run().success();
}

const LOGS_READ: &str = r#"app["acme.okta.com/0oa1wf0example"].grant["okta.logs.read"]"#;
const ROLES_READ: &str = r#"app["acme.okta.com/0oa1wf0example"].grant["okta.roles.read"]"#;

#[test]
fn a_grant_by_another_admin_is_out_of_band_and_names_them() {
    let (sim, _api) = start();
    apply(&sim);
    let other = Api::new(sim.url(), OTHER_TOKEN);
    expect_json(
        other.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.roles.read"}),
        ),
        200,
    );
    let report = drift(&sim, &["--out-of-band-only"]);
    assert_eq!(
        findings(&report),
        [
            ("out_of_band".into(), ROLES_READ.into(), "other.admin@acme.com".into()),
            // Another admin changed a grant: `scope_changes` (expect empty) no longer holds.
            ("expect_failed".into(), "log_query.scope_changes".into(), String::new()),
        ]
    );
    assert_eq!(report["findings"][0]["attribution"]["user_agent"], "oktaform-tests");
}

#[test]
fn oktaform_s_own_token_with_another_user_agent_is_out_of_band() {
    let (sim, api) = start();
    apply(&sim);
    // oktaform's admin revokes a declared grant with a script of their own.
    let grants = expect_json(api.get("/api/v1/apps/0oa1wf0example/grants"), 200);
    let id = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["scopeId"] == "okta.logs.read")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        api.delete(&format!("/api/v1/apps/0oa1wf0example/grants/{id}")).status(),
        204
    );
    let report = drift(&sim, &[]);
    assert_eq!(
        findings(&report),
        [
            ("out_of_band".into(), LOGS_READ.into(), "admin@acme.com".into()),
            (
                "reauthorize_pending".into(),
                "connection.acme.reauthorize".into(),
                "admin@acme.com".into()
            ),
            ("expect_failed".into(), "log_query.scope_changes".into(), String::new()),
        ]
    );
}

#[test]
fn every_format_reports_the_same_findings() {
    let (sim, _api) = start();
    apply(&sim);
    let other = Api::new(sim.url(), OTHER_TOKEN);
    expect_json(
        other.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.roles.read"}),
        ),
        200,
    );
    for format in ["human", "markdown", "github", "json"] {
        let outcome = oktaform(&sim, &["drift", "--format", format]).run();
        snapshot(&format!("drift__out_of_band__{format}"), &outcome);
    }
}

#[test]
fn what_the_config_declares_is_pending_and_what_nobody_declared_is_unknown() {
    let (sim, _api) = start();
    let report = drift(&sim, &[]);
    // The config's assignment, role and grants were never applied: pending. The org's
    // `okta.apps.manage` grant, which no config declares, was made before the window by
    // someone the log no longer shows: unknown, and counted by `--out-of-band-only`.
    let kinds: Vec<(String, String)> = findings(&report).into_iter().map(|(k, a, _)| (k, a)).collect();
    assert_eq!(
        kinds,
        [
            (
                "pending".into(),
                r#"app["acme.okta.com/0oa1wf0example"].assignment["svc-workflows@acme.com"]"#.into()
            ),
            (
                "pending".into(),
                r#"app["acme.okta.com/0oa1wf0example"].grant["okta.groups.manage"]"#.into()
            ),
            ("pending".into(), LOGS_READ.into()),
            (
                "pending".into(),
                r#"user["acme.okta.com/svc-workflows@acme.com"].super_admin"#.into()
            ),
            (
                "unknown".into(),
                r#"app["acme.okta.com/0oa1wf0example"].grant["okta.apps.manage"]"#.into()
            ),
        ]
    );
    let nightly = oktaform(&sim, &["drift", "--out-of-band-only"]).run();
    assert_eq!(nightly.code, 2, "{}", nightly.stdout);
    apply(&sim);
    oktaform(&sim, &["drift", "--out-of-band-only"])
        .stdout("No drift.\n")
        .verify();
}

#[test]
fn reauthorize_is_pending_after_an_apply_until_the_service_account_authorizes() {
    let (sim, _api) = start();
    apply(&sim);
    let pending = |report: &Value| {
        findings(report)
            .into_iter()
            .filter(|(k, _, _)| k == "reauthorize_pending")
            .map(|(_, a, _)| a)
            .collect::<Vec<_>>()
    };
    assert_eq!(pending(&drift(&sim, &[])), ["connection.acme.reauthorize"]);
    // The shape real orgs record (DESIGN section 6): the OAuth client is the actor, the user
    // who authorized a target.
    let authorized = json!([{
        "eventType": "app.oauth2.authorize.code",
        "actor": {"id": "0oa1wf0example", "type": "PublicClientApp", "alternateId": "Okta Workflows OAuth"},
        "client": {"id": "0oa1wf0example", "userAgent": {"rawUserAgent": "Okta Workflows"}},
        "target": [{"id": "00usvcwf0example00001", "type": "User", "alternateId": "svc-workflows@acme.com"}],
        "outcome": {"result": "SUCCESS"}
    }]);
    let response = crate::harness::http()
        .post(format!("{}/__sim/events", sim.url()))
        .header("Authorization", format!("SSWS {ADMIN_TOKEN}"))
        .json(&authorized)
        .send()
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(pending(&drift(&sim, &[])), Vec::<String>::new());
}

#[test]
fn expect_is_checked_both_ways() {
    let (sim, _api) = start();
    // Nothing changed a grant yet: `scope_changes` (expect empty) holds.
    let before: Vec<String> = findings(&drift(&sim, &["--out-of-band-only"]))
        .into_iter()
        .filter(|(k, _, _)| k == "expect_failed")
        .map(|(_, a, _)| a)
        .collect();
    assert_eq!(before, Vec::<String>::new());
    // oktaform's own grant changes do not count (`exclude_own` defaults to true)...
    apply(&sim);
    let after: Vec<(String, String, String)> = findings(&drift(&sim, &["--out-of-band-only"]));
    assert_eq!(after, []);
    // ...another admin's do, with how many and the first.
    let other = Api::new(sim.url(), OTHER_TOKEN);
    expect_json(
        other.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.roles.read"}),
        ),
        200,
    );
    let report = drift(&sim, &["--out-of-band-only"]);
    let expect_failed: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "expect_failed")
        .map(|f| f["detail"].as_str().unwrap())
        .collect();
    let detail = expect_failed[0];
    let at = detail.rsplit(" at ").next().unwrap();
    assert_eq!(
        expect_failed,
        [format!(
            "`expect = \"empty\"`, but the query matches 1 event(s) in its window (oktaform's own events left out); the first: app.oauth2.admin.consent.grant by `other.admin@acme.com` at {at}"
        )]
    );
    // `nonempty` fails on an org without events.
    let edited = std::fs::read_to_string(repo().join("examples/quickstart/queries.hcl"))
        .unwrap()
        .replace("expect     = \"empty\"", "expect     = \"nonempty\"");
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .file("qs/queries.hcl", &edited)
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_NOW", &soon())
        .args([
            "drift",
            "qs",
            "--endpoint",
            start().0.url(),
            "--out-of-band-only",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let expectations: Vec<(String, String, String)> = findings(&outcome.json())
        .into_iter()
        .filter(|(k, _, _)| k == "expect_failed")
        .collect();
    assert_eq!(
        expectations,
        [("expect_failed".into(), "log_query.scope_changes".into(), String::new())]
    );
}

#[test]
fn one_log_query_per_org_and_one_per_expectation() {
    let (sim, api) = start();
    let _report = drift(&sim, &[]);
    let logs: Vec<String> = api
        .served()
        .into_iter()
        .filter(|r| r.starts_with("GET /api/v1/logs"))
        .collect();
    assert_eq!(
        logs.len(),
        2,
        "the org's query and `scope_changes`' expectation: {logs:#?}"
    );
}

/// A nightly `drift --out-of-band-only` with a credential that may not read the System Log
/// must fail, not report "No drift.".
#[test]
fn a_log_that_cannot_be_read_fails_the_run_instead_of_reporting_no_drift() {
    let (sim, _api) = start();
    apply(&sim);
    sim.set_faults(oktaform::sim::Faults {
        forbid: vec!["GET /api/v1/logs".to_owned()],
        ..oktaform::sim::Faults::default()
    });
    let outcome = oktaform(&sim, &["drift", "--out-of-band-only"]).run();
    snapshot("drift__log_unreadable", &outcome);
}

/// `--since` takes the config's grammar: a duration back (`-2d` or `2d`) or an RFC 3339
/// time; a window Okta would refuse is a clear error.
#[test]
fn since_takes_the_config_grammar_and_refuses_what_okta_would() {
    let (sim, _api) = start();
    apply(&sim);
    let two_days_ago = (time::OffsetDateTime::now_utc() - time::Duration::days(2))
        .format(&Rfc3339)
        .unwrap();
    for since in ["-2d", "2d", two_days_ago.as_str()] {
        let outcome = oktaform(&sim, &["drift", "--out-of-band-only", "--since", since]).run();
        assert_eq!(
            (outcome.code, outcome.stdout.as_str()),
            (0, "No drift.\n"),
            "--since {since}"
        );
    }
    let too_old = oktaform(&sim, &["drift", "--since", "200d"]).run();
    snapshot("drift__since_too_old", &too_old);
}

/// oktaform's User-Agent is anyone's to send: a change made with another admin's token is
/// out of band whatever its User-Agent says.
#[test]
fn a_script_that_sends_oktaforms_user_agent_is_still_out_of_band() {
    let (sim, _api) = start();
    apply(&sim);
    let response = crate::harness::http()
        .post(format!("{}/api/v1/apps/0oa1wf0example/grants", sim.url()))
        .header("Authorization", format!("SSWS {OTHER_TOKEN}"))
        .header("User-Agent", "oktaform/0.1.0")
        .json(&json!({"issuer": "https://acme.okta.com", "scopeId": "okta.roles.read"}))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let report = drift(&sim, &["--out-of-band-only"]);
    assert_eq!(
        findings(&report),
        [
            ("out_of_band".into(), ROLES_READ.into(), "other.admin@acme.com".into()),
            ("expect_failed".into(), "log_query.scope_changes".into(), String::new()),
        ]
    );
}
