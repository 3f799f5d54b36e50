//! OAuth service apps against the sim over HTTP: `private_key_jwt` with RSA (PKCS#1, PKCS#8)
//! and EC keys, DPoP with the nonce exchange, scopes per command, refused keys, and the
//! private key absent from every output.

use crate::harness::{ADMIN_TOKEN, Api, Test, fixtures, repo};
use base64::Engine;
use oktaform::sim::{Seed, Sim};
use serde_json::{Value, json};

fn key(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("oauth").join(name)).expect("key fixture")
}

fn public_key(kind: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join("oauth/public-keys.json")).expect("public keys");
    serde_json::from_str::<Value>(&text).expect("json")[kind].clone()
}

/// The quickstart's org with three service apps: `0oa1ci0example` (RSA key, plain Bearer
/// tokens), `0oa1dpop` (EC key, DPoP-bound tokens) and `0oa1narrow` (RSA key, granted all
/// that a plan needs but `okta.appGrants.read`).
fn seed() -> Seed {
    let text = std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).expect("quickstart seed");
    let mut seed: Value = serde_json::from_str(&text).expect("json");
    let apps = seed["orgs"][0]["apps"].as_array_mut().expect("apps");
    let ci = apps
        .iter_mut()
        .find(|a| a["id"] == "0oa1ci0example")
        .expect("service app");
    ci["jwks"] = json!({"keys": [public_key("rsa")]});
    // Plans read grants: `okta.appGrants.manage` does not stand in for the read scope at
    // the token endpoint (it returns the requested scopes that are granted).
    ci["grants"]
        .as_array_mut()
        .expect("grants")
        .extend([json!("okta.appGrants.read"), json!("okta.roles.read")]);
    let grants = ci["grants"].clone();
    apps.push(json!({
        "id": "0oa1dpop", "name": "oidc_client", "label": "oktaform CI (DPoP)", "status": "ACTIVE",
        "application_type": "service", "roles": ["SUPER_ADMIN"], "jwks": {"keys": [public_key("ec")]},
        "dpop_bound_access_tokens": true, "grants": grants,
    }));
    apps.push(json!({
        "id": "0oa1narrow", "name": "oidc_client", "label": "read-only CI", "status": "ACTIVE",
        "application_type": "service", "roles": ["SUPER_ADMIN"], "jwks": {"keys": [public_key("rsa")]},
        "grants": ["okta.apps.read", "okta.users.read", "okta.roles.read"],
    }));
    Seed::from_json(&seed.to_string()).expect("valid seed")
}

/// The quickstart's config, its connection managed by the service app `client_id` whose
/// private key is in `OKTAFORM_PRIVATE_KEY`.
fn config(client_id: &str, key_id: &str) -> String {
    let main = std::fs::read_to_string(repo().join("examples/quickstart/main.hcl")).expect("quickstart");
    main.replace(
        "  service_account = \"svc-workflows@acme.com\"\n}",
        &format!(
            "  service_account = \"svc-workflows@acme.com\"\n\n  management {{\n    oauth {{\n      client_id   = \"{client_id}\"\n      private_key = env(\"OKTAFORM_PRIVATE_KEY\")\n      key_id      = \"{key_id}\"\n    }}\n  }}\n}}"
        ),
    )
}

/// A plan of the quickstart with the service app, written to `plan.json`.
fn plan_file(sim: &Sim, client_id: &str, key_id: &str, private_key: &str) -> crate::harness::Outcome {
    project(client_id, key_id, private_key)
        .args(["plan", "qs", "--endpoint", sim.url(), "-o", "plan.json"])
        .run()
        .success()
}

/// Checks that no text holds the private key, or any PEM key at all.
#[track_caller]
fn assert_key_absent(texts: &[&str], private_key: &str) {
    let body = private_key.lines().nth(1).expect("a PEM body");
    for text in texts {
        assert!(
            !text.contains("PRIVATE KEY") && !text.contains(body),
            "the key leaked: {text}"
        );
    }
}

fn project(client_id: &str, key_id: &str, private_key: &str) -> Test {
    let quickstart = repo().join("examples/quickstart");
    Test::new()
        .copy_dir(&quickstart, "qs")
        .file("qs/main.hcl", config(client_id, key_id))
        .env("OKTAFORM_PRIVATE_KEY", private_key)
}

