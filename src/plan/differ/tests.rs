//! The differ, scenario by scenario: a config, the org as read, the changes in a line each.

use super::{Declarations, Differ};
use crate::model::{Access, AppKey, Live, Secrets};
use crate::secret::Secret;
use crate::testing::{acme, app, config, lines, live, one_connection};

/// The diff of `config_text` against `live`, for every connection.
fn diff(config_text: &str, live: &Live) -> Vec<String> {
    let (loaded, validated) = config(config_text);
    let selected = validated.desired.connections.keys().cloned().collect();
    let diff = Differ {
        desired: &validated.desired,
        live,
        declarations: Declarations {
            sites: &validated.sites,
            sources: &loaded.sources,
            root: None,
        },
        selected: &selected,
    }
    .diff();
    lines(&diff)
}

const A: &str = r#"app["acme.okta.com/0oa1wf"]"#;

#[test]
fn a_converged_org_needs_nothing() {
    let org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).ready()]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        Vec::<String>::new()
    );
}

#[test]
fn a_declared_scope_is_granted_and_the_connection_reauthorized() {
    let org = live([app(&acme()).auto_granted().ready()]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        [
            format!(r#"+ {A}.grant["okta.users.read"] (declared by scopes.base (main.hcl:9))"#),
            "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
        ]
    );
}

#[test]
fn under_exact_an_undeclared_grant_is_revoked_but_never_an_automatic_one() {
    let org = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.manage"])
        .ready()]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        [
            format!(r#"- {A}.grant["okta.groups.manage"] (not declared by any scopes block (scope_policy = "exact"))"#),
            "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
        ]
    );
}

#[test]
fn under_additive_an_undeclared_grant_is_kept_and_listed() {
    let org = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.manage"])
        .ready()]);
    assert_eq!(
        diff(
            &one_connection(&["okta.users.read"], "  scope_policy    = \"additive\"\n"),
            &org
        ),
        [format!(r#"unmanaged {A}.grant["okta.groups.manage"]"#)]
    );
}

#[test]
fn a_missing_automatic_scope_is_granted_again_when_the_app_lists_the_others() {
    let mut automatic = crate::catalog::auto_granted("okta");
    let missing = automatic.pop().expect("the catalog has automatic scopes");
    let org = live([app(&acme()).granted(&automatic).granted(&["okta.users.read"]).ready()]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        [
            format!(r#"+ {A}.grant["{missing}"] (auto-granted scope missing: the app lists other auto-granted scopes, and the connection's authorization fails without this one)"#),
            "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
        ]
    );
}

#[test]
fn an_app_without_any_automatic_scope_is_left_as_it_is() {
    let org = live([app(&acme()).granted(&["okta.users.read"]).ready()]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        Vec::<String>::new()
    );
}

#[test]
fn an_unassigned_account_is_assigned_and_made_super_admin_under_the_privileged_rule() {
    let org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).account(
        "svc@acme.com",
        Access::Unassigned,
        false,
    )]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        [
            format!(r#"+ {A}.assignment["svc@acme.com"] (the service account must be assigned to the Okta Workflows OAuth app)"#),
            r#"+ user["acme.okta.com/svc@acme.com"].super_admin [needs --force=privileged] (the service account must be a super admin to authorize the connection)"#.to_owned(),
        ]
    );
}

#[test]
fn an_account_assigned_through_a_group_counts_as_assigned() {
    let org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).account(
        "svc@acme.com",
        Access::Groups(vec!["Workflows admins".to_owned()]),
        true,
    )]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        Vec::<String>::new()
    );
}

