//! `oktaform plan` against the simulated org over HTTP: scenario fixtures in every format,
//! exit codes, the requests a plan makes, faults, credentials and secrets.

use crate::harness::{
    ADMIN_TOKEN, Api, QUICKSTART_PLAN_REQUESTS, Test, expect_json, fixture_dirs, quickstart_seed, repo, snapshot,
    snapshot_settings, stable,
};
use oktaform::sim::{Faults, Sim};

const FAILING: &[&str] = &["not_super_admin", "not_workflows_app"];

#[test]
fn every_scenario_in_every_format() {
    for name in fixture_dirs("plan") {
        let failing = FAILING.contains(&name.as_str());
        for format in ["human", "json", "markdown", "github"] {
            let outcome = Test::new()
                .fixture("plan", &name)
                .args(["plan", &name, "--sim", "--format", format])
                .run();
            assert_eq!(outcome.code, i32::from(failing), "{name} {format}: {}", outcome.stderr);
            let shown = if failing { &outcome.stderr } else { &outcome.stdout };
            snapshot_settings().bind(|| insta::assert_snapshot!(format!("plan__{name}__{format}"), stable(shown)));
            if failing {
                break;
            }
        }
    }
}

#[test]
fn detailed_exit_codes() {
    let code = |name: &str, detailed: bool| {
        let mut args = vec!["plan", name, "--sim"];
        if detailed {
            args.push("--detailed-exitcode");
        }
        Test::new().fixture("plan", name).args(args).run().code
    };
    assert_eq!(code("converged", true), 0);
    assert_eq!(code("converged", false), 0);
    assert_eq!(code("shared_app", true), 2);
    assert_eq!(code("shared_app", false), 0);
    assert_eq!(code("not_super_admin", true), 1);
}

#[test]
fn the_quickstart_plan_shows_every_kind_of_change() {
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .args(["plan", "quickstart", "--sim", "--format", "json"])
        .run()
        .success();
    let plan = outcome.json();
    let kinds: Vec<(String, String)> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("assignment", "create"),
        ("role", "create"),
        ("grant", "create"),
        ("grant", "delete"),
        ("reauthorize", "manual"),
    ] {
        assert!(
            kinds.iter().any(|(k, a)| k == expected.0 && a == expected.1),
            "{expected:?} missing from {kinds:?}"
        );
    }
    assert_eq!(
        outcome.stderr,
        "Using the simulated org (seed quickstart/sim-org.json, state quickstart/.oktaform/sim-state.json).\n",
        "the banner says the org is simulated"
    );
}

/// A sim in this process, reached with `--endpoint` and `OKTA_API_TOKEN` like a real org.
fn plan_against(sim: &Sim, name: &str) -> Test {
    Test::new()
        .fixture("plan", name)
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", name, "--endpoint", sim.url()])
}

#[test]
fn a_plan_makes_the_minimum_of_requests() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "quickstart", "--endpoint", sim.url()])
        .run()
        .success();
    let mut served = Api::new(sim.url(), ADMIN_TOKEN).served();
    served.sort();
    assert_eq!(served, QUICKSTART_PLAN_REQUESTS);
}

#[test]
fn faults_during_a_plan_are_retried() {
    let faults = Faults {
        seed: 4,
        error_rate: 0.3,
        reset_rate: 0.15,
        burst_rate: 0.1,
        burst_length: 2,
        ..Faults::default()
    };
    let sim = Sim::builder().seed(quickstart_seed()).faults(faults).start().unwrap();
    let quiet = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let plan = |sim: &Sim| {
        Test::new()
            .copy_dir(&repo().join("examples/quickstart"), "quickstart")
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .env("OKTAFORM_HTTP_RETRIES", "8")
            .args(["plan", "quickstart", "--endpoint", sim.url(), "--format", "json"])
            .run()
            .success()
            .json()["changes"]
            .clone()
    };
    assert_eq!(plan(&sim), plan(&quiet), "the same plan, faults or not");
    let served = expect_json(Api::new(sim.url(), ADMIN_TOKEN).get("/__sim/requests"), 200);
    let records = served.as_array().unwrap();
    assert!(records.iter().any(|r| !r["fault"].is_null()), "faults were injected");
    assert!(
        records.iter().any(|r| r["retry_count"].as_str().is_some()),
        "retries carry X-Okta-Retry-Count"
    );
}

