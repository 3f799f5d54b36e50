//! Hostile inputs and peers: a forged plan file, a config from a pull request, a lying or
//! broken server, and local files that never end. Each test names the defect it guards
//! against; none may panic, hang, or change the org.

use crate::harness::{ADMIN_TOKEN, Api, Test, quickstart_seed, repo};
use oktaform::sim::Sim;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpListener;

/// What the lying server sends for one request.
pub(crate) enum Answer {
    /// A whole response, as bytes.
    Bytes(Vec<u8>),
    /// This head, then a body that never ends (until the client hangs up).
    Endless(String),
}

/// A server on the loopback that answers every request with what `answer` returns for
/// its request line (`GET /path HTTP/1.1`) and its own URL: the org as a liar or a broken
/// proxy.
pub(crate) struct Liar {
    pub(crate) url: String,
}

impl Liar {
    pub(crate) fn start(answer: impl Fn(&str, &str) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let answer = std::sync::Arc::new(answer);
        let base = url.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (answer, base) = (answer.clone(), base.clone());
                std::thread::spawn(move || {
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") && head.len() < 65_536 {
                        if stream.read(&mut byte).unwrap_or(0) == 0 {
                            return;
                        }
                        head.push(byte[0]);
                    }
                    let head = String::from_utf8_lossy(&head);
                    let line = head.lines().next().unwrap_or_default().to_owned();
                    match answer(&line, &base) {
                        Answer::Bytes(bytes) => {
                            let _ = stream.write_all(&bytes);
                        }
                        Answer::Endless(head) => {
                            let _ = stream.write_all(head.as_bytes());
                            let chunk = vec![b' '; 65_536];
                            while stream.write_all(&chunk).is_ok() {}
                        }
                    }
                });
            }
        });
        Self { url }
    }
}

pub(crate) fn response(status: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut text = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(text, "{name}: {value}\r\n");
    }
    let _ = write!(text, "Content-Length: {}\r\n\r\n{body}", body.len());
    Answer::Bytes(text.into_bytes())
}

/// `plan` of the quickstart against `url` with an API token.
fn plan_against(url: &str) -> Test {
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_HTTP_RETRIES", "0")
        .args(["plan", "qs", "--endpoint", url])
}

#[test]
fn a_reset_past_the_end_of_time_does_not_panic_the_client() {
    let liar = Liar::start(|_, _| {
        response(
            "404 Not Found",
            &[
                ("X-Rate-Limit-Limit", "100"),
                ("X-Rate-Limit-Remaining", "0"),
                ("X-Rate-Limit-Reset", "18446744073709551615"),
            ],
            r#"{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: me (User)","errorId":"x"}"#,
        )
    });
    // An error, not a panic (exit 101), and no wait for the reset.
    plan_against(&liar.url)
        .status(1)
        .stderr(&read_failures(
            &[
                "GET /api/v1/users/me answered 404\n  │ E0000007: Not found: Resource not found: me (User)",
                "GET /api/v1/apps answered 404 E0000007:\n  │ Not found: Resource not found: me (User)",
            ],
            true,
        ))
        .verify();
}

/// What `plan` of the quickstart prints when reading its org fails with `messages` (as
/// wrapped), the account lookup answered 404 too when `account_missing`.
fn read_failures(messages: &[&str], account_missing: bool) -> String {
    let failure = |message: &str| {
        format!(
            "oktaform::live::request_failed

  × reading `acme.okta.com` failed: {message}
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection \"acme\" {{
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = \"acme.okta.com\"
   ╰────
  help: run with -v to see each request

"
        )
    };
    let mut text = failure(messages[0]);
    if account_missing {
        text.push_str(
            "oktaform::live::account_not_found

  × no user `svc-workflows@acme.com` in `acme.okta.com`
    ╭─[qs/main.hcl:11:21]
 10 │   # The super admin that authorizes the connection; it must be assigned to the app.
 11 │   service_account = \"svc-workflows@acme.com\"
    ·                     ────────────┬───────────
    ·                                 ╰── not a user of the org
 12 │ }
    ╰────
  help: the service account must exist; oktaform does not create users

",
        );
    }
    for message in &messages[1..] {
        text.push_str(&failure(message));
    }
    let errors = messages.len() + usize::from(account_missing);
    let _ = writeln!(text, "{errors} errors, 0 warnings, 0 advice");
    text
}

