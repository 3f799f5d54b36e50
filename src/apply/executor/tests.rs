//! The executor against an in-process sim over HTTP: the order of steps, what each step's
//! status says, and what a failure stops.

use super::Executor;
use crate::apply::StepStatus;
use crate::model::Live;
use crate::plan::Change;
use crate::sim::{Faults, Sim};
use crate::testing::{changes, client, one_connection, read, requests, seed, sim, without_request_id};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs `changes` against `sim` with the org as `live` says: each step's address and status.
async fn run(sim: &Sim, live: &Live, changes: &[Change], parallelism: usize) -> Vec<String> {
    let clients = BTreeMap::from([("acme.okta.com".to_owned(), client(sim))]);
    let statuses = Executor {
        clients: &clients,
        live,
        parallelism,
        observer: &|_, _| {},
        interrupted: &AtomicBool::new(false),
    }
    .run(changes)
    .await;
    changes
        .iter()
        .zip(&statuses)
        .map(|(change, status)| match status {
            StepStatus::Failed(error) => format!("{} failed: {error}", change.address()),
            other => format!("{} {}", change.address(), other.name().as_str()),
        })
        .collect()
}

fn unassigned_seed() -> crate::sim::Seed {
    seed(&["okta.apps.manage"], |_| {})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steps_run_in_apply_order_assignment_role_grants_revokes() {
    let org = sim(unassigned_seed());
    let (live, errors) = read(&org).await;
    assert!(errors.is_empty(), "{errors:?}");
    let planned = changes(&one_connection(&["okta.users.read"], ""), &live);
    let before = requests(&org).len();
    assert_eq!(
        run(&org, &live, &planned, 1).await,
        [
            r#"app["acme.okta.com/0oa1wf"].assignment["svc@acme.com"] applied"#,
            r#"user["acme.okta.com/svc@acme.com"].super_admin applied"#,
            r#"app["acme.okta.com/0oa1wf"].grant["okta.users.read"] applied"#,
            r#"app["acme.okta.com/0oa1wf"].grant["okta.apps.manage"] applied"#,
            "connection.prod.reauthorize manual",
        ]
    );
    // The role is the user's, in a lane of its own: only the app's steps keep an order.
    let revoked = &live.apps[&crate::testing::acme()].grants["okta.apps.manage"][0];
    let (apps, users) = lanes(&requests(&org)[before..]);
    assert_eq!(
        apps,
        [
            "POST /api/v1/apps/0oa1wf/users".to_owned(),
            "POST /api/v1/apps/0oa1wf/grants".to_owned(),
            format!("DELETE /api/v1/apps/0oa1wf/grants/{revoked}"),
        ]
    );
    assert_eq!(users, ["POST /api/v1/users/00usvc/roles"]);
}

const PLANNED: [&str; 5] = [
    r#"app["acme.okta.com/0oa1wf"].assignment["svc@acme.com"]"#,
    r#"user["acme.okta.com/svc@acme.com"].super_admin"#,
    r#"app["acme.okta.com/0oa1wf"].grant["okta.users.read"]"#,
    r#"app["acme.okta.com/0oa1wf"].grant["okta.apps.manage"]"#,
    "connection.prod.reauthorize",
];

/// Each planned step with `status`, the reminder last.
fn every(status: &str) -> Vec<String> {
    let mut lines: Vec<String> = PLANNED[..4].iter().map(|a| format!("{a} {status}")).collect();
    lines.push("connection.prod.reauthorize manual".to_owned());
    lines
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_after_a_fresh_read_finds_every_step_in_place_and_sends_nothing() {
    let org = sim(unassigned_seed());
    let (live, _) = read(&org).await;
    let planned = changes(&one_connection(&["okta.users.read"], ""), &live);
    run(&org, &live, &planned, 4).await;
    let (fresh, _) = read(&org).await;
    let before = requests(&org).len();
    assert_eq!(run(&org, &fresh, &planned, 4).await, every("already in place"));
    assert_eq!(requests(&org)[before..], [] as [String; 0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_with_a_stale_read_confirms_each_step_by_reading_back() {
    let org = sim(unassigned_seed());
    let (stale, _) = read(&org).await;
    let planned = changes(&one_connection(&["okta.users.read"], ""), &stale);
    run(&org, &stale, &planned, 1).await;
    let before = requests(&org).len();
    assert_eq!(run(&org, &stale, &planned, 1).await, every("applied"));
    // The assignment answers 200 unchanged; the grant and the role are refused as
    // duplicates and read back; the grant already revoked answers 404.
    let revoked = &stale.apps[&crate::testing::acme()].grants["okta.apps.manage"][0];
    let (apps, users) = lanes(&requests(&org)[before..]);
    assert_eq!(
        apps,
        [
            "POST /api/v1/apps/0oa1wf/users".to_owned(),
            "POST /api/v1/apps/0oa1wf/grants".to_owned(),
            "GET /api/v1/apps/0oa1wf/grants".to_owned(),
            format!("DELETE /api/v1/apps/0oa1wf/grants/{revoked}"),
        ]
    );
    assert_eq!(
        users,
        ["POST /api/v1/users/00usvc/roles", "GET /api/v1/users/00usvc/roles"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_refused_for_good_stops_the_steps_not_yet_started() {
    let org = sim(unassigned_seed());
    org.set_faults(Faults {
        forbid: vec!["POST /api/v1/apps/0oa1wf/grants".to_owned()],
        ..Faults::default()
    });
    let (live, _) = read(&org).await;
    // Without the role step, whose lane runs beside the app's.
    let planned: Vec<Change> = changes(&one_connection(&["okta.users.read"], ""), &live)
        .into_iter()
        .filter(|c| !matches!(c.step, crate::plan::Step::MakeSuperAdmin { .. }))
        .collect();
    let lines = run(&org, &live, &planned, 1).await;
    assert_eq!(
        lines.iter().map(|l| without_request_id(l)).collect::<Vec<_>>(),
        [
            format!("{} applied", PLANNED[0]),
            format!(
                "{} failed: POST /api/v1/apps/0oa1wf/grants answered 403 E0000006: You do not have permission to perform the requested action (request ID)",
                PLANNED[2]
            ),
            format!("{} skipped", PLANNED[3]),
            "connection.prod.reauthorize skipped".to_owned(),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_without_a_client_fails_its_steps_and_sends_nothing() {
    let org = sim(unassigned_seed());
    let (live, _) = read(&org).await;
    let planned = changes(&one_connection(&["okta.users.read"], ""), &live);
    let before = requests(&org).len();
    let statuses = Executor {
        clients: &BTreeMap::new(),
        live: &live,
        parallelism: 4,
        observer: &|_, _| {},
        interrupted: &AtomicBool::new(false),
    }
    .run(&planned)
    .await;
    let names: Vec<&str> = statuses.iter().map(|s| s.name().as_str()).collect();
    assert_eq!(names, ["failed", "skipped", "skipped", "skipped", "skipped"]);
    assert!(matches!(&statuses[0], StepStatus::Failed(super::StepError::NoClient(d)) if d == "acme.okta.com"));
    assert_eq!(requests(&org).len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_is_never_answered_is_read_back_before_each_new_try() {
    let org = sim(seed(&[], |app| app["assigned_users"] = serde_json::json!(["00usvc"])));
    let (live, _) = read(&org).await;
    let mut options = crate::testing::quick_client();
    options.timeout = std::time::Duration::from_millis(200);
    let clients = BTreeMap::from([(
        "acme.okta.com".to_owned(),
        crate::okta::OktaClient::new(
            crate::okta::http_client(&crate::environment::Environment::default(), crate::okta::Tls::Unused).unwrap(),
            url::Url::parse(org.url()).unwrap(),
            "acme.okta.com",
            crate::okta::Credentials::ApiToken(crate::secret::Secret::new(crate::testing::ADMIN_TOKEN)),
            options,
        ),
    )]);
    org.set_faults(Faults {
        hang: vec!["POST /api/v1/apps/0oa1wf/grants".to_owned()],
        ..Faults::default()
    });
    let planned: Vec<Change> = changes(&one_connection(&["okta.users.read"], ""), &live)
        .into_iter()
        .filter(|c| matches!(c.step, crate::plan::Step::Grant { .. }))
        .collect();
    let before = requests(&org).len();
    let statuses = Executor {
        clients: &clients,
        live: &live,
        parallelism: 1,
        observer: &|_, _| {},
        interrupted: &AtomicBool::new(false),
    }
    .run(&planned)
    .await;
    assert_eq!(
        statuses
            .iter()
            .map(|s| match s {
                StepStatus::Failed(error) => error.to_string(),
                other => other.name().as_str().to_owned(),
            })
            .collect::<Vec<_>>(),
        ["POST /api/v1/apps/0oa1wf/grants timed out after 1 attempt(s)"]
    );
    // The sim logs a request when it answers: the hung POSTs never are, the read-backs are.
    assert_eq!(requests(&org)[before..], ["GET /api/v1/apps/0oa1wf/grants"; 4]);
}

/// `requests` split into those of the app's lane and those of the user's, each in order.
fn lanes(requests: &[String]) -> (Vec<String>, Vec<String>) {
    requests.iter().cloned().partition(|r| r.contains("/api/v1/apps/"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_granted_twice_is_revoked_with_every_grant() {
    let org = sim(seed(&["okta.apps.manage", "okta.apps.manage"], |app| {
        app["assigned_users"] = serde_json::json!(["00usvc"]);
    }));
    let (live, _) = read(&org).await;
    let ids = live.apps[&crate::testing::acme()].grants["okta.apps.manage"].clone();
    assert_eq!(ids.len(), 2);
    let planned: Vec<Change> = changes(&one_connection(&[], ""), &live)
        .into_iter()
        .filter(|c| matches!(c.step, crate::plan::Step::Revoke { .. }))
        .collect();
    let before = requests(&org).len();
    assert_eq!(run(&org, &live, &planned, 1).await, [format!("{} applied", PLANNED[3])]);
    assert_eq!(
        requests(&org)[before..],
        ids.iter()
            .map(|id| format!("DELETE /api/v1/apps/0oa1wf/grants/{id}"))
            .collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_connection_is_unassigned_and_an_assignment_already_gone_counts_as_done() {
    let org = sim(seed(&["okta.users.read"], |app| {
        app["assigned_users"] = serde_json::json!(["00usvc"]);
    }));
    let (live, _) = read(&org).await;
    let retired = one_connection(&["okta.users.read"], "  retired         = true\n");
    let unassign: Vec<Change> = changes(&retired, &live)
        .into_iter()
        .filter(|c| matches!(c.step, crate::plan::Step::Unassign { .. }))
        .collect();
    let unassigned = r#"app["acme.okta.com/0oa1wf"].assignment["svc@acme.com"] applied"#;
    assert_eq!(run(&org, &live, &unassign, 1).await, [unassigned]);
    // Run again on the same read: the DELETE answers 404, which is the goal.
    let before = requests(&org).len();
    assert_eq!(run(&org, &live, &unassign, 1).await, [unassigned]);
    assert_eq!(requests(&org)[before..], ["DELETE /api/v1/apps/0oa1wf/users/00usvc"]);
    assert_eq!(org.requests().last().map(|r| r.status), Some(404));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_observer_is_told_of_every_step_once() {
    let org = sim(unassigned_seed());
    let (live, _) = read(&org).await;
    let planned = changes(&one_connection(&["okta.users.read"], ""), &live);
    let told = std::sync::Mutex::new(Vec::new());
    let clients = BTreeMap::from([("acme.okta.com".to_owned(), client(&org))]);
    let observer = |change: &Change, status: &StepStatus| {
        told.lock()
            .unwrap()
            .push(format!("{} {}", change.address(), status.name().as_str()));
    };
    Executor {
        clients: &clients,
        live: &live,
        parallelism: 4,
        observer: &observer,
        interrupted: &AtomicBool::new(false),
    }
    .run(&planned)
    .await;
    let mut told = told.into_inner().unwrap();
    told.sort();
    let mut expected = every("applied");
    expected.sort();
    assert_eq!(told, expected);
}

/// An interrupt after the first step: the steps in flight finish, no further step starts,
/// and what was not started is reported skipped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_interrupt_no_step_starts() {
    let org = sim(unassigned_seed());
    let (live, _) = read(&org).await;
    let planned = changes(&one_connection(&["okta.users.read"], ""), &live);
    let clients = BTreeMap::from([("acme.okta.com".to_owned(), client(&org))]);
    let interrupted = AtomicBool::new(false);
    let statuses = Executor {
        clients: &clients,
        live: &live,
        parallelism: 1,
        observer: &|_, _| interrupted.store(true, Ordering::SeqCst),
        interrupted: &interrupted,
    }
    .run(&planned)
    .await;
    // One step ran (the first to get the single permit: the assignment or the role, in
    // their own lanes); none started after it.
    let mut names: Vec<&str> = statuses.iter().map(|s| s.name().as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["applied", "skipped", "skipped", "skipped", "skipped"]);
}
