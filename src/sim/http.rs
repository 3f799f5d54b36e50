//! HTTP building blocks of the sim: JSON and empty responses, Okta error bodies, `Link`
//! pagination and the clock's formats.

use super::ids::random_id;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub type ApiResult = Result<Response, ApiError>;

/// Query parameters in a stable order, so that links are reproducible.
pub type Params = BTreeMap<String, String>;

/// An Okta error: HTTP status, `errorCode`, `errorSummary` and `errorCauses`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub summary: String,
    pub causes: Vec<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        Self {
            status,
            code,
            summary: summary.into(),
            causes: Vec::new(),
        }
    }

    #[must_use]
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// 404 `E0000007` as Okta words it: `Not found: Resource not found: <id> (<Type>)`.
    pub fn not_found(id: &str, kind: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {id} ({kind})"),
        )
    }

    /// 400 `E0000001 Api validation failed: <field>` with a cause.
    pub fn validation(field: &str, cause: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            format!("Api validation failed: {field}"),
        )
        .cause(cause)
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
        )
    }

    pub fn invalid_token() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "E0000011", "Invalid token provided")
    }

    pub fn body(&self) -> Value {
        json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": random_id("oae"),
            "errorCauses": self.causes.iter().map(|c| json!({"errorSummary": c})).collect::<Vec<_>>(),
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

pub fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

// Handlers return `ApiResult`; these build its success side.
#[allow(clippy::unnecessary_wraps)]
pub fn ok(value: &Value) -> ApiResult {
    Ok(json_response(StatusCode::OK, value))
}

/// 204 with no body and no `Content-Type`, as Okta answers (clients that parse JSON on a
/// `Content-Type: application/json` would fail on the empty body).
#[allow(clippy::unnecessary_wraps)]
pub fn no_content() -> ApiResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The body of a JSON request, or 400 `E0000003`.
pub fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        )
    })
}

/// One page of `items` (each with an `"id"`) after the cursor `after`, with `Link` headers:
/// `self`, then `next` when more follow. `limit` is clamped to `1..=max_limit`.
pub fn page(
    items: &[Value],
    base: &str,
    path: &str,
    params: &Params,
    default_limit: usize,
    max_limit: usize,
) -> ApiResult {
    let limit = match params.get("limit") {
        Some(text) => match text.parse::<i64>() {
            Ok(n) if n < 1 => max_limit,
            Ok(n) => usize::try_from(n).unwrap_or(max_limit).min(max_limit),
            Err(_) => {
                return Err(ApiError::validation("limit", "limit: The value must be a number."));
            }
        },
        None => default_limit,
    };
    let start = match params.get("after") {
        Some(cursor) => items
            .iter()
            .position(|item| item["id"].as_str() == Some(cursor.as_str()))
            .map(|i| i + 1)
            .ok_or_else(|| {
                ApiError::new(StatusCode::BAD_REQUEST, "E0000029", "Invalid paging request.").cause("Invalid cursor.")
            })?,
        None => 0,
    };
    let end = (start + limit).min(items.len());
    let body = Value::Array(items[start.min(end)..end].to_vec());
    let mut response = json_response(StatusCode::OK, &body);
    let headers = response.headers_mut();
    let self_link = format!("<{}>; rel=\"self\"", url(base, path, params));
    headers.append(header::LINK, HeaderValue::from_str(&self_link).map_err(|_| internal())?);
    if end < items.len() && end > start {
        let mut next = params.clone();
        next.insert(
            "after".to_owned(),
            items[end - 1]["id"].as_str().unwrap_or_default().to_owned(),
        );
        next.insert("limit".to_owned(), limit.to_string());
        let next_link = format!("<{}>; rel=\"next\"", url(base, path, &next));
        headers.append(header::LINK, HeaderValue::from_str(&next_link).map_err(|_| internal())?);
    }
    Ok(response)
}

fn url(base: &str, path: &str, params: &Params) -> String {
    if params.is_empty() {
        return format!("{base}{path}");
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params.iter())
        .finish();
    format!("{base}{path}?{query}")
}

pub fn internal() -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "E0000009", "Internal Server Error")
}

/// `2026-11-28T12:00:00.000Z`, the timestamp format of Okta objects.
pub fn timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let millis = at.millisecond();
    let seconds = at
        .replace_millisecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default();
    format!("{}.{millis:03}Z", seconds.trim_end_matches('Z'))
}

/// The IMF-fixdate of the `Date` header.
pub fn http_date(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    at.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn clock_formats() {
        assert_eq!(
            http_date(datetime!(2026-11-28 12:03:04 UTC)),
            "Sat, 28 Nov 2026 12:03:04 GMT"
        );
        assert_eq!(
            timestamp(datetime!(2026-11-28 12:03:04.5 UTC)),
            "2026-11-28T12:03:04.500Z"
        );
    }
}
