//! Classifies a difference from the events of the org's System Log: the latest event that
//! can be tied to the object says who changed it. An event is tied to an object by any
//! target's `id`, `alternateId` or `displayName` (what real Okta puts in the targets is
//! unverified, so nothing more is assumed).

use super::{Attribution, Finding, FindingKind};
use crate::model::{AppKey, LiveApp};
use crate::plan::{Change, Step};
use serde::Deserialize;

/// What an event drift reads says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A grant of an app created or revoked.
    Grant,
    /// A user assigned to or unassigned from an app.
    Assignment,
    /// An admin role given or taken.
    Privilege,
    /// A user authorized an OAuth client (a connection being reauthorized).
    Authorize,
}

/// The one table of the event types drift reads, and what each says.
const EVENT_TYPES: [(&str, EventKind); 7] = [
    ("app.oauth2.admin.consent.grant", EventKind::Grant),
    ("app.oauth2.admin.consent.revoke", EventKind::Grant),
    ("application.user_membership.add", EventKind::Assignment),
    ("application.user_membership.remove", EventKind::Assignment),
    ("user.account.privilege.grant", EventKind::Privilege),
    ("user.account.privilege.revoke", EventKind::Privilege),
    ("app.oauth2.authorize.code", EventKind::Authorize),
];

/// The filter of the one query per org: every event type of [`EVENT_TYPES`].
pub fn authorize_events_filter() -> String {
    EVENT_TYPES
        .iter()
        .map(|(t, _)| format!("eventType eq \"{t}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A System Log event as drift reads it: only the members it uses, each optional (what a
/// real org leaves out or sends as `null` is read as empty).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Event {
    #[serde(deserialize_with = "lenient")]
    pub event_type: String,
    #[serde(deserialize_with = "lenient")]
    pub published: String,
    #[serde(deserialize_with = "lenient")]
    pub actor: Party,
    #[serde(deserialize_with = "lenient")]
    pub target: Vec<Party>,
    #[serde(deserialize_with = "lenient")]
    pub client: Client,
}

/// An actor or a target of an event.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Party {
    #[serde(deserialize_with = "lenient")]
    pub id: String,
    #[serde(deserialize_with = "lenient")]
    pub alternate_id: String,
    #[serde(deserialize_with = "lenient")]
    pub display_name: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Client {
    #[serde(deserialize_with = "lenient")]
    pub user_agent: UserAgent,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserAgent {
    #[serde(deserialize_with = "lenient")]
    pub raw_user_agent: String,
}

/// A member of another shape than expected (`null`, a number for a string) read as the
/// default: an org's answer never makes the whole log unreadable.
fn lenient<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).unwrap_or_default())
}

impl Event {
    /// What the event says happened; `None` for a type drift does not read.
    pub fn kind(&self) -> Option<EventKind> {
        EVENT_TYPES
            .iter()
            .find(|(name, _)| *name == self.event_type)
            .map(|(_, kind)| *kind)
    }

    /// Whether any target names one of `names` (by `id`, `alternateId` or `displayName`).
    fn ties(&self, names: &[&str]) -> bool {
        self.target.iter().any(|target| {
            [&target.id, &target.alternate_id, &target.display_name]
                .iter()
                .any(|value| {
                    names
                        .iter()
                        .any(|name| !name.is_empty() && value.eq_ignore_ascii_case(name))
                })
        })
    }

    /// Whether the event names no object at all: it cannot be tied to any.
    fn untied(&self) -> bool {
        !self
            .target
            .iter()
            .any(|t| !t.id.is_empty() || !t.alternate_id.is_empty() || !t.display_name.is_empty())
    }

    /// Whether oktaform made the change (its User-Agent).
    fn own(&self) -> bool {
        self.client.user_agent.raw_user_agent.starts_with("oktaform/")
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            actor: self.actor.alternate_id.clone(),
            published: self.published.clone(),
            event_type: self.event_type.clone(),
            user_agent: self.client.user_agent.raw_user_agent.clone(),
        }
    }
}

/// Classifies findings of one org from its events, or says why it cannot.
pub struct Classifier<'a> {
    /// The org's events of [`EVENT_TYPES`], or why they could not be read.
    pub events: Result<&'a [Event], &'a str>,
}

/// The names an app is known by in events: its id and its client id.
fn app_names<'n>(key: &'n AppKey, app: Option<&'n LiveApp>) -> Vec<&'n str> {
    let mut names = vec![key.client_id.as_str()];
    if let Some(app) = app {
        names.push(app.app_id.as_str());
    }
    names
}

