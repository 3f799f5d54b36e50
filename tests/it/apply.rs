//! `oktaform apply` against the simulated org: convergence, stale plans, safety rules,
//! faults, crashes and concurrent applies.

use crate::harness::{
    ADMIN_TOKEN, Api, Test, expect_json, fixture_dirs, quickstart_seed, refused_grant_config, repo, snapshot,
    snapshot_settings,
};
use oktaform::sim::{Faults, RateLimits, Seed, Sim};
use serde_json::json;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

const FAILING: &[&str] = &["not_super_admin", "not_workflows_app"];

/// Granted scopes of every app in a sim state file, by app id.
fn state_grants(state: &Path) -> Vec<(String, BTreeSet<String>)> {
    let state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(state).unwrap()).unwrap();
    state["orgs"][0]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|app| {
            let scopes = app["grants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["scope_id"].as_str().unwrap().to_owned())
                .collect();
            (app["id"].as_str().unwrap().to_owned(), scopes)
        })
        .collect()
}

#[test]
fn every_scenario_converges() {
    for name in fixture_dirs("plan")
        .into_iter()
        .filter(|n| !FAILING.contains(&n.as_str()))
    {
        let test = Test::new()
            .fixture("plan", &name)
            .env("WORKFLOWS_CLIENT_SECRET", "sim-app-client-secret");
        let dir = test.path().to_owned();
        let applied = test.args(["apply", &name, "--sim", "--auto-approve", "--force"]).run();
        assert_eq!(applied.code, 0, "{name}: {}\n{}", applied.stdout, applied.stderr);
        let again = Test::new()
            .copy_dir(&dir.join(&name), &name)
            .env("WORKFLOWS_CLIENT_SECRET", "sim-app-client-secret");
        let replan = again.args(["plan", &name, "--sim", "--detailed-exitcode"]).run();
        assert_eq!(
            replan.code, 0,
            "{name}: the plan after apply is empty:\n{}",
            replan.stdout
        );
    }
}

#[test]
fn applying_one_config_then_another_converges_each_time() {
    let test = Test::new().copy_dir(&repo().join("examples/quickstart"), "qs");
    let dir = test.path().to_owned();
    let _first = test
        .args(["apply", "qs", "--sim", "--auto-approve", "--force"])
        .run()
        .success();
    Test::new()
        .copy_dir(&dir.join("qs"), "qs")
        .args(["plan", "qs", "--sim", "--detailed-exitcode"])
        .run()
        .success();
    let grants = state_grants(&dir.join("qs/.oktaform/sim-state.json"));
    let workflows: BTreeSet<String> = grants[0].1.clone();
    let expected: BTreeSet<String> = [
        "openid",
        "profile",
        "email",
        "phone",
        "address",
        "groups",
        "offline_access",
        "okta.users.manage",
        "okta.groups.manage",
        "okta.logs.read",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(workflows, expected);
    // The second config drops a scope set and adds another scope.
    let scopes = dir.join("qs/scopes.hcl");
    let edited = std::fs::read_to_string(&scopes).unwrap().replace(
        "[\"okta.users.manage\", \"okta.groups.manage\"]",
        "[\"okta.users.read\"]",
    );
    std::fs::write(&scopes, edited).unwrap();
    let second = Test::new().copy_dir(&dir.join("qs"), "qs");
    let second_dir = second.path().to_owned();
    let _second = second
        .args(["apply", "qs", "--sim", "--auto-approve", "--force"])
        .run()
        .success();
    Test::new()
        .copy_dir(&second_dir.join("qs"), "qs")
        .args(["plan", "qs", "--sim", "--detailed-exitcode"])
        .run()
        .success();
    let after: BTreeSet<String> = state_grants(&second_dir.join("qs/.oktaform/sim-state.json"))[0]
        .1
        .clone();
    let expected: BTreeSet<String> = [
        "openid",
        "profile",
        "email",
        "phone",
        "address",
        "groups",
        "offline_access",
        "okta.users.read",
        "okta.logs.read",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(after, expected);
}

#[test]
fn safety_rules_are_refused_without_force() {
    for (name, rule) in [
        ("slash_login", "privileged"),
        ("mass_revoke", "mass_revoke"),
        ("retired", "retire"),
    ] {
        let test = Test::new().fixture("plan", name);
        let dir = test.path().to_owned();
        let refused = test.args(["apply", name, "--sim", "--auto-approve"]).run().code(1);
        snapshot(&format!("apply__needs_force__{name}"), &refused);
        let unchanged = Test::new()
            .copy_dir(&dir.join(name), name)
            .args(["plan", name, "--sim", "--detailed-exitcode"])
            .run();
        assert_eq!(unchanged.code, 2, "{name}: nothing was changed");
        let other = if rule == "retire" { "privileged" } else { "retire" };
        Test::new()
            .copy_dir(&dir.join(name), name)
            .args(["apply", name, "--sim", "--auto-approve", &format!("--force={other}")])
            .run()
            .code(1);
        Test::new()
            .copy_dir(&dir.join(name), name)
            .args(["apply", name, "--sim", "--auto-approve", &format!("--force={rule}")])
            .run()
            .success();
    }
}

#[test]
fn auto_granted_scopes_are_never_revoked() {
    let test = Test::new().fixture("plan", "retired");
    let dir = test.path().to_owned();
    let _applied = test
        .args(["apply", "retired", "--sim", "--auto-approve", "--force"])
        .run()
        .success();
    let grants: BTreeSet<String> = state_grants(&dir.join("retired/.oktaform/sim-state.json"))[0].1.clone();
    let auto: BTreeSet<String> = [
        "openid",
        "profile",
        "email",
        "phone",
        "address",
        "groups",
        "offline_access",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(
        grants, auto,
        "every non-default grant revoked, every auto-granted one kept"
    );
}

#[test]
fn without_a_terminal_a_config_needs_auto_approve() {
    let outcome = Test::new()
        .fixture("plan", "shared_app")
        .args(["apply", "shared_app", "--sim"])
        .run()
        .code(1);
    snapshot("apply__without_a_terminal", &outcome);
}

fn sim_plan_file(sim: &Sim, config: &str) -> Test {
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), config)
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", config, "--endpoint", sim.url(), "-o", "plan.json"])
}

#[test]
fn a_change_in_the_org_after_planning_makes_the_plan_stale() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = sim_plan_file(&sim, "qs").run().success();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    expect_json(
        api.post(
            "/api/v1/apps/0oa1wf0example/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.roles.read"}),
        ),
        200,
    );
    let outcome = Test::new()
        .copy_dir(&planned.dir, "work")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args([
            "apply",
            "work/plan.json",
            "--config",
            "work/qs",
            "--endpoint",
            sim.url(),
            "--force",
        ])
        .run()
        .code(1);
    snapshot("apply__stale_plan", &outcome);
}

