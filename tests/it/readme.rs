//! Every command the README shows is run, in order, in a copy of the repository's examples:
//! a README that drifts from the binary fails here.

use crate::harness::{copy, repo};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The shell commands of the README's `sh` blocks, continuation lines joined and comments
/// dropped.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README");
    let mut commands = Vec::new();
    let mut in_block = false;
    let mut pending = String::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = line == "```sh";
            continue;
        }
        if !in_block {
            continue;
        }
        let line = line.split("   #").next().unwrap_or(line).trim_end();
        if let Some(start) = line.strip_suffix('\\') {
            pending.push_str(start);
            continue;
        }
        pending.push_str(line);
        let command = std::mem::take(&mut pending).trim().to_owned();
        if !command.is_empty() {
            commands.push(command);
        }
    }
    commands
}

/// `NAME=value` words before the program, with `"$(cat FILE)"` read from FILE.
fn split_env(words: &mut Vec<String>, dir: &std::path::Path) -> Vec<(String, String)> {
    let mut env = Vec::new();
    while let Some(first) = words.first() {
        let Some((name, value)) = first.split_once('=') else {
            break;
        };
        if !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            break;
        }
        let value = match value.strip_prefix("\"$(cat ").and_then(|v| v.strip_suffix(")\"")) {
            Some(file) => std::fs::read_to_string(dir.join(file)).expect("file named in the README"),
            None => value.to_owned(),
        };
        env.push((name.to_owned(), value));
        words.remove(0);
    }
    env
}

/// Words of a command line: split on spaces, keeping `"..."` together.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ' ' if !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[test]
fn every_readme_command_runs() {
    let commands = readme_commands();
    let workspace = tempfile::tempdir().expect("temp dir");
    let dir = workspace.path();
    copy(&repo().join("examples"), &dir.join("examples"));
    copy(&repo().join("tests/fixtures/oauth"), &dir.join("tests/fixtures/oauth"));
    let mut servers = Servers(Vec::new());
    // A server the README starts on a fixed port runs on a free one; later commands are
    // pointed at it.
    let mut addresses: Vec<(String, String)> = Vec::new();
    let mut ran = Vec::new();
    for command in &commands {
        let mut words = words(command);
        let env = split_env(&mut words, dir);
        let args: Vec<String> = match words.first().map(String::as_str) {
            Some("oktaform") => words[1..].to_vec(),
            Some("cargo") if words.get(1).map(String::as_str) == Some("run") => {
                words.iter().skip_while(|w| *w != "--").skip(1).cloned().collect()
            }
            // `cargo test` is this suite; `curl` talks to a server shown with a placeholder port.
            _ => continue,
        };
        let background = args.last().is_some_and(|a| a == "&");
        let listen = args
            .iter()
            .position(|a| a == "--listen")
            .and_then(|i| args.get(i + 1))
            .cloned();
        let args: Vec<String> = args
            .into_iter()
            .filter(|a| a != "&")
            .map(|a| {
                if Some(&a) == listen.as_ref() {
                    return "127.0.0.1:0".to_owned();
                }
                addresses.iter().fold(a, |a, (from, to)| a.replace(from.as_str(), to))
            })
            .collect();
        let mut process = Command::new(env!("CARGO_BIN_EXE_oktaform"));
        process.args(&args).current_dir(dir).env("NO_COLOR", "1");
        for (name, value) in &env {
            process.env(name, value);
        }
        if background || args.starts_with(&["sim".to_owned(), "serve".to_owned()]) {
            let mut child = process
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            let mut line = String::new();
            BufReader::new(child.stdout.take().expect("stdout"))
                .read_line(&mut line)
                .expect("first line");
            let url = line
                .trim()
                .strip_prefix("listening on ")
                .unwrap_or_else(|| panic!("{command}: {line}"));
            if let Some(listen) = &listen {
                addresses.push((format!("http://{listen}"), url.to_owned()));
            }
            servers.0.push(child);
            ran.push(command.clone());
            continue;
        }
        let output = process.output().expect("run");
        let code = output.status.code();
        let allowed: &[i32] = if args.first().is_some_and(|a| a == "drift") {
            &[0, 2]
        } else {
            &[0]
        };
        assert!(
            code.is_some_and(|c| allowed.contains(&c)),
            "`{command}` exited {code:?}\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ran.push(command.clone());
    }
    drop(servers);
    // Each block's commands ran; the ones skipped are `cargo test` and `curl`.
    let skipped: Vec<&String> = commands.iter().filter(|c| !ran.contains(c)).collect();
    assert_eq!(
        skipped,
        [
            "cargo test",
            r#"curl -H "Authorization: SSWS sim-admin-token" http://127.0.0.1:PORT/api/v1/apps"#
        ]
        .iter()
        .collect::<Vec<_>>()
    );
}

/// Servers started by README commands, stopped however the test ends.
struct Servers(Vec<std::process::Child>);

impl Drop for Servers {
    fn drop(&mut self) {
        for server in &mut self.0 {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}
