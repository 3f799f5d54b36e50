//! Rate limits and faults of the sim: windows, reset headers, the concurrency limit, each
//! fault kind, determinism under a seed, and the `/__sim/faults` and `/__sim/events` routes.

use crate::harness::{ADMIN_TOKEN, Api, expect_error, expect_json, quickstart_seed};
use oktaform::sim::{Faults, RateLimits, Sim};
use serde_json::json;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn sim_with(limits: RateLimits, faults: Faults) -> (Sim, Api) {
    let sim = Sim::builder()
        .seed(quickstart_seed())
        .rate_limits(limits)
        .faults(faults)
        .start()
        .unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    (sim, api)
}

fn header(response: &reqwest::blocking::Response, name: &str) -> u64 {
    response.headers()[name].to_str().unwrap().parse().unwrap()
}

fn epoch_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[test]
fn a_bucket_answers_429_when_its_window_is_spent_then_resets() {
    let (_sim, api) = sim_with(RateLimits::uniform(3, Duration::from_secs(2)), Faults::default());
    for expected_remaining in [2, 1, 0] {
        let response = api.get("/api/v1/apps");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(header(&response, "x-rate-limit-remaining"), expected_remaining);
        assert_eq!(header(&response, "x-rate-limit-limit"), 3);
    }
    let limited = api.get("/api/v1/apps");
    assert_eq!(header(&limited, "x-rate-limit-remaining"), 0);
    let reset = header(&limited, "x-rate-limit-reset");
    assert!(
        reset >= epoch_now() && reset <= epoch_now() + 3,
        "reset {reset} within the 2 s window"
    );
    let body = expect_error(limited, 429, "E0000047");
    assert_eq!(
        body["errorSummary"],
        "API call exceeded rate limit due to too many requests."
    );
    assert_eq!(
        api.get("/api/v1/users/me").status().as_u16(),
        200,
        "another bucket is not spent"
    );
    while epoch_now() < reset {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(api.get("/api/v1/apps").status().as_u16(), 200, "a new window");
}

#[test]
fn the_concurrency_limit_answers_429_with_zero_headers() {
    let faults = Faults {
        latency_ms: 1500,
        concurrency_limit: Some(1),
        ..Faults::default()
    };
    let (sim, api) = sim_with(RateLimits::default(), faults);
    let url = sim.url().to_owned();
    let slow = std::thread::spawn(move || Api::new(&url, ADMIN_TOKEN).get("/api/v1/apps").status().as_u16());
    std::thread::sleep(Duration::from_millis(500));
    // The first request is still in flight (it waits out its latency inside the limit).
    let faults = Faults {
        concurrency_limit: Some(1),
        ..Faults::default()
    };
    sim.set_faults(faults);
    let limited = api.get("/api/v1/apps");
    assert_eq!(header(&limited, "x-rate-limit-limit"), 0);
    assert_eq!(header(&limited, "x-rate-limit-remaining"), 0);
    expect_error(limited, 429, "E0000047");
    assert_eq!(slow.join().unwrap(), 200);
    assert_eq!(api.get("/api/v1/apps").status().as_u16(), 200, "free again");
}

#[test]
fn server_errors_are_5xx_and_sometimes_processed() {
    let (_sim, api) = sim_with(
        RateLimits::default(),
        Faults {
            seed: 3,
            error_rate: 1.0,
            ..Faults::default()
        },
    );
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..40 {
        let scope = [
            "okta.users.read",
            "okta.groups.read",
            "okta.apps.read",
            "okta.logs.read",
        ][i % 4];
        let response = api.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": scope}),
        );
        statuses.insert(response.status().as_u16());
    }
    assert_eq!(statuses, [500, 502, 503, 504].into_iter().collect());
    let served = expect_json(api.get("/__sim/requests"), 200);
    let faults: Vec<&str> = served
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["fault"].as_str().unwrap())
        .collect();
    assert!(
        faults.iter().any(|f| f.ends_with(" after")),
        "some are processed before the error"
    );
    assert!(faults.iter().any(|f| !f.ends_with(" after")), "some are not");
}

#[test]
fn resets_drop_the_connection() {
    let (sim, api) = sim_with(
        RateLimits::default(),
        Faults {
            reset_rate: 1.0,
            ..Faults::default()
        },
    );
    let outcome = api
        .request(reqwest::Method::GET, "/api/v1/apps")
        .send()
        .and_then(reqwest::blocking::Response::text);
    assert!(outcome.is_err(), "a reset connection is an error, got {outcome:?}");
    sim.set_faults(Faults::default());
    assert_eq!(api.get("/api/v1/apps").status().as_u16(), 200);
}

