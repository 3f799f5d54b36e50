//! Reconciling a plan file: the plan made against the org as it was, the org as it is at
//! apply time, perhaps a hand-edited file; what apply derives, or why it refuses.

use super::{Refusal, as_planned, compare};
use crate::model::{Access, Live};
use crate::plan::{Change, Declarations, Differ, Step};
use crate::testing::{acme, app, config, line, live, one_connection};

/// The changes `config_text` needs against `org`.
fn plan(config_text: &str, org: &Live) -> Vec<Change> {
    let (loaded, validated) = config(config_text);
    let selected = validated.desired.connections.keys().cloned().collect();
    Differ {
        desired: &validated.desired,
        live: org,
        declarations: Declarations {
            sites: &validated.sites,
            sources: &loaded.sources,
            root: None,
        },
        selected: &selected,
    }
    .diff()
    .changes
}

/// What apply derives from the plan file `planned` against the org `now`: the changes in a
/// line each, or the refusal.
fn reconcile(config_text: &str, planned: &[Change], now: &Live) -> Result<Vec<String>, Refusal> {
    let rewound = as_planned(planned, now)?;
    let derived = plan(config_text, &rewound);
    compare(planned, &derived)?;
    Ok(derived.iter().map(line).collect())
}

fn config_text() -> String {
    one_connection(&["okta.users.read", "okta.groups.read"], "")
}

/// The org at plan time: one declared scope granted, one not, one undeclared.
fn at_plan() -> Live {
    live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.apps.manage"])
        .ready()])
}

fn grant(scope: &str) -> Step {
    Step::Grant {
        app: acme(),
        scope: scope.to_owned(),
    }
}

const GRANT_GROUPS: &str =
    r#"+ app["acme.okta.com/0oa1wf"].grant["okta.groups.read"] (declared by scopes.base (main.hcl:9))"#;
const REVOKE_APPS: &str = r#"- app["acme.okta.com/0oa1wf"].grant["okta.apps.manage"] (not declared by any scopes block (scope_policy = "exact"))"#;
const REAUTHORIZE: &str = "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)";

#[test]
fn an_org_unchanged_since_the_plan_applies_the_plan() {
    let planned = plan(&config_text(), &at_plan());
    assert_eq!(
        reconcile(&config_text(), &planned, &at_plan()),
        Ok(vec![
            GRANT_GROUPS.to_owned(),
            REVOKE_APPS.to_owned(),
            REAUTHORIZE.to_owned()
        ])
    );
}

#[test]
fn a_plan_applied_halfway_is_applied_again_whole() {
    let planned = plan(&config_text(), &at_plan());
    let halfway = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.read", "okta.apps.manage"])
        .ready()]);
    assert_eq!(
        reconcile(&config_text(), &planned, &halfway),
        Ok(vec![
            GRANT_GROUPS.to_owned(),
            REVOKE_APPS.to_owned(),
            REAUTHORIZE.to_owned()
        ])
    );
}

#[test]
fn a_plan_applied_fully_is_applied_again_without_harm() {
    let planned = plan(&config_text(), &at_plan());
    let done = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.read"])
        .ready()]);
    assert_eq!(
        reconcile(&config_text(), &planned, &done),
        Ok(vec![
            GRANT_GROUPS.to_owned(),
            REVOKE_APPS.to_owned(),
            REAUTHORIZE.to_owned()
        ])
    );
}

#[test]
fn a_grant_added_out_of_band_after_the_plan_makes_it_stale() {
    let planned = plan(&config_text(), &at_plan());
    let changed = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.apps.manage", "okta.users.manage"])
        .ready()]);
    assert_eq!(
        reconcile(&config_text(), &planned, &changed),
        Err(Refusal::Stale(vec![
            r#"app["acme.okta.com/0oa1wf"].grant["okta.users.manage"] now needs a change the plan does not hold: not declared by any scopes block (scope_policy = "exact")"#.to_owned()
        ]))
    );
}

