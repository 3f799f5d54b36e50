//! The bad-input corpus (`tests/bad-inputs/manifest.json`): configs, var files, plan
//! files, flags and server answers that are wrong on purpose. Every case must end within
//! its time limit, under its memory limit, without a panic, with its exit code and
//! diagnostic code, and without printing the credential of its environment.

use crate::harness::repo;
use crate::hostile::{Answer, Liar, response};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// The credential every case has in its environment; no output may hold it.
const SECRET: &str = "CorpusSecretToken0001";
/// The longest a case may take.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The most address space a case may use, in KiB (`ulimit -v`): far above what any case
/// needs, far below what an unbounded read would take.
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

#[derive(Deserialize)]
struct Manifest {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    why: String,
    /// Files by path: a text, or parts (a text, or a text and how often it repeats); a
    /// path ending in `@hex` holds bytes written in hex, one ending in `@fifo` is a FIFO.
    files: BTreeMap<String, Content>,
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    exit: i32,
    code: Option<String>,
    server: Option<Server>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Content {
    Text(String),
    Parts(Vec<Part>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Part {
    Text(String),
    Repeat(String, usize),
}

impl Content {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Content::Text(text) => text.clone().into_bytes(),
            Content::Parts(parts) => parts
                .iter()
                .map(|part| match part {
                    Part::Text(text) => text.clone(),
                    Part::Repeat(text, times) => text.repeat(*times),
                })
                .collect::<String>()
                .into_bytes(),
        }
    }
}

/// What the lying server answers to every request.
#[derive(Clone, Deserialize)]
struct Server {
    status: String,
    headers: Vec<(String, String)>,
    body: String,
}

fn write_files(dir: &Path, files: &BTreeMap<String, Content>) {
    for (path, content) in files {
        let (path, kind) = path.split_once('@').unwrap_or((path, ""));
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        match kind {
            "fifo" => assert!(
                std::process::Command::new("mkfifo")
                    .arg(&full)
                    .status()
                    .unwrap()
                    .success()
            ),
            "hex" => {
                let Content::Text(hex) = content else {
                    panic!("{path}: hex is one text")
                };
                let bytes: Vec<u8> = hex
                    .split_whitespace()
                    .map(|b| u8::from_str_radix(b, 16).unwrap())
                    .collect();
                std::fs::write(full, bytes).unwrap();
            }
            _ => std::fs::write(full, content.bytes()).unwrap(),
        }
    }
}

/// Runs one case; what went wrong, if anything.
fn run(case: &Case) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &case.files);
    let liar = case.server.clone().map(|server| {
        Liar::start(move |_, _| {
            let headers: Vec<(&str, &str)> = server.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            response(&server.status, &headers, &server.body)
        })
    });
    let args: Vec<String> = case
        .args
        .iter()
        .map(|a| a.replace("{server}", liar.as_ref().map_or("", |l| l.url.as_str())))
        .collect();
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_oktaform"))
        .args(&args)
        .current_dir(dir.path())
        .env_clear()
        .env("OKTA_API_TOKEN", SECRET)
        .env("OKTAFORM_NOW", crate::harness::NOW)
        .env("OKTAFORM_HTTP_RETRIES", "0")
        .env("NO_COLOR", "1")
        .envs(&case.env)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let Ok(output) = receiver.recv_timeout(TIME_LIMIT) else {
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status();
        return Some(format!("did not finish within {TIME_LIMIT:?}"));
    };
    let output = output.unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    let code = output.status.code().unwrap_or(-1);
    let mut problems = Vec::new();
    if code != case.exit {
        problems.push(format!("exit {code}, expected {}", case.exit));
    }
    if stderr.contains("panicked") || code == 101 {
        problems.push("panicked".to_owned());
    }
    if stdout.contains(SECRET) || stderr.contains(SECRET) {
        problems.push("printed the credential".to_owned());
    }
    if let Some(expected) = &case.code
        && !stderr.lines().any(|l| l.trim_start_matches("Warning: ") == expected)
    {
        problems.push(format!("no diagnostic {expected}"));
    }
    (!problems.is_empty()).then(|| {
        let shown = |s: &str| s.chars().take(3_000).collect::<String>();
        format!(
            "{}\n--- stdout\n{}\n--- stderr\n{}",
            problems.join(", "),
            shown(&stdout),
            shown(&stderr)
        )
    })
}

#[test]
fn every_bad_input_is_refused_cleanly() {
    let text = std::fs::read_to_string(repo().join("tests/bad-inputs/manifest.json")).unwrap();
    let manifest: Manifest = serde_json::from_str(&text).unwrap();
    assert!(
        manifest.cases.len() >= 60,
        "the corpus has {} cases",
        manifest.cases.len()
    );
    let failures: Vec<String> = manifest
        .cases
        .iter()
        .filter_map(|case| run(case).map(|why| format!("## {} ({}): {why}", case.name, case.why)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn an_endless_answer_stays_under_the_memory_limit() {
    let liar = Liar::start(|_, _| {
        Answer::Endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[".to_owned())
    });
    let case = Case {
        name: "endless".to_owned(),
        why: "a body that never ends".to_owned(),
        files: BTreeMap::from([(
            "c/main.hcl".to_owned(),
            Content::Text(std::fs::read_to_string(repo().join("examples/quickstart/main.hcl")).unwrap()),
        )]),
        args: vec!["plan".into(), "c".into(), "--endpoint".into(), liar.url.clone()],
        env: BTreeMap::new(),
        exit: 1,
        code: Some("oktaform::live::request_failed".to_owned()),
        server: None,
    };
    assert_eq!(run(&case), None, "{}", case.name);
}
