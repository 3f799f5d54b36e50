//! The sim's state: loaded from a seed or a state file, saved after every mutation and kept
//! across a restart; the request log; the `sim serve` command.

use crate::harness::{ADMIN_TOKEN, Api, expect_json, quickstart_seed, repo};
use oktaform::sim::Sim;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn state_persists_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let grant = {
        let sim = Sim::builder()
            .seed(quickstart_seed())
            .state_file(&state)
            .start()
            .unwrap();
        let api = Api::new(sim.url(), ADMIN_TOKEN);
        expect_json(
            api.post(
                "/api/v1/apps/0oa1wf0example/grants",
                &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"}),
            ),
            200,
        )
    };
    assert!(
        !dir.path()
            .read_dir()
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains(".tmp")),
        "no temp file left"
    );
    // Restarted from the state file alone: the grant is still there, with its id.
    let sim = Sim::builder().state_file(&state).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    let again = expect_json(
        api.get(&format!(
            "/api/v1/apps/0oa1wf0example/grants/{}",
            grant["id"].as_str().unwrap()
        )),
        200,
    );
    assert_eq!(again["scopeId"], "okta.logs.read");
}

#[test]
fn the_request_log_lists_what_was_served() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    api.get("/api/v1/apps?limit=1");
    api.get("/api/v1/apps/0oamissing");
    assert_eq!(
        api.served(),
        ["GET /api/v1/apps?limit=1 200", "GET /api/v1/apps/0oamissing 404"]
    );
    api.request(reqwest::Method::DELETE, "/__sim/requests").send().unwrap();
    assert!(api.served().is_empty());
}

#[test]
fn a_sim_without_seed_or_state_does_not_start() {
    let error = Sim::builder().start().expect_err("no seed");
    assert!(error.to_string().contains("needs a seed"), "{error}");
}

#[test]
fn sim_serve_prints_its_address_first_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oktaform"))
        .args(["sim", "serve", "--seed"])
        .arg(repo().join("examples/quickstart/sim-org.json"))
        .args(["--listen", "127.0.0.1:0", "--token-lifetime", "30s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"));
    let api = Api::new(&url, ADMIN_TOKEN);
    let app = expect_json(api.get("/api/v1/apps/0oa1wf0example"), 200);
    assert_eq!(app["label"], "Okta Workflows OAuth");
    let faults = expect_json(api.get("/__sim/faults"), 200);
    assert_eq!(faults["token_lifetime_seconds"], 30);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn sim_serve_reports_a_bad_seed() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, "{\"orgs\": [{\"domain\": 1}]}").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_oktaform"))
        .args(["sim", "serve", "--seed"])
        .arg(&seed)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a valid seed"));
}