#[test]
fn an_endless_body_is_cut_at_the_limit() {
    let liar = Liar::start(|_, _| {
        Answer::Endless("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[".to_owned())
    });
    plan_against(&liar.url).status(1).stderr(&read_failures(&[
        "GET /api/v1/users/me: the answer is larger\n  │ than the limit of 32 MiB; nothing more was read",
        "GET /api/v1/users/svc-\n  │ workflows%40acme.com: the answer is larger than the limit of 32 MiB;\n  │ nothing more was read",
        "GET /api/v1/apps/0oa1wf0example: the\n  │ answer is larger than the limit of 32 MiB; nothing more was read",
    ], false)).verify();
}

#[test]
fn a_next_link_back_to_the_same_page_ends_paging() {
    let liar = Liar::start(|line, base| {
        if line.starts_with("GET /api/v1/apps?") {
            let path = line.split(' ').nth(1).unwrap_or_default();
            // The same page again and again, on the origin called.
            let link = format!("<{base}{path}>; rel=\"next\"");
            return response("200 OK", &[("Link", &link)], "[]");
        }
        response(
            "404 Not Found",
            &[],
            r#"{"errorCode":"E0000007","errorSummary":"Not found","errorId":"x"}"#,
        )
    });
    plan_against(&liar.url)
        .status(1)
        .stderr(&read_failures(
            &[
                "GET /api/v1/users/me answered 404\n  │ E0000007: Not found",
                "GET /api/v1/apps: a `next` link leads back\n  │ to a page already read; paging stopped",
            ],
            true,
        ))
        .verify();
}

#[test]
fn server_text_is_shown_on_one_short_line_without_the_token_or_escapes() {
    let summary = format!(
        "Denied \u{1b}[2J\u{1b}]0;owned\u{7} {ADMIN_TOKEN}\n::error::x {}",
        "x".repeat(100_000)
    );
    let body = serde_json::json!({"errorCode": "E0000006", "errorSummary": summary, "errorId": "x"}).to_string();
    let liar = Liar::start(move |_, _| response("403 Forbidden", &[("X-Okta-Request-Id", "reqLiar")], &body));
    plan_against(&liar.url)
        .status(1)
        .stderr(&format!(
            "oktaform::credentials::rejected

  × `acme.okta.com` refuses a request made with the API token in
  │ OKTA_API_TOKEN: GET /api/v1/users/me answered 403 E0000006: Denied \\u{{1b}}
  │ [2J\\u{{1b}}]0;owned\\u{{7}} ********\\u{{a}}::error::x
  │ {x}
  │ {x}
  │ {x}
  │ {tail}... (100060 characters in all) (request reqLiar)
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection \"acme\" {{
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = \"acme.okta.com\"
   ╰────
  help: the token's user lacks a permission oktaform needs: use an API token
        of a super admin

1 error, 0 warnings, 0 advice
",
            x = "x".repeat(74),
            tail = "x".repeat(18)
        ))
        .verify();
}

