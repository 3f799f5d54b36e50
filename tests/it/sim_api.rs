//! The sim over HTTP: authentication, Okta's headers and errors, apps and paging.

use crate::harness::{ADMIN_TOKEN, Api, expect_error, expect_json, quickstart_seed};
use oktaform::sim::{Seed, Sim};
use serde_json::json;

fn sim() -> (Sim, Api) {
    let sim = Sim::builder().seed(quickstart_seed()).start().expect("sim starts");
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    (sim, api)
}

/// A seed with `n` apps besides the quickstart's, for paging.
fn many_apps(n: usize) -> Seed {
    let apps: Vec<_> = (0..n)
        .map(|i| json!({"id": format!("0oapage{i:04}"), "name": "oidc_client", "label": format!("Paged {i:04}")}))
        .collect();
    let seed = json!({"orgs": [{
        "domain": "paging.okta.com",
        "tokens": [{"token": "t", "user": "admin@paging.com"}],
        "users": [{"id": "00uadmin", "login": "admin@paging.com", "roles": ["SUPER_ADMIN"]}],
        "apps": apps,
    }]});
    Seed::from_json(&seed.to_string()).expect("seed")
}

#[test]
fn every_response_carries_okta_headers() {
    let (_sim, api) = sim();
    for response in [
        api.get("/api/v1/apps"),
        api.get("/api/v1/apps/nope"),
        Api::new(&api.base, "bad").get("/api/v1/apps"),
    ] {
        let headers = response.headers();
        for name in [
            "x-okta-request-id",
            "x-rate-limit-limit",
            "x-rate-limit-remaining",
            "x-rate-limit-reset",
            "date",
        ] {
            assert!(headers.contains_key(name), "{name} missing from {headers:?}");
        }
        let reset: u64 = headers["x-rate-limit-reset"].to_str().unwrap().parse().unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(reset > now && reset <= now + 61, "reset {reset} vs now {now}");
        assert!(headers["date"].to_str().unwrap().ends_with(" GMT"));
    }
}

#[test]
fn remaining_counts_down_per_bucket() {
    let (_sim, api) = sim();
    let remaining = |r: reqwest::blocking::Response| {
        r.headers()["x-rate-limit-remaining"]
            .to_str()
            .unwrap()
            .parse::<u32>()
            .unwrap()
    };
    let limit = |r: &reqwest::blocking::Response| r.headers()["x-rate-limit-limit"].to_str().unwrap().to_owned();
    // Okta's documented defaults: the app list and an app's sub-resources share one bucket
    // of 100 a minute; the app itself has its own of 600.
    let list = api.get("/api/v1/apps");
    assert_eq!(limit(&list), "100");
    let first = remaining(list);
    let grants = remaining(api.get("/api/v1/apps/0oa1wf0example/grants"));
    assert_eq!(grants, first - 1, "sub-resources count in the apps bucket");
    let app = api.get("/api/v1/apps/0oa1wf0example");
    assert_eq!(limit(&app), "600");
    assert_eq!(remaining(app), 599);
    let me = api.get("/api/v1/users/me");
    assert_eq!(limit(&me), "40", "40 per 10 seconds for the authenticated user");
    assert_eq!(remaining(me), 39);
    let user = api.get("/api/v1/users/00usvcwf0example00001");
    assert_eq!(limit(&user), "1000");
    assert_eq!(remaining(user), 999, "users/me does not count in the users bucket");
}

#[test]
fn tokens_with_and_without_a_space_and_bad_tokens() {
    let (sim, api) = sim();
    let client = crate::harness::http();
    let me = |auth: &str| {
        client
            .get(format!("{}/api/v1/users/me", sim.url()))
            .header("Authorization", auth)
            .send()
            .unwrap()
    };
    assert_eq!(
        expect_json(me("SSWS sim-admin-token"), 200)["profile"]["login"],
        "admin@acme.com"
    );
    assert_eq!(
        expect_json(me("SSWSsim-admin-token"), 200)["profile"]["login"],
        "admin@acme.com"
    );
    let body = expect_error(me("SSWS wrong"), 401, "E0000011");
    assert_eq!(body["errorSummary"], "Invalid token provided");
    expect_error(
        client.get(format!("{}/api/v1/users/me", sim.url())).send().unwrap(),
        401,
        "E0000011",
    );
    expect_error(me("Bearer sim-admin-token"), 401, "E0000011");
    drop(api);
}

#[test]
fn several_orgs_in_one_sim_are_routed_by_token() {
    let seed = json!({"orgs": [
        {"domain": "one.okta.com", "tokens": [{"token": "t1", "user": "a@one.com"}],
         "users": [{"id": "00uone", "login": "a@one.com", "roles": ["SUPER_ADMIN"]}],
         "apps": [{"id": "0oaone", "name": "flow", "label": "Okta Workflows OAuth"}]},
        {"domain": "two.okta.com", "tokens": [{"token": "t2", "user": "a@two.com"}],
         "users": [{"id": "00utwo", "login": "a@two.com", "roles": ["SUPER_ADMIN"]}],
         "apps": [{"id": "0oatwo", "name": "flow", "label": "Okta Workflows OAuth"}]}
    ]});
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let one = Api::new(sim.url(), "t1");
    let two = Api::new(sim.url(), "t2");
    assert_eq!(expect_json(one.get("/api/v1/apps"), 200)[0]["id"], "0oaone");
    assert_eq!(expect_json(two.get("/api/v1/apps"), 200)[0]["id"], "0oatwo");
    expect_error(one.get("/api/v1/apps/0oatwo"), 404, "E0000007");
}

