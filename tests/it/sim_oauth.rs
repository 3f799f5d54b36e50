//! The sim's org authorization server over HTTP: `private_key_jwt` assertions checked
//! (audience, expiry, replay, signature), scopes limited to the app's grants, DPoP proofs
//! with the nonce exchange, and the tokens' scheme, scopes and lifetime on API requests.

use crate::harness::{ADMIN_TOKEN, Api, fixtures, http};
use oktaform::jose::{SigningKey, sha256_b64url};
use oktaform::sim::{Faults, Sim};
use serde_json::{Map, Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

const CLIENT: &str = "0oa1ci0example";

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn key(name: &str) -> SigningKey {
    SigningKey::parse(&std::fs::read_to_string(fixtures().join("oauth").join(name)).unwrap()).unwrap()
}

/// The quickstart's org, its service app holding the RSA fixture key; `dpop` makes it
/// require DPoP.
fn sim(dpop: bool) -> Sim {
    sim_limited(dpop, oktaform::sim::RateLimits::default())
}

fn sim_limited(dpop: bool, limits: oktaform::sim::RateLimits) -> Sim {
    let text = std::fs::read_to_string(fixtures().join("oauth/public-keys.json")).unwrap();
    let public: Value = serde_json::from_str(&text).unwrap();
    let mut seed = quickstart_seed_json();
    let app = seed["orgs"][0]["apps"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["id"] == CLIENT)
        .unwrap();
    app["jwks"] = json!({"keys": [public["rsa"]]});
    app["dpop_bound_access_tokens"] = json!(dpop);
    Sim::builder()
        .seed(oktaform::sim::Seed::from_json(&seed.to_string()).unwrap())
        .rate_limits(limits)
        .start()
        .unwrap()
}

fn quickstart_seed_json() -> Value {
    let text = std::fs::read_to_string(crate::harness::repo().join("examples/quickstart/sim-org.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn token_url(sim: &Sim) -> String {
    format!("{}/oauth2/v1/token", sim.url().trim_end_matches('/'))
}

fn assertion(key: &SigningKey, claims: &Value) -> String {
    let mut header = Map::new();
    header.insert("kid".to_owned(), json!("rsa-key-1"));
    key.sign(header, claims)
}

fn claims(sim: &Sim, jti: &str) -> Value {
    json!({"iss": CLIENT, "sub": CLIENT, "aud": token_url(sim), "iat": now(), "exp": now() + 300, "jti": jti})
}

/// Posts a token request; returns status, `DPoP-Nonce` and body.
fn token(sim: &Sim, assertion: &str, scope: &str, dpop: Option<&str>) -> (u16, Option<String>, Value) {
    let mut request = http().post(token_url(sim)).form(&[
        ("grant_type", "client_credentials"),
        ("scope", scope),
        (
            "client_assertion_type",
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ),
        ("client_assertion", assertion),
    ]);
    if let Some(proof) = dpop {
        request = request.header("DPoP", proof);
    }
    let response = request.send().unwrap();
    let status = response.status().as_u16();
    let nonce = response
        .headers()
        .get("dpop-nonce")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, nonce, response.json().unwrap())
}

fn oauth_error(error: &str, description: &str) -> Value {
    json!({"error": error, "error_description": description})
}

#[test]
fn assertions_are_checked_before_a_token_is_issued() {
    let sim = sim(false);
    let rsa = key("rsa-pkcs1.pem");
    let scope = "okta.apps.read";
    let cases = [
        (
            assertion(&key("other-rsa.pem"), &claims(&sim, "a")),
            oauth_error("invalid_client", "The client_assertion signature is invalid."),
        ),
        (
            assertion(
                &rsa,
                &json!({"iss": CLIENT, "sub": CLIENT, "aud": "https://acme.okta.com/oauth2/v1/token", "exp": now() + 300}),
            ),
            oauth_error(
                "invalid_client",
                "The audience claim for client_assertion must be the endpoint invoked for the request.",
            ),
        ),
        (
            assertion(
                &rsa,
                &json!({"iss": CLIENT, "sub": CLIENT, "aud": token_url(&sim), "exp": now() - 5}),
            ),
            oauth_error("invalid_client", "The client_assertion token is expired."),
        ),
        (
            assertion(
                &rsa,
                &json!({"iss": CLIENT, "sub": CLIENT, "aud": token_url(&sim), "exp": now() + 7200}),
            ),
            oauth_error(
                "invalid_client",
                "The client_assertion token has an expiration too far in the future.",
            ),
        ),
        (
            assertion(
                &rsa,
                &json!({"iss": "0oanobody", "sub": "0oanobody", "aud": token_url(&sim), "exp": now() + 60}),
            ),
            oauth_error("invalid_client", "Invalid value for 'client_id' parameter."),
        ),
    ];
    for (assertion, expected) in cases {
        let (status, _, body) = token(&sim, &assertion, scope, None);
        assert_eq!(
            (status, body),
            (
                if expected["error"] == "invalid_client" {
                    401
                } else {
                    400
                },
                expected
            )
        );
    }

    let first = assertion(&rsa, &claims(&sim, "once"));
    let (status, _, body) = token(&sim, &first, scope, None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["token_type"].clone(),
            body["expires_in"].clone(),
            body["scope"].clone()
        ),
        (json!("Bearer"), json!(3600), json!("okta.apps.read"))
    );
    let (status, _, body) = token(&sim, &first, scope, None);
    assert_eq!(
        (status, body),
        (
            401,
            oauth_error("invalid_client", "The client_assertion token has already been used.")
        )
    );
}

#[test]
fn scopes_are_limited_to_the_apps_grants() {
    let sim = sim(false);
    let rsa = key("rsa-pkcs8.pem");
    let (status, _, body) = token(&sim, &assertion(&rsa, &claims(&sim, "1")), "", None);
    assert_eq!(
        (status, body),
        (400, oauth_error("invalid_scope", "No scopes were requested."))
    );
    let (status, _, body) = token(&sim, &assertion(&rsa, &claims(&sim, "2")), "okta.groups.manage", None);
    assert_eq!(
        (status, body),
        (
            400,
            oauth_error("consent_required", "You are not allowed any of the requested scopes.")
        )
    );
    let (status, _, body) = token(
        &sim,
        &assertion(&rsa, &claims(&sim, "3")),
        "okta.logs.read okta.groups.manage",
        None,
    );
    assert_eq!((status, body["scope"].clone()), (200, json!("okta.logs.read")));

    // The token reads logs and nothing else: 403 naming the scope, empty body.
    let bearer = format!("Bearer {}", body["access_token"].as_str().unwrap());
    let logs = http()
        .get(format!(
            "{}/api/v1/logs?since=2026-11-01T00:00:00Z&limit=1",
            sim.url().trim_end_matches('/')
        ))
        .header("Authorization", &bearer)
        .send()
        .unwrap();
    assert_eq!(logs.status().as_u16(), 200);
    let apps = http()
        .get(format!("{}/api/v1/apps", sim.url().trim_end_matches('/')))
        .header("Authorization", &bearer)
        .send()
        .unwrap();
    assert_eq!(apps.status().as_u16(), 403);
    assert_eq!(
        apps.headers()["www-authenticate"].to_str().unwrap(),
        r#"Bearer realm="IdpMyAccountAPI", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/apps", scope="okta.apps.read""#
    );
    assert_eq!(apps.text().unwrap(), "");
}

fn proof(dpop: &SigningKey, method: &str, url: &str, nonce: Option<&str>, ath: Option<&str>, jti: &str) -> String {
    let mut header = Map::new();
    header.insert("typ".to_owned(), json!("dpop+jwt"));
    header.insert("jwk".to_owned(), dpop.public_jwk());
    let mut claims = json!({"htm": method, "htu": url, "iat": now(), "jti": jti});
    if let Some(nonce) = nonce {
        claims["nonce"] = json!(nonce);
    }
    if let Some(ath) = ath {
        claims["ath"] = json!(ath);
    }
    dpop.sign(header, &claims)
}

/// A DPoP-bound access token of `dpop`, got as Okta's token endpoint asks: without a
/// proof (refused), with a proof but no nonce (refused, a nonce given), with both.
fn dpop_token(sim: &Sim, dpop: &SigningKey) -> String {
    let rsa = key("rsa-pkcs1.pem");
    let url = token_url(sim);
    let (status, _, body) = token(sim, &assertion(&rsa, &claims(sim, "1")), "okta.apps.read", None);
    assert_eq!(
        (status, body),
        (
            400,
            oauth_error("invalid_dpop_proof", "The DPoP proof JWT header is missing.")
        )
    );
    let first = proof(dpop, "POST", &url, None, None, "p1");
    let (status, nonce, body) = token(sim, &assertion(&rsa, &claims(sim, "2")), "okta.apps.read", Some(&first));
    assert_eq!(
        (status, body),
        (
            400,
            oauth_error("use_dpop_nonce", "Authorization server requires nonce in DPoP proof.")
        )
    );
    let nonce = nonce.expect("a DPoP-Nonce header");
    let second = proof(dpop, "POST", &url, Some(&nonce), None, "p2");
    let (status, _, body) = token(
        sim,
        &assertion(&rsa, &claims(sim, "3")),
        "okta.apps.read",
        Some(&second),
    );
    assert_eq!((status, body["token_type"].clone()), (200, json!("DPoP")));
    body["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn dpop_tokens_need_the_nonce_and_a_proof_on_every_request() {
    let sim = sim(true);
    let dpop = SigningKey::generate_ec();
    let access = dpop_token(&sim, &dpop);
    let apps_url = format!("{}/api/v1/apps", sim.url().trim_end_matches('/'));
    let get = |authorization: String, proof: Option<String>| {
        let mut request = http().get(&apps_url).header("Authorization", authorization);
        if let Some(proof) = proof {
            request = request.header("DPoP", proof);
        }
        let response = request.send().unwrap();
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, challenge)
    };
    let ath = sha256_b64url(&access);
    let (status, _) = get(
        format!("DPoP {access}"),
        Some(proof(&dpop, "GET", &apps_url, None, Some(&ath), "r1")),
    );
    assert_eq!(status, 200);
    // Used as a Bearer token, without a proof, with another key's proof, with the proof of
    // another request.
    let (status, challenge) = get(format!("Bearer {access}"), None);
    assert_eq!(status, 400);
    assert!(
        challenge.starts_with("DPoP ") && challenge.contains(r#"error="invalid_request""#),
        "{challenge}"
    );
    let (status, _) = get(format!("DPoP {access}"), None);
    assert_eq!(status, 400);
    let other = SigningKey::generate_ec();
    let (status, challenge) = get(
        format!("DPoP {access}"),
        Some(proof(&other, "GET", &apps_url, None, Some(&ath), "r2")),
    );
    assert_eq!(status, 401);
    assert!(challenge.contains(r#"error="invalid_token""#), "{challenge}");
    let (status, _) = get(
        format!("DPoP {access}"),
        Some(proof(&dpop, "DELETE", &apps_url, None, Some(&ath), "r3")),
    );
    assert_eq!(status, 400);

    // The request log tells the schemes apart, never the credentials.
    let records: Value = Api::new(sim.url(), ADMIN_TOKEN).get("/__sim/requests").json().unwrap();
    let schemes: Vec<(String, u64)> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["auth"].as_str().unwrap_or("-").to_owned(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        schemes,
        [
            ("private_key_jwt".to_owned(), 400),
            ("private_key_jwt".to_owned(), 400),
            ("private_key_jwt".to_owned(), 200),
            ("DPoP".to_owned(), 200),
            ("-".to_owned(), 400),
            ("-".to_owned(), 400),
            ("-".to_owned(), 401),
            ("-".to_owned(), 400),
        ]
    );
    assert!(!records.to_string().contains(&access));
}

#[test]
fn tokens_expire() {
    let sim = sim(false);
    sim.set_faults(Faults {
        token_lifetime_seconds: Some(1),
        ..Faults::default()
    });
    let (status, _, body) = token(
        &sim,
        &assertion(&key("rsa-pkcs1.pem"), &claims(&sim, "1")),
        "okta.apps.read",
        None,
    );
    assert_eq!((status, body["expires_in"].clone()), (200, json!(1)));
    let bearer = format!("Bearer {}", body["access_token"].as_str().unwrap());
    let apps = || {
        http()
            .get(format!("{}/api/v1/apps", sim.url().trim_end_matches('/')))
            .header("Authorization", &bearer)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(apps(), 200);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(apps(), 401);
}

#[test]
fn a_custom_scope_in_a_token_request_is_refused_not_dropped() {
    let sim = sim(false);
    let rsa = key("rsa-pkcs8.pem");
    let (status, _, body) = token(
        &sim,
        &assertion(&rsa, &claims(&sim, "custom-1")),
        "okta.apps.read acme.custom.read",
        None,
    );
    assert_eq!(
        (status, body),
        (
            400,
            oauth_error("invalid_scope", "Custom scopes are not allowed for this request.")
        )
    );
}

/// The token endpoint has a bucket of its own (150 per minute in okta-sdk-python's DPoP
/// recordings), and a refused request spends it too.
#[test]
fn token_requests_spend_their_own_bucket_refused_ones_too() {
    let limits = oktaform::sim::RateLimits {
        token: 2,
        ..oktaform::sim::RateLimits::default()
    };
    let sim = sim_limited(true, limits);
    let rsa = key("rsa-pkcs1.pem");
    // Refused: the app needs DPoP.
    let (status, _, _) = token(&sim, &assertion(&rsa, &claims(&sim, "b1")), "okta.apps.read", None);
    assert_eq!(status, 400);
    let (status, _, _) = token(&sim, &assertion(&rsa, &claims(&sim, "b2")), "okta.apps.read", None);
    assert_eq!(status, 400);
    let (status, _, body) = token(&sim, &assertion(&rsa, &claims(&sim, "b3")), "okta.apps.read", None);
    assert_eq!((status, body["errorCode"].clone()), (429, json!("E0000047")));
    // The API's buckets are untouched.
    let apps = crate::harness::Api::new(sim.url(), crate::harness::ADMIN_TOKEN).get("/api/v1/apps");
    assert_eq!(apps.status(), 200);
}

#[test]
fn events_of_calls_with_an_oauth_token_name_the_client() {
    let sim = sim(false);
    let rsa = key("rsa-pkcs8.pem");
    let (status, _, body) = token(
        &sim,
        &assertion(&rsa, &claims(&sim, "1")),
        "okta.appGrants.manage",
        None,
    );
    assert_eq!(status, 200, "{body}");
    let granted = http()
        .post(format!(
            "{}/api/v1/apps/0oa1wf0example/grants",
            sim.url().trim_end_matches('/')
        ))
        .header(
            "Authorization",
            format!("Bearer {}", body["access_token"].as_str().unwrap()),
        )
        .json(&json!({"issuer": "https://acme.okta.com", "scopeId": "okta.logs.read"}))
        .send()
        .unwrap();
    assert_eq!(granted.status().as_u16(), 200);
    let admin = Api::new(sim.url(), ADMIN_TOKEN);
    let events = crate::harness::expect_json(
        admin.get("/api/v1/logs?filter=eventType%20eq%20%22app.oauth2.admin.consent.grant%22"),
        200,
    );
    let seen: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"]["id"].clone(),
                e["actor"]["type"].clone(),
                e["client"]["id"].clone(),
            )
        })
        .collect();
    assert_eq!(seen, [(json!(CLIENT), json!("PublicClientApp"), json!(CLIENT))]);
}
