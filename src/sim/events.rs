//! System Log events written by mutations. The actor is the caller, the client's user agent
//! is the request's, and the targets are the app and the scope, or the user (what real Okta
//! puts there is unverified; clients must not depend on more).

use super::http::timestamp;
use super::ids::random_id;
use super::state::{App, Org, User};
use serde_json::{Value, json};

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
                display_name: format!("{} {}", user.first_name, user.last_name),
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
    /// When the event happened.
    pub published: time::OffsetDateTime,
}

/// An event; members without a value are left out, as the spec's `LogEvent` declares most of
/// them non-nullable.
pub fn event(context: &EventContext<'_>, event_type: &str, display: &str, targets: &[Value]) -> Value {
    let uuid = uuid_like();
    let mut event = json!({
        "uuid": uuid,
        "published": timestamp(context.published),
        "eventType": event_type,
        "version": "0",
        "severity": "INFO",
        "legacyEventType": null,
        "displayMessage": display,
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
            "id": null,
            "ipAddress": context.ip,
            "geographicalContext": null,
        },
        "outcome": {"result": "SUCCESS", "reason": null},
        "target": targets,
        "transaction": {
            "type": "WEB",
            "id": context.request_id,
            "detail": context.api_token_id.map_or_else(|| json!({}), |id| json!({"requestApiTokenId": id})),
        },
        "debugContext": {"debugData": {"requestId": context.request_id, "requestUri": context.request_uri, "url": context.request_uri}},
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
    });
    super::state::prune_nulls(&mut event);
    event
}

pub fn app_target(app: &App) -> Value {
    json!({"id": app.id, "type": "AppInstance", "alternateId": app.label, "displayName": app.label, "detailEntry": null})
}

pub fn scope_target(scope: &str) -> Value {
    json!({"id": scope, "type": "OAuth2Scope", "alternateId": scope, "displayName": scope, "detailEntry": null})
}

pub fn user_target(user: &User) -> Value {
    json!({
        "id": user.id,
        "type": "User",
        "alternateId": user.login,
        "displayName": format!("{} {}", user.first_name, user.last_name),
        "detailEntry": null,
    })
}

fn uuid_like() -> String {
    let hex: String = random_id("")
        .bytes()
        .map(|b| char::from_digit(u32::from(b % 16), 16).unwrap_or('0'))
        .collect();
    let hex = format!("{hex}0000000000");
    format!("{}-{}-11ef-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..28])
}
