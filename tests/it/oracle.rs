//! An oracle for the System Log filter language independent of oktaform's reading of it:
//! the examples of Okta's guide with its documented verdicts
//! (`tests/fixtures/oracle/system-log-filters.json`). Both `validate` and the simulated org
//! are checked against it, so a misreading the two share fails here.

use crate::harness::{ADMIN_TOKEN, Api, Test, fixtures, quickstart_seed};
use oktaform::sim::Sim;
use serde_json::Value;

fn rows() -> Vec<Value> {
    let text = std::fs::read_to_string(fixtures().join("oracle/system-log-filters.json")).unwrap();
    let table: Value = serde_json::from_str(&text).unwrap();
    table["rows"].as_array().unwrap().clone()
}

/// An HCL string literal of `text`.
fn hcl_string(text: &str) -> String {
    serde_json::to_string(text).unwrap().replace("${", "$${")
}

#[test]
fn validate_agrees_with_the_guide() {
    for row in rows() {
        let (attribute, value) = match (row["filter"].as_str(), row["q"].as_str()) {
            (Some(filter), _) => ("filter", filter),
            (None, Some(q)) => ("keyword", q),
            _ => panic!("a row without filter or q: {row}"),
        };
        let config = format!(
            "connection \"prod\" {{\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1\"\n  service_account = \"svc@acme.com\"\n}}\n\nscopes \"prod\" {{\n  connection = connection.prod\n  grant      = [\"okta.logs.read\"]\n}}\n\nlog_query \"oracle\" {{\n  connection = connection.prod\n  {attribute} = {}\n}}\n",
            hcl_string(value)
        );
        let outcome = Test::new()
            .file("cfg/main.hcl", config)
            .args(["validate", "cfg", "--format", "json"])
            .run();
        let errors: Vec<String> = outcome.json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect();
        let expected: Vec<String> = row["code"].as_str().map(str::to_owned).into_iter().collect();
        assert_eq!(errors, expected, "line {}: {value}", row["line"]);
    }
}

#[test]
fn the_simulated_org_agrees_with_the_guide() {
    let sim = Sim::builder().seed(quickstart_seed()).start().unwrap();
    let api = Api::new(sim.url(), ADMIN_TOKEN);
    for row in rows() {
        let (name, value) = match (row["filter"].as_str(), row["q"].as_str()) {
            (Some(filter), _) => ("filter", filter),
            (None, Some(q)) => ("q", q),
            _ => panic!("a row without filter or q: {row}"),
        };
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair(name, value)
            .finish();
        let response = api.get(&format!("/api/v1/logs?{query}"));
        let status = response.status().as_u16();
        let body: Value = response.json().unwrap_or_default();
        let got = (status, body["errorCode"].as_str().map(str::to_owned));
        let expected = match row["verdict"].as_str() {
            Some("accepted") => (200, None),
            _ => (400, row["error_code"].as_str().map(str::to_owned).or(got.1.clone())),
        };
        assert_eq!(got, expected, "line {}: {value}", row["line"]);
    }
}
