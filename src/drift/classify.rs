//! Classifies a difference from the events of the org's System Log: the latest event that
//! can be tied to the object says who changed it. An event is tied to an object by any
//! target's `id`, `alternateId` or `displayName` (what real Okta puts in the targets is
//! unverified, so nothing more is assumed).

use super::{Attribution, Finding, FindingKind};
use crate::model::{AppKey, Caller, LiveApp};
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
    /// A user authorized an OAuth client: the Workflows app's client as the actor, the user
    /// as a target.
    Authorize,
    /// A Workflows connection created or reauthorized (Okta's Workflows events).
    Reauthorize,
}

/// The one table of the event types drift reads, and what each says.
const EVENT_TYPES: [(&str, EventKind); 9] = [
    ("app.oauth2.admin.consent.grant", EventKind::Grant),
    ("app.oauth2.admin.consent.revoke", EventKind::Grant),
    ("application.user_membership.add", EventKind::Assignment),
    ("application.user_membership.remove", EventKind::Assignment),
    ("user.account.privilege.grant", EventKind::Privilege),
    ("user.account.privilege.revoke", EventKind::Privilege),
    ("app.oauth2.authorize.code", EventKind::Authorize),
    ("workflows.user.connection.reauthorize", EventKind::Reauthorize),
    ("workflows.user.connection.create", EventKind::Reauthorize),
];

/// The filter of the one query per org: every event type of [`EVENT_TYPES`], authorize
/// events only of the Workflows apps' clients (`client_ids`), so that the org's sign-ins to
/// other apps are never read.
pub fn drift_events_filter(client_ids: &[&str]) -> String {
    let mut terms: Vec<String> = EVENT_TYPES
        .iter()
        .filter(|(_, kind)| *kind != EventKind::Authorize)
        .map(|(t, _)| format!("eventType eq {}", quoted(t)))
        .collect();
    if !client_ids.is_empty() {
        let clients: Vec<String> = client_ids
            .iter()
            .map(|c| format!("actor.id eq {}", quoted(c)))
            .collect();
        terms.push(format!(
            "(eventType eq \"app.oauth2.authorize.code\" and ({}))",
            clients.join(" or ")
        ));
    }
    terms.join(" or ")
}

/// A string literal of the filter language.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
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
    /// `User`, `AppInstance`, `PublicClientApp`, ...
    #[serde(rename = "type", deserialize_with = "lenient")]
    pub kind: String,
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
    /// For OAuth requests, the client making the request (the spec's `LogClient.id`).
    #[serde(deserialize_with = "lenient")]
    pub id: String,
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

    /// Whether oktaform made the change: its User-Agent, and the identity it acts as (when
    /// known). A User-Agent alone is anyone's to send.
    pub fn is_own(&self, caller: Option<&Caller>) -> bool {
        self.client.user_agent.raw_user_agent.starts_with("oktaform/")
            && caller.is_none_or(|caller| caller.is(&self.actor.id, &self.actor.alternate_id))
    }

    /// Whether the event revokes a scope granted automatically: oktaform never does.
    fn revokes_an_automatic_scope(&self) -> bool {
        self.event_type == "app.oauth2.admin.consent.revoke"
            && self.target.iter().any(|t| {
                crate::catalog::is_auto_granted("okta", &t.id)
                    || crate::catalog::is_auto_granted("okta", &t.alternate_id)
            })
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

/// A connection as drift knows it: its name, service account and nickname.
#[derive(Clone, Copy, Debug)]
pub struct Connection<'a> {
    pub name: &'a str,
    pub login: &'a str,
    pub nickname: Option<&'a str>,
}

/// Classifies findings of one org from its events, or says why it cannot.
pub struct Classifier<'a> {
    /// The org's events of [`EVENT_TYPES`], or why they could not be read.
    pub events: Result<&'a [Event], &'a str>,
    /// Who oktaform acts as in the org, when known.
    pub caller: Option<&'a Caller>,
}