#[test]
fn a_hung_endpoint_times_out() {
    let faults = Faults {
        hang: vec!["GET /api/v1/apps/0oa1wf0example/grants".into()],
        ..Faults::default()
    };
    let sim = Sim::builder().seed(quickstart_seed()).faults(faults).start().unwrap();
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_HTTP_TIMEOUT", "1s")
        .env("OKTAFORM_HTTP_RETRIES", "1")
        .args(["plan", "quickstart", "--endpoint", sim.url()])
        .run()
        .code(1);
    snapshot("plan__hung_endpoint", &outcome);
}

#[test]
fn pages_are_followed_on_the_origin_called_and_foreign_links_refused() {
    let seed = std::fs::read_to_string(crate::harness::fixtures().join("plan/paged_lookup/sim-org.json")).unwrap();
    let sim = Sim::builder()
        .seed(oktaform::sim::Seed::from_json(&seed).unwrap())
        .start()
        .unwrap();
    plan_against(&sim, "paged_lookup").run().success();
    let served = Api::new(sim.url(), ADMIN_TOKEN).served();
    assert_eq!(
        served.iter().filter(|r| r.starts_with("GET /api/v1/apps?")).count(),
        2,
        "two pages: {served:?}"
    );
    sim.set_faults(Faults {
        link_origin: Some("https://elsewhere.example".into()),
        ..Faults::default()
    });
    let outcome = plan_against(&sim, "paged_lookup").run().code(1);
    snapshot("plan__foreign_link", &outcome);
}

#[test]
fn client_secrets_are_compared_and_never_shown() {
    let right = Test::new()
        .fixture("plan", "client_secret")
        .env("WORKFLOWS_CLIENT_SECRET", "sim-app-client-secret")
        .args(["plan", "client_secret", "--sim", "-o", "plan.json"])
        .run()
        .success();
    assert!(!right.stderr.contains("client_secret_mismatch"), "{}", right.stderr);
    let wrong = Test::new()
        .fixture("plan", "client_secret")
        .env("WORKFLOWS_CLIENT_SECRET", "a-wrong-secret-value")
        .args(["plan", "client_secret", "--sim"])
        .run()
        .code(1);
    snapshot("plan__client_secret_mismatch", &wrong);
    for format in ["human", "json", "markdown", "github"] {
        let outcome = Test::new()
            .fixture("plan", "client_secret")
            .env("WORKFLOWS_CLIENT_SECRET", "sim-app-client-secret")
            .args([
                "plan",
                "client_secret",
                "--sim",
                "-v",
                "--format",
                format,
                "-o",
                "plan.json",
            ])
            .run()
            .success();
        let plan_file = std::fs::read_to_string(outcome.dir.join("plan.json")).unwrap();
        for text in [&outcome.stdout, &outcome.stderr, &plan_file] {
            for secret in ["sim-app-client-secret", ADMIN_TOKEN] {
                assert!(!text.contains(secret), "{format} shows a secret: {text}");
            }
        }
    }
}

#[test]
fn the_plan_file_records_config_target_and_checksum() {
    let outcome = Test::new()
        .fixture("plan", "shared_app")
        .args(["plan", "shared_app", "--sim", "-o", "out/plan.json"])
        .run()
        .success();
    let text = std::fs::read_to_string(outcome.dir.join("out/plan.json")).unwrap();
    let plan = oktaform::plan::PlanDocument::parse(&text, "plan.json").expect("a valid, sealed plan");
    assert_eq!(plan.config.path, "../shared_app");
    assert!(plan.config.digest.starts_with("sha256:"));
    assert!(plan.target.sim);
    assert_eq!(plan.target.endpoints["acme.okta.com"], "sim");
    let tampered = text.replace("okta.apps.manage", "okta.users.manage");
    assert!(matches!(
        oktaform::plan::PlanDocument::parse(&tampered, "plan.json"),
        Err(oktaform::plan::PlanError::Tampered { .. })
    ));
}

