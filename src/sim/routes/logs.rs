//! `GET /api/v1/logs`: every parameter as Okta documents it (REFERENCE section 6), and its
//! two kinds of paging. A polling query (no `until`, ascending) always has a `next` link,
//! also on an empty page, and its cursor returns the events appended after it was issued;
//! a bounded query (with `until`, or descending) has no `next` link on its last page.

use crate::catalog::{self, AttributeKind};
use crate::logquery::filter::{self, Expr, Op};
use crate::sim::auth::Caller;
use crate::sim::http::{ApiError, ApiResult, Params, internal};
use crate::sim::logs::{Cursor, Key, Log, Search, millis};
use crate::sim::server::Shared;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use std::sync::Arc;

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;
const MAX_KEYWORDS: usize = 10;
const MAX_KEYWORD_CHARS: usize = 40;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Days the System Log keeps events.
const RETENTION_DAYS: i64 = 90;

fn validation(summary: impl Into<String>, cause: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "E0000001", summary).cause(cause)
}

fn invalid_filter(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "E0000053", message)
}

/// A time parameter: RFC 3339, else 400 `E0000001` naming the field.
fn time(params: &Params, name: &str) -> Result<Option<i64>, ApiError> {
    match params.get(name) {
        None => Ok(None),
        Some(text) => millis(text).map(Some).ok_or_else(|| {
            validation(
                format!("Api validation failed: {name}"),
                format!("{name}: The date format in your query is not recognized. Please enter dates using ISO 8601 string format."),
            )
        }),
    }
}

/// The filter, refused as Okta refuses it.
fn parse_filter(text: &str) -> Result<Expr, ApiError> {
    let expr = filter::parse(text).map_err(|e| {
        invalid_filter(format!(
            "Invalid filter '{text}': {} at position {}.",
            e.message, e.span.start
        ))
    })?;
    for comparison in expr.comparisons() {
        let attribute = comparison.attribute.as_str();
        if attribute == "published" || catalog::log_attribute(attribute) == AttributeKind::Unknown {
            return Err(invalid_filter(format!("field is not valid: {attribute}")));
        }
        if comparison.op == Op::Co
            && matches!(
                attribute,
                "debugContext.debugData.url" | "debugContext.debugData.requestUri"
            )
        {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "E0000031",
                format!(
                    "The supplied combination of operator and field is not currently supported. Operator: co, Field: {attribute}"
                ),
            ));
        }
    }
    Ok(expr)
}

/// The keywords of `q`, lower-cased.
fn keywords(q: Option<&String>) -> Result<Vec<String>, ApiError> {
    let words: Vec<String> = q
        .map(|q| q.split_whitespace().map(str::to_lowercase).collect())
        .unwrap_or_default();
    if words.iter().any(|w| w.chars().count() > MAX_KEYWORD_CHARS) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: 'q': Freeform search cannot contain items longer than 40 characters. Please shorten the following terms:",
        ));
    }
    if words.len() > MAX_KEYWORDS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: 'q': Freeform search cannot contain more than 10 items.",
        ));
    }
    Ok(words)
}

/// Whether `sortOrder` asks for the newest first.
fn descending(params: &Params) -> Result<bool, ApiError> {
    match params.get("sortOrder").map(String::as_str) {
        None | Some("ASCENDING") => Ok(false),
        Some("DESCENDING") => Ok(true),
        Some(_) => Err(validation(
            "Api validation failed: sortOrder",
            "sortOrder: The value must be ASCENDING or DESCENDING.",
        )),
    }
}

/// The page size `limit` asks for.
fn limit(params: &Params) -> Result<usize, ApiError> {
    match params.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if n <= MAX_LIMIT => Ok(n),
            _ => Err(validation(
                "Api validation failed: limit",
                "limit: The limit must be an integer between 0 and 1000.",
            )),
        },
    }
}

pub async fn list(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Query(params): Query<Params>,
) -> ApiResult {
    let now = shared.clock.now();
    let now_ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).map_err(|_| internal())?;
    // An empty `until=` is Okta's polling form: no upper bound.
    let until = match params.get("until").map(String::as_str) {
        Some("") => None,
        _ => time(&params, "until")?,
    };
    let since = time(&params, "since")?;
    let after = match params.get("after") {
        Some(text) => Some(Cursor::decode(text).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "E0000029", "Invalid paging request.").cause("Invalid cursor.")
        })?),
        None => None,
    };
    let descending = descending(&params)?;
    let limit = limit(&params)?;
    // Without `until`, every event up to now counts, also one of this very millisecond.
    let until_ms = until.unwrap_or(now_ms + 1);
    let since_ms = since.unwrap_or(until_ms - 7 * DAY_MS);
    if since_ms < now_ms - 180 * DAY_MS {
        return Err(invalid_filter(
            "Invalid parameter: The since parameter is over 180 days prior to the current day.",
        ));
    }
    let filter = params.get("filter").map(|text| parse_filter(text)).transpose()?;
    let keywords = keywords(params.get("q"))?;
    let polling = until.is_none() && !descending;
    // After a cursor, the lower bound is the cursor's (ascending) or the one it carries.
    // Events older than the retention are never returned: "Queries that exceed the
    // retention period succeed, but only those results that have a published timestamp
    // within the window are returned" (Okta's System Log API reference).
    // After a cursor the key decides where a page starts; `since` (real `next` links carry
    // it beside `after`) or a bound an older cursor carries still limits descending pages.
    let lower = after
        .and_then(|cursor| cursor.bound)
        .unwrap_or(since_ms)
        .max(now_ms - RETENTION_DAYS * DAY_MS);
    let search = Search {
        since: lower,
        until: until_ms,
        descending,
        after: after.map(|c| c.key),
        limit,
        filter: filter.as_ref(),
        keywords: &keywords,
    };
    let page = shared.read(&caller, |org| {
        org.require_admin(&caller.user_id)?;
        Ok(Log::new(org).search(&search))
    })?;
    let mut body = String::with_capacity(page.events.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
    body.push('[');
    body.push_str(&page.events.join(","));
    body.push(']');
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response();
    let link = |params: &Params| {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter())
            .finish();
        if query.is_empty() {
            format!("{}/api/v1/logs", caller.base)
        } else {
            format!("{}/api/v1/logs?{query}", caller.base)
        }
    };
    let headers = response.headers_mut();
    let self_link = format!("<{}>; rel=\"self\"", link(&params));
    headers.append(header::LINK, HeaderValue::from_str(&self_link).map_err(|_| internal())?);
    let key = page.last.or(after.map(|c| c.key)).unwrap_or(if descending {
        Key::at(until_ms)
    } else {
        Key::before(since_ms)
    });
    let cursor = Cursor { key, bound: None };
    if polling || page.more {
        // Like a real org's, the `next` link keeps every parameter, `since` too.
        let mut next = params.clone();
        next.insert("after".to_owned(), cursor.encode());
        next.insert("limit".to_owned(), limit.to_string());
        let next_link = format!("<{}>; rel=\"next\"", link(&next));
        headers.append(header::LINK, HeaderValue::from_str(&next_link).map_err(|_| internal())?);
    }
    Ok(response)
}