/// The requests the sim served with how each authenticated, as `auth METHOD path status`.
fn served_with_auth(sim: &Sim) -> Vec<String> {
    let records: Value = Api::new(sim.url(), ADMIN_TOKEN)
        .get("/__sim/requests")
        .json()
        .expect("json");
    records
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["auth"].as_str().unwrap_or("-"),
                r["method"].as_str().unwrap_or_default(),
                r["path"].as_str().unwrap_or_default(),
                r["status"]
            )
        })
        .collect()
}

const PLAN_REQUESTS: [&str; 7] = [
    "GET /api/v1/apps/0oa1wf0example 200",
    "GET /api/v1/apps/0oa1wf0example/grants 200",
    "GET /api/v1/apps/0oa1wf0example/users/00usvcwf0example00001 404",
    "GET /api/v1/users/00usvcwf0example00001/roles 200",
    "GET /api/v1/users/svc-workflows%40acme.com 200",
    "POST /oauth2/v1/token 200",
    "POST /oauth2/v1/token 400",
];

#[test]
fn plan_with_a_service_app_gets_one_bearer_token_and_shows_no_key() {
    for private_key in [key("rsa-pkcs1.pem"), key("rsa-pkcs8.pem")] {
        let sim = Sim::builder().seed(seed()).start().unwrap();
        let outcome = plan_file(&sim, "0oa1ci0example", "rsa-key-1", &private_key);
        let mut served = served_with_auth(&sim);
        served.sort();
        assert_eq!(
            served,
            [
                "Bearer GET /api/v1/apps/0oa1wf0example 200",
                "Bearer GET /api/v1/apps/0oa1wf0example/grants 200",
                "Bearer GET /api/v1/apps/0oa1wf0example/users/00usvcwf0example00001 404",
                "Bearer GET /api/v1/users/00usvcwf0example00001/roles 200",
                "Bearer GET /api/v1/users/svc-workflows%40acme.com 200",
                "private_key_jwt POST /oauth2/v1/token 200",
            ]
        );
        let plan = std::fs::read_to_string(outcome.dir.join("plan.json")).unwrap();
        assert_key_absent(&[&outcome.stdout, &outcome.stderr, &plan], &private_key);
    }
}

#[test]
fn apply_with_a_dpop_app_proves_possession_on_every_request() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    let planned = plan_file(&sim, "0oa1dpop", "ec-key-1", &key("ec-pkcs8.pem"));
    let mut served = served_with_auth(&sim);
    served.sort();
    let mut expected: Vec<String> = PLAN_REQUESTS
        .iter()
        .map(|r| {
            if r.starts_with("POST") {
                format!("private_key_jwt {r}")
            } else {
                format!("DPoP {r}")
            }
        })
        .collect();
    expected.push("private_key_jwt POST /oauth2/v1/token 400".to_owned());
    expected.sort();
    // Without a proof (the app's need of DPoP is learned), without a nonce, then a token.
    assert_eq!(served, expected);

    Api::new(sim.url(), ADMIN_TOKEN)
        .request(reqwest::Method::DELETE, "/__sim/requests")
        .send()
        .unwrap();
    let applied = Test::new()
        .copy_dir(&planned.dir, "work")
        .env("OKTAFORM_PRIVATE_KEY", &key("ec-pkcs8.pem"))
        .args([
            "apply",
            "work/plan.json",
            "--config",
            "work/qs",
            "--endpoint",
            sim.url(),
            "--force=privileged",
        ])
        .run()
        .success();
    assert_key_absent(
        &[&planned.stdout, &planned.stderr, &applied.stdout, &applied.stderr],
        &key("ec-pkcs8.pem"),
    );
    let schemes: std::collections::BTreeSet<String> = served_with_auth(&sim)
        .iter()
        .map(|r| r.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        schemes.into_iter().collect::<Vec<_>>(),
        ["DPoP", "private_key_jwt"],
        "every API request of the apply carried a DPoP token"
    );
    // The grants were made by the service app, as the System Log says.
    let events = crate::harness::expect_json(
        Api::new(sim.url(), ADMIN_TOKEN)
            .get("/api/v1/logs?filter=eventType%20eq%20%22app.oauth2.admin.consent.grant%22"),
        200,
    );
    let actors: Vec<(&str, &str)> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["actor"]["id"].as_str().unwrap(), e["actor"]["type"].as_str().unwrap()))
        .collect();
    // Two grants (okta.groups.manage, okta.logs.read), both by the app.
    assert_eq!(actors, [("0oa1dpop", "PublicClientApp"); 2]);
}

