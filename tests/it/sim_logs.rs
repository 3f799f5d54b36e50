//! The simulated org's System Log (`GET /api/v1/logs`) over HTTP: every parameter rule and
//! error, keyword semantics, array attributes in filters, polling and bounded paging,
//! events appended while a polling cursor is open, and synthetic events.

use crate::harness::{Api, expect_error, expect_json};
use oktaform::sim::{Seed, Sim};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

const TOKEN: &str = "logs-token";

/// An RFC 3339 time `offset` from now.
fn at(offset: Duration) -> String {
    (OffsetDateTime::now_utc() + offset).format(&Rfc3339).unwrap()
}

fn sim_with(synthetic: u64, events: &[Value]) -> (Sim, Api) {
    let seed = json!({"orgs": [{
        "domain": "acme.okta.com",
        "tokens": [{"token": TOKEN, "user": "admin@acme.com"}],
        "users": [{"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]}],
        "log_events": events,
        "synthetic_log_events": {"count": synthetic, "start": at(Duration::days(-2)), "seed": 3}
    }]});
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let api = Api::new(sim.url(), TOKEN);
    (sim, api)
}

fn event(uuid: &str, minutes_ago: i64, fields: &Value) -> Value {
    let mut event = json!({
        "uuid": uuid,
        "published": at(Duration::minutes(-minutes_ago)),
        "eventType": "user.session.start",
        "version": "0",
        "severity": "INFO",
        "displayMessage": "User login to Okta",
        "actor": {"id": "00uadmin", "type": "User", "alternateId": "admin@acme.com", "displayName": "Org Admin"},
        "outcome": {"result": "SUCCESS"},
        "target": [],
        "legacyEventType": null
    });
    for (key, value) in fields.as_object().unwrap() {
        event[key] = value.clone();
    }
    event
}

fn logs(api: &Api, query: &str) -> reqwest::blocking::Response {
    api.get(&format!("/api/v1/logs?{query}"))
}

fn uuids(body: &Value) -> Vec<String> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|e| e["uuid"].as_str().unwrap().to_owned())
        .collect()
}

/// The `next` link of a response, if any.
fn next(response: &reqwest::blocking::Response) -> Option<String> {
    response
        .headers()
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|l| l.contains("rel=\"next\""))
        .and_then(|l| {
            l.split_once('<')
                .and_then(|(_, r)| r.split_once('>'))
                .map(|(u, _)| u.to_owned())
        })
}

fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[test]
fn filters_match_any_element_of_an_array_and_ignore_operator_case() {
    let (_sim, api) = sim_with(
        0,
        &[
            event(
                "a",
                30,
                &json!({"target": [{"id": "0oa1", "type": "AppInstance"}, {"id": "okta.users.read", "type": "OAuth2Scope"}]}),
            ),
            event("b", 20, &json!({"target": [{"id": "0oa2", "type": "AppInstance"}]})),
        ],
    );
    let body = expect_json(
        logs(&api, &format!("filter={}", encode(r#"target.id EQ "okta.users.read""#))),
        200,
    );
    assert_eq!(uuids(&body), ["a"]);
    let body = expect_json(logs(&api, &format!("filter={}", encode(r#"target.ID eq "0oa2""#))), 400);
    assert_eq!(body["errorCode"], "E0000053", "attribute names are case-sensitive");
}

#[test]
fn filter_errors_are_okta_s() {
    let (_sim, api) = sim_with(0, &[]);
    for (filter, code, summary) in [
        (
            r#"published gt "2026-01-01T00:00:00Z""#,
            "E0000053",
            "field is not valid: published",
        ),
        (
            r#"some_invalid_field eq "x""#,
            "E0000053",
            "field is not valid: some_invalid_field",
        ),
        (
            r#"debugContext.debugData.url co "/api""#,
            "E0000031",
            "The supplied combination of operator and field is not currently supported. Operator: co, Field: debugContext.debugData.url",
        ),
        (
            r#"displayMessage eqq "x""#,
            "E0000053",
            r#"Invalid filter 'displayMessage eqq "x"': unknown operator `eqq` at position 15."#,
        ),
    ] {
        let body = expect_error(logs(&api, &format!("filter={}", encode(filter))), 400, code);
        assert_eq!(body["errorSummary"], summary, "{filter}");
    }
}

#[test]
fn keywords_all_match_case_insensitively_with_hyphen_parts_and_never_null() {
    let (_sim, api) = sim_with(
        0,
        &[
            event(
                "a",
                30,
                &json!({"transaction": {"id": "XOxBw-2JIRnCFd0gG0GjHAAABjY"}, "client": {"geographicalContext": {"city": "San Francisco"}}}),
            ),
            event("b", 20, &json!({"displayMessage": "User logout from Okta"})),
        ],
    );
    let q = |q: &str| uuids(&expect_json(logs(&api, &format!("q={}", encode(q))), 200));
    assert_eq!(q("xoxbw"), ["a"]);
    assert_eq!(q("2JIRnCFd0gG0GjHAAABjY"), ["a"]);
    assert_eq!(q("san FRANCISCO"), ["a"]);
    assert_eq!(q("okta user"), ["a", "b"]);
    assert_eq!(q("logout okta"), ["b"]);
    assert_eq!(q("francisc"), Vec::<String>::new(), "a keyword matches whole words");
    assert_eq!(q("null"), Vec::<String>::new(), "null attributes never match");
    let long = "a".repeat(41);
    let body = expect_error(logs(&api, &format!("q={long}")), 400, "E0000001");
    assert_eq!(
        body["errorSummary"],
        "Api validation failed: 'q': Freeform search cannot contain items longer than 40 characters. Please shorten the following terms:"
    );
    let eleven = (0..11).map(|i| format!("k{i}")).collect::<Vec<_>>().join("+");
    expect_error(logs(&api, &format!("q={eleven}")), 400, "E0000001");
}

#[test]
fn time_limit_and_order_parameters() {
    let events: Vec<Value> = (0..5)
        .map(|i| event(&format!("e{i}"), 50 - i * 10, &json!({})))
        .collect();
    let (_sim, api) = sim_with(0, &events);
    // Default window: the 7 days before now; default order ascending; default limit 100.
    assert_eq!(uuids(&expect_json(logs(&api, ""), 200)), ["e0", "e1", "e2", "e3", "e4"]);
    let since = encode(&at(Duration::minutes(-35)));
    let until = encode(&at(Duration::minutes(-15)));
    assert_eq!(
        uuids(&expect_json(logs(&api, &format!("since={since}&until={until}")), 200)),
        ["e2", "e3"]
    );
    assert_eq!(
        uuids(&expect_json(
            logs(&api, &format!("since={since}&until={until}&sortOrder=DESCENDING")),
            200
        )),
        ["e3", "e2"]
    );
    assert_eq!(uuids(&expect_json(logs(&api, "limit=0"), 200)), Vec::<String>::new());
    for (query, code) in [
        ("limit=1001".to_owned(), "E0000001"),
        ("limit=-1".to_owned(), "E0000001"),
        ("sortOrder=UP".to_owned(), "E0000001"),
        ("since=yesterday".to_owned(), "E0000001"),
        (format!("since={}", encode(&at(Duration::days(-181)))), "E0000053"),
        ("after=not-a-cursor".to_owned(), "E0000029"),
    ] {
        expect_error(logs(&api, &query), 400, code);
    }
}

#[test]
fn bounded_queries_page_to_the_end_and_stop() {
    let (_sim, api) = sim_with(250, &[]);
    for order in ["ASCENDING", "DESCENDING"] {
        let mut url = format!(
            "/api/v1/logs?since={}&until={}&limit=100&sortOrder={order}",
            encode(&at(Duration::days(-3))),
            encode(&at(Duration::minutes(-1)))
        );
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let response = api.get(&url);
            let link = next(&response);
            let body = expect_json(response, 200);
            seen.extend(
                body.as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["published"].as_str().unwrap().to_owned()),
            );
            pages += 1;
            match link {
                Some(link) => url = link,
                None => break,
            }
        }
        assert_eq!((seen.len(), pages), (250, 3), "{order}");
        let mut sorted = seen.clone();
        sorted.sort();
        if order == "DESCENDING" {
            sorted.reverse();
        }
        assert_eq!(seen, sorted, "{order}: in published order");
    }
}

#[test]
fn a_polling_cursor_returns_events_appended_after_it_was_issued() {
    let (sim, api) = sim_with(0, &[event("old", 10, &json!({}))]);
    let first = logs(&api, "limit=10");
    let link = next(&first).expect("polling always has a next link");
    assert_eq!(uuids(&expect_json(first, 200)), ["old"]);
    let empty = api.get(&link);
    let link = next(&empty).expect("even on an empty page");
    assert_eq!(uuids(&expect_json(empty, 200)), Vec::<String>::new());
    let appended = json!([event("new", 0, &json!({}))]);
    let response = crate::harness::http()
        .post(format!("{}/__sim/events", sim.url()))
        .header("Authorization", format!("SSWS {TOKEN}"))
        .json(&appended)
        .send()
        .unwrap();
    assert_eq!(response.status(), 201);
    let page = api.get(&link);
    assert!(next(&page).is_some());
    assert_eq!(
        uuids(&expect_json(page, 200)),
        ["new"],
        "nothing lost, nothing repeated"
    );
}

#[test]
fn mutations_are_logged_with_the_caller_and_its_user_agent() {
    let sim = Sim::builder().seed(crate::harness::quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), crate::harness::ADMIN_TOKEN);
    expect_json(
        api.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"}),
        ),
        200,
    );
    let filter = encode(r#"eventType eq "app.oauth2.admin.consent.grant" and target.id eq "okta.logs.read""#);
    let body = expect_json(logs(&api, &format!("filter={filter}")), 200);
    let events = body.as_array().unwrap();
    assert_eq!(events.len(), 1, "{body}");
    assert_eq!(events[0]["actor"]["alternateId"], "admin@acme.com");
    assert_eq!(events[0]["client"]["userAgent"]["rawUserAgent"], "oktaform-tests");
}

#[test]
fn synthetic_events_are_the_same_in_every_run() {
    let query = format!(
        "since={}&until={}&limit=50",
        encode(&at(Duration::days(-3))),
        encode(&at(Duration::days(-1)))
    );
    let (_one, first) = sim_with(1000, &[]);
    let (_two, second) = sim_with(1000, &[]);
    let (a, b) = (
        expect_json(logs(&first, &query), 200),
        expect_json(logs(&second, &query), 200),
    );
    assert_eq!(a.as_array().unwrap().len(), 50);
    // The start is "two days ago" for each sim: compare what does not depend on it.
    let strip = |body: &Value| -> Vec<Value> {
        body.as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().unwrap().remove("published");
                e
            })
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
}

/// Okta keeps 90 days of events: a query reaching further back (up to the 180 days it
/// accepts) succeeds, but returns only the events of the last 90 days.
#[test]
fn events_older_than_the_retention_are_never_returned() {
    let old = event("older-than-retention", 120 * 24 * 60, &json!({}));
    let recent = event("within-retention", 10 * 24 * 60, &json!({}));
    let (_sim, api) = sim_with(0, &[old, recent]);
    let since = encode(&at(Duration::days(-150)));
    let body = expect_json(logs(&api, &format!("since={since}")), 200);
    assert_eq!(uuids(&body), ["within-retention"]);
}

/// Real orgs' cursors and links: Okta's documented cursor form `<ms>_<n>`, `since` beside
/// `after` (real `next` links carry both), and an empty `until=` (Okta's polling form).
#[test]
fn cursors_and_links_as_real_orgs_send_them() {
    let events: Vec<Value> = (0..5)
        .map(|i| event(&format!("e{i}"), 50 - i * 10, &json!({})))
        .collect();
    let (_sim, api) = sim_with(0, &events);
    let since = encode(&at(Duration::minutes(-60)));
    // A page of two links `next` with `since` kept.
    let first = logs(&api, &format!("since={since}&limit=2"));
    let link = next(&first).expect("a next link");
    let query = link.split_once('?').map(|(_, q)| q.to_owned()).unwrap();
    let mut names: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, _)| k.into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["after", "limit", "since"]);
    assert_eq!(uuids(&expect_json(first, 200)), ["e0", "e1"]);
    assert_eq!(uuids(&expect_json(logs(&api, &query), 200)), ["e2", "e3"]);
    // The documented form: after a moment, every later event.
    let e2 = &events[2]["published"].as_str().unwrap().to_owned();
    let ms = time::OffsetDateTime::parse(e2, &Rfc3339)
        .unwrap()
        .unix_timestamp_nanos()
        / 1_000_000;
    assert_eq!(
        uuids(&expect_json(logs(&api, &format!("since={since}&after={ms}_1")), 200)),
        ["e3", "e4"]
    );
    // An empty `until=`: polling, so a `next` link even on the last page.
    let polling = logs(&api, &format!("since={since}&until="));
    assert!(next(&polling).is_some(), "a polling query always links next");
    assert_eq!(uuids(&expect_json(polling, 200)), ["e0", "e1", "e2", "e3", "e4"]);
}
