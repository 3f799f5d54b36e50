//! Classifying drift from typed events: who changed an object last, and whether a
//! connection was reauthorized since its app's grants changed. The events are in the shape
//! the simulated org records (`src/sim/events.rs`).

use super::{Classifier, Event};
use crate::drift::{Finding, FindingKind};
use crate::model::{Access, LiveApp};
use crate::plan::{Change, Reason, Step};
use crate::testing::{acme, app};
use serde_json::json;

/// The live app of the tests: app id `0oa1wf-id`, the service account `00u-svc@acme.com`.
fn live_app() -> LiveApp {
    app(&acme()).account("svc@acme.com", Access::Direct, true).build()
}

fn event(event_type: &str, published: &str, actor: &str, user_agent: &str, targets: &serde_json::Value) -> Event {
    serde_json::from_value(json!({
        "eventType": event_type,
        "published": published,
        "actor": {"id": "00uactor", "type": "User", "alternateId": actor, "displayName": actor},
        "client": {"userAgent": {"rawUserAgent": user_agent}},
        "target": targets,
    }))
    .expect("an event")
}

const BROWSER: &str = "Mozilla/5.0 (Macintosh)";

/// oktaform acts as the admin `admin@acme.com` (user `00uactor`, the actor of every event
/// made with [`event`]).
fn oktaform_caller() -> crate::model::Caller {
    crate::model::Caller {
        names: vec!["00uadmin".to_owned(), "admin@acme.com".to_owned()],
    }
}
const OKTAFORM: &str = "oktaform/0.1.0";

/// A grant event of `scope` on the app, as the sim records it.
fn grant_event(event_type: &str, published: &str, actor: &str, user_agent: &str, scope: &str) -> Event {
    event(
        event_type,
        published,
        actor,
        user_agent,
        &json!([
            {"id": "0oa1wf-id", "type": "AppInstance", "alternateId": "Okta Workflows OAuth"},
            {"id": scope, "type": "OAuth2Scope", "alternateId": scope, "displayName": scope},
        ]),
    )
}

fn revoke(scope: &str) -> Change {
    Change::new(
        Step::Revoke {
            app: acme(),
            scope: scope.to_owned(),
        },
        vec!["prod".to_owned()],
        Reason::Undeclared,
    )
}

fn classify(events: &[Event], change: &Change) -> (FindingKind, String) {
    let finding = Classifier {
        events: Ok(events),
        caller: Some(&oktaform_caller()),
    }
    .change(change, Some(&live_app()));
    (finding.kind, finding.detail)
}

const WANTED: &str = r#"not declared by any scopes block (scope_policy = "exact")"#;

#[test]
fn a_declared_grant_nobody_made_in_the_window_is_pending() {
    let change = Change::new(
        Step::Grant {
            app: acme(),
            scope: "okta.users.read".to_owned(),
        },
        vec!["prod".to_owned()],
        Reason::DeclaredBy(Vec::new()),
    );
    assert_eq!(
        classify(&[], &change),
        (
            FindingKind::Pending,
            "declared by ; nobody changed it in the window: the config changed, or was never applied".to_owned()
        )
    );
}

#[test]
fn an_undeclared_grant_nobody_made_in_the_window_is_unknown_not_pending() {
    assert_eq!(
        classify(&[], &revoke("okta.users.manage")),
        (
            FindingKind::Unknown,
            format!(
                "{WANTED}; nothing in the window explains it: it changed before the window (widen --since to see who changed it)"
            )
        )
    );
}

#[test]
fn an_unreadable_log_makes_every_finding_unknown() {
    let finding = Classifier {
        events: Err("the System Log could not be read (403)"),
        caller: None,
    }
    .change(&revoke("okta.users.manage"), Some(&live_app()));
    assert_eq!(
        (finding.kind, finding.detail),
        (
            FindingKind::Unknown,
            format!("{WANTED}; who changed it cannot be told: the System Log could not be read (403)")
        )
    );
}

#[test]
fn a_grant_made_in_the_console_is_out_of_band_with_who_and_when() {
    let events = [grant_event(
        "app.oauth2.admin.consent.grant",
        "2026-11-27T09:00:00.000Z",
        "jane@acme.com",
        BROWSER,
        "okta.users.manage",
    )];
    assert_eq!(
        classify(&events, &revoke("okta.users.manage")),
        (
            FindingKind::OutOfBand,
            format!(
                "{WANTED}; changed out of band by `jane@acme.com` at 2026-11-27T09:00:00.000Z (app.oauth2.admin.consent.grant, User-Agent `{BROWSER}`)"
            )
        )
    );
}

