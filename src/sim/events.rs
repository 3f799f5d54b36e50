//! System Log events written by mutations, in the shapes real orgs record. The actor is the
//! caller, the client's user agent is the request's, `client.id` is the OAuth client for
//! calls made with an OAuth token, and members without a value stay `null`, as real events
//! keep them (elastic/integrations,
//! `packages/okta/data_stream/system/_dev/test/pipeline/test-okta-system-events.log`, 2020 captures: `"target": null`, `"client": {"id": null}`).
//! `sim serve --prune-nulls` drops them for clients whose models refuse nulls.

use super::http::timestamp;
use super::ids::{okta_id, random_id};
use super::state::{App, Org, User};
use serde_json::{Map, Value, json};

/// Who made a change: an admin (by API token) or a service app (by OAuth token).
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub kind: &'static str,
    pub alternate_id: String,
    pub display_name: String,
}

impl Actor {
    /// The user or service app behind `id` (a user id, or an app's client id). Okta's
    /// actor type for a service app is `PublicClientApp` (unverified for service apps;
    /// clients match the actor by `id` and `alternateId` only).
    pub fn find(org: &Org, id: &str) -> Option<Self> {
        if let Some(user) = org.users.iter().find(|u| u.id == id) {
            return Some(Self {
                id: user.id.clone(),
                kind: "User",
                alternate_id: user.login.clone(),
                display_name: full_name(user),
            });
        }
        org.apps.iter().find(|a| a.client_id == id).map(|app| Self {
            id: app.client_id.clone(),
            kind: "PublicClientApp",
            alternate_id: app.client_id.clone(),
            display_name: app.label.clone(),
        })
    }
}

/// What a request tells an event about itself.
pub struct EventContext<'a> {
    pub actor: &'a Actor,
    pub user_agent: &'a str,
    pub request_id: &'a str,
    pub request_uri: &'a str,
    pub ip: &'a str,
    pub api_token_id: Option<&'a str>,
    /// The OAuth client whose token made the call; `None` for API-token calls.
    pub oauth_client: Option<&'a str>,
    /// When the event happened.
    pub published: time::OffsetDateTime,
}

/// An event a mutation asks to log: what differs between event types.
#[derive(Clone, Debug)]
pub struct Mutation {
    /// The `eventType`.
    pub kind: &'static str,
    /// The `legacyEventType` (the Events API's `action.objectType`), where one is known.
    pub legacy: Option<&'static str>,
    pub display: String,
    pub targets: Vec<Value>,
    /// Members of `debugContext.debugData` beside the request's.
    pub debug_data: Map<String, Value>,
}

impl Mutation {
    fn new(kind: &'static str, legacy: Option<&'static str>, display: impl Into<String>, targets: Vec<Value>) -> Self {
        Self {
            kind,
            legacy,
            display: display.into(),
            targets,
            debug_data: Map::new(),
        }
    }

    /// `app.oauth2.admin.consent.grant`. No recording of a consent event was found: the
    /// targets (the app and the scope) and the message are unverified, and the legacy type
    /// is left null.
    pub fn consent_granted(app: &App, scope: &str) -> Self {
        Self::new(
            "app.oauth2.admin.consent.grant",
            None,
            format!("Administrator consent granted for scope {scope}"),
            vec![app_target(app), scope_target(scope)],
        )
    }

    /// `app.oauth2.admin.consent.revoke`, unverified like the grant.
    pub fn consent_revoked(app: &App, scope: &str) -> Self {
        Self::new(
            "app.oauth2.admin.consent.revoke",
            None,
            format!("Administrator consent revoked for scope {scope}"),
            vec![app_target(app), scope_target(scope)],
        )
    }

    /// `application.user_membership.add`: targets `AppUser`, `AppInstance` and `User`, the
    /// message without the user, legacy type `app.generic.provision.assign_user_to_app`
    /// (demisto/content, `Packs/Okta/Integrations/Okta_v2` test data captured 2020-02-27).
    pub fn membership_added(app: &App, user: &User) -> Self {
        Self::new(
            "application.user_membership.add",
            Some("app.generic.provision.assign_user_to_app"),
            "Add user to application membership",
            membership_targets(app, user),
        )
    }

