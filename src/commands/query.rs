//! `oktaform query NAME [PATH]`: run a log query against its org and stream the events.
//! Relative times are resolved once, when the query starts; `until` is fixed to that
//! moment unless the query sets one, so reading every page ends; `--follow` polls instead.

use super::planner::{Failure, prepare, report_failure, runtime};
use super::{Output, exit};
use crate::cli::{GlobalArgs, QueryArgs, QueryFormat};
use crate::config::{self, Environment, VarInputs};
use crate::diagnostics::{Code, did_you_mean};
use crate::live::{Follow, LogsRequest, Reading, read_pages};
use crate::okta::Purpose;
use crate::render::{EventFormat, EventWriter};
use crate::time_spec::{TimeSpec, parse_duration};
use crate::validate::validate;
use std::io::IsTerminal;
use std::time::Duration;

pub fn run(global: &GlobalArgs, args: &QueryArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == QueryFormat::Json;
    match query(global, args, output) {
        Ok(code) => Ok(code),
        Err(failure) => report_failure(failure, json, output),
    }
}

/// A time flag: an RFC 3339 time, or a duration back from now (`24h` or `-24h`).
fn time_flag(flag: &str, text: &str) -> Result<TimeSpec, Failure> {
    match TimeSpec::parse(text) {
        Ok(TimeSpec::Relative(seconds)) => Ok(TimeSpec::Relative(-seconds.abs())),
        Ok(absolute) => Ok(absolute),
        Err(error) => Err(Failure::Usage(format!("{flag}: {error}"))),
    }
}

fn duration_flag(flag: &str, text: &str) -> Result<Duration, Failure> {
    match parse_duration(text) {
        Some(seconds) if seconds > 0 => Ok(Duration::from_secs(seconds.unsigned_abs())),
        _ => Err(Failure::Usage(format!(
            "{flag}: `{text}` is not a positive duration like 30s or 10m"
        ))),
    }
}

fn query(global: &GlobalArgs, args: &QueryArgs, output: &mut Output<'_>) -> Result<u8, Failure> {
    let inputs = VarInputs {
        vars: global.vars.clone(),
        files: global.var_files.clone(),
        recorded: Vec::new(),
    };
    // Which connection the query belongs to decides which org is read.
    let offline = config::load(&args.path, &inputs, &Environment::capture().offline());
    let names = validate(&offline, crate::time_spec::now()).desired.log_queries;
    let Some(connection) = names.get(&args.name).map(|q| q.connection.clone()) else {
        let hint = did_you_mean(&args.name, names.keys().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(Failure::Usage(format!("no log query named `{}`{hint}", args.name)));
    };
    let prepared = prepare(&args.path, std::slice::from_ref(&connection), &inputs, global.sim)?;
    let mut query = prepared
        .validated
        .desired
        .log_queries
        .get(&args.name)
        .cloned()
        .ok_or_else(|| Failure::Usage(format!("no log query named `{}`", args.name)))?;
    if let Some(since) = &args.since {
        query.since = Some(time_flag("--since", since)?);
    }
    if let Some(until) = &args.until {
        query.until = Some(time_flag("--until", until)?);
    }
    let follow = if args.follow {
        let deadline = match &args.follow_for {
            Some(text) => Some(tokio::time::Instant::now() + duration_flag("--follow-for", text)?),
            None => None,
        };
        Some(Follow {
            poll: duration_flag("--poll", &args.poll)?,
            deadline,
        })
    } else {
        None
    };
    let now = crate::time_spec::now();
    let request = LogsRequest::of(&query, now, follow.is_some());
    let reading = Reading::of(&query, args.max, follow);
    let target = prepared.target(global)?;
    let orgs = prepared.connect(global, &target, Purpose::Query, output)?;
    let domain = prepared
        .validated
        .desired
        .connections
        .get(&connection)
        .map(|c| c.app.domain.clone())
        .unwrap_or_default();
    let Some(client) = orgs.clients.get(&domain) else {
        return Err(Failure::refusal(
            Code::CredentialsMissing,
            format!("no client for `{domain}`"),
            "add credentials for the query's org",
        ));
    };
    if global.verbose > 0 {
        let params: Vec<String> = request.params().iter().map(|(k, v)| format!("{k}={v}")).collect();
        writeln!(output.err, "query `{}` on `{domain}`: {}", args.name, params.join(" ")).map_err(io)?;
    }
    let format = match args.format {
        QueryFormat::Ndjson => EventFormat::Ndjson,
        QueryFormat::Json => EventFormat::Json,
        QueryFormat::Csv => EventFormat::Csv,
        QueryFormat::Table => EventFormat::Table,
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("query `{}`", args.name));
        bar
    });
    let mut writer = EventWriter::new(&mut *output.out, format).map_err(io)?;
    let runtime = runtime().map_err(io)?;
    let result = runtime.block_on(read_pages(client, &request, reading, &mut |events| {
        if let Some(bar) = &progress {
            bar.inc(events.len() as u64);
            bar.set_message(format!("query `{}`: {} events", args.name, bar.position()));
        }
        writer.page(events)
    }));
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    writer.finish().map_err(io)?;
    match result {
        Ok(_) => Ok(exit::OK),
        Err(error) => Err(Failure::refusal(
            Code::LiveRequestFailed,
            format!("reading the System Log of `{domain}` failed: {error}"),
            "the events written so far are complete pages; run again, or with -v to see each request",
        )),
    }
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(io)`
fn io(error: std::io::Error) -> Failure {
    Failure::Usage(format!("writing the output failed: {error}"))
}