#[test]
fn an_edited_config_or_plan_or_another_target_is_refused() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let planned = sim_plan_file(&sim, "qs").run().success();
    let run = |prepare: &dyn Fn(&Path), extra: &[&str]| {
        let test = Test::new()
            .copy_dir(&planned.dir, "work")
            .env("OKTA_API_TOKEN", ADMIN_TOKEN);
        prepare(&test.path().join("work"));
        let mut args = vec!["apply", "work/plan.json", "--config", "work/qs", "--force"];
        args.extend_from_slice(extra);
        test.args(args).run().code(1)
    };
    let edited = run(
        &|dir| {
            std::fs::write(
                dir.join("qs/more.hcl"),
                "scopes \"more\" {\n  connection = connection.acme\n  grant = [\"okta.roles.read\"]\n}\n",
            )
            .unwrap();
        },
        &["--endpoint", sim.url()],
    );
    snapshot("apply__config_changed", &edited);
    let tampered = run(
        &|dir| {
            let text = std::fs::read_to_string(dir.join("plan.json"))
                .unwrap()
                .replace("okta.logs.read", "okta.roles.read");
            std::fs::write(dir.join("plan.json"), text).unwrap();
        },
        &["--endpoint", sim.url()],
    );
    snapshot("apply__plan_tampered", &tampered);
    let elsewhere = run(&|_| {}, &["--sim"]);
    snapshot("apply__target_changed", &elsewhere);
}