#[test]
fn a_grant_last_changed_by_oktaform_is_pending() {
    let events = [grant_event(
        "app.oauth2.admin.consent.grant",
        "2026-11-27T09:00:00.000Z",
        "admin@acme.com",
        OKTAFORM,
        "okta.users.manage",
    )];
    assert_eq!(
        classify(&events, &revoke("okta.users.manage")),
        (
            FindingKind::Pending,
            format!("{WANTED}; last changed by oktaform, so the config changed since")
        )
    );
}

#[test]
fn the_latest_event_of_the_object_decides() {
    let events = [
        grant_event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T09:00:00.000Z",
            "jane@acme.com",
            BROWSER,
            "okta.users.manage",
        ),
        grant_event(
            "app.oauth2.admin.consent.revoke",
            "2026-11-27T10:00:00.000Z",
            "admin@acme.com",
            OKTAFORM,
            "okta.users.manage",
        ),
    ];
    assert_eq!(classify(&events, &revoke("okta.users.manage")).0, FindingKind::Pending);
}

#[test]
fn an_event_of_another_scope_says_nothing_of_this_one() {
    let events = [grant_event(
        "app.oauth2.admin.consent.grant",
        "2026-11-27T09:00:00.000Z",
        "jane@acme.com",
        BROWSER,
        "okta.groups.manage",
    )];
    assert_eq!(
        classify(&events, &revoke("okta.users.manage")),
        classify(&[], &revoke("okta.users.manage"))
    );
}

#[test]
fn a_newer_event_that_names_no_object_makes_the_finding_unknown() {
    let events = [
        grant_event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T09:00:00.000Z",
            "jane@acme.com",
            BROWSER,
            "okta.users.manage",
        ),
        event(
            "app.oauth2.admin.consent.revoke",
            "2026-11-27T11:00:00.000Z",
            "bob@acme.com",
            BROWSER,
            &json!(null),
        ),
    ];
    assert_eq!(
        classify(&events, &revoke("okta.users.manage")),
        (
            FindingKind::Unknown,
            format!(
                "{WANTED}; a change at 2026-11-27T11:00:00.000Z cannot be tied to an object, so who changed it cannot be told"
            )
        )
    );
}

#[test]
fn an_older_untied_event_does_not_hide_a_newer_tied_one() {
    let events = [
        event(
            "app.oauth2.admin.consent.revoke",
            "2026-11-27T08:00:00.000Z",
            "bob@acme.com",
            BROWSER,
            &json!([]),
        ),
        grant_event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T09:00:00.000Z",
            "jane@acme.com",
            BROWSER,
            "okta.users.manage",
        ),
    ];
    assert_eq!(
        classify(&events, &revoke("okta.users.manage")).0,
        FindingKind::OutOfBand
    );
}

#[test]
fn an_unassignment_in_the_console_is_tied_by_the_app_and_the_user() {
    let change = Change::new(
        Step::Assign {
            app: acme(),
            login: "svc@acme.com".to_owned(),
        },
        vec!["prod".to_owned()],
        Reason::AccountUnassigned,
    );
    let events = [event(
        "application.user_membership.remove",
        "2026-11-27T09:00:00.000Z",
        "jane@acme.com",
        BROWSER,
        &json!([
            {"id": "00u-svc@acme.com", "type": "User", "alternateId": "svc@acme.com"},
            {"id": "0oa1wf-id", "type": "AppInstance", "alternateId": "Okta Workflows OAuth"},
        ]),
    )];
    assert_eq!(classify(&events, &change).0, FindingKind::OutOfBand);
}

#[test]
fn a_super_admin_role_taken_in_the_console_is_out_of_band() {
    let change = Change::new(
        Step::MakeSuperAdmin {
            domain: "acme.okta.com".to_owned(),
            login: "svc@acme.com".to_owned(),
        },
        vec!["prod".to_owned()],
        Reason::AccountNotSuperAdmin,
    );
    let events = [event(
        "user.account.privilege.revoke",
        "2026-11-27T09:00:00.000Z",
        "jane@acme.com",
        BROWSER,
        &json!([{"id": "00u-svc@acme.com", "type": "User", "alternateId": "svc@acme.com"}]),
    )];
    assert_eq!(classify(&events, &change).0, FindingKind::OutOfBand);
}

#[test]
fn members_of_other_shapes_are_read_as_empty_and_never_fail_the_read() {
    let odd: Event = serde_json::from_value(json!({
        "eventType": "app.oauth2.admin.consent.grant",
        "published": 5,
        "actor": null,
        "client": {"userAgent": null},
        "target": [{"id": 7, "alternateId": null, "displayName": ["x"]}],
    }))
    .expect("an event of odd shapes still reads");
    assert_eq!(
        (
            odd.published.as_str(),
            odd.actor.alternate_id.as_str(),
            odd.target.len()
        ),
        ("", "", 1)
    );
    assert_eq!(classify(&[odd], &revoke("okta.users.manage")).0, FindingKind::Unknown);
}