#[test]
fn a_retired_connection_gives_up_its_grants_and_its_assignment_under_the_retire_rule() {
    let org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).ready()]);
    assert_eq!(
        diff(
            &one_connection(&["okta.users.read"], "  retired         = true\n"),
            &org
        ),
        [
            format!(r#"- {A}.assignment["svc@acme.com"] [needs --force=retire] (the connection is retired)"#),
            r#"- user["acme.okta.com/svc@acme.com"].super_admin [needs --force=retire] (the connection is retired)"#
                .to_owned(),
            format!(r#"- {A}.grant["okta.users.read"] [needs --force=retire] (declared only by a retired connection)"#),
        ]
    );
}

#[test]
fn a_retired_connection_s_account_stays_super_admin_while_another_connection_of_the_org_uses_it() {
    let other = AppKey {
        domain: "acme.okta.com".to_owned(),
        client_id: "0oa2wf".to_owned(),
    };
    let org = live([
        app(&acme()).auto_granted().granted(&["okta.users.read"]).ready(),
        app(&other).auto_granted().ready(),
    ]);
    let config = format!(
        "{}\nconnection \"other\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa2wf\"\n  service_account = \"svc@acme.com\"\n}}\n",
        one_connection(&["okta.users.read"], "  retired         = true\n")
    );
    assert_eq!(
        diff(&config, &org),
        [
            format!(r#"- {A}.assignment["svc@acme.com"] [needs --force=retire] (the connection is retired)"#),
            format!(r#"- {A}.grant["okta.users.read"] [needs --force=retire] (declared only by a retired connection)"#),
            "oktaform::plan::super_admin_kept: `svc@acme.com` stays a super admin".to_owned(),
        ]
    );
}

#[test]
fn a_retired_connection_s_account_keeps_a_role_its_group_gives() {
    let mut org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).ready()]);
    for app in org.apps.values_mut() {
        for account in app.accounts.values_mut() {
            account.super_admin_roles[0].direct = false;
        }
    }
    assert_eq!(
        diff(
            &one_connection(&["okta.users.read"], "  retired         = true\n"),
            &org
        ),
        [
            format!(r#"- {A}.assignment["svc@acme.com"] [needs --force=retire] (the connection is retired)"#),
            format!(r#"- {A}.grant["okta.users.read"] [needs --force=retire] (declared only by a retired connection)"#),
            "oktaform::plan::super_admin_kept: `svc@acme.com` stays a super admin".to_owned(),
        ]
    );
}

#[test]
fn a_retired_connection_whose_account_has_the_app_through_a_group_says_so() {
    let org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).account(
        "svc@acme.com",
        Access::Groups(vec!["Workflows admins".to_owned()]),
        true,
    )]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], "  retired         = true\n"), &org),
        [
            r#"- user["acme.okta.com/svc@acme.com"].super_admin [needs --force=retire] (the connection is retired)"#.to_owned(),
            format!(r#"- {A}.grant["okta.users.read"] [needs --force=retire] (declared only by a retired connection)"#),
            "oktaform::plan::group_assignment: `svc@acme.com` keeps the app through the group(s) `Workflows admins`: oktaform does not unassign it".to_owned(),
        ]
    );
}

/// Five grants beside the automatic ones, of which the config keeps one.
fn five_grants() -> Live {
    live([app(&acme())
        .auto_granted()
        .granted(&[
            "okta.users.read",
            "okta.groups.read",
            "okta.apps.read",
            "okta.logs.read",
            "okta.roles.read",
        ])
        .ready()])
}