    /// `application.user_membership.remove`: the same three targets (ConductorOne/baton-okta,
    /// `pkg/connector/event_filters_test.go`, payloads of a test tenant recorded 2026-08-25);
    /// legacy type `app.generic.provision.deactivate_user_from_app` (Okta's Events API
    /// migration guide, okta/okta.github.io). The message is unverified.
    pub fn membership_removed(app: &App, user: &User) -> Self {
        Self::new(
            "application.user_membership.remove",
            Some("app.generic.provision.deactivate_user_from_app"),
            "Remove user from application membership",
            membership_targets(app, user),
        )
    }

    /// `user.account.privilege.grant`, fired whenever a user's admin privileges change
    /// while some remain ("contains information about the type of admin privileges the
    /// user currently has", Okta's event-type catalog): one `User` target,
    /// `debugData.privilegeGranted` the current roles' names joined with ", ", legacy type
    /// `core.user.admin_privilege.granted` (elastic/integrations okta test logs, 2025-05-23
    /// capture; panther-labs/panther-analysis `okta_admin_role_assigned` test data).
    pub fn privileges_changed(user: &User, roles: &[&str]) -> Self {
        let granted: Vec<&str> = roles.iter().map(|role| privilege_name(role)).collect();
        let mut mutation = Self::new(
            "user.account.privilege.grant",
            Some("core.user.admin_privilege.granted"),
            "Grant user privilege",
            vec![user_target(user)],
        );
        mutation
            .debug_data
            .insert("privilegeGranted".to_owned(), Value::String(granted.join(", ")));
        mutation
    }

    /// `user.account.privilege.revoke`, only when the user holds no admin role any more
    /// (directly or through a group): targets the `User`, a
    /// `ROLE_UNASSIGNED_ALL_PRIVILEGES_REVOKED` marker and the `ROLE` removed last
    /// (ConductorOne/baton-okta, `pkg/connector/event_filters_test.go`, a test tenant's
    /// payload recorded 2026-08-25); legacy type `core.user.admin_privilege.revoked` (Okta's
    /// Events API migration guide). The message is unverified.
    pub fn privileges_revoked(user: &User, last_role: &str) -> Self {
        let marker = "ROLE_UNASSIGNED_ALL_PRIVILEGES_REVOKED";
        Self::new(
            "user.account.privilege.revoke",
            Some("core.user.admin_privilege.revoked"),
            "Revoke all user privileges",
            vec![
                user_target(user),
                json!({
                    "id": marker,
                    "type": marker,
                    "alternateId": "unknown",
                    "displayName": "All Privileges revoked from User. User has no admin privileges",
                    "detailEntry": null,
                }),
                role_target(last_role),
            ],
        )
    }
}

/// The event of `mutation` made in `context`.
pub fn event(context: &EventContext<'_>, mutation: &Mutation) -> Value {
    let mut debug_data = json!({
        "requestId": context.request_id,
        "requestUri": context.request_uri,
        "url": context.request_uri,
    });
    if let Value::Object(map) = &mut debug_data {
        map.extend(mutation.debug_data.clone());
    }
    json!({
        "uuid": uuid_like(),
        "published": timestamp(context.published),
        "eventType": mutation.kind,
        "version": "0",
        "severity": "INFO",
        "legacyEventType": mutation.legacy,
        "displayMessage": mutation.display,
        "actor": {
            "id": context.actor.id,
            "type": context.actor.kind,
            "alternateId": context.actor.alternate_id,
            "displayName": context.actor.display_name,
            "detailEntry": null,
        },
        "client": {
            "userAgent": {"rawUserAgent": context.user_agent, "os": "Unknown", "browser": "UNKNOWN"},
            "zone": "null",
            "device": "Unknown",
            // "For OAuth requests, this is the ID of the OAuth client making the request"
            // (the spec's LogClient.id); null for API-token calls, as recordings show.
            "id": context.oauth_client,
            "ipAddress": context.ip,
            "geographicalContext": null,
        },
        "outcome": {"result": "SUCCESS", "reason": null},
        "target": mutation.targets,
        "transaction": {
            "type": "WEB",
            "id": context.request_id,
            "detail": context.api_token_id.map_or_else(|| json!({}), |id| json!({"requestApiTokenId": id})),
        },
        "debugContext": {"debugData": debug_data},
        "authenticationContext": {
            "authenticationProvider": null,
            "credentialProvider": null,
            "credentialType": null,
            "issuer": null,
            "interface": null,
            "authenticationStep": 0,
            "externalSessionId": "unknown",
        },
        "securityContext": {"asNumber": null, "asOrg": null, "isp": null, "domain": null, "isProxy": null},
        "request": {"ipChain": [{"ip": context.ip, "geographicalContext": null, "version": "V4", "source": null}]},
    })
}