fn reauthorize_named(events: &[Event], nickname: Option<&str>) -> Option<Finding> {
    let connection = super::Connection {
        name: "prod",
        login: "svc@acme.com",
        nickname,
    };
    Classifier {
        events: Ok(events),
        caller: Some(&oktaform_caller()),
    }
    .reauthorize(&acme(), &live_app(), &connection)
}

fn reauthorize(events: &[Event]) -> Option<Finding> {
    reauthorize_named(events, None)
}

/// `app.oauth2.authorize.code` as real orgs record it: the OAuth client is the actor
/// (`PublicClientApp`, its id the client id, as is `client.id`: the spec's `LogClient.id`,
/// "for OAuth requests, this is the ID of the OAuth client making the request") and the
/// user who authorized is a target (DESIGN section 6, from samples of real events).
fn authorized_by(client_id: &str, user: &str, published: &str) -> Event {
    serde_json::from_value(json!({
        "eventType": "app.oauth2.authorize.code",
        "published": published,
        "actor": {"id": client_id, "type": "PublicClientApp", "alternateId": "Okta Workflows OAuth", "displayName": "Okta Workflows OAuth"},
        "client": {"id": client_id, "userAgent": {"rawUserAgent": BROWSER}},
        "target": [{"id": format!("00u-{user}"), "type": "User", "alternateId": user, "displayName": user}],
    }))
    .expect("an event")
}

fn authorized(published: &str) -> Event {
    authorized_by("0oa1wf", "svc@acme.com", published)
}

/// `workflows.user.connection.reauthorize` (or `.create`): Okta's event-type catalog says
/// its targets are the user who reauthorized, the application, and the connection's display
/// name (`../shared/okta-api/event-types.csv`); the targets' types are not documented, so
/// the nickname is looked for in any target.
fn workflows_event(event_type: &str, user: &str, nickname: &str, published: &str) -> Event {
    event(
        event_type,
        published,
        user,
        BROWSER,
        &json!([
            {"id": format!("00u-{user}"), "type": "User", "alternateId": user, "displayName": user},
            {"id": "okta", "type": "AppInstance", "alternateId": "Okta", "displayName": "Okta"},
            {"id": "conn-1", "type": "WorkflowsConnection", "alternateId": nickname, "displayName": nickname},
        ]),
    )
}

fn grant_change() -> Event {
    grant_event(
        "app.oauth2.admin.consent.grant",
        "2026-11-27T09:00:00.000Z",
        "admin@acme.com",
        OKTAFORM,
        "okta.users.read",
    )
}

#[test]
fn a_workflows_reauthorization_naming_the_nickname_counts() {
    let events = [
        grant_change(),
        workflows_event(
            "workflows.user.connection.reauthorize",
            "jane@acme.com",
            "Okta prod",
            "2026-11-27T09:30:00.000Z",
        ),
    ];
    assert_eq!(reauthorize_named(&events, Some("Okta prod")), None);
    assert_eq!(
        reauthorize_named(&events, Some("Okta staging")).map(|f| f.kind),
        Some(FindingKind::ReauthorizePending),
        "another connection's reauthorization does not count"
    );
}

#[test]
fn without_a_nickname_a_workflows_event_of_the_service_account_counts() {
    let events = [
        grant_change(),
        workflows_event(
            "workflows.user.connection.create",
            "svc@acme.com",
            "Okta",
            "2026-11-27T09:30:00.000Z",
        ),
    ];
    assert_eq!(reauthorize(&events), None);
    let someone_else = [
        grant_change(),
        workflows_event(
            "workflows.user.connection.reauthorize",
            "jane@acme.com",
            "Okta",
            "2026-11-27T09:30:00.000Z",
        ),
    ];
    assert_eq!(
        reauthorize(&someone_else).map(|f| f.kind),
        Some(FindingKind::ReauthorizePending)
    );
}

#[test]
fn an_authorization_of_another_client_does_not_count() {
    let events = [
        grant_change(),
        authorized_by("0oa1other", "svc@acme.com", "2026-11-27T09:30:00.000Z"),
    ];
    assert_eq!(
        reauthorize(&events).map(|f| f.kind),
        Some(FindingKind::ReauthorizePending)
    );
}

#[test]
fn an_authorize_event_with_the_user_as_actor_is_not_the_real_shape_and_does_not_count() {
    let guessed = event(
        "app.oauth2.authorize.code",
        "2026-11-27T09:30:00.000Z",
        "svc@acme.com",
        BROWSER,
        &json!([{"id": "0oa1wf-id", "type": "AppInstance", "alternateId": "Okta Workflows OAuth"}]),
    );
    assert_eq!(
        reauthorize(&[grant_change(), guessed]).map(|f| f.kind),
        Some(FindingKind::ReauthorizePending)
    );
}

