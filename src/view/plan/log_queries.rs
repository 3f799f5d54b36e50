//! The log queries of a plan as a Workflows "Search System Log" card takes them (Keyword,
//! the predefined fields, Custom Filter), beside the API request they compile to.

use crate::model::{Records, SortOrder};
use crate::plan::LogQueryRef;
use std::fmt::Write as _;

/// `(label, value)` rows of the card fields, then the API request.
pub fn rows(query: &LogQueryRef) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Some(keyword) = &query.card.keyword {
        rows.push(("Keyword".to_owned(), keyword.clone()));
    }
    for (field, value) in query.card.fields.iter() {
        rows.push((field.to_owned(), value.to_owned()));
    }
    if let Some(custom) = &query.card.custom_filter {
        rows.push(("Custom Filter".to_owned(), custom.clone()));
    }
    let mut request = String::new();
    if let Some(q) = &query.q {
        let _ = write!(request, "q={q} ");
    }
    if let Some(filter) = &query.filter {
        let _ = write!(request, "filter={filter} ");
    }
    if let Some(since) = &query.since {
        let _ = write!(request, "since={since} ");
    }
    if let Some(until) = &query.until {
        let _ = write!(request, "until={until} ");
    }
    let order = match query.order {
        SortOrder::Ascending => "ASCENDING",
        SortOrder::Descending => "DESCENDING",
    };
    let records = match query.records {
        Records::First => "the first page",
        Records::All => "every page",
    };
    let _ = write!(request, "sortOrder={order} limit={} ({records})", query.limit);
    rows.push(("API request".to_owned(), request));
    rows
}
