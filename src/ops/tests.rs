//! The operations end to end against an in-process simulated org over HTTP: what a user
//! would do, with the results checked whole. Retries wait a millisecond, never seconds.

use super::apply::{ApplyRequest, Approval, Source, Stop, execute, ready};
use super::plan::{PlanRequest, plan};
use super::{Failure, Target};
use crate::model::SafetyRule;
use crate::okta::Purpose;
use crate::plan::PlanDocument;
use crate::sim::{Faults, Sim};
use crate::testing::{
    admin_environment, config_dir, context, line, one_connection, org_seed, seed, sim, without_request_id,
};
use std::collections::BTreeSet;
use std::path::Path;

fn plan_request(dir: &Path, sim: &Sim) -> PlanRequest {
    PlanRequest::new(dir, Target::Endpoint(sim.url().to_owned()), Purpose::Plan)
}

/// The plan's changes in a line each, or the codes and messages of why it failed.
async fn planned(dir: &Path, sim: &Sim) -> Result<Vec<String>, Vec<String>> {
    let environment = admin_environment();
    match plan(&context(&environment), &plan_request(dir, sim)).await {
        Ok(planned) => Ok(planned.diff.changes.iter().map(line).collect()),
        Err(failure) => Err(codes(&failure)),
    }
}

fn codes(failure: &Failure) -> Vec<String> {
    match failure {
        Failure::Diagnostics { diagnostics, .. } => diagnostics
            .iter()
            .map(|d| without_request_id(&format!("{}: {}", d.code, d.message)))
            .collect(),
        Failure::Usage(message) => vec![format!("usage: {message}")],
    }
}

/// Applies the config in `dir` to `sim`, approving as `approval` says, acknowledging
/// `acknowledged`: each step's address and status name, or why it stopped.
async fn apply(
    dir: &Path,
    sim: &Sim,
    approval: Approval,
    acknowledged: &[SafetyRule],
) -> Result<Vec<String>, Vec<String>> {
    let environment = admin_environment();
    let ctx = context(&environment);
    let request = ApplyRequest {
        source: Source::Config(dir.to_owned()),
        variables: crate::config::VarInputs::default(),
        target: Target::Endpoint(sim.url().to_owned()),
        acknowledged: acknowledged.iter().copied().collect::<BTreeSet<_>>(),
    };
    let mut review = |_: &PlanDocument, _: bool| Ok(approval);
    let ready = match ready(&ctx, request, &mut review).await {
        Ok(Some(ready)) => ready,
        Ok(None) => return Ok(Vec::new()),
        Err(Stop::Failure(failure)) => return Err(codes(&failure)),
        Err(Stop::Cancelled) => return Err(vec!["cancelled".to_owned()]),
        Err(Stop::Io(error)) => return Err(vec![error.to_string()]),
    };
    let applied = execute(ready, 8, &|_, _| {}, &std::sync::atomic::AtomicBool::new(false)).await;
    let mut lines: Vec<String> = applied
        .report
        .steps
        .iter()
        .map(|s| format!("{} {}", s.address, s.status.as_str()))
        .collect();
    lines.extend(
        applied
            .diagnostics
            .iter()
            .map(|d| without_request_id(&format!("{}: {}", d.code, d.message))),
    );
    Ok(lines)
}

const GRANT_USERS: &str =
    r#"+ app["acme.okta.com/0oa1wf"].grant["okta.users.read"] (declared by scopes.base (main.hcl:9))"#;
const REAUTHORIZE: &str = "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)";