#[test]
fn a_plan_applied_halfway_applies_again_to_completion() {
    for seed in [1, 2, 3] {
        let sim = Sim::builder()
            .seed(quickstart_seed())
            .faults(Faults {
                latency_ms: 40,
                ..Faults::default()
            })
            .start()
            .unwrap();
        let planned = sim_plan_file(&sim, "qs").run().success();
        let binary = env!("CARGO_BIN_EXE_oktaform");
        let mut child = std::process::Command::new(binary)
            .current_dir(&planned.dir)
            .env_clear()
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args([
                "apply",
                "plan.json",
                "--config",
                "qs",
                "--endpoint",
                sim.url(),
                "--force",
                "--parallelism",
                "1",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Killed somewhere in its steps: the plan reads take ~100 ms, each step ~40 ms.
        std::thread::sleep(std::time::Duration::from_millis(120 + 40 * seed));
        let _ = child.kill();
        let _ = child.wait();
        let rerun = std::process::Command::new(binary)
            .current_dir(&planned.dir)
            .env_clear()
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args([
                "apply",
                "plan.json",
                "--config",
                "qs",
                "--endpoint",
                sim.url(),
                "--force",
            ])
            .output()
            .unwrap();
        assert_eq!(
            rerun.status.code(),
            Some(0),
            "seed {seed}: {}",
            String::from_utf8_lossy(&rerun.stderr)
        );
        let replan = Test::new()
            .copy_dir(&planned.dir.join("qs"), "qs")
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args(["plan", "qs", "--endpoint", sim.url(), "--detailed-exitcode"])
            .run();
        assert_eq!(replan.code, 0, "seed {seed}: {}", replan.stdout);
    }
}

/// 10 apps with 20 declared scopes each, none granted yet.
/// `apps` Workflows apps, each with its connection and 20 declared grants not yet granted.
fn big_config(apps_count: usize) -> (Seed, String) {
    let scopes: Vec<&str> = oktaform::catalog::scope_names()
        .filter(|s| {
            s.starts_with("okta.")
                && oktaform::catalog::scope(s).is_some_and(|s| s.stage == oktaform::catalog::Stage::GenerallyAvailable)
        })
        .take(20)
        .collect();
    let mut users = vec![json!({"id": "00uadmin", "login": "admin@acme.com", "roles": ["SUPER_ADMIN"]})];
    let mut apps = Vec::new();
    let mut hcl = String::new();
    for i in 0..apps_count {
        users.push(
            json!({"id": format!("00usvc{i:02}"), "login": format!("svc{i}@acme.com"), "roles": ["SUPER_ADMIN"]}),
        );
        apps.push(json!({"id": format!("0oawf{i:02}"), "name": "flow", "label": "Okta Workflows OAuth", "assigned_users": [format!("00usvc{i:02}")], "grants": ["openid", "profile", "email", "phone", "address", "groups", "offline_access"]}));
        let _ = write!(
            hcl,
            "connection \"c{i}\" {{\n  domain = \"acme.okta.com\"\n  client_id = \"0oawf{i:02}\"\n  service_account = \"svc{i}@acme.com\"\n}}\n\nscopes \"s{i}\" {{\n  connection = connection.c{i}\n  grant = {}\n}}\n\n",
            serde_json::to_string(&scopes).unwrap()
        );
    }
    let seed = json!({"orgs": [{"domain": "acme.okta.com", "tokens": [{"token": ADMIN_TOKEN, "user": "admin@acme.com"}], "users": users, "apps": apps}]});
    (Seed::from_json(&seed.to_string()).unwrap(), hcl)
}

fn grants_by_app(api: &Api, apps_count: usize) -> Vec<Vec<String>> {
    (0..apps_count)
        .map(|i| {
            let grants = expect_json(api.get(&format!("/api/v1/apps/0oawf{i:02}/grants")), 200);
            let mut scopes: Vec<String> = grants
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["scopeId"].as_str().unwrap().to_owned())
                .collect();
            scopes.sort();
            scopes
        })
        .collect()
}

#[test]
fn sixty_grants_converge_through_faults() {
    // The engine is tested with 200 grants in process (ops::tests); here, the binary.
    let (seed, hcl) = big_config(3);
    let faults = Faults {
        seed: 9,
        error_rate: 0.1,
        reset_rate: 0.05,
        burst_rate: 0.02,
        burst_length: 3,
        ..Faults::default()
    };
    let sim = Sim::builder()
        .seed(seed)
        .rate_limits(RateLimits::uniform(100_000, std::time::Duration::from_secs(60)))
        .faults(faults)
        .start()
        .unwrap();
    let outcome = Test::new()
        .file("big/main.hcl", &hcl)
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_HTTP_RETRIES", "10")
        .args([
            "apply",
            "big",
            "--endpoint",
            sim.url(),
            "--auto-approve",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(outcome.code, 0, "{}\n{}", outcome.stdout, outcome.stderr);
    let report = outcome.json();
    assert_eq!(report["applied"].as_array().unwrap().len(), 60);
    assert_eq!(report["manual"].as_array().unwrap().len(), 3);
    assert_eq!(report["verified"], true);
    sim.set_faults(Faults::default());
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    for scopes in grants_by_app(&api, 3) {
        let unique: BTreeSet<&String> = scopes.iter().collect();
        assert_eq!(unique.len(), scopes.len(), "no duplicate grant");
        assert_eq!(scopes.len(), 27, "20 declared and 7 auto-granted, none missing");
    }
}

#[test]
fn two_applies_at_once_both_succeed() {
    let (seed, hcl) = big_config(10);
    let sim = Sim::builder()
        .seed(seed)
        .rate_limits(RateLimits::uniform(100_000, std::time::Duration::from_secs(60)))
        .start()
        .unwrap();
    let url = sim.url().to_owned();
    let run = move || {
        Test::new()
            .file("big/main.hcl", &hcl)
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args(["apply", "big", "--endpoint", &url, "--auto-approve"])
            .run()
    };
    let (first, second) = (std::thread::spawn(run.clone()), std::thread::spawn(run));
    for outcome in [first.join().unwrap(), second.join().unwrap()] {
        assert_eq!(outcome.code, 0, "{}\n{}", outcome.stdout, outcome.stderr);
    }
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    assert!(grants_by_app(&api, 10).iter().all(|scopes| scopes.len() == 27));
}

#[test]
fn a_step_that_fails_for_good_stops_new_steps_and_points_at_its_declaration() {
    let config = refused_grant_config(&["okta.workflows.invoke.manage", "okta.users.read", "okta.users.manage"]);
    let test = Test::new().fixture("plan", "converged");
    std::fs::write(test.path().join("converged/main.hcl"), &config).unwrap();
    let outcome = test
        .args([
            "apply",
            "converged",
            "--sim",
            "--auto-approve",
            "--force",
            "--parallelism",
            "1",
            "--format",
            "json",
        ])
        .run()
        .code(1);
    // The JSON report and the diagnostic at the grant's declaration, whole.
    snapshot("apply__step_failed", &outcome);
}

#[test]
fn github_format_groups_progress_and_writes_the_step_summary() {
    let test = Test::new().fixture("plan", "shared_app");
    let summary = test.path().join("summary.md");
    let outcome = test
        .env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .args(["apply", "shared_app", "--sim", "--auto-approve", "--format", "github"])
        .run()
        .success();
    snapshot("apply__github", &outcome);
    let markdown = std::fs::read_to_string(&summary).unwrap();
    snapshot_settings().bind(|| insta::assert_snapshot!("apply__github_step_summary", markdown));
}

/// On a terminal (util-linux `script` provides one) apply shows the plan, asks, and applies
/// only on `yes`; the progress bar draws on the terminal.
#[test]
fn on_a_terminal_apply_asks_and_only_yes_applies() {
    let test = Test::new().fixture("plan", "shared_app");
    let dir = test.path().to_owned();
    let command = format!("{} apply shared_app --sim", env!("CARGO_BIN_EXE_oktaform"));
    let answer = |reply: &str| {
        let mut child = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(&dir)
            .env("OKTAFORM_NOW", crate::harness::NOW)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("util-linux script runs");
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), reply.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (code, screen) = answer("no\n");
    assert_eq!(code, Some(1), "{screen}");
    assert!(
        screen.contains("Apply these changes? Only `yes` is accepted") && screen.contains("Apply cancelled."),
        "{screen}"
    );
    let (code, screen) = answer("yes\n");
    assert_eq!(code, Some(0), "{screen}");
    assert!(
        screen.contains("Apply complete: 2 applied, 0 already in place, 0 failed, 0 skipped, 2 manual."),
        "{screen}"
    );
    drop(test);
}

#[test]
fn a_plan_limited_to_some_connections_applies_only_to_them() {
    // `it` gets a service account of its own, which needs assigning and super admin.
    let test = Test::new().fixture("plan", "shared_app");
    let dir = test.path().join("shared_app");
    let seed_path = dir.join("sim-org.json");
    let mut seed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&seed_path).unwrap()).unwrap();
    seed["orgs"][0]["users"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "00uit000000000000001", "login": "svc-it@acme.com"}));
    std::fs::write(&seed_path, seed.to_string()).unwrap();
    let main = dir.join("main.hcl");
    let config = std::fs::read_to_string(&main).unwrap();
    let (hr, it) = config.split_once("connection \"it\"").unwrap();
    std::fs::write(
        &main,
        format!(
            "{hr}connection \"it\"{}",
            it.replacen("svc-workflows@acme.com", "svc-it@acme.com", 1)
        ),
    )
    .unwrap();

    let planned = test
        .args(["plan", "shared_app", "--sim", "--connection", "hr", "-o", "plan.json"])
        .run()
        .success();
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(planned.dir.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["connections"], json!(["hr"]));
    let applied = Test::new()
        .copy_dir(&planned.dir, "work")
        .args([
            "apply",
            "work/plan.json",
            "--config",
            "work/shared_app",
            "--sim",
            "--force",
        ])
        .run();
    assert_eq!(
        applied.code, 0,
        "the other connection's pending changes do not make it stale: {}",
        applied.stderr
    );
    let rest = Test::new()
        .copy_dir(&applied.dir.join("work/shared_app"), "shared_app")
        .args(["plan", "shared_app", "--sim", "--format", "json"])
        .run()
        .success();
    let addresses: Vec<String> = rest.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["address"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        addresses,
        [
            "app[\"acme.okta.com/0oa1wf0example\"].assignment[\"svc-it@acme.com\"]",
            "user[\"acme.okta.com/svc-it@acme.com\"].super_admin"
        ],
        "only `it` is left"
    );
}