#[test]
fn bursts_of_429() {
    let (sim, api) = sim_with(
        RateLimits::default(),
        Faults {
            burst_rate: 1.0,
            burst_length: 3,
            ..Faults::default()
        },
    );
    for _ in 0..3 {
        let response = api.get("/api/v1/apps");
        assert_eq!(header(&response, "x-rate-limit-remaining"), 0);
        expect_error(response, 429, "E0000047");
    }
    sim.set_faults(Faults {
        burst_rate: 0.0,
        burst_length: 3,
        ..Faults::default()
    });
    assert_eq!(api.get("/api/v1/apps").status().as_u16(), 200);
}

#[test]
fn hung_routes_never_answer_others_do() {
    let (_sim, api) = sim_with(
        RateLimits::default(),
        Faults {
            hang: vec!["GET /api/v1/apps/0oa1wf0example/grants".into()],
            ..Faults::default()
        },
    );
    let hung = api
        .request(reqwest::Method::GET, "/api/v1/apps/0oa1wf0example/grants")
        .timeout(Duration::from_millis(300))
        .send();
    assert!(hung.is_err_and(|e| e.is_timeout()));
    assert_eq!(api.get("/api/v1/apps/0oa1wf0example").status().as_u16(), 200);
}

#[test]
fn latency_delays_every_request() {
    let (_sim, api) = sim_with(
        RateLimits::default(),
        Faults {
            latency_ms: 150,
            jitter_ms: 50,
            ..Faults::default()
        },
    );
    let started = std::time::Instant::now();
    assert_eq!(api.get("/api/v1/apps").status().as_u16(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "at least the fixed latency"
    );
}

#[test]
fn the_same_seed_gives_the_same_fault_sequence() {
    let faults = |seed| Faults {
        seed,
        error_rate: 0.3,
        reset_rate: 0.1,
        burst_rate: 0.05,
        burst_length: 2,
        ..Faults::default()
    };
    let run = |seed| {
        let (_sim, api) = sim_with(RateLimits::default(), faults(seed));
        for _ in 0..40 {
            // Resets end in a client error; what the sim recorded is compared below.
            let _ = api
                .request(reqwest::Method::GET, "/api/v1/apps")
                .send()
                .and_then(reqwest::blocking::Response::text);
        }
        expect_json(api.get("/__sim/requests"), 200)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}", r["status"], r["fault"]))
            .collect::<Vec<_>>()
    };
    let first = run(11);
    assert_eq!(first.len(), 40);
    assert_eq!(first, run(11));
    assert_ne!(first, run(12));
}

#[test]
fn faults_are_shown_and_set_over_http() {
    let (_sim, api) = sim_with(RateLimits::default(), Faults::default());
    let client = crate::harness::http();
    let url = format!("{}/__sim/faults", api.base);
    assert_eq!(expect_json(api.get("/__sim/faults"), 200)["error_rate"], 0.0);
    let set = expect_json(
        client
            .post(&url)
            .header("Authorization", format!("SSWS {ADMIN_TOKEN}"))
            .json(&json!({"error_rate": 1.0, "seed": 5}))
            .send()
            .unwrap(),
        200,
    );
    assert_eq!(set["error_rate"], 1.0);
    assert_eq!(set["latency_ms"], 0);
    assert!(api.get("/api/v1/apps").status().is_server_error());
    expect_error(api.post("/__sim/faults", &json!({"error_rte": 1.0})), 400, "E0000001");
}

#[test]
fn events_are_appended_to_the_org_of_the_token() {
    let saved = crate::harness::SavedSim::start();
    let api = &saved.api;
    let events = json!([
        {"eventType": "user.session.start", "outcome": {"result": "FAILURE"}},
        {"uuid": "given-uuid", "published": "2026-11-27T10:00:00.000Z", "eventType": "user.session.end"}
    ]);
    assert_eq!(expect_json(api.post("/__sim/events", &events), 201)["appended"], 2);
    expect_error(
        Api::new(saved.sim.url(), "wrong").post("/__sim/events", &events),
        401,
        "E0000011",
    );
    expect_error(api.post("/__sim/events", &json!({"not": "a list"})), 400, "E0000001");
    let stored = saved.saved_events();
    assert_eq!(stored.len(), 2);
    assert!(stored[0]["uuid"].as_str().is_some_and(|u| !u.is_empty()));
    assert!(stored[0]["published"].as_str().is_some_and(|p| p.ends_with('Z')));
    assert_eq!(stored[1]["uuid"], "given-uuid");
    assert_eq!(stored[1]["published"], "2026-11-27T10:00:00.000Z");
}
