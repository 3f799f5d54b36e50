//! The CI recipes in `examples/ci/` parse as YAML, and every oktaform command they run
//! exists with the flags they pass.

use crate::harness::{Test, repo};

/// Every shell script of a GitHub Actions workflow or a GitLab CI file.
fn scripts(yaml: &serde_norway::Value, out: &mut Vec<String>) {
    match yaml {
        serde_norway::Value::Mapping(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    (Some("run"), serde_norway::Value::String(script)) => out.push(script.clone()),
                    (Some("script" | "before_script"), serde_norway::Value::Sequence(lines)) => {
                        out.extend(lines.iter().filter_map(|l| l.as_str().map(str::to_owned)));
                    }
                    _ => scripts(value, out),
                }
            }
        }
        serde_norway::Value::Sequence(items) => items.iter().for_each(|item| scripts(item, out)),
        _ => {}
    }
}

/// The arguments of every `oktaform` command in `script`.
fn invocations(script: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for line in script.lines() {
        for segment in line.split(['|', ';', '&']) {
            let words: Vec<&str> = segment.split_whitespace().collect();
            if words.first() != Some(&"oktaform") {
                continue;
            }
            let args: Vec<String> = words[1..]
                .iter()
                .take_while(|w| !w.starts_with('>'))
                .filter(|w| !w.starts_with('$'))
                .map(|w| (*w).to_owned())
                .collect();
            found.push(args);
        }
    }
    found
}

#[test]
fn every_command_of_the_ci_recipes_exists() {
    let mut seen = Vec::new();
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(repo().join("examples/ci").join(file)).unwrap();
        let yaml: serde_norway::Value = serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut all = Vec::new();
        scripts(&yaml, &mut all);
        for script in all {
            for args in invocations(&script) {
                let mut with_help = args.clone();
                with_help.push("--help".to_owned());
                let outcome = Test::new().args(with_help).run();
                assert_eq!(
                    outcome.code,
                    0,
                    "{file}: `oktaform {}`: {}",
                    args.join(" "),
                    outcome.stderr
                );
                let subcommand = args.first().cloned().unwrap_or_default();
                assert!(
                    outcome
                        .stdout
                        .lines()
                        .any(|line| line.starts_with(&format!("Usage: oktaform {subcommand} "))),
                    "{file}: `oktaform {}` prints its help",
                    args.join(" ")
                );
                seen.push(args.first().cloned().unwrap_or_default());
            }
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen, ["apply", "drift", "plan", "show", "validate"]);
}

/// The `oktaform` commands of `jobs` in `file`, in order, as written (shell variables kept).
fn job_commands(file: &str, jobs: &[&str]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(repo().join("examples/ci").join(file)).unwrap();
    let yaml: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let mut commands = Vec::new();
    for job in jobs {
        let job_yaml = yaml
            .get("jobs")
            .and_then(|j| j.get(*job))
            .or_else(|| yaml.get(*job))
            .unwrap_or_else(|| panic!("{file}: no job `{job}`"));
        let mut all = Vec::new();
        scripts(job_yaml, &mut all);
        for script in all {
            for line in script.lines() {
                for segment in line.split(['|', ';', '&']) {
                    let words: Vec<&str> = segment.split_whitespace().collect();
                    if words.first() == Some(&"oktaform") {
                        commands.push(
                            words[1..]
                                .iter()
                                .take_while(|w| !w.starts_with('>'))
                                .map(|w| (*w).to_owned())
                                .collect(),
                        );
                    }
                }
            }
        }
    }
    commands
}

/// Runs the pull-request job's commands, then the apply job's, against the simulated org,
/// in one working directory: the plan file the pull request made is the one applied, with
/// the safety rules of `okta/force.txt`.
fn run_recipe(file: &str, plan_job: &str, apply_job: &str) {
    let dir = tempfile::tempdir().unwrap();
    let okta = dir.path().join("okta");
    std::fs::create_dir_all(&okta).unwrap();
    for entry in std::fs::read_dir(repo().join("examples/quickstart")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), okta.join(entry.file_name())).unwrap();
        }
    }
    std::fs::write(okta.join("force.txt"), "# reviewed in the pull request\nprivileged\n").unwrap();
    let commands = job_commands(file, &[plan_job, apply_job]);
    let names: Vec<&str> = commands.iter().map(|c| c[0].as_str()).collect();
    assert_eq!(names, ["validate", "plan", "show", "apply"], "{file}");
    for command in commands {
        let args: Vec<String> = command
            .iter()
            .flat_map(|word| match word.as_str() {
                "$force_flags" => vec!["--force=privileged".to_owned()],
                other => vec![other.to_owned()],
            })
            .chain(
                ["--sim".to_owned()]
                    .into_iter()
                    .filter(|_| command[0] != "validate" && command[0] != "show"),
            )
            .collect();
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_oktaform"))
            .args(&args)
            .current_dir(dir.path())
            .env_clear()
            .output()
            .unwrap();
        let expected = if command[0] == "plan" { 2 } else { 0 };
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{file}: oktaform {}\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The org is now as the reviewed plan said: a new plan finds nothing to change.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_oktaform"))
        .args(["plan", "okta", "--sim", "--detailed-exitcode"])
        .current_dir(dir.path())
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn the_github_recipe_applies_the_plan_its_pull_request_made() {
    run_recipe("github-actions.yml", "plan", "apply");
}

#[test]
fn the_gitlab_recipe_applies_the_plan_its_merge_request_made() {
    run_recipe("gitlab-ci.yml", "plan", "apply");
}

/// Neither recipe gives a write credential to a pull-request job, nor to every job.
#[test]
fn the_write_credential_reaches_only_the_apply_step() {
    for (file, write) in [
        ("github-actions.yml", "OKTAFORM_APPLY_"),
        ("gitlab-ci.yml", "OKTAFORM_APPLY_"),
    ] {
        let text = std::fs::read_to_string(repo().join("examples/ci").join(file)).unwrap();
        let yaml: serde_norway::Value = serde_norway::from_str(&text).unwrap();
        let jobs = yaml.get("jobs").unwrap_or(&yaml);
        let serde_norway::Value::Mapping(jobs) = jobs else {
            panic!("{file}: no jobs");
        };
        let using: Vec<String> = jobs
            .iter()
            .filter(|(_, job)| serde_norway::to_string(job).unwrap().contains(write))
            .map(|(name, _)| name.as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(using, ["apply"], "{file}");
        let top_level = serde_norway::to_string(yaml.get("env").or_else(|| yaml.get("variables")).unwrap()).unwrap();
        assert!(
            !top_level.contains("secrets.") && !top_level.contains(write),
            "{file}: {top_level}"
        );
    }
}
