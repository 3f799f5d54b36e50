//! Catalogs of Okta facts that validation checks against: scopes, `LogEvent` attributes and
//! event types. They are JSON data in `schemas/`, embedded at build time and generated from
//! the sources in `schemas/sources/` (see `generate`, which also keeps them fresh).

#[cfg(test)]
mod generate;
pub mod language;
mod status;

pub use status::Status;

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Release stage of a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Stage {
    #[serde(rename = "GA")]
    GenerallyAvailable,
    #[serde(rename = "LEA")]
    LimitedEarlyAccess,
}

/// One Okta scope.
#[derive(Clone, Debug, Deserialize)]
pub struct Scope {
    pub name: String,
    pub stage: Stage,
    /// Connectors whose OAuth app is granted this scope automatically.
    pub auto_granted_by: Vec<String>,
    pub description: String,
}

#[derive(Deserialize)]
struct ScopesFile {
    scopes: Vec<Scope>,
}

#[derive(Deserialize)]
struct LogEventFile {
    attributes: Vec<String>,
    /// Attributes whose values are not strings: `number` or `boolean`.
    types: BTreeMap<String, String>,
    free_form: Vec<String>,
}

#[derive(Deserialize)]
struct EventTypesFile {
    event_types: Vec<EventType>,
}

/// One System Log event type.
#[derive(Clone, Debug, Deserialize)]
pub struct EventType {
    pub name: String,
    pub release: String,
}

static SCOPES: LazyLock<BTreeMap<String, Scope>> = LazyLock::new(|| {
    let file: ScopesFile =
        serde_json::from_str(include_str!("../../schemas/scopes.json")).expect("schemas/scopes.json is valid");
    file.scopes.into_iter().map(|s| (s.name.clone(), s)).collect()
});

static LOG_EVENT: LazyLock<LogEventFile> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../schemas/log-event.json")).expect("schemas/log-event.json is valid")
});

/// The attributes of a log event, for lookups (a query names several; a config may hold
/// thousands of queries).
static LOG_ATTRIBUTES: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| LOG_EVENT.attributes.iter().map(String::as_str).collect());

static EVENT_TYPES: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
    let file: EventTypesFile = serde_json::from_str(include_str!("../../schemas/event-types.json"))
        .expect("schemas/event-types.json is valid");
    file.event_types.into_iter().map(|e| e.name).collect()
});

/// The scope named `name`, if the catalog knows it.
pub fn scope(name: &str) -> Option<&'static Scope> {
    SCOPES.get(name)
}

pub fn scope_names() -> impl Iterator<Item = &'static str> {
    SCOPES.keys().map(String::as_str)
}

/// Connectors that the catalog knows (those that auto-grant at least one scope).
pub fn connectors() -> BTreeSet<&'static str> {
    SCOPES
        .values()
        .flat_map(|s| s.auto_granted_by.iter().map(String::as_str))
        .collect()
}

/// Whether `connector`'s OAuth app is granted `scope` automatically.
pub fn is_auto_granted(connector: &str, scope: &str) -> bool {
    self::scope(scope).is_some_and(|s| s.auto_granted_by.iter().any(|c| c == connector))
}

/// The scopes `connector`'s OAuth app is granted automatically, sorted.
pub fn auto_granted(connector: &str) -> Vec<&'static str> {
    SCOPES
        .values()
        .filter(|s| s.auto_granted_by.iter().any(|c| c == connector))
        .map(|s| s.name.as_str())
        .collect()
}

/// How the `LogEvent` schema knows an attribute path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeKind {
    /// A declared attribute.
    Known,
    /// Below a free-form object (`debugContext.debugData.*`, `*.detailEntry.*`).
    FreeForm,
    Unknown,
}

/// Whether `path` can be used in a System Log filter.
pub fn log_attribute(path: &str) -> AttributeKind {
    if LOG_ATTRIBUTES.contains(path) {
        return AttributeKind::Known;
    }
    let free = LOG_EVENT.free_form.iter().any(|prefix| {
        path.strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1)
    });
    if free {
        AttributeKind::FreeForm
    } else {
        AttributeKind::Unknown
    }
}

/// The JSON type of a declared attribute's value: `string`, `number` or `boolean`; `None`
/// for an attribute the schema does not declare (free-form or unknown).
pub fn log_attribute_type(path: &str) -> Option<&'static str> {
    if let Some(kind) = LOG_EVENT.types.get(path) {
        return Some(kind.as_str());
    }
    LOG_ATTRIBUTES.contains(path).then_some("string")
}

pub fn log_attributes() -> impl Iterator<Item = &'static str> {
    LOG_EVENT.attributes.iter().map(String::as_str)
}

pub fn is_event_type(name: &str) -> bool {
    EVENT_TYPES.contains(name)
}

pub fn event_types() -> impl Iterator<Item = &'static str> {
    EVENT_TYPES.iter().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_okta_connector_auto_grants_the_oidc_scopes() {
        assert_eq!(
            auto_granted("okta"),
            vec![
                "address",
                "email",
                "groups",
                "offline_access",
                "openid",
                "phone",
                "profile"
            ]
        );
        assert!(connectors().contains("okta"));
        assert_eq!(
            scope("okta.workflows.invoke.manage").map(|s| s.stage),
            Some(Stage::LimitedEarlyAccess)
        );
        assert_eq!(
            scope("okta.users.manage").map(|s| s.stage),
            Some(Stage::GenerallyAvailable)
        );
    }

    #[test]
    fn log_attributes_know_free_form_objects() {
        assert_eq!(log_attribute("eventType"), AttributeKind::Known);
        assert_eq!(log_attribute("target.id"), AttributeKind::Known);
        assert_eq!(
            log_attribute("client.geographicalContext.country"),
            AttributeKind::Known
        );
        assert_eq!(
            log_attribute("debugContext.debugData.requestUri"),
            AttributeKind::FreeForm
        );
        assert_eq!(
            log_attribute("actor.detailEntry.methodTypeUsed"),
            AttributeKind::FreeForm
        );
        assert_eq!(log_attribute("debugContext.debugData"), AttributeKind::Unknown);
        assert_eq!(log_attribute("event_type"), AttributeKind::Unknown);
        assert_eq!(log_attribute("target.changeDetails.to"), AttributeKind::Unknown);
    }

    #[test]
    fn event_types_include_the_ones_drift_reads() {
        for name in [
            "app.oauth2.admin.consent.grant",
            "app.oauth2.admin.consent.revoke",
            "application.user_membership.add",
            "application.user_membership.remove",
            "user.account.privilege.grant",
            "user.account.privilege.revoke",
            "app.oauth2.authorize.code",
            "user.session.start",
        ] {
            assert!(is_event_type(name), "{name}");
        }
    }
}
