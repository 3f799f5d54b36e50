//! `oktaform query` against the simulated org over HTTP: the request each compiled query
//! sends, streaming every page, `--max`, the output formats and `--follow`.

use crate::harness::{ADMIN_TOKEN, Api, Test, repo, snapshot};
use oktaform::sim::{Seed, Sim};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

/// A sim with `count` synthetic events, one a second, ending now.
fn sim_with_events(count: u64) -> Sim {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let start = now - time::Duration::seconds(i64::try_from(count).unwrap() + 5);
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).unwrap())
            .unwrap();
    seed["orgs"][0]["synthetic_log_events"] = json!({"count": count, "start": rfc3339(start), "seed": 11});
    Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap()
}

const QUERIES: &str = r#"log_query "everything" {
  connection = connection.acme
  since      = "-3d"
  records    = "all"
  limit      = 1000
}

log_query "failures" {
  connection = connection.acme
  keyword    = "login"
  match      = { eventType = "user.session.start", "outcome.result" = "FAILURE" }
  filter     = "client.geographicalContext.country ne \"US\""
  since      = "-3d"
  until      = "-1h"
  order      = "DESCENDING"
  limit      = 50
}
"#;

fn query(sim: &Sim, args: &[&str]) -> Test {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.extend(["qs", "--endpoint", sim.url()]);
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .file("qs/queries.hcl", QUERIES)
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_NOW", &rfc3339(time::OffsetDateTime::now_utc()))
        .args(all)
}

/// The query strings of the `/api/v1/logs` requests the sim served.
fn log_requests(sim: &Sim) -> Vec<Vec<(String, String)>> {
    Api::new(sim.url(), ADMIN_TOKEN)
        .served()
        .into_iter()
        .filter_map(|line| {
            let rest = line.strip_prefix("GET /api/v1/logs?")?;
            let query = rest.rsplit_once(' ')?.0;
            let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .filter(|(k, _)| !matches!(k.as_str(), "since" | "until" | "after"))
                .collect();
            pairs.sort();
            Some(pairs)
        })
        .collect()
}

#[test]
fn a_compiled_query_sends_its_parameters() {
    let sim = sim_with_events(1000);
    let outcome = query(&sim, &["failures"]).run().success();
    assert_eq!(
        log_requests(&sim),
        [vec![
            (
                "filter".to_owned(),
                "eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\" and (client.geographicalContext.country ne \"US\")".to_owned()
            ),
            ("limit".to_owned(), "50".to_owned()),
            ("q".to_owned(), "login".to_owned()),
            ("sortOrder".to_owned(), "DESCENDING".to_owned()),
        ]],
        "one page: `records` is `first`"
    );
    for line in outcome.stdout.lines() {
        let event: Value = serde_json::from_str(line).unwrap();
        assert_eq!(event["eventType"], "user.session.start");
        assert_eq!(event["outcome"]["result"], "FAILURE");
        assert_ne!(event["client"]["geographicalContext"]["country"], "US");
    }
}

#[test]
fn every_page_is_streamed_and_max_stops_early() {
    let sim = sim_with_events(100_000);
    let outcome = query(&sim, &["everything"]).run().success();
    assert_eq!(outcome.stdout.lines().count(), 100_000, "exactly the sim's events");
    assert_eq!(log_requests(&sim).len(), 100, "100 pages of 1000");
    let limited = query(&sim, &["everything", "--max", "1500", "--format", "csv"])
        .run()
        .success();
    assert_eq!(limited.stdout.lines().count(), 1501, "a header and 1500 rows");
    assert_eq!(
        limited.stdout.lines().next().unwrap(),
        "published,eventType,outcome,actor,client,target,displayMessage"
    );
}

#[test]
fn follow_picks_up_events_appended_later_without_duplicates() {
    let sim = sim_with_events(3);
    let binary = env!("CARGO_BIN_EXE_oktaform");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("qs");
    std::fs::create_dir_all(&config).unwrap();
    for file in ["main.hcl", "scopes.hcl"] {
        std::fs::copy(repo().join("examples/quickstart").join(file), config.join(file)).unwrap();
    }
    std::fs::write(config.join("queries.hcl"), QUERIES).unwrap();
    let child = std::process::Command::new(binary)
        .current_dir(dir.path())
        .env_clear()
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args([
            "query",
            "everything",
            "qs",
            "--endpoint",
            sim.url(),
            "--follow",
            "--poll",
            "1s",
            "--follow-for",
            "4s",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let appended = json!([{"uuid": "appended-1", "eventType": "user.session.start", "actor": {"id": "00u1", "type": "User"}, "outcome": {"result": "SUCCESS"}, "target": []}]);
    let response = crate::harness::http()
        .post(format!("{}/__sim/events", sim.url()))
        .header("Authorization", format!("SSWS {ADMIN_TOKEN}"))
        .json(&appended)
        .send()
        .unwrap();
    assert_eq!(response.status(), 201);
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let uuids: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["uuid"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(uuids.len(), 4, "three synthetic events and the appended one: {uuids:?}");
    assert_eq!(uuids[3], "appended-1");
    let unique: std::collections::BTreeSet<&String> = uuids.iter().collect();
    assert_eq!(unique.len(), 4, "no duplicates");
}

#[test]
fn an_unknown_query_is_a_usage_error_with_a_suggestion() {
    let sim = sim_with_events(0);
    query(&sim, &["everythin"])
        .status(1)
        .stderr("error: no log query named `everythin` (did you mean `everything`?)\n")
        .verify();
}

#[test]
fn every_format_shows_the_same_events() {
    let sim = sim_with_events(4);
    for format in ["table", "csv", "ndjson", "json"] {
        let outcome = query(&sim, &["everything", "--format", format]).run();
        snapshot(&format!("query__four_events__{format}"), &outcome);
    }
}

#[test]
fn a_window_that_ends_before_it_starts_is_refused() {
    let sim = sim_with_events(3);
    let outcome = query(&sim, &["everything", "--since", "1h", "--until", "2h"]).run();
    snapshot("query__until_before_since", &outcome);
}

/// A reader that goes away (`| head`) ends the output quietly with exit 0: a query in the
/// middle of its pages, and `explain`.
#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader, Read};
    for args in [
        vec![
            "query",
            "failed_admin_logins",
            "qs",
            "--sim",
            "--since",
            "-30d",
            "--max",
            "5000",
        ],
        vec!["explain"],
    ] {
        let (mut child, _dir) = crate::harness::Test::new()
            .copy_dir(&crate::harness::repo().join("examples/quickstart"), "qs")
            .args(args.iter().copied())
            .spawn();
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("a line");
        // The reader is gone once the pipe's end is dropped above.
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("stderr");
        let status = child.wait().expect("exits");
        let stderr: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("Using the simulated org"))
            .collect();
        assert_eq!((status.code(), stderr), (Some(0), Vec::<&str>::new()), "{args:?}");
    }
}