#[test]
fn a_key_the_app_does_not_hold_is_refused_in_one_diagnostic() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    let other = key("other-rsa.pem");
    let outcome = project("0oa1ci0example", "rsa-key-1", &other)
        .args(["plan", "qs", "--endpoint", sim.url()])
        .status(1)
        .stderr_like(
            r#"oktaform::credentials::rejected

  × `acme.okta.com` does not accept the service app `0oa1ci0example` of the
  │ `management` block of connection `acme`: the token endpoint refused the
  │ service app `0oa1ci0example`: 401 invalid_client: The client_assertion
  │ signature is invalid.
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection "acme" {
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = "acme.okta.com"
   ╰────
  help: check the client id, and that the app's public keys (JWKS) hold the
        private key's public half; the key id (`key_id`) must name it

1 error, 0 warnings, 0 advice"#,
        )
        .verify();
    assert_key_absent(&[&outcome.stdout, &outcome.stderr], &other);
}

#[test]
fn a_scope_the_app_lacks_is_named_with_the_command_that_needs_it() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    project("0oa1narrow", "rsa-key-1", &key("rsa-pkcs1.pem"))
        .args(["plan", "qs", "--endpoint", sim.url()])
        .status(1)
        .stderr_like(
            r#"oktaform::credentials::missing_scope

  × `acme.okta.com`: the service app `0oa1narrow` of the `management` block of
  │ connection `acme` lacks the scope `okta.appGrants.read`, which `oktaform
  │ plan` needs: GET /api/v1/apps/0oa1wf0example/grants needs the scope
  │ `okta.appGrants.read`, which the service app's token does not hold
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection "acme" {
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = "acme.okta.com"
   ╰────
  help: grant `okta.appGrants.read` to the service app (Okta API Scopes tab),
        and list it in `oauth { scopes }` or leave `scopes` out

1 error, 0 warnings, 0 advice"#,
        )
        .verify();
}

const NOT_A_KEY: &str = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3Qta2V5\n-----END PRIVATE KEY-----";

#[test]
fn a_key_that_does_not_parse_is_a_diagnostic_without_the_key() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    let in_config = project("0oa1ci0example", "rsa-key-1", NOT_A_KEY)
        .args(["plan", "qs", "--endpoint", sim.url()])
        .status(1)
        .stderr(
            r#"oktaform::connection::private_key

  × `private_key` is not a usable key: the PKCS#8 private key is neither RSA
  │ nor EC P-256
    ╭─[qs/main.hcl:16:21]
 15 │       client_id   = "0oa1ci0example"
 16 │       private_key = env("OKTAFORM_PRIVATE_KEY")
    ·                     ─────────────┬─────────────
    ·                                  ╰── this key
 17 │       key_id      = "rsa-key-1"
    ╰────
  help: give the service app's private key as PEM (PKCS#1 `RSA PRIVATE KEY` or
        PKCS#8 `PRIVATE KEY`) or as a JWK, RSA or EC P-256

1 error, 0 warnings, 0 advice
"#,
        )
        .verify();
    let in_environment = Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey")
        .env("OKTA_CLIENT_CLIENTID", "0oa1ci0example")
        .env("OKTA_CLIENT_PRIVATEKEY", NOT_A_KEY)
        .args(["plan", "qs", "--endpoint", sim.url()])
        .status(1)
        .stderr_like(
            r#"oktaform::credentials::service_app

  × `acme.okta.com`: the service app `0oa1ci0example` of
  │ OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey cannot be used: the PKCS#8
  │ private key is neither RSA nor EC P-256
   ╭─[qs/main.hcl:4:1]
 3 │ 
 4 │ connection "acme" {
   · ────────┬────────
   ·         ╰── this org
 5 │   domain = "acme.okta.com"
   ╰────
  help: give the client id of the service app and its private key as PEM
        (PKCS#1 or PKCS#8) or as a JWK

1 error, 0 warnings, 0 advice"#,
        )
        .verify();
    for outcome in [in_config, in_environment] {
        assert!(!outcome.stderr.contains("c2VjcmV0LWJ1dC1ub3Qta2V5"));
    }
    assert_eq!(served_with_auth(&sim), Vec::<String>::new(), "nothing was sent");
}

#[test]
fn the_sdk_environment_private_key_mode_plans_with_a_jwk() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    // The EC key as a private JWK, as the Admin Console offers to download it.
    let jwk = ec_private_jwk();
    Test::new()
        .copy_dir(&repo().join("examples/quickstart"), "qs")
        .env("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey")
        .env("OKTA_CLIENT_CLIENTID", "0oa1dpop")
        .env("OKTA_CLIENT_PRIVATEKEY", &jwk)
        .env("OKTA_CLIENT_KID", "ec-key-1")
        .args(["plan", "qs", "--endpoint", sim.url(), "--format", "json"])
        .run()
        .success();
    let token_requests: Vec<String> = served_with_auth(&sim)
        .into_iter()
        .filter(|r| r.contains("/oauth2/"))
        .collect();
    assert_eq!(
        token_requests,
        [
            "private_key_jwt POST /oauth2/v1/token 400",
            "private_key_jwt POST /oauth2/v1/token 400",
            "private_key_jwt POST /oauth2/v1/token 200",
        ]
    );
}