fn assigned(app: &mut serde_json::Value) {
    app["assigned_users"] = serde_json::json!(["00usvc"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_reads_the_org_and_lists_what_apply_would_change() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    assert_eq!(
        planned(dir.path(), &org).await,
        Ok(vec![
            r#"+ user["acme.okta.com/svc@acme.com"].super_admin [needs --force=privileged] (the service account must be a super admin to authorize the connection)"#.to_owned(),
            GRANT_USERS.to_owned(),
            REAUTHORIZE.to_owned(),
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_makes_the_org_match_and_a_second_plan_finds_nothing() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    assert_eq!(
        apply(dir.path(), &org, Approval::Approved, &[SafetyRule::Privileged]).await,
        Ok(vec![
            r#"user["acme.okta.com/svc@acme.com"].super_admin applied"#.to_owned(),
            r#"app["acme.okta.com/0oa1wf"].grant["okta.users.read"] applied"#.to_owned(),
            "connection.prod.reauthorize manual".to_owned(),
        ])
    );
    assert_eq!(planned(dir.path(), &org).await, Ok(Vec::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_privileged_change_is_refused_without_its_acknowledgement_and_nothing_changes() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    assert_eq!(
        apply(dir.path(), &org, Approval::Approved, &[]).await,
        Err(vec![
            "oktaform::apply::needs_force: the plan needs the safety rule(s) `privileged` acknowledged; nothing was changed".to_owned()
        ])
    );
    assert_eq!(planned(dir.path(), &org).await.map(|p| p.len()), Ok(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_review_changes_nothing() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    assert_eq!(
        apply(dir.path(), &org, Approval::Declined, &[SafetyRule::Privileged]).await,
        Err(vec!["cancelled".to_owned()])
    );
    assert_eq!(planned(dir.path(), &org).await.map(|p| p.len()), Ok(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_anyone_to_ask_apply_refuses() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    assert_eq!(
        apply(dir.path(), &org, Approval::CannotAsk, &[SafetyRule::Privileged]).await,
        Err(vec![
            "oktaform::apply::refused: not applying without confirmation: there is no terminal to ask on".to_owned()
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_of_the_org_are_retried_and_apply_still_converges() {
    let org = sim(seed(&[], |app| {
        assigned(app);
        app["grants"] = serde_json::json!([]);
    }));
    // One request in ten answered 5xx: each request has five tries, so that one failing all
    // of them (five faults in a row among the draws, 0.1^5) stays out of reach however
    // concurrent requests share the draws.
    org.set_faults(Faults {
        seed: 7,
        error_rate: 0.1,
        ..Faults::default()
    });
    let grants = [
        "okta.users.read",
        "okta.groups.read",
        "okta.apps.read",
        "okta.logs.read",
    ];
    let dir = config_dir(&one_connection(&grants, ""));
    let steps = apply(dir.path(), &org, Approval::Approved, &[SafetyRule::Privileged])
        .await
        .expect("apply runs");
    assert_eq!(
        steps.iter().filter(|s| s.ends_with(" applied")).count(),
        5,
        "{steps:#?}"
    );
    let faults = org.requests().iter().filter(|r| r.status >= 500).count();
    assert!(faults > 0, "the org answered no 5xx: the test tests nothing");
    org.set_faults(Faults::default());
    assert_eq!(planned(dir.path(), &org).await, Ok(Vec::new()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_the_org_refuses_fails_at_its_declaration_and_later_steps_are_skipped() {
    // The account is a super admin already: a role step would run in a lane of its own,
    // beside the grant, and be applied or skipped as the grant's refusal comes first.
    let org = sim(org_seed(&[], assigned, |org| {
        org["users"][1]["roles"] = serde_json::json!(["SUPER_ADMIN"]);
    }));
    org.set_faults(Faults {
        forbid: vec!["POST /api/v1/apps/0oa1wf/grants".to_owned()],
        ..Faults::default()
    });
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    assert_eq!(
        apply(dir.path(), &org, Approval::Approved, &[SafetyRule::Privileged]).await,
        Ok(vec![
            r#"app["acme.okta.com/0oa1wf"].grant["okta.users.read"] failed"#.to_owned(),
            "connection.prod.reauthorize skipped".to_owned(),
            r#"oktaform::apply::step_failed: app["acme.okta.com/0oa1wf"].grant["okta.users.read"] failed: POST /api/v1/apps/0oa1wf/grants answered 403 E0000006: You do not have permission to perform the requested action (request ID)"#.to_owned(),
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_client_id_is_reported_at_the_connection() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], "").replace("0oa1wf", "0oa1nope"));
    assert_eq!(
        planned(dir.path(), &org).await,
        Err(vec![
            "oktaform::live::app_not_found: no Okta Workflows OAuth app with client id `0oa1nope` in `acme.okta.com`: no app has the id `0oa1nope`, and none of the 1 apps named `flow` has that client id".to_owned()
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_token_is_one_diagnostic_for_the_org() {
    let org = sim(seed(&[], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read", "okta.groups.read"], ""));
    let environment = crate::environment::Environment::default().with("OKTA_API_TOKEN", "not-a-token");
    let failure = plan(&context(&environment), &plan_request(dir.path(), &org))
        .await
        .err()
        .expect("the plan fails");
    assert_eq!(
        codes(&failure),
        [
            "oktaform::credentials::rejected: `acme.okta.com` does not accept the API token in OKTA_API_TOKEN: GET /api/v1/users/me answered 401 E0000011: Invalid token provided (request ID)"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_in_the_config_cannot_take_the_credentials_elsewhere() {
    let org = sim(seed(&[], assigned));
    let endpoint = format!("  endpoint        = \"{}\"\n", org.url());
    let dir = config_dir(&one_connection(&["okta.users.read"], &endpoint));
    let environment = admin_environment();
    let request = PlanRequest::new(dir.path(), Target::Org, Purpose::Plan);
    let failure = plan(&context(&environment), &request)
        .await
        .err()
        .expect("the plan fails");
    let origin = org.url().to_owned();
    assert_eq!(
        codes(&failure),
        [format!(
            "oktaform::credentials::origin_not_allowed: `acme.okta.com` would be reached at {origin}, which is not an Okta org domain (https://<name>.okta.com, .oktapreview.com, .okta-emea.com, .okta-gov.com, .okta.mil); no credential was sent"
        )]
    );
    assert_eq!(org.requests().len(), 0, "no request reached the org");
}

/// Ten Workflows apps, each with its connection and the same 20 declared scopes not yet
/// granted (and its service account assigned and a super admin).
fn ten_apps() -> (crate::sim::Seed, String) {
    use std::fmt::Write as _;
    let scopes: Vec<&str> = crate::catalog::scope_names()
        .filter(|s| {
            s.starts_with("okta.")
                && crate::catalog::scope(s).is_some_and(|s| s.stage == crate::catalog::Stage::GenerallyAvailable)
        })
        .take(20)
        .collect();
    let mut users = vec![serde_json::json!({"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]})];
    let mut apps = Vec::new();
    let mut config = String::new();
    for i in 0..10 {
        users.push(serde_json::json!({"id": format!("00usvc{i:02}"), "login": format!("svc{i}@acme.com"), "roles": ["SUPER_ADMIN"]}));
        apps.push(serde_json::json!({"id": format!("0oawf{i:02}"), "name": "flow", "label": "Okta Workflows OAuth", "assigned_users": [format!("00usvc{i:02}")], "grants": crate::catalog::auto_granted("okta")}));
        let _ = write!(
            config,
            "connection \"c{i}\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oawf{i:02}\"\n  service_account = \"svc{i}@acme.com\"\n}}\n\nscopes \"s{i}\" {{\n  connection = connection.c{i}\n  grant      = {}\n}}\n\n",
            serde_json::to_string(&scopes).unwrap()
        );
    }
    let seed = serde_json::json!({"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": crate::testing::ADMIN_TOKEN, "user": "admin@acme.com"}], "users": users, "apps": apps}]});
    (serde_json::from_value(seed).unwrap(), config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_grants_converge_through_5xx_resets_and_429_bursts() {
    let (seed, config) = ten_apps();
    let org = crate::sim::Sim::builder()
        .seed(seed)
        .rate_limits(crate::sim::RateLimits::uniform(
            100_000,
            std::time::Duration::from_secs(60),
        ))
        .faults(Faults {
            seed: 9,
            error_rate: 0.1,
            reset_rate: 0.05,
            burst_rate: 0.02,
            burst_length: 3,
            ..Faults::default()
        })
        .start()
        .unwrap();
    let dir = config_dir(&config);
    let environment = admin_environment();
    let mut ctx = context(&environment);
    ctx.client.retry.max_retries = 10;
    let request = ApplyRequest {
        source: Source::Config(dir.path().to_owned()),
        variables: crate::config::VarInputs::default(),
        target: Target::Endpoint(org.url().to_owned()),
        acknowledged: BTreeSet::new(),
    };
    let ready = ready(&ctx, request, &mut |_, _| Ok(Approval::Approved))
        .await
        .map_err(|stop| format!("{stop:?}"))
        .expect("the plan is ready")
        .expect("there are changes");
    let applied = execute(ready, 8, &|_, _| {}, &std::sync::atomic::AtomicBool::new(false)).await;
    let statuses: Vec<&str> = applied.report.steps.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(
        (
            statuses.iter().filter(|s| **s == "applied").count(),
            statuses.iter().filter(|s| **s == "manual").count(),
            statuses.len(),
            applied.report.ok,
        ),
        (200, 10, 210, true)
    );
    let faults = org.requests().iter().filter(|r| r.fault.is_some()).count();
    assert!(faults > 20, "only {faults} faults: the test tests little");
    org.set_faults(Faults::default());
    assert_eq!(planned(dir.path(), &org).await.map(|p| p.len()), Ok(0));
}

/// The context of a run whose "now" is the clock's, a minute ahead: the sim stamps the
/// events it records with its own clock.
fn context_now(environment: &crate::environment::Environment) -> super::Context<'_> {
    let mut ctx = context(environment);
    ctx.now = time::OffsetDateTime::now_utc() + time::Duration::minutes(1);
    ctx.clock = crate::time_spec::Clock::System;
    ctx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_names_who_granted_a_scope_out_of_band() {
    use super::drift::{DriftRequest, drift};
    let org = sim(seed(&["okta.users.read"], assigned));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    // Another admin grants a scope in the console.
    let console = crate::okta::http_client(&crate::environment::Environment::default(), crate::okta::Tls::Unused)
        .expect("an HTTP client")
        .post(format!("{}/api/v1/apps/0oa1wf/grants", org.url()))
        .header("Authorization", format!("SSWS {}", crate::testing::ADMIN_TOKEN))
        .header("User-Agent", "Mozilla/5.0 (Macintosh)")
        .json(&serde_json::json!({"issuer": "https://acme.okta.com", "scopeId": "okta.groups.manage"}))
        .send()
        .await
        .expect("the grant is made");
    assert!(console.status().is_success());
    let environment = admin_environment();
    let request = DriftRequest {
        plan: plan_request(dir.path(), &org),
        since: crate::time_spec::TimeSpec::Relative(-3600),
        out_of_band_only: true,
    };
    let drifted = drift(&context_now(&environment), request).await.expect("drift runs");
    let findings: Vec<(String, String, String)> = drifted
        .report
        .findings
        .iter()
        .map(|f| {
            (
                f.kind.as_str().to_owned(),
                f.address.clone(),
                f.attribution.as_ref().map(|a| a.actor.clone()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        [(
            "out_of_band".to_owned(),
            r#"app["acme.okta.com/0oa1wf"].grant["okta.groups.manage"]"#.to_owned(),
            "admin@acme.com".to_owned()
        )]
    );
    assert_eq!(drifted.report.counted, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_reads_its_org_page_by_page() {
    use super::query::{QueryRequest, connect};
    let org = sim(org_seed(
        &[],
        |_| {},
        |org| {
            let start = time::OffsetDateTime::now_utc() - time::Duration::minutes(10);
            org["synthetic_log_events"] = serde_json::json!({
                "count": 250,
                "start": start.format(&time::format_description::well_known::Rfc3339).unwrap(),
                "seed": 3,
            });
        },
    ));
    let config = one_connection(&["okta.users.read"], "")
        + "\nlog_query \"everything\" {\n  connection = connection.prod\n  since      = \"-1h\"\n  records    = \"all\"\n  limit      = 100\n}\n";
    let dir = config_dir(&config);
    let environment = admin_environment();
    let request = QueryRequest {
        name: "everything".to_owned(),
        config: dir.path().to_owned(),
        variables: crate::config::VarInputs::default(),
        target: Target::Endpoint(org.url().to_owned()),
        since: None,
        until: None,
        max: None,
        follow: None,
    };
    let query = connect(&context_now(&environment), &request).expect("the query connects");
    let mut pages = Vec::new();
    let read = query
        .run(&mut |events| {
            pages.push(events.len());
            Ok(())
        })
        .await
        .expect("the log is read");
    assert_eq!((read, pages), (250, vec![100, 100, 50]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_writes_the_config_that_plans_no_change() {
    use super::import::{ImportRequest, import};
    let org = sim(org_seed(&["okta.users.read", "okta.groups.read"], assigned, |org| {
        org["users"][1]["roles"] = serde_json::json!(["SUPER_ADMIN"]);
    }));
    let environment = admin_environment();
    let request = ImportRequest {
        domain: Some("acme.okta.com".to_owned()),
        client_id: None,
        service_account: None,
        name: Some("prod".to_owned()),
        out: None,
        target: Target::Endpoint(org.url().to_owned()),
    };
    let imported = import(&context(&environment), &request).await.expect("the import runs");
    let text = imported.text.clone();
    let automatic = crate::catalog::auto_granted("okta").join(", ");
    assert_eq!(
        text,
        format!(
            r#"# Imported from acme.okta.com by `oktaform import`.

connection "prod" {{
  domain          = "acme.okta.com"
  client_id       = "0oa1wf"
  service_account = "svc@acme.com"
  # Checks the app's client secret when set (never printed):
  # client_secret = env("WORKFLOWS_CLIENT_SECRET")
}}

# Granted automatically to the Okta Workflows OAuth app, never declared:
#   {automatic}

scopes "prod" {{
  connection = connection.prod
  reason     = "TODO: what the flows of this connection do with these scopes"
  grant      = ["okta.groups.read", "okta.users.read"]
}}
"#
        )
    );
    let dir = config_dir(&text);
    assert_eq!(planned(dir.path(), &org).await, Ok(Vec::new()));
    assert_eq!(imported.compare(dir.path(), &environment), "");
}

/// `import --out DIR` onto a config of several files compares the whole config with the
/// org (no duplicate `scopes` block for grants declared in another file), and names an
/// automatic scope the org lacks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_onto_a_config_of_several_files_shows_only_what_differs() {
    use super::import::{ImportRequest, import};
    let org = sim(org_seed(&["okta.users.read", "okta.logs.read"], assigned, |org| {
        org["users"][1]["roles"] = serde_json::json!(["SUPER_ADMIN"]);
        let grants = org["apps"][0]["grants"].as_array_mut().expect("grants");
        grants.retain(|g| g != "phone");
    }));
    let environment = admin_environment();
    let request = ImportRequest {
        domain: Some("acme.okta.com".to_owned()),
        client_id: None,
        service_account: None,
        name: None,
        out: None,
        target: Target::Endpoint(org.url().to_owned()),
    };
    let imported = import(&context(&environment), &request).await.expect("the import runs");
    let dir = tempfile::tempdir().expect("a directory");
    let config = one_connection(&["okta.users.read"], "");
    let (connection, scopes) = config.split_once("\n\nscopes").expect("two blocks");
    std::fs::write(dir.path().join("main.hcl"), connection).expect("written");
    std::fs::write(dir.path().join("scopes.hcl"), format!("scopes{scopes}")).expect("written");
    let automatic: Vec<&str> = crate::catalog::auto_granted("okta")
        .into_iter()
        .filter(|s| *s != "phone")
        .collect();
    let all = crate::catalog::auto_granted("okta").join(", ");
    let shown = dir.path().display();
    assert_eq!(
        imported.compare(dir.path(), &environment),
        format!(
            r#"--- {shown} (the config, all its files)
+++ acme.okta.com (the org)
@@ -9,10 +9,11 @@
 }}
 
 # Granted automatically to the Okta Workflows OAuth app, never declared:
-#   {all}
+#   {}
+# Missing from the org, though granted automatically (`plan` grants them back): phone
 
 scopes "prod" {{
   connection = connection.prod
   reason     = "TODO: what the flows of this connection do with these scopes"
-  grant      = ["okta.users.read"]
+  grant      = ["okta.logs.read", "okta.users.read"]
 }}
"#,
            automatic.join(", ")
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drift_reads_only_the_events_it_needs_among_thousands_of_sign_ins() {
    use super::drift::{DriftRequest, drift};
    let at = |minutes: i64| {
        (time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    // 5,000 sign-ins to other apps, in the shape of the reauthorization (the client as the
    // actor, the user a target; DESIGN section 6), then a grant change by oktaform and the
    // service account authorizing the Workflows app after it.
    let mut events: Vec<serde_json::Value> = (0..5000)
        .map(|i| {
            serde_json::json!({
                "uuid": format!("signin-{i}"),
                "published": at(50),
                "eventType": "app.oauth2.authorize.code",
                "actor": {"id": "0oa1dashboard", "type": "PublicClientApp", "alternateId": "Dashboard"},
                "client": {"id": "0oa1dashboard", "userAgent": {"rawUserAgent": "Mozilla/5.0"}},
                "target": [{"id": format!("00u{i}"), "type": "User", "alternateId": format!("user{i}@acme.com")}],
            })
        })
        .collect();
    events.push(serde_json::json!({
        "uuid": "grant-1",
        "published": at(40),
        "eventType": "app.oauth2.admin.consent.grant",
        "actor": {"id": "00uadmin", "type": "User", "alternateId": "admin@acme.com"},
        "client": {"userAgent": {"rawUserAgent": "oktaform/0.1.0"}},
        "target": [
            {"id": "0oa1wf", "type": "AppInstance", "alternateId": "Okta Workflows OAuth"},
            {"id": "okta.users.read", "type": "OAuth2Scope", "alternateId": "okta.users.read"},
        ],
    }));
    events.push(serde_json::json!({
        "uuid": "authorize-1",
        "published": at(30),
        "eventType": "app.oauth2.authorize.code",
        "actor": {"id": "0oa1wf", "type": "PublicClientApp", "alternateId": "Okta Workflows OAuth"},
        "client": {"id": "0oa1wf", "userAgent": {"rawUserAgent": "Mozilla/5.0"}},
        "target": [{"id": "00usvc", "type": "User", "alternateId": "svc@acme.com"}],
    }));
    // A second connection, reauthorized in the Workflows Console by its nickname (targets as
    // Okta's event-type catalog describes them: the user, the application, the connection's
    // display name).
    events.push(serde_json::json!({
        "uuid": "reauthorize-1",
        "published": at(20),
        "eventType": "workflows.user.connection.reauthorize",
        "actor": {"id": "00uadmin", "type": "User", "alternateId": "admin@acme.com"},
        "client": {"userAgent": {"rawUserAgent": "Mozilla/5.0"}},
        "target": [
            {"id": "00uadmin", "type": "User", "alternateId": "admin@acme.com"},
            {"id": "okta", "type": "AppInstance", "alternateId": "Okta", "displayName": "Okta"},
            {"id": "conn-2", "type": "WorkflowsConnection", "alternateId": "Okta second", "displayName": "Okta second"},
        ],
    }));
    let org = sim(org_seed(
        &["okta.users.read"],
        |app| app["assigned_users"] = serde_json::json!(["00usvc", "00uadmin"]),
        |org| {
            org["users"][1]["roles"] = serde_json::json!(["SUPER_ADMIN"]);
            org["log_events"] = serde_json::json!(events);
        },
    ));
    let second = "\nconnection \"second\" {\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf\"\n  service_account = \"admin@acme.com\"\n  nickname        = \"Okta second\"\n}\n";
    let dir = config_dir(&(one_connection(&["okta.users.read"], "") + second));
    let environment = admin_environment();
    let request = DriftRequest {
        plan: plan_request(dir.path(), &org),
        since: crate::time_spec::TimeSpec::Relative(-7200),
        out_of_band_only: false,
    };
    let drifted = drift(&context_now(&environment), request).await.expect("drift runs");
    assert_eq!(
        drifted.report.findings,
        Vec::new(),
        "reauthorized after the change: no finding"
    );
    let log_pages = org.requests().iter().filter(|r| r.path == "/api/v1/logs").count();
    assert_eq!(
        log_pages, 1,
        "one page: the sign-ins to other apps are filtered out by the org"
    );
}

/// Okta logins are case-insensitive: two spellings of one login are one account, known by
/// the config's first spelling; apply makes it super admin once and the org then matches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_that_differ_only_in_case_are_one_account() {
    let org = sim(seed(&[], |_| {}));
    let config = format!(
        "{}\nconnection \"second\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf\"\n  service_account = \"SVC@acme.com\"\n}}\n",
        one_connection(&[], "")
    );
    let dir = config_dir(&config);
    assert_eq!(
        apply(dir.path(), &org, Approval::Approved, &[SafetyRule::Privileged]).await,
        Ok(vec![
            r#"app["acme.okta.com/0oa1wf"].assignment["svc@acme.com"] applied"#.to_owned(),
            r#"user["acme.okta.com/svc@acme.com"].super_admin applied"#.to_owned(),
        ])
    );
    assert_eq!(planned(dir.path(), &org).await, Ok(Vec::new()));
}

/// Retiring the only connection of an account takes back what the setup gave it: the
/// assignment and the `SUPER_ADMIN` role, under the `retire` rule; the org then matches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retiring_a_connection_removes_its_account_s_super_admin_role() {
    let org = sim(org_seed(&[], assigned, |org| {
        org["users"][1]["roles"] = serde_json::json!(["SUPER_ADMIN"]);
    }));
    let dir = config_dir(&one_connection(&[], "  retired         = true\n"));
    assert_eq!(
        apply(dir.path(), &org, Approval::Approved, &[SafetyRule::Retire]).await,
        Ok(vec![
            r#"app["acme.okta.com/0oa1wf"].assignment["svc@acme.com"] applied"#.to_owned(),
            r#"user["acme.okta.com/svc@acme.com"].super_admin applied"#.to_owned(),
        ])
    );
    assert_eq!(planned(dir.path(), &org).await, Ok(Vec::new()));
}

/// Apply reads the org once, makes each change with one request, and reads back only what
/// it changed, once each: the app's grants, the account's assignment, the user's roles.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_reads_back_only_what_it_changed() {
    let org = sim(seed(&[], |_| {}));
    let dir = config_dir(&one_connection(&["okta.users.read"], ""));
    apply(dir.path(), &org, Approval::Approved, &[SafetyRule::Privileged])
        .await
        .expect("apply runs");
    let mut served = crate::testing::requests(&org);
    served.sort();
    // Sorted: the plan's seven reads (me, the admin's roles, the app, its grants, the user,
    // their roles, their assignment), the three changes, and one read back each of the
    // grants, the assignment and the roles (a second GET of each of those three).
    assert_eq!(
        served,
        [
            "GET /api/v1/apps/0oa1wf",
            "GET /api/v1/apps/0oa1wf/grants",
            "GET /api/v1/apps/0oa1wf/grants",
            "GET /api/v1/apps/0oa1wf/users/00usvc",
            "GET /api/v1/apps/0oa1wf/users/00usvc",
            "GET /api/v1/users/00uadmin/roles",
            "GET /api/v1/users/00usvc/roles",
            "GET /api/v1/users/00usvc/roles",
            "GET /api/v1/users/me",
            "GET /api/v1/users/svc%40acme.com",
            "POST /api/v1/apps/0oa1wf/grants",
            "POST /api/v1/apps/0oa1wf/users",
            "POST /api/v1/users/00usvc/roles",
        ]
    );
}

/// Two apps whose connections share a service account: the account is looked up once and
/// its roles read once; each app reads only what is its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_account_is_read_once_however_many_apps_name_it() {
    let org = sim(org_seed(&[], assigned, |org| {
        let mut second = org["apps"][0].clone();
        second["id"] = serde_json::json!("0oa2wf");
        org["apps"].as_array_mut().expect("apps").push(second);
    }));
    let config = format!(
        "{}\nconnection \"second\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa2wf\"\n  service_account = \"svc@acme.com\"\n}}\n",
        one_connection(&[], "")
    );
    let dir = config_dir(&config);
    planned(dir.path(), &org).await.expect("the plan is made");
    let mut served = crate::testing::requests(&org);
    served.sort();
    assert_eq!(
        served,
        [
            "GET /api/v1/apps/0oa1wf",
            "GET /api/v1/apps/0oa1wf/grants",
            "GET /api/v1/apps/0oa1wf/users/00usvc",
            "GET /api/v1/apps/0oa2wf",
            "GET /api/v1/apps/0oa2wf/grants",
            "GET /api/v1/apps/0oa2wf/users/00usvc",
            "GET /api/v1/users/00uadmin/roles",
            "GET /api/v1/users/00usvc/roles",
            "GET /api/v1/users/me",
            "GET /api/v1/users/svc%40acme.com",
        ]
    );
}
