//! A fluent builder that copies a config into a temp directory, runs the real binary there
//! with a clean environment and a fixed "now", and checks what it printed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// "Now" for every test, so that time rules are stable.
pub const NOW: &str = "2026-11-28T12:00:00Z";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The longest a run of the binary may take.
pub const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// One run of the binary, configured step by step.
pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdout: Expected,
    stderr: Expected,
    status: i32,
}

/// What a stream must hold: exactly a text, or lines of a pattern where `[..]` matches any
/// text within a line and a line `...` any number of lines. Ports and temp paths are made
/// stable first (see [`stable`]).
#[derive(Clone, Debug)]
pub enum Expected {
    Exact(String),
    Like(String),
}

impl Expected {
    #[track_caller]
    fn check(&self, stream: &str, actual: &str, dir: &Path) {
        let actual = stable(&actual.replace(&dir.display().to_string(), "TMP"));
        match self {
            Expected::Exact(text) => {
                assert!(
                    actual == *text,
                    "{stream} differs\n--- expected\n{text}\n--- actual\n{actual}"
                );
            }
            Expected::Like(pattern) => assert!(
                like(pattern, &actual),
                "{stream} does not match\n--- pattern\n{pattern}\n--- actual\n{actual}"
            ),
        }
    }
}

/// Whether `text` matches `pattern` line by line, `[..]` matching any text within a line
/// and a line `...` any number of lines.
pub fn like(pattern: &str, text: &str) -> bool {
    let (patterns, lines): (Vec<&str>, Vec<&str>) = (pattern.lines().collect(), text.lines().collect());
    lines_like(&patterns, &lines)
}

fn lines_like(patterns: &[&str], lines: &[&str]) -> bool {
    match patterns.split_first() {
        None => lines.is_empty(),
        Some((&"...", rest)) => (0..=lines.len()).any(|skip| lines_like(rest, &lines[skip..])),
        Some((pattern, rest)) => lines
            .split_first()
            .is_some_and(|(line, others)| line_like(pattern, line) && lines_like(rest, others)),
    }
}

fn line_like(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split("[..]");
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub dir: PathBuf,
}

impl Test {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
            env: vec![("OKTAFORM_NOW".into(), NOW.into()), ("NO_COLOR".into(), "1".into())],
            stdout: Expected::Exact(String::new()),
            stderr: Expected::Exact(String::new()),
            status: 0,
        }
    }

    /// Expects exactly `text` on stdout (default: nothing).
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = Expected::Exact(text.to_owned());
        self
    }

    /// Expects stdout to match `pattern` (`[..]`: any text within a line).
    pub fn stdout_like(mut self, pattern: &str) -> Self {
        self.stdout = Expected::Like(pattern.to_owned());
        self
    }

    /// Expects exactly `text` on stderr (default: nothing).
    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = Expected::Exact(text.to_owned());
        self
    }

    /// Expects stderr to match `pattern` (`[..]`: any text within a line).
    pub fn stderr_like(mut self, pattern: &str) -> Self {
        self.stderr = Expected::Like(pattern.to_owned());
        self
    }

    /// Expects the exit code `status` (default: 0).
    pub fn status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }

    /// Runs the binary and checks its exit code, stdout and stderr against the expectations
    /// (the temp directory shown as `TMP`).
    #[track_caller]
    pub fn verify(self) -> Outcome {
        let (stdout, stderr, status) = (self.stdout.clone(), self.stderr.clone(), self.status);
        let outcome = self.run();
        assert_eq!(
            outcome.code, status,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            outcome.stdout, outcome.stderr
        );
        stdout.check("stdout", &outcome.stdout, &outcome.dir);
        stderr.check("stderr", &outcome.stderr, &outcome.dir);
        outcome
    }

    /// Writes `text` to `path` (relative to the temp directory).
    pub fn file(self, path: &str, text: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("create dirs");
        std::fs::write(full, text).expect("write file");
        self
    }

    /// Copies the directory `source` to `name` inside the temp directory.
    pub fn copy_dir(self, source: &Path, name: &str) -> Self {
        copy(source, &self.dir.path().join(name));
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Starts the binary in the temp directory, its stdout and stderr piped, for a test
    /// that talks to it while it runs (signals); the directory lives as long as the test.
    pub fn spawn(self) -> (std::process::Child, tempfile::TempDir) {
        let child = self.command().spawn().expect("the binary runs");
        (child, self.dir)
    }

    /// The binary with this test's arguments and environment (nothing else of the
    /// caller's), in the temp directory, stdin empty, stdout and stderr piped.
    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_oktaform"));
        command
            .args(&self.args)
            .current_dir(self.dir.path())
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    }

    /// Runs the binary in the temp directory; a run that takes longer than [`RUN_LIMIT`]
    /// is killed and fails the test (no input may make oktaform hang).
    pub fn run(self) -> Outcome {
        let child = self.command().spawn().expect("the binary runs");
        let pid = child.id();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(child.wait_with_output());
        });
        let output = match receiver.recv_timeout(RUN_LIMIT) {
            Ok(output) => output.expect("the binary runs"),
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                panic!("oktaform {:?} did not finish within {RUN_LIMIT:?}", self.args);
            }
        };
        let dir = self.dir.keep();
        Outcome {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            dir,
        }
    }
}