/// The fixture's EC private key as a JWK (`d` from the PKCS#8 DER, `x`/`y` from the public
/// keys file).
fn ec_private_jwk() -> String {
    let pem = key("ec-pkcs8.pem");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).expect("base64");
    // PKCS#8 of a P-256 key made by openssl: the 32-byte private scalar follows `04 20`
    // inside the SEC1 structure.
    let at = der.windows(2).position(|w| w == [0x04, 0x20]).expect("private scalar") + 2;
    let d = &der[at..at + 32];
    let public = public_key("ec");
    json!({"kty": "EC", "crv": "P-256", "x": public["x"], "y": public["y"], "d": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d)}).to_string()
}

#[test]
fn a_resource_nonce_challenge_is_answered_once_with_the_new_nonce() {
    let sim = Sim::builder()
        .seed(seed())
        .faults(oktaform::sim::Faults {
            resource_nonce: true,
            ..oktaform::sim::Faults::default()
        })
        .start()
        .unwrap();
    let outcome = project("0oa1dpop", "ec-key-1", &key("ec-pkcs8.pem"))
        .args(["plan", "qs", "--endpoint", sim.url(), "--format", "json"])
        .run()
        .success();
    let plain = Sim::builder().seed(seed()).start().unwrap();
    let expected = project("0oa1dpop", "ec-key-1", &key("ec-pkcs8.pem"))
        .args(["plan", "qs", "--endpoint", plain.url(), "--format", "json"])
        .run()
        .success();
    assert_eq!(outcome.json()["changes"], expected.json()["changes"]);
    let served = served_with_auth(&sim);
    // Each read is challenged at most once (those sent before the nonce was known), then
    // served with the nonce in its proof.
    let (challenged, mut answered): (Vec<String>, Vec<String>) = served.into_iter().partition(|r| r.ends_with(" 401"));
    answered.sort();
    assert_eq!(
        answered,
        [
            "DPoP GET /api/v1/apps/0oa1wf0example 200",
            "DPoP GET /api/v1/apps/0oa1wf0example/grants 200",
            "DPoP GET /api/v1/apps/0oa1wf0example/users/00usvcwf0example00001 404",
            "DPoP GET /api/v1/users/00usvcwf0example00001/roles 200",
            "DPoP GET /api/v1/users/svc-workflows%40acme.com 200",
            "private_key_jwt POST /oauth2/v1/token 200",
            // Without a proof, then without the token endpoint's nonce.
            "private_key_jwt POST /oauth2/v1/token 400",
            "private_key_jwt POST /oauth2/v1/token 400",
        ]
    );
    assert!(!challenged.is_empty(), "the first read is challenged");
    // A refused credential is recorded without its scheme: `- METHOD path 401`.
    for request in &challenged {
        let read = request.trim_start_matches("- ").trim_end_matches(" 401");
        assert_eq!(
            challenged.iter().filter(|r| r.contains(read)).count(),
            1,
            "{read} challenged once"
        );
        assert!(
            answered.iter().any(|r| r.contains(&format!(" {read} "))),
            "{read} answered after its challenge"
        );
    }
}

