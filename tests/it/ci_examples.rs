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
                assert!(
                    outcome.stdout.contains("Usage: oktaform"),
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