#[test]
fn a_connection_not_authorized_since_the_grants_changed_is_likely_not_reauthorized() {
    let events = [grant_event(
        "app.oauth2.admin.consent.grant",
        "2026-11-27T09:00:00.000Z",
        "admin@acme.com",
        OKTAFORM,
        "okta.users.read",
    )];
    let finding = reauthorize(&events).expect("a finding");
    assert_eq!(
        (finding.kind, finding.address, finding.detail),
        (
            FindingKind::ReauthorizePending,
            "connection.prod.reauthorize".to_owned(),
            "likely not reauthorized: the app's grants last changed at 2026-11-27T09:00:00.000Z, and the System Log shows no reauthorization of the connection since (a Workflows connection event naming `svc@acme.com`, or an authorization of the app by `svc@acme.com`); reauthorize the connection in the Workflows Console".to_owned()
        )
    );
}

#[test]
fn an_authorization_after_the_change_means_reauthorized() {
    let events = [
        grant_event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T09:00:00.000Z",
            "admin@acme.com",
            OKTAFORM,
            "okta.users.read",
        ),
        authorized("2026-11-27T09:30:00.000Z"),
    ];
    assert_eq!(reauthorize(&events), None);
}

#[test]
fn an_authorization_before_the_change_does_not_count() {
    let events = [
        authorized("2026-11-27T08:30:00.000Z"),
        grant_event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T09:00:00.000Z",
            "admin@acme.com",
            OKTAFORM,
            "okta.users.read",
        ),
    ];
    assert_eq!(
        reauthorize(&events).map(|f| f.kind),
        Some(FindingKind::ReauthorizePending)
    );
}

#[test]
fn without_a_grant_change_in_the_window_there_is_nothing_to_reauthorize() {
    assert_eq!(reauthorize(&[authorized("2026-11-27T08:30:00.000Z")]), None);
}

#[test]
fn the_log_is_narrowed_to_the_apps_clients_on_the_server() {
    assert_eq!(
        super::drift_events_filter(&["0oa1wf", "0oa2wf"]),
        r#"eventType eq "app.oauth2.admin.consent.grant" or eventType eq "app.oauth2.admin.consent.revoke" or eventType eq "application.user_membership.add" or eventType eq "application.user_membership.remove" or eventType eq "user.account.privilege.grant" or eventType eq "user.account.privilege.revoke" or eventType eq "workflows.user.connection.reauthorize" or eventType eq "workflows.user.connection.create" or (eventType eq "app.oauth2.authorize.code" and (actor.id eq "0oa1wf" or actor.id eq "0oa2wf"))"#
    );
}

#[test]
fn a_consent_event_that_names_the_app_but_no_scope_makes_the_finding_unknown() {
    let vague = event(
        "app.oauth2.admin.consent.revoke",
        "2026-11-27T09:00:00.000Z",
        "jane@acme.com",
        BROWSER,
        &json!([{"id": "0oa1wf-id", "type": "AppInstance", "alternateId": "Okta Workflows OAuth"}]),
    );
    assert_eq!(
        classify(&[vague], &revoke("okta.users.manage")),
        (
            FindingKind::Unknown,
            format!(
                "{WANTED}; a change at 2026-11-27T09:00:00.000Z cannot be tied to an object, so who changed it cannot be told"
            )
        )
    );
}

#[test]
fn oktafoms_user_agent_sent_by_someone_else_is_out_of_band() {
    let spoofed = [grant_event(
        "app.oauth2.admin.consent.grant",
        "2026-11-27T09:00:00.000Z",
        "mallory@acme.com",
        OKTAFORM,
        "okta.users.manage",
    )];
    assert_eq!(
        classify(&spoofed, &revoke("okta.users.manage")),
        (
            FindingKind::OutOfBand,
            format!(
                "{WANTED}; changed out of band by `mallory@acme.com` at 2026-11-27T09:00:00.000Z (app.oauth2.admin.consent.grant, User-Agent `{OKTAFORM}`)"
            )
        )
    );
}

#[test]
fn an_automatic_scope_revoked_as_oktaform_is_out_of_band_since_oktaform_never_does_it() {
    let change = Change::new(
        Step::Grant {
            app: acme(),
            scope: "offline_access".to_owned(),
        },
        vec!["prod".to_owned()],
        Reason::AutoGrantedMissing,
    );
    let events = [grant_event(
        "app.oauth2.admin.consent.revoke",
        "2026-11-27T09:00:00.000Z",
        "admin@acme.com",
        OKTAFORM,
        "offline_access",
    )];
    assert_eq!(classify(&events, &change).0, FindingKind::OutOfBand);
}
