//! Reading the System Log: the request a log query compiles to, and its pages, streamed to
//! the caller one at a time so that memory stays flat for any number of events.

use crate::model::{LogQuery, Records, SortOrder};
use crate::okta::{LOG_PAGE_LIMIT, OktaClient, OktaError, Paging, Reply};
use serde_json::value::RawValue;
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The API request of a log query, its times resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogsRequest {
    pub q: Option<String>,
    pub filter: Option<String>,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
    pub order: SortOrder,
    pub limit: u16,
}

/// A time as Okta documents and returns them: RFC 3339 in UTC with milliseconds
/// (`2026-11-28T12:00:00.123Z`).
fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let millis = at.millisecond();
    let seconds = at
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default();
    format!("{}.{millis:03}Z", seconds.trim_end_matches('Z'))
}

impl LogsRequest {
    /// The request of `query` started at `now`: relative times resolved once, and `until`
    /// fixed to just after `now` unless the query sets one (so that reading every page ends,
    /// and an event of this very moment counts), or left open to follow the log.
    pub fn of(query: &LogQuery, now: OffsetDateTime, follow: bool) -> Self {
        let compiled = query.compiled();
        Self {
            q: compiled.q,
            filter: compiled.filter,
            since: query.since.map(|s| s.resolve(now)),
            until: if follow {
                None
            } else {
                Some(
                    query
                        .until
                        .map_or(now + time::Duration::milliseconds(1), |u| u.resolve(now)),
                )
            },
            order: if follow { SortOrder::Ascending } else { query.order },
            limit: query.limit,
        }
    }

    /// The parameters, in the order the API documents them.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if let Some(q) = &self.q {
            params.push(("q", q.clone()));
        }
        if let Some(filter) = &self.filter {
            params.push(("filter", filter.clone()));
        }
        if let Some(since) = self.since {
            params.push(("since", rfc3339(since)));
        }
        if let Some(until) = self.until {
            params.push(("until", rfc3339(until)));
        }
        let order = match self.order {
            SortOrder::Ascending => "ASCENDING",
            SortOrder::Descending => "DESCENDING",
        };
        params.push(("sortOrder", order.to_owned()));
        params.push(("limit", self.limit.to_string()));
        params
    }

    /// `/api/v1/logs?...`
    pub fn path(&self) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.params())
            .finish();
        format!("/api/v1/logs?{query}")
    }
}

/// How far to read.
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    /// Every page (`records = "all"`), or the first only.
    pub all: bool,
    /// At most this many events.
    pub max: Option<u64>,
    /// Keep polling, waiting this long after an empty page, until `max`, the deadline or
    /// Ctrl-C.
    pub follow: Option<Follow>,
}

#[derive(Clone, Copy, Debug)]
pub struct Follow {
    pub poll: Duration,
    pub deadline: Option<tokio::time::Instant>,
}

impl Reading {
    pub fn of(query: &LogQuery, max: Option<u64>, follow: Option<Follow>) -> Self {
        Self {
            all: query.records == Records::All || follow.is_some(),
            max,
            follow,
        }
    }
}

/// Reads the pages of `request`, handing each to `page` as it arrives, every event as the
/// JSON text the org sent (no tree is built unless a view needs one); returns how many
/// events were handed over. Nothing is lost or repeated across pages: each page starts at
/// the cursor the previous one ended with.
pub async fn read_pages(
    client: &OktaClient,
    request: &LogsRequest,
    reading: Reading,
    page: &mut dyn FnMut(&[&RawValue]) -> std::io::Result<()>,
) -> Result<u64, ReadLogError> {
    let mut count: u64 = 0;
    let first = client.endpoint(&request.path())?;
    // A `next` link back to a page already read would repeat events forever; polling an
    // empty page again is how a followed log waits for new events.
    let mut paging = Paging::new(LOG_PAGE_LIMIT);
    paging.visit(&first)?;
    let mut pending = fetch(client, first);
    loop {
        let (reply, next) = pending.await.map_err(|_| ReadLogError::Stopped)??;
        // Each event is a slice of the page's body: nothing is copied or built.
        let mut events: Vec<&RawValue> = serde_json::from_slice(&reply.body).map_err(|e| OktaError::Decode {
            method: "GET".to_owned(),
            path: "/api/v1/logs".to_owned(),
            message: e.to_string(),
        })?;
        if let Some(max) = reading.max {
            let room = usize::try_from(max.saturating_sub(count)).unwrap_or(usize::MAX);
            events.truncate(room);
        }
        count += events.len() as u64;
        let done = reading.max.is_some_and(|max| count >= max) || !reading.all;
        let next = next.filter(|_| !done);
        if let Some(url) = &next
            && (reading.follow.is_none() || !events.is_empty())
        {
            paging.visit(url)?;
        }
        // While this page is written, the next one is on its way (unless the log is
        // followed and this page was empty: then the next request waits).
        let prefetched = next
            .clone()
            .filter(|_| reading.follow.is_none() || !events.is_empty())
            .map(|url| fetch(client, url));
        if !events.is_empty() {
            page(&events).map_err(ReadLogError::Output)?;
        }
        let Some(next) = next else {
            return Ok(count);
        };
        pending = match prefetched {
            Some(prefetched) => prefetched,
            None => {
                let Some(follow) = reading.follow else {
                    return Ok(count);
                };
                let wait = tokio::time::sleep(follow.poll);
                let deadline = async {
                    match follow.deadline {
                        Some(at) => tokio::time::sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = wait => {}
                    () = deadline => return Ok(count),
                    _ = tokio::signal::ctrl_c() => return Ok(count),
                }
                fetch(client, next)
            }
        };
        if reading
            .follow
            .and_then(|f| f.deadline)
            .is_some_and(|at| tokio::time::Instant::now() >= at)
        {
            pending.abort();
            return Ok(count);
        }
    }
}

/// Fetches a page in a task of its own, so that it proceeds while the previous one is
/// written.
fn fetch(client: &OktaClient, url: url::Url) -> tokio::task::JoinHandle<Result<(Reply, Option<url::Url>), OktaError>> {
    let client = client.clone();
    tokio::spawn(async move { client.page(url).await })
}

/// Why reading the log stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadLogError {
    #[error(transparent)]
    Api(#[from] OktaError),
    #[error("writing the events failed: {0}")]
    Output(std::io::Error),
    #[error("reading the log stopped")]
    Stopped,
}

#[cfg(test)]
mod precision_tests {
    use time::macros::datetime;

    #[test]
    fn times_are_sent_with_milliseconds_in_utc() {
        assert_eq!(
            super::rfc3339(datetime!(2026-11-28 12:00:47.248890077 UTC)),
            "2026-11-28T12:00:47.248Z"
        );
        assert_eq!(
            super::rfc3339(datetime!(2026-11-28 13:00:00 +01:00)),
            "2026-11-28T12:00:00.000Z"
        );
    }
}