fn revokes(rule: &str) -> Vec<String> {
    let mut lines: Vec<String> = [
        "okta.apps.read",
        "okta.groups.read",
        "okta.logs.read",
        "okta.roles.read",
    ]
    .iter()
    .map(|scope| format!(r#"- {A}.grant["{scope}"]{rule} (not declared by any scopes block (scope_policy = "exact"))"#))
    .collect();
    lines.push("! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned());
    lines
}

#[test]
fn revoking_most_grants_of_a_small_app_is_below_the_mass_revoke_threshold() {
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &five_grants()),
        revokes("")
    );
}

#[test]
fn revoking_most_grants_of_an_app_over_the_threshold_needs_the_mass_revoke_rule() {
    let config = one_connection(&["okta.users.read"], "") + "\nsafety {\n  min_grants = 4\n}\n";
    let mut expected = revokes(" [needs --force=mass_revoke]");
    expected.push(format!("mass_revoke {A}: 4 of 5"));
    assert_eq!(diff(&config, &five_grants()), expected);
}

#[test]
fn a_shared_app_keeps_the_grants_of_every_connection_and_reauthorizes_each() {
    let config = r#"connection "hr" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf"
  service_account = "svc@acme.com"
}

connection "it" {
  domain          = "acme.okta.com"
  client_id       = "0oa1wf"
  service_account = "svc@acme.com"
}

scopes "hr" {
  connection = connection.hr
  grant      = ["okta.users.read"]
}

scopes "it" {
  connection = connection.it
  grant      = ["okta.users.read", "okta.groups.read"]
}
"#;
    let org = live([app(&acme()).auto_granted().granted(&["okta.users.read"]).ready()]);
    assert_eq!(diff(config, &org), [
            format!(r#"+ {A}.grant["okta.groups.read"] (declared by scopes.it (main.hcl:20))"#),
            "! connection.hr.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
            "! connection.it.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
        ]);
}

#[test]
fn a_client_secret_that_matches_no_active_secret_is_an_error_at_its_attribute() {
    let org = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read"])
        .ready()
        .with(|a| a.client_secrets = Secrets::Active(vec![Secret::new("the-active-secret-value")]))]);
    assert_eq!(
        diff(
            &one_connection(&["okta.users.read"], "  client_secret   = \"not-the-secret-value\"\n"),
            &org
        ),
        ["oktaform::plan::client_secret_mismatch: the client secret of connection `prod` does not match the app's"]
    );
}

#[test]
fn a_client_secret_that_cannot_be_listed_is_a_warning() {
    let org = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read"])
        .ready()
        .with(|a| a.client_secrets = Secrets::Unreadable("403 E0000006".to_owned()))]);
    assert_eq!(
        diff(
            &one_connection(
                &["okta.users.read"],
                "  client_secret   = \"the-active-secret-value\"\n"
            ),
            &org
        ),
        ["oktaform::plan::client_secret_unverified: the client secret of connection `prod` could not be verified"]
    );
}

#[test]
fn a_grant_held_twice_is_revoked_in_one_step() {
    let org = live([app(&acme())
        .auto_granted()
        .granted(&["okta.users.read", "okta.groups.manage", "okta.groups.manage"])
        .ready()]);
    assert_eq!(
        diff(&one_connection(&["okta.users.read"], ""), &org),
        [
            format!(r#"- {A}.grant["okta.groups.manage"] (not declared by any scopes block (scope_policy = "exact"))"#),
            "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
        ]
    );
}

#[test]
fn a_grant_shows_the_reason_its_scopes_block_gives() {
    let org = live([app(&acme()).auto_granted().ready()]);
    let text = one_connection(&["okta.users.read"], "").replace(
        "scopes \"base\" {\n",
        "scopes \"base\" {\n  reason     = \"Onboarding flows\n read users\"\n",
    );
    let (loaded, validated) = config(&text);
    let selected = validated.desired.connections.keys().cloned().collect();
    let diff = Differ {
        desired: &validated.desired,
        live: &org,
        declarations: Declarations {
            sites: &validated.sites,
            sources: &loaded.sources,
            root: None,
        },
        selected: &selected,
    }
    .diff();
    assert_eq!(
        lines(&diff),
        [
            format!(r#"+ {A}.grant["okta.users.read"] (declared by scopes.base (main.hcl:11) for "Onboarding flows\u{{a}} read users")"#),
            "! connection.prod.reauthorize (the app's grants change: reauthorize the connection in the Workflows Console to pick them up)".to_owned(),
        ]
    );
    assert_eq!(
        serde_json::to_value(&diff.changes[0].reason).unwrap(),
        serde_json::json!({"declared_by": [{"block": "scopes.base", "file": "main.hcl", "line": 11, "reason": "Onboarding flows\\u{a} read users"}]})
    );
}
