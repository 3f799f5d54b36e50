//! The entry points of the fuzz targets in `fuzz/`, and of the regression inputs in
//! `fuzz/regressions/` that `cargo test` replays on stable. Each takes any bytes and must
//! return without a panic, however wrong the input.

use crate::config::{Environment, VarInputs};
use crate::view::diagnostics as render;
use std::path::Path;

/// The config loader, the validator and the diagnostic views on one config file.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut loaded = crate::config::load_text(
        Path::new("fuzz.hcl"),
        text.to_owned(),
        &VarInputs::default(),
        &Environment::default().offline(),
    );
    let validated = crate::validate::validate(&mut loaded, time::OffsetDateTime::UNIX_EPOCH);
    let mut out = Vec::new();
    let _ = render::human(
        &mut out,
        &loaded.sources,
        &validated.diagnostics,
        render::HumanStyle::default(),
    );
    let _ = render::json(&mut out, &loaded.sources, &validated.diagnostics);
    let _ = render::github(&mut out, &loaded.sources, &validated.diagnostics);
}

/// The System Log filter parser: what parses prints back to a filter that parses to the
/// same tree, and is evaluated against an event.
pub fn filter(data: &[u8]) {
    use crate::logquery::filter;
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = filter::parse(text) else {
        return;
    };
    let printed = expr.to_string();
    let again = filter::parse(&printed).unwrap_or_else(|e| panic!("`{printed}` does not parse: {}", e.message));
    assert_eq!(again.to_string(), printed, "printing is stable");
    let event = serde_json::json!({"eventType": "user.session.start", "outcome": {"result": "FAILURE"}, "target": [{"id": "1"}]});
    let _ = filter::matches(&expr, &event);
}

/// The plan-file loader and the plan's human view.
pub fn plan_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(document) = crate::plan::PlanDocument::parse(text, "fuzz.json") {
        let _ = crate::view::plan::human(&mut Vec::new(), &document);
    }
}

/// The client's reading of an answer: two bytes of status, header lines up to an empty
/// line, then the body.
pub fn answer(data: &[u8]) {
    let (status, rest) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]), rest),
        _ => return,
    };
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let (head, body) = rest.split_at(split);
    let body = body.get(2..).unwrap_or_default();
    let mut headers = reqwest::header::HeaderMap::new();
    for line in head.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            reqwest::header::HeaderName::from_bytes(&line[..colon]),
            reqwest::header::HeaderValue::from_bytes(line[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        headers.append(name, value);
    }
    crate::okta::read_answer(status, &headers, body);
}