#[test]
fn fmt_does_not_change_the_config_digest() {
    let digest = |test: Test| {
        test.args(["plan", "shared_app", "--sim", "--format", "json"])
            .run()
            .success()
            .json()["config"]["digest"]
            .clone()
    };
    let before = digest(Test::new().fixture("plan", "shared_app"));
    let reformatted = Test::new().fixture("plan", "shared_app");
    let main = reformatted.path().join("shared_app/main.hcl");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        format!("# a comment\n\n\n{}", text.replace("  grant      =", "  grant =")).replace("\n}\n", "\n}\n\n"),
    )
    .unwrap();
    assert_eq!(digest(reformatted), before);
}

#[test]
fn an_unknown_connection_is_a_usage_error_with_a_suggestion() {
    Test::new()
        .fixture("plan", "shared_app")
        .args(["plan", "shared_app", "--sim", "--connection", "ti"])
        .status(1)
        .stderr("error: --connection: no connection named `ti` (did you mean `it`?)\n")
        .verify();
}

#[test]
fn environment_credentials_for_several_orgs_are_ambiguous() {
    let config = r#"
connection "prod" {
  domain          = "acme.okta.com"
  client_id       = "0oa1"
  service_account = "svc@acme.com"
}

connection "preview" {
  domain          = "acme.oktapreview.com"
  client_id       = "0oa2"
  service_account = "svc@acme.com"
}
"#;
    let outcome = Test::new()
        .file("cfg/main.hcl", config)
        .env("OKTA_API_TOKEN", "some-token")
        .args(["plan", "cfg"])
        .run()
        .code(1);
    snapshot("plan__credentials_ambiguous", &outcome);
    let missing = Test::new()
        .file("cfg/main.hcl", config)
        .args(["plan", "cfg"])
        .run()
        .code(1);
    snapshot("plan__credentials_missing", &missing);
}

#[test]
fn sim_without_a_seed_is_a_coded_error() {
    let outcome = Test::new()
        .file("cfg/main.hcl", "connection \"p\" {\n  domain = \"acme.okta.com\"\n  client_id = \"0oa1\"\n  service_account = \"s@acme.com\"\n}\n")
        .args(["plan", "cfg", "--sim"])
        .run()
        .code(1);
    assert!(outcome.stderr.contains("oktaform::sim::no_seed"), "{}", outcome.stderr);
}

/// Requests per scenario: 2 for the preflight (`users/me`, its roles), then per app its
/// lookup and grants, per service account the user, its roles and its assignment; an app
/// found through the `name eq "flow"` list costs its 404 and one request per page; a
/// configured client secret costs the secrets list (real Okta shows no secret on reads).
#[test]
fn every_scenario_makes_the_minimum_of_requests() {
    let expected = [
        ("additive", 7),
        ("auto_granted_none", 7),
        ("auto_granted_partial", 7),
        ("client_secret", 8),
        ("converged", 7),
        ("mass_revoke", 7),
        ("not_super_admin", 7),
        ("not_workflows_app", 4),
        ("paged_lookup", 9),
        ("retired", 7),
        ("shared_app", 7),
        ("slash_login", 7),
    ];
    let names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, fixture_dirs("plan"), "every scenario is counted");
    for (name, count) in expected {
        let seed =
            std::fs::read_to_string(crate::harness::fixtures().join("plan").join(name).join("sim-org.json")).unwrap();
        let sim = Sim::builder()
            .seed(oktaform::sim::Seed::from_json(&seed).unwrap())
            .start()
            .unwrap();
        let _outcome = plan_against(&sim, name)
            .env("WORKFLOWS_CLIENT_SECRET", "sim-app-client-secret")
            .run();
        let served = Api::new(sim.url(), ADMIN_TOKEN).served();
        assert_eq!(served.len(), count, "{name}: {served:#?}");
    }
}

