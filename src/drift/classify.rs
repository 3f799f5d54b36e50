//! Classifies a difference from the events of the org's System Log: the latest event that
//! can be tied to the object says who changed it. An event is tied to an object by any
//! target's `id`, `alternateId` or `displayName` (what real Okta puts in the targets is
//! unverified, so nothing more is assumed).

use super::{Attribution, Finding, FindingKind};
use crate::model::{AppKey, LiveApp};
use crate::plan::{Change, Step};
use serde_json::Value;

/// The event types drift reads, in one query per org.
const DRIFT_EVENT_TYPES: [&str; 7] = [
    "app.oauth2.admin.consent.grant",
    "app.oauth2.admin.consent.revoke",
    "application.user_membership.add",
    "application.user_membership.remove",
    "user.account.privilege.grant",
    "user.account.privilege.revoke",
    "app.oauth2.authorize.code",
];

const GRANT_EVENTS: [&str; 2] = ["app.oauth2.admin.consent.grant", "app.oauth2.admin.consent.revoke"];
const ASSIGNMENT_EVENTS: [&str; 2] = ["application.user_membership.add", "application.user_membership.remove"];
const PRIVILEGE_EVENTS: [&str; 2] = ["user.account.privilege.grant", "user.account.privilege.revoke"];
const AUTHORIZE_EVENT: &str = "app.oauth2.authorize.code";

/// The filter of the one query per org.
pub fn authorize_events_filter() -> String {
    DRIFT_EVENT_TYPES
        .iter()
        .map(|t| format!("eventType eq \"{t}\""))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Classifies findings of one org from its events, or says why it cannot.
pub struct Classifier<'a> {
    /// The org's events of [`DRIFT_EVENT_TYPES`], or why they could not be read.
    pub events: Result<&'a [Value], &'a str>,
}

fn text<'v>(value: &'v Value, path: &[&str]) -> &'v str {
    path.iter().fold(value, |v, key| &v[*key]).as_str().unwrap_or_default()
}

/// Whether any target of `event` names one of `names`.
fn ties(event: &Value, names: &[&str]) -> bool {
    event["target"].as_array().is_some_and(|targets| {
        targets.iter().any(|target| {
            ["id", "alternateId", "displayName"].iter().any(|field| {
                target[*field].as_str().is_some_and(|value| {
                    names
                        .iter()
                        .any(|name| !name.is_empty() && value.eq_ignore_ascii_case(name))
                })
            })
        })
    })
}

/// Whether an event names no object at all: it cannot be tied to any.
fn untied(event: &Value) -> bool {
    !event["target"].as_array().is_some_and(|targets| {
        targets.iter().any(|t| {
            ["id", "alternateId", "displayName"]
                .iter()
                .any(|f| t[*f].as_str().is_some_and(|v| !v.is_empty()))
        })
    })
}

fn own(event: &Value) -> bool {
    text(event, &["client", "userAgent", "rawUserAgent"]).starts_with("oktaform/")
}

fn attribution(event: &Value) -> Attribution {
    Attribution {
        actor: text(event, &["actor", "alternateId"]).to_owned(),
        published: text(event, &["published"]).to_owned(),
        event_type: text(event, &["eventType"]).to_owned(),
        user_agent: text(event, &["client", "userAgent", "rawUserAgent"]).to_owned(),
    }
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
        let (types, names): (&[&str], Vec<&str>) = match &change.step {
            Step::Grant { app: key, scope } | Step::Revoke { app: key, scope } => {
                let mut names = app_names(key, app);
                names.push(scope);
                (&GRANT_EVENTS, names)
            }
            Step::Assign { app: key, login } | Step::Unassign { app: key, login } => {
                let mut names = app_names(key, app);
                names.push(login);
                if let Some(account) = app.and_then(|a| a.accounts.get(login)) {
                    names.push(&account.user_id);
                }
                (&ASSIGNMENT_EVENTS, names)
            }
            Step::MakeSuperAdmin { login, .. } => {
                let mut names = vec![login.as_str()];
                if let Some(account) = app.and_then(|a| a.accounts.get(login)) {
                    names.push(&account.user_id);
                }
                (&PRIVILEGE_EVENTS, names)
            }
            Step::Reauthorize { .. } => (&[], Vec::new()),
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
        let relevant = events.iter().filter(|e| types.contains(&text(e, &["eventType"])));
        let latest_tied = relevant
            .clone()
            .filter(|e| object_parts.iter().all(|part| ties(e, part)))
            .max_by(|a, b| text(a, &["published"]).cmp(text(b, &["published"])));
        let latest_untied = relevant
            .filter(|e| untied(e))
            .max_by(|a, b| text(a, &["published"]).cmp(text(b, &["published"])));
        let published = |e: Option<&&Value>| e.map(|e| text(e, &["published"]).to_owned());
        if latest_untied.is_some() && published(latest_untied.as_ref()) >= published(latest_tied.as_ref()) {
            return finding(
                FindingKind::Unknown,
                format!(
                    "{wanted}; a change at {} cannot be tied to an object, so who changed it cannot be told",
                    published(latest_untied.as_ref()).unwrap_or_default()
                ),
                latest_untied.map(attribution),
            );
        }
        match latest_tied {
            Some(event) if !own(event) => {
                let who = attribution(event);
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
                Some(attribution(event)),
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
            .filter(|e| GRANT_EVENTS.contains(&text(e, &["eventType"])) && ties(e, &names))
            .max_by(|a, b| text(a, &["published"]).cmp(text(b, &["published"])))?;
        let changed_at = text(last_change, &["published"]);
        let authorized = events.iter().any(|e| {
            text(e, &["eventType"]) == AUTHORIZE_EVENT
                && text(e, &["actor", "alternateId"]).eq_ignore_ascii_case(login)
                && ties(e, &names)
                && text(e, &["published"]) > changed_at
        });
        (!authorized).then(|| Finding {
            kind: FindingKind::ReauthorizePending,
            address: format!("connection.{connection}.reauthorize"),
            domain: key.domain.clone(),
            connections: vec![connection.to_owned()],
            detail: format!(
                "likely not reauthorized: the app's grants last changed at {changed_at}, and the System Log shows no `{AUTHORIZE_EVENT}` by `{login}` for the app since; reauthorize the connection in the Workflows Console"
            ),
            attribution: Some(attribution(last_change)),
        })
    }
}