#[test]
fn get_app_with_its_oauth_client_and_secrets() {
    let (_sim, api) = sim();
    let app = expect_json(api.get("/api/v1/apps/0oa1wf0example"), 200);
    assert_eq!(app["name"], "flow");
    assert_eq!(app["label"], "Okta Workflows OAuth");
    assert_eq!(app["signOnMode"], "OPENID_CONNECT");
    assert_eq!(app["credentials"]["oauthClient"]["client_id"], "0oa1wf0example");
    assert_eq!(
        app["credentials"]["oauthClient"].get("client_secret"),
        None,
        "real Okta shows a secret only in the answer that creates an app"
    );
    assert_eq!(
        app["settings"]["app"],
        json!({"redirectURI": "https://oauth.workflows.okta.com/oauth/okta/cb", "serviceDomain": "https://oauth.workflows.okta.com"})
    );
    assert!(app["_links"]["self"]["href"].as_str().unwrap().starts_with(&api.base));
    let secrets = expect_json(api.get("/api/v1/apps/0oa1wf0example/credentials/secrets"), 200);
    assert_eq!(secrets.as_array().unwrap().len(), 1);
    let secret = &secrets[0];
    assert_eq!(secret["status"], "ACTIVE");
    assert_eq!(secret["client_secret"], "sim-quickstart-client-secret");
    assert!(secret["id"].as_str().unwrap().starts_with("ocs"), "{secret}");
    for field in ["secret_hash", "created", "lastUpdated"] {
        assert!(secret[field].is_string(), "{field}: {secret}");
    }
    assert_eq!(
        expect_json(api.get("/api/v1/apps/0oa1ci0example/credentials/secrets"), 200),
        json!([])
    );
    let missing = expect_error(api.get("/api/v1/apps/0oamissing"), 404, "E0000007");
    assert_eq!(
        missing["errorSummary"],
        "Not found: Resource not found: 0oamissing (AppInstance)"
    );
}

#[test]
fn list_apps_with_q_and_filter() {
    let (_sim, api) = sim();
    let ids = |body: serde_json::Value| {
        body.as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(expect_json(api.get("/api/v1/apps"), 200)),
        ["0oa1wf0example", "0oa1ci0example"]
    );
    assert_eq!(
        ids(expect_json(api.get("/api/v1/apps?q=okta%20work"), 200)),
        ["0oa1wf0example"]
    );
    assert_eq!(ids(expect_json(api.get("/api/v1/apps?q=flo"), 200)), ["0oa1wf0example"]);
    assert_eq!(
        ids(expect_json(api.get("/api/v1/apps?filter=name%20eq%20%22flow%22"), 200)),
        ["0oa1wf0example"]
    );
    assert_eq!(
        ids(expect_json(
            api.get("/api/v1/apps?filter=id%20eq%20%220oa1ci0example%22"),
            200
        )),
        ["0oa1ci0example"]
    );
    assert_eq!(
        ids(expect_json(
            api.get("/api/v1/apps?filter=status%20eq%20%22INACTIVE%22"),
            200
        )),
        Vec::<String>::new()
    );
    expect_error(api.get("/api/v1/apps?filter=name%20eqq%20%22flow%22"), 400, "E0000031");
}

#[test]
fn apps_are_paged_with_self_then_next_links_from_the_host() {
    let sim = Sim::builder().seed(many_apps(5)).start().unwrap();
    let api = Api::new(sim.url(), "t");
    let mut url = format!("{}/api/v1/apps?limit=2", sim.url());
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let response = api.get(&url);
        let links: Vec<String> = response
            .headers()
            .get_all("link")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(links[0].ends_with("rel=\"self\""), "{links:?}");
        assert!(
            links
                .iter()
                .all(|l| l.starts_with(&format!("<{}/api/v1/apps", sim.url()))),
            "{links:?}"
        );
        let body = expect_json(response, 200);
        seen.extend(
            body.as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match links.get(1) {
            Some(next) => {
                assert!(next.ends_with("rel=\"next\""));
                url = next.trim_start_matches('<').split('>').next().unwrap().to_owned();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (0..5).map(|i| format!("0oapage{i:04}")).collect::<Vec<_>>());
    let bad = expect_error(api.get("/api/v1/apps?after=notacursor"), 400, "E0000029");
    assert_eq!(bad["errorCauses"][0]["errorSummary"], "Invalid cursor.");
}

#[test]
fn unknown_routes_and_methods_answer_okta_errors() {
    let (_sim, api) = sim();
    expect_error(api.get("/api/v1/nothing-here"), 404, "E0000007");
    expect_error(
        api.request(reqwest::Method::PUT, "/api/v1/apps").send().unwrap(),
        405,
        "E0000022",
    );
}

#[test]
fn a_user_without_admin_roles_is_forbidden() {
    let seed = json!({"orgs": [{"domain": "acme.okta.com",
        "tokens": [{"token": "user-token", "user": "jane@acme.com"}],
        "users": [{"id": "00ujane", "login": "jane@acme.com"}],
        "apps": [{"id": "0oa1", "name": "flow", "label": "Okta Workflows OAuth"}]}]});
    let sim = Sim::builder()
        .seed(Seed::from_json(&seed.to_string()).unwrap())
        .start()
        .unwrap();
    let api = Api::new(sim.url(), "user-token");
    assert_eq!(expect_json(api.get("/api/v1/users/me"), 200)["id"], "00ujane");
    expect_error(api.get("/api/v1/apps"), 403, "E0000006");
    expect_error(
        api.post(
            "/api/v1/apps/0oa1/grants",
            &json!({"issuer": "https://acme.okta.com", "scopeId": "okta.users.read"}),
        ),
        403,
        "E0000006",
    );
}