#[test]
fn a_step_added_to_the_file_by_hand_is_refused() {
    let mut planned = plan(&config_text(), &at_plan());
    let mut extra = planned[0].clone();
    extra.step = grant("okta.users.manage");
    planned.push(extra);
    assert_eq!(
        reconcile(&config_text(), &planned, &at_plan()),
        Err(Refusal::Mismatch(vec![
            r#"+ app["acme.okta.com/0oa1wf"].grant["okta.users.manage"]"#.to_owned()
        ]))
    );
}

#[test]
fn a_step_turned_around_in_the_file_is_refused() {
    let mut planned = plan(&config_text(), &at_plan());
    planned[0].step = Step::Revoke {
        app: acme(),
        scope: "okta.groups.read".to_owned(),
    };
    assert_eq!(
        reconcile(&config_text(), &planned, &at_plan()),
        Err(Refusal::Mismatch(vec![
            r#"- app["acme.okta.com/0oa1wf"].grant["okta.groups.read"]"#.to_owned()
        ]))
    );
}

#[test]
fn a_step_left_out_of_the_file_makes_it_stale() {
    let mut planned = plan(&config_text(), &at_plan());
    planned.retain(|c| c.step != grant("okta.groups.read"));
    assert_eq!(
        reconcile(&config_text(), &planned, &at_plan()),
        Err(Refusal::Stale(vec![
            r#"app["acme.okta.com/0oa1wf"].grant["okta.groups.read"] now needs a change the plan does not hold: declared by scopes.base (main.hcl:9)"#.to_owned()
        ]))
    );
}

#[test]
fn a_reminder_left_out_of_the_file_is_no_reason_to_refuse() {
    let mut planned = plan(&config_text(), &at_plan());
    planned.retain(|c| !matches!(c.step, Step::Reauthorize { .. }));
    assert_eq!(
        reconcile(&config_text(), &planned, &at_plan()),
        Ok(vec![
            GRANT_GROUPS.to_owned(),
            REVOKE_APPS.to_owned(),
            REAUTHORIZE.to_owned()
        ])
    );
}

#[test]
fn an_app_that_can_no_longer_be_read_makes_the_plan_stale() {
    let planned = plan(&config_text(), &at_plan());
    assert_eq!(
        reconcile(&config_text(), &planned, &Live::default()),
        Err(Refusal::Stale(vec![
            r#"app["acme.okta.com/0oa1wf"].grant["okta.groups.read"] could not be read in the org"#.to_owned(),
            r#"app["acme.okta.com/0oa1wf"].grant["okta.apps.manage"] could not be read in the org"#.to_owned(),
        ]))
    );
}

#[test]
fn a_config_that_asks_for_more_since_the_plan_makes_it_stale() {
    let planned = plan(&config_text(), &at_plan());
    let more = one_connection(&["okta.users.read", "okta.groups.read", "okta.logs.read"], "");
    assert_eq!(
        reconcile(&more, &planned, &at_plan()),
        Err(Refusal::Stale(vec![
            r#"app["acme.okta.com/0oa1wf"].grant["okta.logs.read"] now needs a change the plan does not hold: declared by scopes.base (main.hcl:9)"#.to_owned()
        ]))
    );
}

#[test]
fn a_config_that_no_longer_asks_for_a_planned_grant_is_refused() {
    let planned = plan(&config_text(), &at_plan());
    let less = one_connection(&["okta.users.read"], "");
    assert_eq!(
        reconcile(&less, &planned, &at_plan()),
        Err(Refusal::Mismatch(vec![
            r#"+ app["acme.okta.com/0oa1wf"].grant["okta.groups.read"]"#.to_owned()
        ]))
    );
}

#[test]
fn an_account_made_super_admin_by_someone_else_since_the_plan_still_applies() {
    let before = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.read"])
        .account("svc@acme.com", Access::Direct, false)]);
    let planned = plan(&config_text(), &before);
    let now = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.read"])
        .ready()]);
    assert_eq!(
        reconcile(&config_text(), &planned, &now),
        Ok(vec![
            r#"+ user["acme.okta.com/svc@acme.com"].super_admin [needs --force=privileged] (the service account must be a super admin to authorize the connection)"#.to_owned()
        ])
    );
}