impl Outcome {
    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.code, expected,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn success(self) -> Self {
        self.code(0)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Drop for Outcome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn copy(source: &Path, target: &Path) {
    std::fs::create_dir_all(target).expect("create dir");
    for entry in std::fs::read_dir(source).expect("read fixture dir") {
        let entry = entry.expect("dir entry");
        let path = entry.path();
        if path.is_dir() {
            copy(&path, &target.join(entry.file_name()));
        } else {
            std::fs::copy(&path, target.join(entry.file_name())).expect("copy file");
        }
    }
}

/// insta settings shared by every snapshot: the top-level `snapshots/` folder.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.add_filter(r"\(request req[A-Za-z0-9]+\)", "(request [request id])");
    settings
}

/// The quickstart's seed: one org, its Workflows app and a service app.
pub fn quickstart_seed() -> oktaform::sim::Seed {
    let text = std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).expect("quickstart seed");
    oktaform::sim::Seed::from_json(&text).expect("valid seed")
}

pub const ADMIN_TOKEN: &str = "sim-admin-token";

/// The requests of a plan of the quickstart, sorted: the minimum.
pub const QUICKSTART_PLAN_REQUESTS: [&str; 7] = [
    "GET /api/v1/apps/0oa1wf0example 200",
    "GET /api/v1/apps/0oa1wf0example/grants 200",
    "GET /api/v1/apps/0oa1wf0example/users/00usvcwf0example00001 404",
    "GET /api/v1/users/00uadmin0example00001/roles 200",
    "GET /api/v1/users/00usvcwf0example00001/roles 200",
    "GET /api/v1/users/me 200",
    "GET /api/v1/users/svc-workflows%40acme.com 200",
];

/// A config of one connection to the `converged` fixture's app that declares `grants`,
/// among them the Limited Early Access scope the sim's org has not enabled (its grant is
/// refused).
pub fn refused_grant_config(grants: &[&str]) -> String {
    format!(
        r#"
connection "prod" {{
  domain          = "acme.okta.com"
  client_id       = "0oa1wf0example"
  service_account = "svc-workflows@acme.com"
}}

scopes "invoke" {{
  connection = connection.prod
  grant      = {}
}}
"#,
        serde_json::to_string(grants).expect("a list")
    )
}

/// An HTTP client of a running sim, authenticated with one token.
pub struct Api {
    pub base: String,
    token: String,
    client: reqwest::blocking::Client,
}

impl Api {
    pub fn new(base: &str, token: &str) -> Self {
        Self {
            base: base.to_owned(),
            token: token.to_owned(),
            client: http(),
        }
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::blocking::RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        self.client
            .request(method, url)
            .header("Authorization", format!("SSWS {}", self.token))
    }

