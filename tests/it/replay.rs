//! The client's live reading against answers in the shapes real orgs recorded
//! (`tests/fixtures/replay/`, each file naming its recording), served by a tiny replay
//! server: what the sim cannot tell us, since it shares our reading of Okta.

use crate::harness::{Test, fixtures, repo, snapshot};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// One recording's answers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    /// The repository, file and date of the recording.
    #[allow(dead_code, reason = "read by people; required so that no fixture lacks it")]
    source: String,
    /// What was changed from the recording.
    #[allow(dead_code, reason = "read by people; required so that no fixture lacks it")]
    changed: String,
    exchanges: Vec<Exchange>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exchange {
    method: String,
    /// The path, with its query unless `any_query`.
    path: String,
    #[serde(default)]
    any_query: bool,
    status: u16,
    /// In order; a name may repeat.
    headers: Vec<(String, String)>,
    /// JSON, or absent for an empty body.
    #[serde(default)]
    body: Option<serde_json::Value>,
}

#[derive(Default)]
struct Recorded {
    /// Answers by `METHOD path`, in order; the last one is kept for repeats.
    answers: HashMap<String, VecDeque<Exchange>>,
    /// Requests nothing was recorded for.
    misses: Vec<String>,
}

/// A replay server on a free port, stopped when dropped.
pub struct Replay {
    pub url: String,
    recorded: Arc<Mutex<Recorded>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Replay {
    /// Serves the fixtures `names` of `tests/fixtures/replay/`.
    pub fn start(names: &[&str]) -> Self {
        let mut recorded = Recorded::default();
        for name in names {
            let path = fixtures().join("replay").join(format!("{name}.json"));
            let fixture = read(&path);
            for exchange in fixture.exchanges {
                let key = format!("{} {}", exchange.method, exchange.path);
                recorded.answers.entry(key).or_default().push_back(exchange);
            }
        }
        let recorded = Arc::new(Mutex::new(recorded));
        let shared = recorded.clone();
        let app = axum::Router::new().fallback(move |request: Request<Body>| {
            let shared = shared.clone();
            async move { answer(&shared, &request) }
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.set_nonblocking(true).expect("non-blocking");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serves");
            });
        });
        Self {
            url,
            recorded,
            _stop: stop,
        }
    }

    /// The requests nothing was recorded for.
    pub fn misses(&self) -> Vec<String> {
        self.recorded.lock().expect("lock").misses.clone()
    }
}