impl Classifier<'_> {
    /// The finding of a planned change.
    pub fn change(&self, change: &Change, app: Option<&LiveApp>) -> Finding {
        let address = change.address();
        let finding = |kind, detail: String, attribution| Finding {
            kind,
            address: address.clone(),
            domain: change.step.domain().to_owned(),
            connections: change.connections.clone(),
            detail,
            attribution,
        };
        let wanted = change.reason.describe();
        let events = match self.events {
            Ok(events) => events,
            Err(why) => {
                return finding(
                    FindingKind::Unknown,
                    format!("{wanted}; who changed it cannot be told: {why}"),
                    None,
                );
            }
        };
        let (kind, names): (Option<EventKind>, Vec<&str>) = match &change.step {
            Step::Grant { app: key, scope } | Step::Revoke { app: key, scope } => {
                let mut names = app_names(key, app);
                names.push(scope);
                (Some(EventKind::Grant), names)
            }
            Step::Assign { app: key, login } | Step::Unassign { app: key, login } => {
                let mut names = app_names(key, app);
                names.push(login);
                if let Some(account) = app.and_then(|a| a.accounts.get(login)) {
                    names.push(&account.user_id);
                }
                (Some(EventKind::Assignment), names)
            }
            Step::MakeSuperAdmin { login, .. } => {
                let mut names = vec![login.as_str()];
                if let Some(account) = app.and_then(|a| a.accounts.get(login)) {
                    names.push(&account.user_id);
                }
                (Some(EventKind::Privilege), names)
            }
            Step::Reauthorize { .. } => (None, Vec::new()),
        };
        // Every name of the object must be named by the event: the app and the scope, the
        // app and the user, or the user.
        let object_parts: Vec<Vec<&str>> = match &change.step {
            Step::Grant { .. } | Step::Revoke { .. } | Step::Assign { .. } | Step::Unassign { .. } => {
                let app_count = app.map_or(1, |_| 2);
                vec![names[..app_count].to_vec(), names[app_count..].to_vec()]
            }
            _ => vec![names.clone()],
        };
        let relevant = events.iter().filter(|e| kind.is_some() && e.kind() == kind);
        let latest_tied = relevant
            .clone()
            .filter(|e| object_parts.iter().all(|part| e.ties(part)))
            .max_by(|a, b| a.published.cmp(&b.published));
        let latest_untied = relevant
            .filter(|e| e.untied())
            .max_by(|a, b| a.published.cmp(&b.published));
        let published = |e: Option<&&Event>| e.map(|e| e.published.clone());
        if latest_untied.is_some() && published(latest_untied.as_ref()) >= published(latest_tied.as_ref()) {
            return finding(
                FindingKind::Unknown,
                format!(
                    "{wanted}; a change at {} cannot be tied to an object, so who changed it cannot be told",
                    published(latest_untied.as_ref()).unwrap_or_default()
                ),
                latest_untied.map(Event::attribution),
            );
        }
        match latest_tied {
            Some(event) if !event.own() => {
                let who = event.attribution();
                finding(
                    FindingKind::OutOfBand,
                    format!(
                        "{wanted}; changed out of band by `{}` at {} ({}, User-Agent `{}`)",
                        who.actor, who.published, who.event_type, who.user_agent
                    ),
                    Some(who),
                )
            }
            Some(event) => finding(
                FindingKind::Pending,
                format!("{wanted}; last changed by oktaform, so the config changed since"),
                Some(event.attribution()),
            ),
            None => finding(
                FindingKind::Pending,
                format!("{wanted}; nobody changed it in the window: the config changed, or was never applied"),
                None,
            ),
        }
    }

    /// A connection likely not reauthorized since its app's grants changed: no
    /// `app.oauth2.authorize.code` event by its service account for the app after the
    /// latest grant change (unverified on a real org, so worded as likely).
    pub fn reauthorize(&self, key: &AppKey, app: &LiveApp, connection: &str, login: &str) -> Option<Finding> {
        let events = self.events.ok()?;
        let names = app_names(key, Some(app));
        let last_change = events
            .iter()
            .filter(|e| e.kind() == Some(EventKind::Grant) && e.ties(&names))
            .max_by(|a, b| a.published.cmp(&b.published))?;
        let changed_at = last_change.published.as_str();
        let authorized = events.iter().any(|e| {
            e.kind() == Some(EventKind::Authorize)
                && e.actor.alternate_id.eq_ignore_ascii_case(login)
                && e.ties(&names)
                && e.published.as_str() > changed_at
        });
        (!authorized).then(|| Finding {
            kind: FindingKind::ReauthorizePending,
            address: format!("connection.{connection}.reauthorize"),
            domain: key.domain.clone(),
            connections: vec![connection.to_owned()],
            detail: format!(
                "likely not reauthorized: the app's grants last changed at {changed_at}, and the System Log shows no `app.oauth2.authorize.code` by `{login}` for the app since; reauthorize the connection in the Workflows Console"
            ),
            attribution: Some(last_change.attribution()),
        })
    }
}

#[cfg(test)]
mod tests;