fn app_target(app: &App) -> Value {
    // Custom OIDC apps are named `oidc_client` and shown as "OpenID Connect Client", the
    // instance's label in `alternateId` (ConductorOne/baton-okta, event_filters_test.go,
    // 2026-08-25 payload); other apps show their label in both.
    let display = if app.name == "oidc_client" {
        "OpenID Connect Client"
    } else {
        app.label.as_str()
    };
    json!({"id": app.id, "type": "AppInstance", "alternateId": app.label, "displayName": display, "detailEntry": null})
}

fn scope_target(scope: &str) -> Value {
    json!({"id": scope, "type": "OAuth2Scope", "alternateId": scope, "displayName": scope, "detailEntry": null})
}

fn user_target(user: &User) -> Value {
    json!({
        "id": user.id,
        "type": "User",
        "alternateId": user.login,
        "displayName": full_name(user),
        "detailEntry": null,
    })
}

/// `AppUser`, `AppInstance`, `User`: the app user's own id (`0ua…`), the app, the user.
fn membership_targets(app: &App, user: &User) -> Vec<Value> {
    let app_user = json!({
        "id": okta_id("0ua", &format!("{}/{}", app.id, user.id), 0),
        "type": "AppUser",
        "alternateId": user.login,
        "displayName": full_name(user),
        "detailEntry": null,
    });
    vec![app_user, app_target(app), user_target(user)]
}

/// The `ROLE` target of a privilege revoke: a CamelCase id and the role's title
/// (`HelpDeskAdmin`, "Help Desk Administrator" in the recorded payload).
fn role_target(role: &str) -> Value {
    let id: String = role
        .split('_')
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    let title = id
        .strip_suffix("Admin")
        .map_or_else(|| id.clone(), |name| format!("{} Administrator", spaced(name)));
    json!({
        "id": id,
        "type": "ROLE",
        "alternateId": okta_id("", role, 0).to_ascii_uppercase(),
        "displayName": title,
        "detailEntry": null,
    })
}

/// `HelpDesk` -> "Help Desk".
fn spaced(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A role's name in `debugData.privilegeGranted`. Recorded: "Super administrator",
/// "Organization administrator", "Application administrator (all)", "User administrator
/// (all)", "Help Desk administrator (all)", "API Access Management administrator", "Report
/// administrator", "Read-only administrator" (elastic/integrations and panther-analysis okta
/// samples); the rest follow the same pattern, unverified.
fn privilege_name(role: &str) -> &'static str {
    match role {
        "SUPER_ADMIN" => "Super administrator",
        "ORG_ADMIN" => "Organization administrator",
        "APP_ADMIN" => "Application administrator (all)",
        "USER_ADMIN" => "User administrator (all)",
        "HELP_DESK_ADMIN" => "Help Desk administrator (all)",
        "API_ACCESS_MANAGEMENT_ADMIN" => "API Access Management administrator",
        "REPORT_ADMIN" => "Report administrator",
        "READ_ONLY_ADMIN" => "Read-only administrator",
        "GROUP_MEMBERSHIP_ADMIN" => "Group Membership administrator",
        "WORKFLOWS_ADMIN" => "Workflows administrator",
        "ACCESS_CERTIFICATIONS_ADMIN" => "Access Certifications administrator",
        "ACCESS_REQUESTS_ADMIN" => "Access Requests administrator",
        _ => "Administrator",
    }
}

fn full_name(user: &User) -> String {
    format!("{} {}", user.first_name, user.last_name)
}

fn uuid_like() -> String {
    let hex: String = random_id("")
        .bytes()
        .map(|b| char::from_digit(u32::from(b % 16), 16).unwrap_or('0'))
        .collect();
    let hex = format!("{hex}0000000000");
    format!("{}-{}-11ef-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..28])
}
