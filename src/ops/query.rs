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
use time::OffsetDateTime;

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
    let mut offline = config::load(&request.config, &request.variables, &offline_environment);
    let names = validate(&mut offline, ctx.now).desired.log_queries;
    let Some(connection) = names.get(&request.name).map(|q| q.connection.clone()) else {
        let hint = did_you_mean(&request.name, names.keys())
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
    if request.since.is_some() || request.until.is_some() {
        let since = query.since.map(|s| s.resolve(ctx.now));
        let until = query.until.map(|u| u.resolve(ctx.now));
        if let Some(since) = since {
            check_window("--since", since, until, ctx.now)?;
        }
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

/// A window given on the command line must make sense: it starts before it ends, and
/// within the 180 days Okta accepts.
pub(super) fn check_window(
    flag: &str,
    since: OffsetDateTime,
    until: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<(), Failure> {
    if until.is_some_and(|until| since > until) {
        return Err(Failure::refusal(
            Code::LogQuerySinceAfterUntil,
            "the window starts after it ends: --since is later than --until",
            "a duration such as 24h counts back from now: --since 2h --until 1h reads the hour before the last",
        ));
    }
    if since < now - time::Duration::days(crate::validate::MAX_SINCE_DAYS) {
        return Err(Failure::refusal(
            Code::LogQuerySinceTooOld,
            format!(
                "{flag} starts more than {} days back, which Okta refuses (E0000053)",
                crate::validate::MAX_SINCE_DAYS
            ),
            format!(
                "use a shorter {flag}; the System Log keeps {} days of events",
                crate::validate::RETENTION_DAYS
            ),
        ));
    }
    Ok(())
}

impl Query {
    /// Reads the pages, handing each to `page` as it arrives; the number of events read.
    pub async fn run(&self, page: &mut dyn FnMut(&[&RawValue]) -> std::io::Result<()>) -> Result<u64, ReadLogError> {
        read_pages(&self.client, &self.request, self.reading, page).await
    }
}
