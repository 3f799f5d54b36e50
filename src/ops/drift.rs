//! Drift: a read-only plan, each difference classified from the System Log with one query
//! per org over the window; connections likely not reauthorized; log queries whose `expect`
//! does not hold.

use super::plan::{PlanRequest, Planned, plan};
use super::{Context, Failure};
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::drift::{Classifier, DriftReport, Event, EventKind, Finding, FindingKind, drift_events_filter};
use crate::live::{LogsRequest, Reading, read_pages};
use crate::model::{Expectation, SortOrder};
use crate::okta::{OktaClient, Purpose};
use crate::plan::Kind;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub struct DriftRequest {
    /// What to plan: config, connections, variables, target (the purpose is drift's).
    pub plan: PlanRequest,
    /// Since when the System Log is read (a duration back from now, or a time).
    pub since: crate::time_spec::TimeSpec,
    /// Count only out-of-band changes and failed `expect` assertions.
    pub out_of_band_only: bool,
}

pub struct Drifted {
    pub report: DriftReport,
    /// Warnings and advice of the plan underneath.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

/// The System Log events of one org, or why they could not be read.
type OrgEvents = BTreeMap<String, Result<Vec<Event>, String>>;

pub async fn drift(ctx: &Context<'_>, request: DriftRequest) -> Result<Drifted, Failure> {
    let start = request.since.resolve(ctx.now);
    super::query::check_window("--since", start, None, ctx.now)?;
    let plan_request = PlanRequest {
        purpose: Purpose::Drift,
        ..request.plan
    };
    let planned = plan(ctx, &plan_request).await?;
    let now = ctx.now;
    let events = read_events(&planned, start, now).await;
    let blind: Vec<Diagnostic> = events
        .iter()
        .filter_map(|(domain, read)| read.as_ref().err().map(|why| unreadable(&planned, domain, why)))
        .collect();
    if !blind.is_empty() {
        return Err(planned.prepared.fail(blind));
    }
    let classifier = |domain: &str| Classifier {
        caller: planned.live.callers.get(domain),
        events: match events.get(domain) {
            Some(Ok(events)) => Ok(events.as_slice()),
            Some(Err(why)) => Err(why.as_str()),
            None => Err("the org was not read"),
        },
    };
    let mut findings: Vec<Finding> = planned
        .diff
        .changes
        .iter()
        .filter(|c| c.kind() != Kind::Reauthorize)
        .map(|change| {
            let app = change
                .step
                .app()
                .and_then(|key| planned.live.apps.get(key))
                .or_else(|| {
                    planned
                        .live
                        .apps
                        .values()
                        .find(|a| a.key.domain == change.step.domain())
                });
            classifier(change.step.domain()).change(change, app)
        })
        .collect();
    let desired = &planned.prepared.validated.desired;
    for (key, app) in &desired.apps {
        let Some(live) = planned.live.apps.get(key) else {
            continue;
        };
        for name in app
            .connections
            .iter()
            .filter(|c| planned.prepared.selected.contains(*c))
        {
            let Some(connection) = desired.connections.get(name).filter(|c| !c.retired) else {
                continue;
            };
            let connection = crate::drift::Connection {
                name,
                login: &connection.service_account,
                nickname: connection.nickname.as_deref(),
            };
            findings.extend(classifier(&key.domain).reauthorize(key, live, &connection));
        }
    }
    findings.extend(expectations(&planned, now).await);
    let orgs = planned
        .document
        .target
        .endpoints
        .keys()
        .map(|domain| (domain.clone(), planned.document.target.describe_org(domain)))
        .collect();
    let since = start
        .replace_nanosecond(0)
        .unwrap_or(start)
        .format(&Rfc3339)
        .unwrap_or_default();
    Ok(Drifted {
        report: DriftReport::new(since, orgs, findings, request.out_of_band_only),
        diagnostics: planned.diagnostics,
        sources: planned.prepared.loaded.sources,
    })
}

/// The diagnostic of an org whose System Log could not be read, at its first connection.
fn unreadable(planned: &Planned, domain: &str, why: &str) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::DriftLogUnreadable,
        format!("`{domain}`: {why}; drift cannot tell who changed what, so it reports nothing"),
    )
    .help(
        "the credential needs `okta.logs.read` (a service app: grant it on the Okta API Scopes tab; an API token: use one of a super admin), then run drift again",
    );
    let validated = &planned.prepared.validated;
    match validated.sites.org(&validated.desired, domain) {
        Some(span) => diagnostic.at(span, "this org"),
        None => diagnostic,
    }
}