/// The first Ctrl-C stops starting steps: the step in flight finishes, the report says
/// which steps did not start, and the exit code is 130. Applying again finishes the job.
#[test]
fn a_ctrl_c_stops_between_steps_and_reports_what_did_not_start() {
    use std::io::{BufRead, BufReader, Read};
    let sim = Sim::builder()
        .seed(quickstart_seed())
        .faults(Faults {
            latency_ms: 300,
            ..Faults::default()
        })
        .start()
        .unwrap();
    let quickstart = repo().join("examples/quickstart");
    let test = || {
        Test::new()
            .copy_dir(&quickstart, "qs")
            .env("OKTA_API_TOKEN", ADMIN_TOKEN)
            .args([
                "apply",
                "qs",
                "--endpoint",
                sim.url(),
                "--auto-approve",
                "--force",
                "--parallelism",
                "1",
            ])
    };
    let (mut child, _dir) = test().spawn();
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = String::new();
    while !seen.lines().any(|l| l.starts_with("applied")) {
        let mut line = String::new();
        assert_ne!(
            stderr.read_line(&mut line).expect("stderr"),
            0,
            "no step was applied:\n{seen}"
        );
        seen.push_str(&line);
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).expect("stderr");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut stdout)
        .expect("stdout");
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(130), "stdout:\n{stdout}\nstderr:\n{seen}{rest}");
    // The step in flight when the signal came may finish too: how many were applied
    // depends on timing, the shape of the report does not.
    let report = "...