    pub fn get(&self, path: &str) -> reqwest::blocking::Response {
        self.request(reqwest::Method::GET, path).send().expect("request")
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> reqwest::blocking::Response {
        self.request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .expect("request")
    }

    pub fn delete(&self, path: &str) -> reqwest::blocking::Response {
        self.request(reqwest::Method::DELETE, path).send().expect("request")
    }

    /// The requests the sim served, as `METHOD path?query status` lines.
    pub fn served(&self) -> Vec<String> {
        let records: serde_json::Value = self.get("/__sim/requests").json().expect("json");
        records
            .as_array()
            .expect("a list")
            .iter()
            .map(|r| {
                let query = r["query"].as_str().map(|q| format!("?{q}")).unwrap_or_default();
                format!(
                    "{} {}{query} {}",
                    r["method"].as_str().unwrap(),
                    r["path"].as_str().unwrap(),
                    r["status"]
                )
            })
            .collect()
    }
}

/// The JSON body of a response, after checking its status.
#[track_caller]
pub fn expect_json(response: reqwest::blocking::Response, status: u16) -> serde_json::Value {
    let actual = response.status().as_u16();
    let text = response.text().expect("body");
    assert_eq!(actual, status, "body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// An Okta error body's code, after checking the status.
#[track_caller]
pub fn expect_error(response: reqwest::blocking::Response, status: u16, code: &str) -> serde_json::Value {
    let body = expect_json(response, status);
    assert_eq!(body["errorCode"], code, "{body}");
    assert_eq!(body["errorLink"], code);
    assert!(
        body["errorId"].as_str().is_some_and(|id| id.starts_with("oae")),
        "{body}"
    );
    assert!(body["errorCauses"].is_array());
    body
}

/// The names of the fixture directories under `tests/fixtures/<group>`.
pub fn fixture_dirs(group: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures().join(group))
        .expect("fixture group")
        .filter_map(std::result::Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().expect("utf-8 name"))
        .collect();
    names.sort();
    names
}

impl Test {
    /// Copies the fixture `tests/fixtures/<group>/<name>` to `<name>` in the temp directory.
    pub fn fixture(self, group: &str, name: &str) -> Self {
        let source = fixtures().join(group).join(name);
        self.copy_dir(&source, name)
    }
}

/// Replaces what varies between runs (sim ports, temp paths) in text meant for snapshots.
pub fn stable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("http://127.0.0.1:") {
        out.push_str(&rest[..at]);
        out.push_str("http://127.0.0.1:PORT");
        rest = &rest[at + "http://127.0.0.1:".len()..];
        rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// A blocking HTTP client for tests (the TLS provider installed first).
pub fn http() -> reqwest::blocking::Client {
    oktaform::okta::install_crypto();
    reqwest::blocking::Client::builder()
        .user_agent("oktaform-tests")
        .build()
        .expect("client")
}

/// A quickstart sim that saves its state to a file, for tests of what it stores.
pub struct SavedSim {
    pub sim: oktaform::sim::Sim,
    pub api: Api,
    state: PathBuf,
    _dir: tempfile::TempDir,
}

impl SavedSim {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let state = dir.path().join("state.json");
        let sim = oktaform::sim::Sim::builder()
            .seed(quickstart_seed())
            .state_file(&state)
            .start()
            .expect("sim starts");
        let api = Api::new(sim.url(), ADMIN_TOKEN);
        Self {
            sim,
            api,
            state,
            _dir: dir,
        }
    }

    /// Stops the sim and returns the log events it saved for the org.
    pub fn saved_events(self) -> Vec<serde_json::Value> {
        let Self { sim, state, _dir, .. } = self;
        drop(sim);
        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&state).expect("state saved")).expect("json");
        saved["orgs"][0]["log_events"].as_array().expect("events").clone()
    }
}

/// Snapshots a run's whole output, exit code, stdout and stderr, as `snapshots/<name>.snap`;
/// loopback ports, Okta request ids and RFC 3339 times (which change every run) are
/// filtered.
#[track_caller]
pub fn snapshot(name: &str, outcome: &Outcome) {
    let text = format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        outcome.code, outcome.stdout, outcome.stderr
    );
    let mut settings = snapshot_settings();
    settings.add_filter(r"127\.0\.0\.1:[0-9]+", "127.0.0.1:PORT");
    // A request id the report wrapped onto a line of its own.
    settings.add_filter(r"\breq[A-Za-z0-9]{16,}\b", "[request id]");
    settings.add_filter(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z",
        "[time]",
    );
    settings.bind(|| insta::assert_snapshot!(name.to_owned(), text));
}