/// `OKTA_API_TOKEN` went to any host the config named; now only to Okta org domains and
/// origins named outside the config, and the refusal comes before any connection.
#[test]
fn a_credential_goes_only_where_its_holder_allows() {
    let config = |domain: &str, endpoint: &str| {
        format!(
            "connection \"prod\" {{\n  domain          = \"{domain}\"\n  client_id       = \"0oa1wf0example\"\n  service_account = \"svc-workflows@acme.com\"\n{endpoint}}}\n\nscopes \"prod\" {{\n  connection = connection.prod\n  grant      = [\"okta.users.read\"]\n}}\n"
        )
    };
    Test::new()
        .file("c/main.hcl", config("acme.okta.co", ""))
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "c"])
        .status(1)
        .stderr(
            "oktaform::credentials::origin_not_allowed

  × `acme.okta.co` would be reached at https://acme.okta.co, which is not an
  │ Okta org domain (https://<name>.okta.com, .oktapreview.com, .okta-
  │ emea.com, .okta-gov.com, .okta.mil); no credential was sent
   ╭─[c/main.hcl:1:1]
 1 │ connection \"prod\" {
   · ────────┬────────
   ·         ╰── this org
 2 │   domain          = \"acme.okta.co\"
   ╰────
  help: the config does not decide where credentials go: if https://
        acme.okta.co is your org (a custom URL domain, a proxy), allow it with
        OKTAFORM_ALLOWED_ORIGINS=https://acme.okta.co or pass --endpoint
        https://acme.okta.co

1 error, 0 warnings, 0 advice
",
        )
        .verify();
    Test::new()
        .file(
            "c/main.hcl",
            config("acme.okta.com", "  endpoint        = \"https://169.254.169.254\"\n"),
        )
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_ALLOWED_ORIGINS", "https://169.254.169.254")
        .args(["plan", "c"])
        .status(1)
        .stderr_like(
            "oktaform::credentials::origin_not_allowed

  × `acme.okta.com` would be reached at https://169.254.169.254, an IP address
  │ outside the loopback; no credential was sent
...
  help: credentials never go to an IP address other than the loopback; use the
        org's domain name

1 error, 0 warnings, 0 advice
",
        )
        .verify();
    Test::new()
        .file("c/main.hcl", config("evil.okta.com", ""))
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTA_CLIENT_ORGURL", "https://acme.okta.com")
        .args(["plan", "c"])
        .status(1)
        .stderr_like(
            "oktaform::credentials::origin_mismatch

  × `evil.okta.com` would be reached at https://evil.okta.com, but
  │ OKTA_CLIENT_ORGURL names https://acme.okta.com; no credential was sent
...
1 error, 0 warnings, 0 advice
",
        )
        .verify();
    // A config endpoint on this machine is allowed when its holder names it.
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let origin = sim.url().trim_end_matches('/').to_owned();
    let endpoint = format!("  endpoint        = \"{origin}\"\n");
    Test::new()
        .file("c/main.hcl", config("acme.okta.com", &endpoint))
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .args(["plan", "c"])
        .status(1)
        .stderr_like("oktaform::credentials::origin_not_allowed\n...")
        .verify();
    assert_eq!(
        Api::new(sim.url(), ADMIN_TOKEN).served(),
        Vec::<String>::new(),
        "nothing was sent"
    );
    Test::new()
        .file("c/main.hcl", config("acme.okta.com", &endpoint))
        .env("OKTA_API_TOKEN", ADMIN_TOKEN)
        .env("OKTAFORM_ALLOWED_ORIGINS", &format!("https://login.acme.com,{origin}"))
        .args(["plan", "c", "--detailed-exitcode"])
        .run()
        .code(2);
}

/// An empty, truncated or comment-only `plan.json` (a failed artifact download) applied
/// "No changes." with exit 0.
#[test]
fn a_plan_file_that_is_not_a_plan_is_refused() {
    for (text, why) in [
        ("", "the file is empty"),
        (
            "{\"format_version\": \"2\", \"ch",
            "EOF while parsing a string at line 1\n  │ column 27",
        ),
        ("# nothing here\n", "expected value at line 1 column 1"),
    ] {
        Test::new()
            .copy_dir(&repo().join("examples/quickstart"), ".")
            .file("plan.json", text)
            .args(["apply", "plan.json", "--sim"])
            .status(1)
            .stderr(&format!(
                "oktaform::apply::not_a_plan

  × `plan.json` is not an oktaform plan: {why}
  help: make a new plan file with `oktaform plan -o FILE`

1 error, 0 warnings, 0 advice
"
            ))
            .verify();
    }
}