#[test]
fn tokens_that_expire_mid_apply_are_replaced_and_nothing_is_lost() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    let planned = plan_file(&sim, "0oa1ci0example", "rsa-key-1", &key("rsa-pkcs1.pem"));
    // Tokens live one second; each request takes a third of one.
    sim.set_faults(oktaform::sim::Faults {
        token_lifetime_seconds: Some(1),
        latency_ms: 300,
        ..oktaform::sim::Faults::default()
    });
    Api::new(sim.url(), ADMIN_TOKEN)
        .request(reqwest::Method::DELETE, "/__sim/requests")
        .send()
        .unwrap();
    Test::new()
        .copy_dir(&planned.dir, "work")
        .env("OKTAFORM_PRIVATE_KEY", &key("rsa-pkcs1.pem"))
        .args([
            "apply",
            "work/plan.json",
            "--config",
            "work/qs",
            "--endpoint",
            sim.url(),
            "--force=privileged",
            "--format",
            "json",
        ])
        .run()
        .success();
    let served = served_with_auth(&sim);
    let tokens = served.iter().filter(|r| r.contains("/oauth2/v1/token 200")).count();
    assert!(tokens >= 2, "the token was replaced during the apply: {served:?}");
    let failed: Vec<&String> = served
        .iter()
        .filter(|r| !r.ends_with(" 200") && !r.ends_with(" 201") && !r.ends_with(" 204") && !r.ends_with(" 404"))
        .collect();
    assert_eq!(failed, Vec::<&String>::new());
    sim.set_faults(oktaform::sim::Faults::default());
    let again = project("0oa1ci0example", "rsa-key-1", &key("rsa-pkcs1.pem"))
        .args(["plan", "qs", "--endpoint", sim.url(), "--format", "json"])
        .run()
        .success();
    assert_eq!(again.json()["changes"], json!([]), "every change was made");
}

