//! The live reader against an in-process sim over HTTP: what it reads of an app and its
//! service account, every problem it reports, and the requests it needs.

use super::{AppSelection, ReadError, Reader, Selection};
use crate::model::{Access, Live, LiveApp, Secrets};
use crate::sim::{Faults, Seed, Sim};
use crate::testing::{acme, client, org_seed, requests, seed, selection, sim, without_request_id};
use serde_json::json;
use std::collections::BTreeMap;

async fn read_with(org: &Sim, selection: &Selection) -> (Live, Vec<String>) {
    let clients = BTreeMap::from([("acme.okta.com".to_owned(), client(org))]);
    let (live, errors) = Reader::new(clients).read(selection).await;
    (live, errors.iter().map(describe).collect())
}

async fn read(org: &Sim) -> (Live, Vec<String>) {
    read_with(org, &selection()).await
}

fn describe(error: &ReadError) -> String {
    match error {
        ReadError::AppNotFound { key, searched } => format!("app not found: {}: {searched}", key.client_id),
        ReadError::NotWorkflowsApp { key, name, label } => {
            format!("not the Workflows app: {} is `{name}` \"{label}\"", key.client_id)
        }
        ReadError::AccountNotFound { login, .. } => format!("no account {login}"),
        ReadError::NotSuperAdmin { login, .. } => format!("not a super admin: {login}"),
        ReadError::Request { error, .. } => format!("request failed: {error}"),
    }
}

/// The app as a line: status, kind, grants, accounts and secrets.
fn summary(app: &LiveApp) -> String {
    let accounts: Vec<String> = app
        .accounts
        .iter()
        .map(|(login, account)| {
            let access = match &account.access {
                Access::Unassigned => "unassigned".to_owned(),
                Access::Direct => "direct".to_owned(),
                Access::Groups(groups) => format!("groups {}", groups.join("+")),
            };
            let role = if account.is_super_admin() { ", super admin" } else { "" };
            format!("{login} ({} {access}{role})", account.status)
        })
        .collect();
    let secrets = match &app.client_secrets {
        Secrets::NotRead => "not read".to_owned(),
        Secrets::Active(active) => format!("{} active", active.len()),
        Secrets::Unreadable(why) => format!("unreadable: {why}"),
    };
    let custom: Vec<&str> = app
        .grants
        .keys()
        .map(String::as_str)
        .filter(|s| !crate::catalog::is_auto_granted("okta", s))
        .collect();
    format!(
        "{} {:?}{}; grants {}; accounts {}; secrets {secrets}",
        app.status,
        app.kind,
        if app.client_id_unverified {
            " (client id unverified)"
        } else {
            ""
        },
        custom.join(" "),
        accounts.join(", ")
    )
}