/// The config path written in a plan file picked the config that apply read.
#[test]
fn the_config_path_in_a_plan_file_chooses_nothing() {
    let planned = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args([
            "plan",
            "qs",
            "--sim",
            "--sim-seed",
            "qs/sim-org.json",
            "-o",
            "plan.json",
        ])
        .run()
        .success();
    let plan = std::fs::read_to_string(planned.dir.join("plan.json")).unwrap();
    let mut document = oktaform::plan::PlanDocument::parse(&plan, "plan.json").unwrap();
    document.config.path = "/etc".to_owned();
    document.seal();
    Test::new()
        .file("plan.json", document.to_json())
        .args(["apply", "plan.json", "--sim"])
        .status(1)
        .stderr(
            "oktaform::config::no_files

  × `.` holds no `*.hcl` file
  help: point PATH at the directory of your config, or create one (see
        `examples/quickstart`) apply reads the config from the current
        directory or `--config PATH`; the plan was made from `/etc` (as the
        plan file records it)

1 error, 0 warnings, 0 advice
",
        )
        .verify();
}

/// Nesting in a filter overflowed the stack of `validate` and of the simulated org.
#[test]
fn deeply_nested_filters_are_refused_by_the_validator_and_the_sim() {
    let nested = format!("{}eventType eq \\\"a\\\"{}", "(".repeat(10_000), ")".repeat(10_000));
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .file(
            "qs/deep.hcl",
            format!("log_query \"deep\" {{\n  connection = connection.acme\n  filter     = \"{nested}\"\n}}\n"),
        )
        .args(["validate", "qs", "--format", "json"])
        .run()
        .code(1);
    let document = outcome.json();
    assert_eq!(document["diagnostics"][0]["code"], "oktaform::log_query::filter_syntax");
    assert_eq!(
        document["diagnostics"][0]["message"],
        "invalid filter: the filter nests parentheses and `not` deeper than 64 levels"
    );
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    let filter = format!("{}eventType eq \"a\"{}", "(".repeat(5_000), ")".repeat(5_000));
    let answer = api.get(&format!("/api/v1/logs?filter={}", urlencode(&filter)));
    crate::harness::expect_error(answer, 400, "E0000053");
    let answer = api.get("/api/v1/users/me");
    assert_eq!(answer.status(), 200, "the sim still serves");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/dev/zero` as a config, a var file or an argument of `file()` was read until memory
/// ran out; a FIFO blocked forever.
#[test]
fn files_that_never_end_are_refused() {
    Test::new()
        .args(["validate", "/dev/zero"])
        .status(1)
        .stderr(
            "oktaform::config::unreadable

  × cannot read `/dev/zero`: it is a device, not a regular file

1 error, 0 warnings, 0 advice
",
        )
        .verify();
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["validate", "qs", "--var-file", "/dev/zero"])
        .status(1)
        .stderr(
            "oktaform::config::unreadable

  × cannot read `/dev/zero`: it is a device, not a regular file

1 error, 0 warnings, 0 advice
",
        )
        .verify();
    let test = Test::new().copy_dir(&repo().join("examples/quickstart"), "qs");
    let fifo = test.path().join("fifo.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    test.args(["apply", "fifo.json", "--config", "qs", "--sim"])
        .status(1)
        .stderr(
            "oktaform::config::unreadable

  × cannot read `fifo.json`: it is a FIFO, not a regular file

1 error, 0 warnings, 0 advice
",
        )
        .verify();
}

/// 2,000 problems on one long line printed the whole line 2,000 times.
#[test]
fn many_problems_on_one_long_line_print_a_bounded_report() {
    let events: Vec<String> = (0..2_000)
        .map(|i| format!("eventType eq \\\"no.such.type{i}\\\""))
        .collect();
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .file(
            "qs/long.hcl",
            format!(
                "log_query \"long\" {{\n  connection = connection.acme\n  filter     = \"{}\"\n}}\n",
                events.join(" or ")
            ),
        )
        .args(["validate", "qs"])
        .stderr_like(
            r#"oktaform::log_query::unknown_event_type

  ⚠ `no.such.type0` is not a known event type
   ╭─[qs/long.hcl:3:30]
 2 │   connection = connection.acme
 3 │   filter     = "eventType eq \"no.such.type0\" or eventType eq \"no.such.type1\" or eventType eq \"no.such.type2\" or ev…
   ·                              ────────┬────────
   ·                                      ╰── unknown event type
 4 │ }
   ╰────
  help: the query would match nothing unless Okta added this event type
        recently

...
... and 1990 more oktaform::log_query::unknown_event_type in `qs/long.hcl` (not shown; --format json lists every one)

0 errors, 2000 warnings, 0 advice
"#,
        )
        .stdout_like("The configuration is valid: [..]\n")
        .verify();
    assert!(
        outcome.stderr.len() < 20_000,
        "{} bytes:\n{}",
        outcome.stderr.len(),
        outcome.stderr
    );
    assert!(
        outcome.stderr.lines().all(|l| l.chars().count() < 200),
        "{}",
        outcome.stderr
    );
}

/// A label with a line break and a GitHub workflow command started a line of the human
/// plan with `::error`; ESC sequences reached the terminal.
#[test]
fn labels_cannot_forge_lines_or_terminal_sequences() {
    let outcome = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .file(
            "qs/evil.hcl",
            "log_query \"x\\n::error file=x::forged\\u001b]0;t\\u0007\" {\n  connection = connection.acme\n  keyword    = \"admin\"\n}\n",
        )
        .args(["plan", "qs", "--sim"])
        .stdout_like(
            r"...
  x\u{a}::error file=x::forged\u{1b}]0;t\u{7} (connection acme)
    Keyword:     admin
    API request: q=admin sortOrder=ASCENDING limit=100 (the first page)
",
        )
        .stderr("Using the simulated org (seed qs/sim-org.json, state qs/.oktaform/sim-state.json).\n")
        .verify();
    for stream in [&outcome.stdout, &outcome.stderr] {
        assert!(!stream.lines().any(|l| l.trim_start().starts_with("::")), "{stream}");
        assert!(!stream.contains('\u{1b}') && !stream.contains('\u{7}'), "{stream}");
    }
}

/// `kill -9` during a save left `<state>.tmp<pid>` files that nothing removed.
#[test]
fn stale_temp_files_of_the_sim_state_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("sim-state.json");
    // A pid that no process has (above the kernel's largest).
    let left_behind = dir.path().join("sim-state.tmp4194305");
    std::fs::write(&left_behind, "{").unwrap();
    let sim = Sim::builder()
        .seed(quickstart_seed())
        .state_file(&state)
        .start()
        .unwrap();
    assert!(!left_behind.exists());
    drop(sim);
}

/// `POST /__sim/faults {"hang": ["/"]}` from anyone who reached the port hung every route,
/// and `latency_ms = u64::MAX` wrapped.
#[test]
fn the_sims_admin_routes_need_a_token_of_the_seed() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let client = crate::harness::http();
    let url = format!("{}/__sim/faults", sim.url().trim_end_matches('/'));
    let hang = serde_json::json!({"hang": ["/"]});
    crate::harness::expect_error(client.post(&url).json(&hang).send().unwrap(), 401, "E0000011");
    crate::harness::expect_error(
        client
            .delete(format!("{}/__sim/requests", sim.url().trim_end_matches('/')))
            .send()
            .unwrap(),
        401,
        "E0000011",
    );
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    crate::harness::expect_error(
        api.post("/__sim/faults", &serde_json::json!({"latency_ms": u64::MAX})),
        400,
        "E0000001",
    );
    assert_eq!(api.get("/api/v1/users/me").status(), 200, "nothing was hung");
}

/// `plan -o main.hcl` replaced the config with JSON.
#[test]
fn plan_never_overwrites_a_file_that_is_not_a_plan() {
    let test = Test::new().copy_dir(&repo().join("examples/quickstart"), "qs");
    let config = std::fs::read_to_string(test.path().join("qs/main.hcl")).unwrap();
    let outcome = test
        .args(["plan", "qs", "--sim", "-o", "qs/main.hcl"])
        .status(1)
        .stderr("error: -o qs/main.hcl: the file exists and is not a plan file; refusing to overwrite it (name a new file)\n")
        .verify();
    assert_eq!(
        std::fs::read_to_string(outcome.dir.join("qs/main.hcl")).unwrap(),
        config
    );
}

/// A seed with two orgs of one domain, or two users of one login, was taken silently.
#[test]
fn a_seed_that_repeats_an_org_or_a_login_is_refused() {
    let twice = |orgs: &str| format!("{{\"orgs\": [{orgs}]}}");
    let org = r#"{"domain": "acme.okta.com", "tokens": [{"token": "t", "user": "a@acme.com"}], "users": [{"id": "00u1", "login": "a@acme.com"}]}"#;
    let repeated_login = r#"{"domain": "acme.okta.com", "tokens": [], "users": [{"id": "00u1", "login": "a@acme.com"}, {"id": "00u2", "login": "A@acme.com"}]}"#;
    for (seed, why) in [
        (
            twice(&format!("{org}, {org}")),
            "the seed lists the org `acme.okta.com` twice",
        ),
        (
            twice(repeated_login),
            "the org `acme.okta.com` of the seed lists the login `A@acme.com` twice (logins are case-insensitive)",
        ),
    ] {
        let seed: oktaform::sim::Seed = serde_json::from_str(&seed).unwrap();
        let Err(error) = Sim::builder().seed(seed).start() else {
            panic!("the seed was taken: {why}");
        };
        assert_eq!(error.to_string(), why);
    }
}

/// `variable "a" { default = var.b }` said b was not declared when it was.
#[test]
fn a_variable_in_a_default_is_named_as_such() {
    Test::new()
        .file(
            "main.hcl",
            "variable \"b\" {\n  default = \"x\"\n}\n\nvariable \"a\" {\n  default = var.b\n}\n",
        )
        .args(["validate", ".", "--format", "json"])
        .status(1)
        .stdout(
            r#"{
  "valid": false,
  "diagnostics": [
    {
      "code": "oktaform::variable::undefined",
      "severity": "error",
      "message": "`var.b` cannot be used here: defaults and var files hold literal values",
      "file": "./main.hcl",
      "line": 6,
      "column": 13,
      "help": "write the value itself, or set it with `--var`, a var file or OKTAFORM_VAR_<name>"
    }
  ]
}
"#,
        )
        .verify();
}

/// `-v` deadlocked `query` and `drift`: the main thread held the stderr lock while a worker
/// printed the request line. The harness's time limit turns a hang into a failure.
#[test]
fn verbose_query_and_drift_finish() {
    let sim_line = "Using the simulated org (seed qs/sim-org.json, state qs/.oktaform/sim-state.json).";
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["query", "scope_changes", "qs", "--sim", "-v"])
        .stderr_like(&format!(
            "{sim_line}
query `scope_changes` on `acme.okta.com`: filter=eventType sw \"app.oauth2.admin.consent\" since=[..] sortOrder=ASCENDING limit=100
GET http://127.0.0.1:PORT/api/v1/logs?filter=eventType+sw+%22app.oauth2.admin.consent%22&since=[..] -> 200 [request [..]]
"
        ))
        .verify();
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .args(["drift", "qs", "--sim", "-v"])
        .status(2)
        .stderr_like(&format!(
            "{sim_line}
...
GET http://127.0.0.1:PORT/api/v1/logs?filter=eventType+eq+%22app.oauth2.admin.consent.grant%22[..] -> 200 [request [..]]
GET http://127.0.0.1:PORT/api/v1/logs?filter=eventType+sw+%22app.oauth2.admin.consent%22[..] -> 200 [request [..]]
"
        ))
        .stdout_like("Org acme.okta.com (simulated), System Log read since 2026-11-21T12:00:00Z:\n...\nDrift: 5 findings (4 pending, 1 unknown).\n")
        .verify();
}

/// 300 connections that sent half a request head stayed open forever.
#[test]
fn the_sim_drops_a_client_that_never_finishes_its_request() {
    let sim = Sim::builder()
        .seed(quickstart_seed())
        .header_read_timeout(std::time::Duration::from_secs(1))
        .start()
        .unwrap();
    let address = sim.url().trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut slow = std::net::TcpStream::connect(&address).unwrap();
    slow.write_all(b"GET /api/v1/users/me HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let mut answer = Vec::new();
    let read = slow.read_to_end(&mut answer);
    assert!(read.is_ok(), "the sim closed the connection: {read:?}");
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    // A client that finishes its request is served as always.
    assert_eq!(Api::new(sim.url(), ADMIN_TOKEN).get("/api/v1/users/me").status(), 200);
}
