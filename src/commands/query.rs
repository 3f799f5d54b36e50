//! `oktaform query NAME [PATH]`: run a log query against its org and stream the events to
//! stdout as each page arrives.

use super::{Output, exit};
use crate::cli::{GlobalArgs, QueryArgs, QueryFormat};
use crate::config::Environment;
use crate::diagnostics::Code;
use crate::live::ReadLogError;
use crate::ops::Failure;
use crate::ops::query::{Following, QueryRequest, connect};
use crate::view::events::{EventFormat, EventWriter};
use std::io::IsTerminal;

pub fn run(global: &GlobalArgs, args: &QueryArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let json = args.format == QueryFormat::Json;
    let environment = Environment::capture();
    let ctx = super::context(global, &environment);
    let request = QueryRequest {
        name: args.name.clone(),
        config: args.path.clone(),
        variables: args.vars.inputs(),
        target: args.target.target(),
        since: args.since,
        until: args.until,
        max: args.max,
        follow: args.follow.then_some(Following {
            poll: args.poll,
            stop_after: args.follow_for,
        }),
    };
    // The deadline of `--follow-for` is set inside the runtime, whose clock it uses.
    let runtime = super::runtime()?;
    let query = match runtime.block_on(async { connect(&ctx, &request) }) {
        Ok(query) => query,
        Err(failure) => return output.failure(failure, json),
    };
    if global.verbose > 0 {
        let params: Vec<String> = query.request.params().iter().map(|(k, v)| format!("{k}={v}")).collect();
        writeln!(
            output.err,
            "query `{}` on `{}`: {}",
            query.name,
            query.domain,
            params.join(" ")
        )?;
    }
    let format = match args.format {
        QueryFormat::Ndjson => EventFormat::Ndjson,
        QueryFormat::Json => EventFormat::Json,
        QueryFormat::Csv => EventFormat::Csv,
        QueryFormat::Table => EventFormat::Table,
    };
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("query `{}`", query.name));
        bar
    });
    let mut writer = EventWriter::new(&mut *output.out, format)?;
    // Ctrl-C ends a query (a following one is ended that way), also mid-request: the pages
    // written so far are whole.
    let result = super::until_interrupted(
        &runtime,
        query.run(&mut |events| {
            if let Some(bar) = &progress {
                bar.inc(events.len() as u64);
                bar.set_message(format!("query `{}`: {} events", query.name, bar.position()));
            }
            writer.page(events)
        }),
    )
    .unwrap_or(Ok(0));
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    writer.finish()?;
    match result {
        Ok(_) => Ok(exit::OK),
        // The reader went away (`oktaform query ... | head`): it has what it wanted.
        Err(ReadLogError::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(exit::OK),
        Err(error) => output.failure(
            Failure::refusal(
                Code::LiveRequestFailed,
                format!("reading the System Log of `{}` failed: {error}", query.domain),
                "the events written so far are complete pages; run again, or with -v to see each request",
            ),
            json,
        ),
    }
}
