//! `oktaform drift [PATH]`: a read-only plan through the shared planner, each difference
//! classified from the System Log with one query per org over `--since`; connections likely
//! not reauthorized; log queries whose `expect` does not hold. Exit 0 no finding, 2
//! findings, 1 error.

use super::planner::{self, Failure, report_failure, runtime};
use super::{Output, exit};
use crate::cli::{DriftArgs, GlobalArgs, PlanFormat};
use crate::diagnostics::render as diagnostics_render;
use crate::drift::{Classifier, DriftReport, Finding, FindingKind, authorize_events_filter};
use crate::live::{LogsRequest, Reading, read_pages};
use crate::model::{Expectation, SortOrder};
use crate::okta::Purpose;
use crate::plan::Kind;
use crate::render;
use crate::time_spec::parse_duration;
use serde_json::Value;
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;

pub fn run(global: &GlobalArgs, args: &DriftArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == PlanFormat::Json;
    match drift(global, args, output) {
        Ok(Ok(code)) => Ok(code),
        Ok(Err(error)) => Err(error),
        Err(failure) => report_failure(failure, json, output),
    }
}

fn drift(global: &GlobalArgs, args: &DriftArgs, output: &mut Output<'_>) -> Result<std::io::Result<u8>, Failure> {
    let window = match parse_duration(&args.since) {
        Some(seconds) if seconds != 0 => time::Duration::seconds(seconds.abs()),
        _ => {
            return Err(Failure::Usage(format!(
                "--since: `{}` is not a duration like 24h or 7d",
                args.since
            )));
        }
    };
    let runtime = runtime().map_err(|e| Failure::Usage(e.to_string()))?;
    let planned = planner::plan(
        global,
        &args.path,
        &args.connections,
        None,
        Purpose::Drift,
        &runtime,
        output,
    )?;
    let now = crate::time_spec::now();
    let start = now - window;
    let since = start
        .replace_nanosecond(0)
        .unwrap_or(start)
        .format(&Rfc3339)
        .unwrap_or_default();
    let desired = &planned.prepared.validated.desired;
    // One query per org, every page, for every event type drift reads.
    let mut events: BTreeMap<String, Result<Vec<Value>, String>> = BTreeMap::new();
    for (domain, client) in &planned.orgs.clients {
        let request = LogsRequest {
            q: None,
            filter: Some(authorize_events_filter()),
            since: Some(start),
            // Events of this very moment count too.
            until: Some(now + time::Duration::milliseconds(1)),
            order: SortOrder::Ascending,
            limit: 1000,
        };
        let reading = Reading {
            all: true,
            max: None,
            follow: None,
        };
        let mut read: Vec<Value> = Vec::new();
        let result = runtime.block_on(read_pages(client, &request, reading, &mut |page| {
            for raw in page {
                read.push(serde_json::from_str(raw.get()).map_err(std::io::Error::other)?);
            }
            Ok(())
        }));
        events.insert(
            domain.clone(),
            result
                .map(|_| read)
                .map_err(|error| format!("the System Log could not be read ({error})")),
        );
    }
    let classifier = |domain: &str| Classifier {
        events: match events.get(domain) {
            Some(Ok(events)) => Ok(events.as_slice()),
            Some(Err(why)) => Err(why.as_str()),
            None => Err("the org was not read"),
        },
    };
    let mut findings: Vec<Finding> = planned
        .diff
        .changes
        .iter()
        .filter(|c| c.kind() != Kind::Reauthorize)
        .map(|change| {
            let app = change
                .step
                .app()
                .and_then(|key| planned.live.apps.get(key))
                .or_else(|| {
                    planned
                        .live
                        .apps
                        .values()
                        .find(|a| a.key.domain == change.step.domain())
                });
            classifier(change.step.domain()).change(change, app)
        })
        .collect();
    for (key, app) in &desired.apps {
        let Some(live) = planned.live.apps.get(key) else {
            continue;
        };
        for name in app
            .connections
            .iter()
            .filter(|c| planned.prepared.selected.contains(*c))
        {
            let Some(connection) = desired.connections.get(name).filter(|c| !c.retired) else {
                continue;
            };
            findings.extend(classifier(&key.domain).reauthorize(key, live, name, &connection.service_account));
        }
    }
    for query in desired
        .log_queries
        .values()
        .filter(|q| q.expect.is_some() && planned.prepared.selected.contains(&q.connection))
    {
        let Some(connection) = desired.connections.get(&query.connection) else {
            continue;
        };
        let Some(client) = planned.orgs.clients.get(&connection.app.domain) else {
            continue;
        };
        let mut request = LogsRequest::of(query, now, false);
        request.limit = 1;
        let reading = Reading {
            all: false,
            max: Some(1),
            follow: None,
        };
        let mut any = false;
        let result = runtime.block_on(read_pages(client, &request, reading, &mut |page| {
            any |= !page.is_empty();
            Ok(())
        }));
        let expected_empty = query.expect == Some(Expectation::Empty);
        let (kind, detail) = match result {
            Err(error) => (
                FindingKind::Unknown,
                format!("`expect` could not be checked: the System Log could not be read ({error})"),
            ),
            Ok(_) if any == expected_empty => (
                FindingKind::ExpectFailed,
                if expected_empty {
                    "`expect = \"empty\"`, but the query matches events in its window".to_owned()
                } else {
                    "`expect = \"nonempty\"`, but the query matches no event in its window".to_owned()
                },
            ),
            Ok(_) => continue,
        };
        findings.push(Finding {
            kind,
            address: format!("log_query.{}", query.name),
            domain: connection.app.domain.clone(),
            connections: vec![query.connection.clone()],
            detail,
            attribution: None,
        });
    }
    let orgs = planned
        .document
        .target
        .endpoints
        .keys()
        .map(|domain| (domain.clone(), planned.document.target.describe_org(domain)))
        .collect();
    let report = DriftReport::new(since, orgs, findings, args.out_of_band_only);
    let written = (|| -> std::io::Result<()> {
        if args.format == PlanFormat::Human && !planned.diagnostics.is_empty() {
            let style = diagnostics_render::HumanStyle {
                color: output.color,
                ..Default::default()
            };
            diagnostics_render::human(
                output.err,
                &planned.prepared.loaded.sources,
                &planned.diagnostics,
                style,
            )?;
        }
        match args.format {
            PlanFormat::Human => render::drift_human(output.out, &report),
            PlanFormat::Json => {
                serde_json::to_writer_pretty(&mut *output.out, &report)?;
                writeln!(output.out)
            }
            PlanFormat::Markdown => render::drift_markdown(output.out, &report),
            PlanFormat::Github => {
                render::drift_github(output.out, &report)?;
                if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                    let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                    render::drift_markdown(&mut summary, &report)?;
                }
                Ok(())
            }
        }
    })();
    Ok(written.map(|()| if report.counted > 0 { exit::FINDINGS } else { exit::OK }))
}