/// The kind of event that changes the object of `change`, and the names the event must
/// give for each part of the object: the app and the scope, the app and the user, or the
/// user.
fn object_of<'c>(change: &'c Change, app: Option<&'c LiveApp>) -> (Option<EventKind>, Vec<Vec<&'c str>>) {
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
        Step::MakeSuperAdmin { login, .. } | Step::RemoveSuperAdmin { login, .. } => {
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
    (kind, object_parts)
}

/// Whether the config explains a difference nobody changed in the window: it declares an
/// object the org lacks (never applied). An object the config does not ask for, or an
/// automatic scope gone, was made by someone.
fn explained_by_config(change: &Change) -> bool {
    change.action() == crate::plan::Action::Create && change.reason != crate::plan::Reason::AutoGrantedMissing
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
        let (kind, object_parts) = object_of(change, app);
        let relevant = events.iter().filter(|e| kind.is_some() && e.kind() == kind);
        let latest_tied = relevant
            .clone()
            .filter(|e| object_parts.iter().all(|part| e.ties(part)))
            .max_by(|a, b| a.published.cmp(&b.published));
        // An event that names the object's app and nothing else (a consent event without its
        // scope) could be about this object as well as any other of the app.
        let app_part = (object_parts.len() == 2).then(|| object_parts[0].as_slice());
        let vague = |e: &Event| {
            app_part.is_some_and(|app| {
                let names_app = |t: &Party| {
                    [&t.id, &t.alternate_id, &t.display_name]
                        .iter()
                        .any(|v| app.iter().any(|name| !name.is_empty() && v.eq_ignore_ascii_case(name)))
                };
                let empty = |t: &Party| t.id.is_empty() && t.alternate_id.is_empty() && t.display_name.is_empty();
                e.ties(app) && e.target.iter().all(|t| names_app(t) || empty(t))
            })
        };
        let latest_untied = relevant
            .filter(|e| e.untied() || vague(e))
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
            Some(event) if !event.is_own(self.caller) || event.revokes_an_automatic_scope() => {
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
            // Something the config declares is missing: it was never applied.
            None if explained_by_config(change) => finding(
                FindingKind::Pending,
                format!("{wanted}; nobody changed it in the window: the config changed, or was never applied"),
                None,
            ),
            // Something the config does not ask for is there (or an automatic scope is
            // gone): made before the window, by someone the log no longer shows.
            None => finding(
                FindingKind::Unknown,
                format!(
                    "{wanted}; nothing in the window explains it: it changed before the window (widen --since to see who changed it)"
                ),
                None,
            ),
        }
    }

    /// A connection likely not reauthorized since its app's grants changed: after the latest
    /// grant change, no Workflows event of the connection (by its `nickname`, or else a
    /// `User` target that is its service account) and no `app.oauth2.authorize.code` of the
    /// app's client (the actor) for the service account (a `User` target).
    pub fn reauthorize(&self, key: &AppKey, app: &LiveApp, connection: &Connection<'_>) -> Option<Finding> {
        let events = self.events.ok()?;
        let names = app_names(key, Some(app));
        let last_change = events
            .iter()
            .filter(|e| e.kind() == Some(EventKind::Grant) && e.ties(&names))
            .max_by(|a, b| a.published.cmp(&b.published))?;
        let changed_at = last_change.published.as_str();
        let user_id = app.accounts.get(connection.login).map(|a| a.user_id.as_str());
        let is_account = |target: &Party| {
            target.kind.eq_ignore_ascii_case("User")
                && (target.alternate_id.eq_ignore_ascii_case(connection.login)
                    || user_id.is_some_and(|id| !id.is_empty() && target.id == id))
        };
        let reauthorized = events
            .iter()
            .filter(|e| e.published.as_str() > changed_at)
            .any(|e| match e.kind() {
                Some(EventKind::Reauthorize) => match connection.nickname {
                    Some(nickname) => e.target.iter().any(|t| {
                        t.display_name.eq_ignore_ascii_case(nickname) || t.alternate_id.eq_ignore_ascii_case(nickname)
                    }),
                    None => e.target.iter().any(is_account),
                },
                Some(EventKind::Authorize) => {
                    (e.actor.id == key.client_id || e.client.id == key.client_id) && e.target.iter().any(is_account)
                }
                _ => false,
            });
        let name = connection.name;
        let login = connection.login;
        (!reauthorized).then(|| Finding {
            kind: FindingKind::ReauthorizePending,
            address: format!("connection.{name}.reauthorize"),
            domain: key.domain.clone(),
            connections: vec![name.to_owned()],
            detail: format!(
                "likely not reauthorized: the app's grants last changed at {changed_at}, and the System Log shows no reauthorization of the connection since (a Workflows connection event naming {}, or an authorization of the app by `{login}`); reauthorize the connection in the Workflows Console",
                match connection.nickname {
                    Some(nickname) => format!("`{nickname}`"),
                    None => format!("`{login}`"),
                }
            ),
            attribution: Some(last_change.attribution()),
        })
    }
}

#[cfg(test)]
mod tests;