#[test]
fn the_multi_org_example_plans_with_an_api_token_and_a_dpop_service_app() {
    let text = std::fs::read_to_string(repo().join("examples/multi-org/sim-org.json")).expect("seed");
    let sim = Sim::builder()
        .seed(Seed::from_json(&text).expect("valid seed"))
        .start()
        .unwrap();
    Test::new()
        .copy_dir(&repo().join("examples/multi-org"), "multi")
        .env("PROD_OKTA_API_TOKEN", "sim-okta-admin-token")
        .env("PREVIEW_OKTA_PRIVATE_KEY", &key("ec-pkcs8.pem"))
        .args(["plan", "multi", "--endpoint", sim.url(), "--format", "json"])
        .run()
        .success();
    let records: Value = Api::new(sim.url(), "sim-okta-admin-token")
        .get("/__sim/requests")
        .json()
        .expect("json");
    let schemes: std::collections::BTreeSet<(String, String)> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["org"].as_str().unwrap_or("-").to_owned(),
                r["auth"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let expected: std::collections::BTreeSet<(String, String)> = [
        ("acme.okta.com", "SSWS"),
        ("acme.oktapreview.com", "DPoP"),
        ("acme.oktapreview.com", "private_key_jwt"),
    ]
    .into_iter()
    .map(|(org, auth)| (org.to_owned(), auth.to_owned()))
    .collect();
    assert_eq!(schemes, expected);
}

#[test]
fn import_reads_the_org_as_a_dpop_service_app() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    let imported = Test::new()
        .env("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey")
        .env("OKTA_CLIENT_CLIENTID", "0oa1dpop")
        .env("OKTA_CLIENT_PRIVATEKEY", &key("ec-pkcs8.pem"))
        .env("OKTA_CLIENT_KID", "ec-key-1")
        .args([
            "import",
            "--domain",
            "acme.okta.com",
            "--endpoint",
            sim.url(),
            "--service-account",
            "svc-workflows@acme.com",
        ])
        .run()
        .success();
    assert_eq!(
        imported.stdout,
        crate::import::quickstart_import("svc-workflows@acme.com")
    );
    assert_key_absent(&[&imported.stdout, &imported.stderr], &key("ec-pkcs8.pem"));
    let schemes: std::collections::BTreeSet<String> = served_with_auth(&sim)
        .iter()
        .map(|r| r.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(schemes.into_iter().collect::<Vec<_>>(), ["DPoP", "private_key_jwt"]);
}

#[test]
fn verbose_output_lists_the_token_requests() {
    let sim = Sim::builder().seed(seed()).start().unwrap();
    let outcome = project("0oa1dpop", "ec-key-1", &key("ec-pkcs8.pem"))
        .args(["plan", "qs", "--endpoint", sim.url(), "-v"])
        .run()
        .success();
    let url = format!("{}/oauth2/v1/token", sim.url().trim_end_matches('/'));
    // The token requests, in order: refused for want of a proof, then of a nonce, then one
    // token; each with its Okta request id.
    let token_lines: Vec<&str> = outcome
        .stderr
        .lines()
        .filter(|line| line.contains("/oauth2/"))
        .collect();
    let expected = [400, 400, 200].map(|status| format!("POST {url} -> {status} [request req[..]]"));
    assert!(
        crate::harness::like(&expected.join("\n"), &token_lines.join("\n")),
        "{token_lines:#?}"
    );
}

#[test]
fn faults_of_the_token_endpoint_are_retried() {
    let plan = |sim: &Sim| {
        project("0oa1ci0example", "rsa-key-1", &key("rsa-pkcs1.pem"))
            .env("OKTAFORM_HTTP_RETRIES", "8")
            .args(["plan", "qs", "--endpoint", sim.url(), "--format", "json"])
            .run()
            .success()
            .json()["changes"]
            .clone()
    };
    let quiet = Sim::builder().seed(seed()).start().unwrap();
    let faulty = Sim::builder().seed(seed()).start().unwrap();
    faulty.set_faults(oktaform::sim::Faults {
        seed: FAULT_SEED,
        error_rate: 0.5,
        ..oktaform::sim::Faults::default()
    });
    assert_eq!(plan(&faulty), plan(&quiet), "the same plan, faults or not");
    let tokens: Vec<String> = served_with_auth(&faulty)
        .into_iter()
        .filter(|r| r.contains("/oauth2/v1/token"))
        .collect();
    let last = tokens.last().cloned();
    assert!(tokens.len() > 1, "a token request failed and was retried: {tokens:?}");
    assert_eq!(last.as_deref(), Some("private_key_jwt POST /oauth2/v1/token 200"));
    assert!(
        tokens[..tokens.len() - 1]
            .iter()
            .all(|r| r.ends_with(" 500") || r.ends_with(" 502") || r.ends_with(" 503") || r.ends_with(" 504")),
        "{tokens:?}"
    );
}

/// A fault seed whose first draw at error rate 0.5 is a server error.
const FAULT_SEED: u64 = 3;

/// A new API Services app has no admin role ("No role is automatically assigned, so you must
/// assign a role before you use the service app", Okta's guide to service apps): the 403 it
/// meets says to give the app the role, not to use an API token.
#[test]
fn a_service_app_without_an_admin_role_is_told_to_get_one() {
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).unwrap())
            .unwrap();
    let apps = seed["orgs"][0]["apps"].as_array_mut().unwrap();
    let ci = apps.iter_mut().find(|a| a["id"] == "0oa1ci0example").unwrap();
    ci["jwks"] = json!({"keys": [public_key("rsa")]});
    ci.as_object_mut().unwrap().remove("roles");
    ci["grants"]
        .as_array_mut()
        .unwrap()
        .extend([json!("okta.appGrants.read"), json!("okta.roles.read")]);
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let outcome = project("0oa1ci0example", "rsa-key-1", &key("rsa-pkcs1.pem"))
        .args(["plan", "qs", "--endpoint", sim.url()])
        .run();
    crate::harness::snapshot("oauth__service_app_without_a_role", &outcome);
}

/// The README's key pair commands, run as written: the JWK they make, registered with the
/// quickstart's service app, and the PEM key in its `management` block, plan the org.
#[test]
fn the_readme_s_service_app_key_pair_plans_the_quickstart() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let script = readme
        .split("```bash\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README's key pair commands");
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(dir.path())
        .output()
        .expect("bash runs");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let jwk: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("oktaform-key.jwk.json")).unwrap()).unwrap();
    let private_key = std::fs::read_to_string(dir.path().join("oktaform-key.pem")).unwrap();
    let mut seed: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("examples/quickstart/sim-org.json")).unwrap())
            .unwrap();
    for app in seed["orgs"][0]["apps"].as_array_mut().unwrap() {
        if app["id"] == "0oa1ci0example" {
            app["jwks"] = json!({"keys": [jwk]});
        }
    }
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let planned = project("0oa1ci0example", "oktaform-1", &private_key)
        .args(["plan", "qs", "--endpoint", sim.url(), "--format", "json"])
        .run()
        .success();
    assert_eq!(planned.json()["diagnostics"], json!([]));
    assert_key_absent(&[&planned.stdout, &planned.stderr], &private_key);
}