fn read(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn answer(recorded: &Mutex<Recorded>, request: &Request<Body>) -> Response<Body> {
    let uri = request.uri();
    let exact = format!(
        "{} {}",
        request.method(),
        uri.path_and_query().map_or("", |p| p.as_str())
    );
    let mut recorded = recorded.lock().expect("lock");
    let found = recorded.answers.get_mut(&exact).map(|queue| {
        if queue.len() > 1 {
            queue.pop_front()
        } else {
            queue.front().cloned()
        }
    });
    let found = match found {
        Some(found) => found,
        None => {
            let by_path = format!("{} {}", request.method(), uri.path());
            recorded
                .answers
                .get_mut(&by_path)
                .filter(|queue| queue.front().is_some_and(|e| e.any_query))
                .and_then(|queue| {
                    if queue.len() > 1 {
                        queue.pop_front()
                    } else {
                        queue.front().cloned()
                    }
                })
        }
    };
    let Some(exchange) = found else {
        recorded.misses.push(exact);
        return Response::builder()
            .status(StatusCode::NOT_IMPLEMENTED)
            .body(Body::from("no recording"))
            .expect("a response");
    };
    let mut response = Response::builder().status(exchange.status);
    for (name, value) in &exchange.headers {
        response = response.header(name, value);
    }
    let body = exchange.body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    response.body(body).expect("a response")
}

/// The quickstart's config, reached at `url` with an API token.
fn quickstart(url: &str, command: &[&str]) -> Test {
    let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
    args.extend(["quickstart".to_owned(), "--endpoint".to_owned(), url.to_owned()]);
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .env("OKTA_API_TOKEN", "replayed-token")
        .args(args)
}

#[test]
fn a_plan_reads_an_org_from_recorded_answers() {
    let replay = Replay::start(&[
        "users-me",
        "admin-roles",
        "workflows-app",
        "grants",
        "service-account",
        "service-account-roles",
        "app-user",
    ]);
    let outcome = quickstart(&replay.url, &["plan"]).run();
    assert_eq!(replay.misses(), Vec::<String>::new());
    snapshot("replay_plan", &outcome);
}

#[test]
fn an_unassigned_account_is_read_from_a_recorded_404() {
    let replay = Replay::start(&[
        "users-me",
        "admin-roles",
        "workflows-app",
        "grants",
        "service-account",
        "service-account-roles",
        "app-user-not-found",
    ]);
    let outcome = quickstart(&replay.url, &["plan", "--format", "json"]).run();
    assert_eq!(replay.misses(), Vec::<String>::new());
    let addresses: Vec<String> = outcome.json()["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c["action"].as_str().unwrap_or("?"),
                c["address"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(
        addresses,
        [
            r#"create app["acme.okta.com/0oa1wf0example"].assignment["svc-workflows@acme.com"]"#,
            r#"create user["acme.okta.com/svc-workflows@acme.com"].super_admin"#,
            r#"create app["acme.okta.com/0oa1wf0example"].grant["okta.groups.manage"]"#,
            "manual connection.acme.reauthorize",
        ]
    );
}

/// A grant answered 200 (as orgs do) and a role answered 201 (as the spec says) are both
/// applied, and the read back verifies them.
#[test]
fn apply_takes_the_recorded_200_and_201_answers() {
    let replay = Replay::start(&[
        "users-me",
        "admin-roles",
        "workflows-app",
        "grants",
        "service-account",
        "service-account-roles",
        "app-user",
        "grant-created",
        "role-assigned",
    ]);
    let outcome = quickstart(
        &replay.url,
        &["apply", "--auto-approve", "--force=privileged", "--format", "json"],
    )
    .run();
    assert_eq!(replay.misses(), Vec::<String>::new());
    let report = outcome.json();
    assert_eq!(
        (report["ok"].clone(), report["counts"].clone()),
        (
            serde_json::json!(true),
            serde_json::json!({"applied": 2, "already_in_place": 0, "failed": 0, "manual": 1, "skipped": 0})
        ),
        "{report:#}"
    );
}

#[test]
fn a_query_reads_a_recorded_event_with_its_nulls() {
    let replay = Replay::start(&["logs-page"]);
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .env("OKTA_API_TOKEN", "replayed-token")
        .args([
            "query",
            "failed_admin_logins",
            "quickstart",
            "--endpoint",
            &replay.url,
            "--format",
            "csv",
        ])
        .run();
    assert_eq!(replay.misses(), Vec::<String>::new());
    snapshot("replay_query", &outcome);
}

#[test]
fn a_dpop_service_app_reads_through_recorded_token_answers() {
    let replay = Replay::start(&[
        "token-dpop",
        "workflows-app",
        "rate-limit-share",
        "service-account",
        "service-account-roles",
        "app-user",
    ]);
    let main = std::fs::read_to_string(repo().join("examples/quickstart/main.hcl")).expect("quickstart");
    let main = main.replace(
        "  service_account = \"svc-workflows@acme.com\"\n}",
        "  service_account = \"svc-workflows@acme.com\"\n\n  management {\n    oauth {\n      client_id   = \"0oa1ci0example\"\n      private_key = env(\"OKTAFORM_PRIVATE_KEY\")\n    }\n  }\n}",
    );
    let key = std::fs::read_to_string(fixtures().join("oauth/ec-pkcs8.pem")).expect("key");
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "quickstart")
        .file("quickstart/main.hcl", main)
        .env("OKTAFORM_PRIVATE_KEY", &key)
        .args(["plan", "quickstart", "--endpoint", &replay.url])
        .run();
    assert_eq!(replay.misses(), Vec::<String>::new());
    snapshot("replay_plan_dpop", &outcome);
}