/// Ctrl-C ends a read-only command at once, also while a request hangs: `plan` and `drift`
/// say that nothing was changed and exit 130; a query ends with what it has written.
#[test]
fn ctrl_c_stops_read_only_commands_in_the_middle_of_a_request() {
    use std::io::Read;
    let faults = Faults {
        hang: vec![
            "GET /api/v1/apps/0oa1wf0example/grants".into(),
            "GET /api/v1/logs".into(),
        ],
        ..Faults::default()
    };
    let sim = Sim::builder().seed(quickstart_seed()).faults(faults).start().unwrap();
    for (command, code, stderr) in [
        (vec!["plan", "quickstart"], 130, "\nInterrupted: nothing was changed.\n"),
        (
            vec!["drift", "quickstart"],
            130,
            "\nInterrupted: nothing was changed.\n",
        ),
        (vec!["query", "scope_changes", "quickstart"], 0, ""),
    ] {
        let (mut child, _dir) = Test::new()
            .copy_dir(&repo().join("examples/quickstart"), "quickstart")
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args(command.iter().copied())
            .args(["--endpoint", sim.url()])
            .spawn();
        // Until the command's first requests were answered (its Ctrl-C handler is in place
        // by then), or 1.5 s for one whose first request is the one that hangs.
        let api = crate::harness::Api::new(sim.url(), ADMIN_TOKEN);
        let before = api.served().len();
        let started = std::time::Instant::now();
        while api.served().len() == before && started.elapsed() < std::time::Duration::from_millis(1500) {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill runs");
        let (sender, receiver) = std::sync::mpsc::channel();
        let mut err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            let _ = sender.send(text);
        });
        let text = receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("{command:?} did not stop"));
        let status = child.wait().expect("exits");
        assert_eq!((status.code(), text.as_str()), (Some(code), stderr), "{command:?}");
    }
}

/// A plan waiting on a hung request with the default timeouts says so within 15 s (a line
/// on stderr every 10 s outside a terminal), then stops on Ctrl-C.
#[test]
fn a_slow_org_is_never_silent_for_long() {
    use std::io::{BufRead, BufReader, Read};
    let faults = Faults {
        hang: vec!["GET /api/v1/apps/0oa1wf0example/grants".into()],
        ..Faults::default()
    };
    let sim = Sim::builder().seed(quickstart_seed()).faults(faults).start().unwrap();
    let (mut child, _dir) = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "quickstart", "--endpoint", sim.url()])
        .spawn();
    let (sender, receiver) = std::sync::mpsc::channel();
    let err = child.stderr.take().expect("stderr");
    std::thread::spawn(move || {
        let mut err = BufReader::new(err);
        let mut line = String::new();
        let _ = err.read_line(&mut line);
        let _ = sender.send(line);
        let mut rest = String::new();
        let _ = err.read_to_string(&mut rest);
    });
    let first = receiver
        .recv_timeout(std::time::Duration::from_secs(15))
        .expect("a message within 15 s");
    assert_eq!(first, "Still reading the org(s)... [10s elapsed]\n");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert_eq!(child.wait().expect("exits").code(), Some(130));
}

/// `--format github` on a failure: the diagnostics as `::error` annotations on stdout and
/// a table in the step summary, as `validate` gives them.
#[test]
fn a_failed_plan_in_github_format_annotates_and_writes_the_step_summary() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .env("OKTA_API_TOKEN", "wrong-token")
        .env("GITHUB_STEP_SUMMARY", "summary.md")
        .args(["plan", "quickstart", "--endpoint", sim.url(), "--format", "github"])
        .run()
        .code(1);
    let summary = std::fs::read_to_string(outcome.dir.join("summary.md")).expect("a step summary");
    let stdout = crate::harness::stable(&outcome.stdout);
    assert!(
        crate::harness::like(
            "::error file=quickstart/main.hcl,line=[..],col=[..],title=oktaform%3A%3Acredentials%3A%3Arejected::[..]\n",
            &stdout
        ),
        "{stdout}"
    );
    assert!(
        crate::harness::like(
            "### oktaform plan: 1 error, 0 warnings, 0 advice\n\n| severity | code | where | message |\n|---|---|---|---|\n| error | `oktaform::credentials::rejected` | `quickstart/main.hcl:[..]` | [..] |\n...",
            &summary
        ),
        "{summary}"
    );
}

/// In GitHub format every revoke is a `::warning` annotation, with or without a safety rule.
#[test]
fn revokes_are_github_warnings() {
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["plan", "qs", "--sim", "--format", "github"])
        .run()
        .success();
    snapshot("plan__quickstart__github", &outcome);
}
