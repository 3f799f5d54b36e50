//! Query: run a log query against its org. Relative times are resolved once, when the query
//! starts; `until` is fixed to that moment unless the query sets one, so reading every page
//! ends; following polls instead.

use super::prepare::prepare;
use super::{Context, Failure, Orgs, Target};
use crate::config::{self, VarInputs};
use crate::diagnostics::{Code, did_you_mean};
use crate::live::{Follow, LogsRequest, ReadLogError, Reading, read_pages};
use crate::okta::{OktaClient, Purpose};
use crate::time_spec::TimeSpec;
use crate::validate::validate;
use serde_json::value::RawValue;
use std::path::PathBuf;
use std::time::Duration;

pub struct QueryRequest {
    /// The name of the `log_query` block.
    pub name: String,
    pub config: PathBuf,
    pub variables: VarInputs,
    pub target: Target,
    /// Instead of the query's `since` and `until`.
    pub since: Option<TimeSpec>,
    pub until: Option<TimeSpec>,
    /// At most this many events.
    pub max: Option<u64>,
    /// Keep polling, oldest first.
    pub follow: Option<Following>,
}

/// How a followed query polls.
#[derive(Clone, Copy, Debug)]
pub struct Following {
    /// The wait after an empty page.
    pub poll: Duration,
    /// Stop after this long.
    pub stop_after: Option<Duration>,
}

/// A query ready to run: its org connected, its request compiled.
pub struct Query {
    pub name: String,
    /// The org it reads.
    pub domain: String,
    pub request: LogsRequest,
    reading: Reading,
    client: OktaClient,
    /// Keeps an in-process simulated org running.
    _orgs: Orgs,
}

/// Finds the query's connection offline, then loads the config for that connection only
/// and connects to its org; nothing is read yet.
pub fn connect(ctx: &Context<'_>, request: &QueryRequest) -> Result<Query, Failure> {
    // Which connection the query belongs to decides which org is read.
    let offline_environment = ctx.environment.clone().offline();
    let offline = config::load(&request.config, &request.variables, &offline_environment);
    let names = validate(&offline, ctx.now).desired.log_queries;
    let Some(connection) = names.get(&request.name).map(|q| q.connection.clone()) else {
        let hint = did_you_mean(&request.name, names.keys().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(Failure::Usage(format!("no log query named `{}`{hint}", request.name)));
    };
    let prepared = prepare(
        ctx,
        &request.config,
        std::slice::from_ref(&connection),
        &request.variables,
        request.target.is_sim(),
    )?;
    let desired = &prepared.validated.desired;
    let mut query = desired
        .log_queries
        .get(&request.name)
        .cloned()
        .ok_or_else(|| Failure::Usage(format!("no log query named `{}`", request.name)))?;
    if let Some(since) = request.since {
        query.since = Some(since);
    }
    if let Some(until) = request.until {
        query.until = Some(until);
    }
    let follow = request.follow.map(|following| Follow {
        poll: following.poll,
        deadline: following.stop_after.map(|d| tokio::time::Instant::now() + d),
    });
    let logs = LogsRequest::of(&query, ctx.now, follow.is_some());
    let reading = Reading::of(&query, request.max, follow);
    let target = prepared.target(&request.target)?;
    let orgs = prepared.connect(ctx, &request.target, &target, Purpose::Query)?;
    let domain = desired
        .connections
        .get(&connection)
        .map(|c| c.app.domain.clone())
        .unwrap_or_default();
    let Some(client) = orgs.clients.get(&domain).cloned() else {
        return Err(Failure::refusal(
            Code::CredentialsMissing,
            format!("no client for `{domain}`"),
            "add credentials for the query's org",
        ));
    };
    Ok(Query {
        name: request.name.clone(),
        domain,
        request: logs,
        reading,
        client,
        _orgs: orgs,
    })
}

impl Query {
    /// Reads the pages, handing each to `page` as it arrives; the number of events read.
    pub async fn run(&self, page: &mut dyn FnMut(&[&RawValue]) -> std::io::Result<()>) -> Result<u64, ReadLogError> {
        read_pages(&self.client, &self.request, self.reading, page).await
    }
}