Apply interrupted: [..] applied, 0 already in place, 0 failed, [..] skipped, 0 manual.

Not started (interrupted); apply again to make them:
  - [..]
...";
    assert!(crate::harness::like(report, &stdout), "{stdout}");
    let said = "
Interrupted: no new step starts; steps in flight finish (Ctrl-C again to exit now).
...";
    assert!(crate::harness::like(said, &rest), "{rest}");
    // What did not start is made by the next run.
    test()
        .stdout_like("...\nApply complete: [..] applied, 0 already in place, 0 failed, 0 skipped, 1 manual.\n...")
        .stderr_like("applied          [..]\n...")
        .verify();
}

/// After `plan -o FILE` the hint is the exact apply command this plan needs: its target
/// and every safety rule it holds.
#[test]
fn the_saved_plan_names_the_apply_command_it_needs() {
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["plan", "qs", "--sim", "-o", "out/plan.json"])
        .run()
        .success();
    let tail: Vec<&str> = outcome.stdout.lines().rev().take(2).collect();
    assert_eq!(
        tail,
        [
            "  oktaform apply out/plan.json --config qs --sim --force=privileged",
            "Saved the plan to out/plan.json. Apply it with:",
        ]
    );
    // The hint works as written.
    Test::new()
        .copy_dir(&outcome.dir.join("qs"), "qs")
        .copy_dir(&outcome.dir.join("out"), "out")
        .args([
            "apply",
            "out/plan.json",
            "--config",
            "qs",
            "--sim",
            "--force=privileged",
        ])
        .stdout_like("Apply complete: [..]\n...")
        .stderr_like("Using the simulated org [..]\n...")
        .verify();
}

/// Without the `--force` a plan needs, apply says so before asking anyone: the refusal,
/// not the question (nor "no terminal to ask on").
#[test]
fn a_missing_force_is_refused_before_asking() {
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["apply", "qs", "--sim", "--format", "json"])
        .run()
        .code(1);
    assert_eq!(
        outcome.json()["diagnostics"][0]["code"],
        "oktaform::apply::needs_force",
        "{}",
        outcome.stdout
    );
}