/// The events drift keeps as they stream: every change of an object (admins' changes are
/// few), and of the authorizations and Workflows connection events only the latest per
/// event type and targets, so that memory does not grow with the number of sign-ins.
#[derive(Default)]
struct Folded {
    changes: Vec<Event>,
    latest: BTreeMap<(String, Vec<String>), Event>,
}

impl Folded {
    fn add(&mut self, event: Event) {
        if !matches!(event.kind(), Some(EventKind::Authorize | EventKind::Reauthorize)) {
            self.changes.push(event);
            return;
        }
        let targets: Vec<String> = event
            .target
            .iter()
            .map(|t| format!("{}/{}/{}/{}", t.kind, t.id, t.alternate_id, t.display_name))
            .collect();
        let key = (format!("{}/{}", event.event_type, event.actor.id), targets);
        match self.latest.get(&key) {
            Some(kept) if kept.published >= event.published => {}
            _ => {
                self.latest.insert(key, event);
            }
        }
    }

    fn into_events(self) -> Vec<Event> {
        let mut events = self.changes;
        events.extend(self.latest.into_values());
        events
    }
}

/// One query per org, every page, for every event type drift reads.
async fn read_events(planned: &Planned, start: OffsetDateTime, now: OffsetDateTime) -> OrgEvents {
    let mut events = OrgEvents::new();
    for (domain, client) in &planned.orgs.clients {
        let client_ids: Vec<&str> = planned
            .prepared
            .validated
            .desired
            .apps
            .keys()
            .filter(|key| &key.domain == domain)
            .map(|key| key.client_id.as_str())
            .collect();
        let request = LogsRequest {
            q: None,
            filter: Some(drift_events_filter(&client_ids)),
            since: Some(start),
            // Events of this very moment count too.
            until: Some(now + time::Duration::milliseconds(1)),
            order: SortOrder::Ascending,
            limit: 1000,
        };
        let reading = Reading {
            all: true,
            max: None,
            follow: None,
        };
        let mut folded = Folded::default();
        let result = read_pages(client, &request, reading, &mut |page| {
            for raw in page {
                folded.add(serde_json::from_str(raw.get()).map_err(std::io::Error::other)?);
            }
            Ok(())
        })
        .await;
        events.insert(
            domain.clone(),
            result
                .map(|_| folded.into_events())
                .map_err(|error| format!("the System Log could not be read ({error})")),
        );
    }
    events
}