async fn app_line(seed: Seed) -> Result<String, Vec<String>> {
    let org = sim(seed);
    let (live, errors) = read(&org).await;
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(live.apps.get(&acme()).map(summary).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_is_read_with_its_grants_and_the_service_account() {
    let seed = org_seed(
        &["okta.users.read", "okta.groups.read"],
        |app| app["assigned_users"] = json!(["00usvc"]),
        |org| org["users"][1]["roles"] = json!(["SUPER_ADMIN"]),
    );
    assert_eq!(
        app_line(seed).await,
        Ok("ACTIVE Workflows; grants okta.groups.read okta.users.read; accounts svc@acme.com (ACTIVE direct, super admin); secrets not read".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_that_has_the_app_through_a_group_names_the_group() {
    let seed = org_seed(
        &[],
        |app| app["assigned_groups"] = json!(["00gwf"]),
        |org| org["groups"] = json!([{"id": "00gwf", "name": "Workflows admins", "users": ["00usvc"]}]),
    );
    assert_eq!(
        app_line(seed).await,
        Ok(
            "ACTIVE Workflows; grants ; accounts svc@acme.com (ACTIVE groups Workflows admins); secrets not read"
                .to_owned()
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_service_account_is_reported() {
    let seed = org_seed(&[], |_| {}, |org| org["users"] = json!([org["users"][0].clone()]));
    assert_eq!(app_line(seed).await, Err(vec!["no account svc@acme.com".to_owned()]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_without_a_workflows_app_says_what_was_searched() {
    let seed = seed(&[], |app| {
        app["id"] = json!("0oa1other");
        app["name"] = json!("oidc_client");
        app["label"] = json!("Something else");
    });
    assert_eq!(
        app_line(seed).await,
        Err(vec![
            "app not found: 0oa1wf: no app has the id `0oa1wf`, and the org has no app named `flow`".to_owned()
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_id_of_another_app_is_not_taken_for_the_workflows_app() {
    let seed = seed(&[], |app| {
        app["name"] = json!("oidc_client");
        app["label"] = json!("HR portal");
    });
    assert_eq!(
        app_line(seed).await,
        Err(vec![
            "not the Workflows app: 0oa1wf is `oidc_client` \"HR portal\"".to_owned()
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inactive_app_is_read_as_it_is() {
    let seed = seed(&[], |app| app["status"] = json!("INACTIVE"));
    assert_eq!(
        app_line(seed).await,
        Ok("INACTIVE Workflows; grants ; accounts svc@acme.com (ACTIVE unassigned); secrets not read".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oktas_own_app_that_hides_its_client_id_is_taken_as_the_only_flow_app() {
    let seed = seed(&[], |app| {
        app["id"] = json!("0oa1own");
        app["client_id"] = json!("0oa1wf");
        app["oauth_client_visible"] = json!(false);
    });
    assert_eq!(
        app_line(seed).await,
        Ok("ACTIVE Workflows (client id unverified); grants ; accounts svc@acme.com (ACTIVE unassigned); secrets not read".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_with_the_workflows_callback_connects_to_another_org() {
    let seed = seed(&[], |app| {
        app["name"] = json!("oidc_client");
        app["label"] = json!("Workflows to the partner org");
        app["redirect_uris"] = json!(["https://oauth.workflows.okta.com/oauth/okta/cb"]);
    });
    assert_eq!(
        app_line(seed).await,
        Ok("ACTIVE OtherOrg; grants ; accounts svc@acme.com (ACTIVE unassigned); secrets not read".to_owned())
    );
}

fn with_secrets() -> Selection {
    let mut selection = selection();
    selection.apps.insert(
        acme(),
        AppSelection {
            accounts: ["svc@acme.com".to_owned()].into(),
            secrets: true,
        },
    );
    selection
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_secrets_are_listed_when_one_is_to_be_checked_and_only_active_ones_count() {
    let org = sim(seed(&[], |app| {
        app["client_secrets"] = json!([
            {"secret": "the-active-secret-value"},
            {"secret": "an-old-secret-value", "status": "INACTIVE"},
        ]);
    }));
    let (live, errors) = read_with(&org, &with_secrets()).await;
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(
        summary(&live.apps[&acme()]),
        "ACTIVE Workflows; grants ; accounts svc@acme.com (ACTIVE unassigned); secrets 1 active"
    );
    let listed = requests(&org)
        .iter()
        .filter(|r| r.ends_with("/credentials/secrets"))
        .count();
    assert_eq!(listed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_list_the_credential_may_not_read_is_unreadable_not_an_error() {
    let org = sim(seed(&[], |_| {}));
    org.set_faults(Faults {
        forbid: vec!["/api/v1/apps/0oa1wf/credentials/secrets".to_owned()],
        ..Faults::default()
    });
    let (live, errors) = read_with(&org, &with_secrets()).await;
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(
        without_request_id(&summary(&live.apps[&acme()])),
        "ACTIVE Workflows; grants ; accounts svc@acme.com (ACTIVE unassigned); secrets unreadable: GET /api/v1/apps/0oa1wf/credentials/secrets answered 403 E0000006: You do not have permission to perform the requested action (request ID)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_of_an_admin_who_is_not_a_super_admin_is_reported() {
    let seed = org_seed(&[], |_| {}, |org| org["users"][0]["roles"] = json!(["APP_ADMIN"]));
    assert_eq!(
        app_line(seed).await,
        Err(vec!["not a super admin: admin@acme.com".to_owned()])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_sends_each_request_once() {
    let org = sim(seed(&["okta.users.read"], |app| {
        app["assigned_users"] = json!(["00usvc"]);
    }));
    read(&org).await;
    let mut sent = requests(&org);
    sent.sort();
    assert_eq!(
        sent,
        [
            "GET /api/v1/apps/0oa1wf",
            "GET /api/v1/apps/0oa1wf/grants",
            "GET /api/v1/apps/0oa1wf/users/00usvc",
            "GET /api/v1/users/00uadmin/roles",
            "GET /api/v1/users/00usvc/roles",
            "GET /api/v1/users/me",
            "GET /api/v1/users/svc%40acme.com",
        ]
    );
}