/// A finding for each selected log query whose `expect` does not hold, or cannot be checked.
async fn expectations(planned: &Planned, now: OffsetDateTime) -> Vec<Finding> {
    let desired = &planned.prepared.validated.desired;
    let mut findings = Vec::new();
    for query in desired
        .log_queries
        .values()
        .filter(|q| q.expect.is_some() && planned.prepared.selected.contains(&q.connection))
    {
        let Some(connection) = desired.connections.get(&query.connection) else {
            continue;
        };
        let Some(client) = planned.orgs.clients.get(&connection.app.domain) else {
            continue;
        };
        let caller = planned.live.callers.get(&connection.app.domain);
        let (kind, detail) = match matching(client, query, now, caller).await {
            Err(error) => (
                FindingKind::Unknown,
                format!("`expect` could not be checked: the System Log could not be read ({error})"),
            ),
            Ok(found) if (found.count == 0) != (query.expect == Some(Expectation::Empty)) => {
                let own = if query.exclude_own {
                    " (oktaform's own events left out)"
                } else {
                    ""
                };
                (
                    FindingKind::ExpectFailed,
                    match &found.first {
                        Some(first) => format!(
                            "`expect = \"empty\"`, but the query matches {} event(s) in its window{own}; the first: {} by `{}` at {}",
                            found.count, first.event_type, first.actor.alternate_id, first.published
                        ),
                        None => format!("`expect = \"nonempty\"`, but the query matches no event in its window{own}"),
                    },
                )
            }
            Ok(_) => continue,
        };
        findings.push(Finding {
            kind,
            address: format!("log_query.{}", query.name),
            domain: connection.app.domain.clone(),
            connections: vec![query.connection.clone()],
            detail,
            attribution: None,
        });
    }
    findings
}

/// The events a query matches in its window, folded as they stream: how many, and the first.
struct Matches {
    count: u64,
    first: Option<Event>,
}

/// The events `query` matches in its window, oktaform's own left out when the query says
/// so (`exclude_own`).
async fn matching(
    client: &OktaClient,
    query: &crate::model::LogQuery,
    now: OffsetDateTime,
    caller: Option<&crate::model::Caller>,
) -> Result<Matches, crate::live::ReadLogError> {
    let mut request = LogsRequest::of(query, now, false);
    request.order = SortOrder::Ascending;
    request.limit = 1000;
    let reading = Reading {
        all: true,
        max: None,
        follow: None,
    };
    let mut found = Matches { count: 0, first: None };
    read_pages(client, &request, reading, &mut |page| {
        for raw in page {
            let event: Event = serde_json::from_str(raw.get()).unwrap_or_default();
            if query.exclude_own && event.is_own(caller) {
                continue;
            }
            found.count += 1;
            if found.first.is_none() {
                found.first = Some(event);
            }
        }
        Ok(())
    })
    .await?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::Folded;
    use crate::drift::Event;
    use serde_json::json;

    fn event(event_type: &str, published: &str, user: &str) -> Event {
        serde_json::from_value(json!({
            "eventType": event_type,
            "published": published,
            "actor": {"id": "0oa1wf", "type": "PublicClientApp"},
            "target": [{"id": format!("00u-{user}"), "type": "User", "alternateId": user}],
        }))
        .unwrap()
    }

    #[test]
    fn authorizations_fold_to_the_latest_per_user_and_changes_are_all_kept() {
        let mut folded = Folded::default();
        for minute in 0..1000 {
            let at = format!("2026-11-27T{:02}:{:02}:00.000Z", minute / 60, minute % 60);
            folded.add(event("app.oauth2.authorize.code", &at, "svc@acme.com"));
            folded.add(event("app.oauth2.authorize.code", &at, "other@acme.com"));
        }
        folded.add(event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T01:00:00.000Z",
            "admin@acme.com",
        ));
        folded.add(event(
            "app.oauth2.admin.consent.grant",
            "2026-11-27T02:00:00.000Z",
            "admin@acme.com",
        ));
        let kept: Vec<(String, String)> = folded
            .into_events()
            .into_iter()
            .map(|e| (e.event_type, e.published))
            .collect();
        assert_eq!(
            kept,
            [
                (
                    "app.oauth2.admin.consent.grant".to_owned(),
                    "2026-11-27T01:00:00.000Z".to_owned()
                ),
                (
                    "app.oauth2.admin.consent.grant".to_owned(),
                    "2026-11-27T02:00:00.000Z".to_owned()
                ),
                (
                    "app.oauth2.authorize.code".to_owned(),
                    "2026-11-27T16:39:00.000Z".to_owned()
                ),
                (
                    "app.oauth2.authorize.code".to_owned(),
                    "2026-11-27T16:39:00.000Z".to_owned()
                ),
            ]
        );
    }
}
