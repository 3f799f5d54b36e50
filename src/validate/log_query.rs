//! Rules of `log_query` blocks: the filter language, `LogEvent` attributes, event types,
//! keywords, the page size, the time window and the scope the card needs.

use super::Context;
use crate::catalog::{self, AttributeKind};
use crate::config::{RawLogQuery, Spanned};
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::logquery::filter::{self, Expr, Literal, Op};
use crate::model::Desired;
use time::{Duration, OffsetDateTime};

const MAX_KEYWORDS: usize = 10;
const MAX_KEYWORD_CHARS: usize = 40;
/// Days the System Log keeps events.
pub const RETENTION_DAYS: i64 = 90;
/// The furthest back Okta accepts a `since`.
pub const MAX_SINCE_DAYS: i64 = 180;
const LOGS_SCOPE: &str = "okta.logs.read";

pub(super) fn check(
    context: &Context<'_>,
    queries: &[RawLogQuery],
    desired: &Desired,
    now: OffsetDateTime,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for query in queries {
        keywords(context, query, diagnostics);
        for (key, value) in &query.matches {
            attribute(&key.value, || key.span, diagnostics);
            if key.value == "eventType" {
                event_type(&value.value, value.span, diagnostics);
            }
        }
        if let Some(text) = &query.filter {
            custom_filter(context, query, text, diagnostics);
        }
        if let Some(limit) = &query.options().limit
            && !(1..=1000).contains(&limit.value)
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::LogQueryLimitRange,
                    format!("`limit` is {}, outside 1..1000", limit.value),
                )
                .at(limit.span, "out of range")
                .help("the System Log returns 1 to 1000 events a page; the default is 100"),
            );
        }
        window(query, now, diagnostics);
        logs_scope(query, desired, diagnostics);
    }
}

fn keywords(context: &Context<'_>, query: &RawLogQuery, diagnostics: &mut Vec<Diagnostic>) {
    let Some(keyword) = &query.keyword else {
        return;
    };
    let words: Vec<(usize, &str)> = keyword
        .value
        .split(' ')
        .scan(0, |offset, word| {
            let start = *offset;
            *offset += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
        .collect();
    if words.len() > MAX_KEYWORDS {
        diagnostics.push(
            Diagnostic::new(
                Code::LogQueryTooManyKeywords,
                format!("{} keywords, more than {MAX_KEYWORDS}", words.len()),
            )
            .at(keyword.span, "too many keywords")
            .help("the System Log accepts at most 10 keywords; narrow the search with `match` or `filter`"),
        );
    }
    for (start, word) in words {
        let chars = word.chars().count();
        if chars > MAX_KEYWORD_CHARS {
            diagnostics.push(
                Diagnostic::new(
                    Code::LogQueryKeywordTooLong,
                    format!("a keyword of {chars} characters, more than {MAX_KEYWORD_CHARS}"),
                )
                .at(context.inner_span(keyword, start, start + word.len()), "too long")
                .help("match long values with `match` or `filter` instead"),
            );
        }
    }
}

/// Checks an attribute path used in `match` or a filter, at `span` (found only for a
/// problem: within a literal with escapes, finding it takes a pass over the literal).
fn attribute(path: &str, span: impl FnOnce() -> Span, diagnostics: &mut Vec<Diagnostic>) {
    if path == "published" {
        diagnostics.push(
            Diagnostic::new(
                Code::LogQueryPublishedFilter,
                "the System Log cannot filter on `published`",
            )
            .at(span(), "not filterable")
            .help("bound the window with `since` and `until` instead"),
        );
        return;
    }
    if catalog::log_attribute(path) == AttributeKind::Unknown {
        diagnostics.push(
            Diagnostic::new(Code::LogQueryUnknownAttribute, format!("`{path}` is not an attribute of a System Log event"))
                .at(span(), "unknown attribute")
                .suggest(did_you_mean(path, catalog::log_attributes()))
                .help("attributes are paths of the LogEvent object, such as `eventType` or `actor.alternateId`; `debugContext.debugData.*` and `*.detailEntry.*` are free-form"),
        );
    }
}

fn event_type(value: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) {
    if !catalog::is_event_type(value) {
        diagnostics.push(
            Diagnostic::new(
                Code::LogQueryUnknownEventType,
                format!("`{value}` is not a known event type"),
            )
            .at(span, "unknown event type")
            .suggest(did_you_mean(value, catalog::event_types()))
            .help("the query would match nothing unless Okta added this event type recently"),
        );
    }
}

fn custom_filter(
    context: &Context<'_>,
    query: &RawLogQuery,
    text: &Spanned<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let expr = match filter::parse(&text.value) {
        Ok(expr) => expr,
        Err(error) => {
            let mut diagnostic =
                Diagnostic::new(Code::LogQueryFilterSyntax, format!("invalid filter: {}", error.message)).at(
                    context.inner_span(text, error.span.start, error.span.end),
                    error.message.clone(),
                );
            diagnostic.help.clone_from(&error.help);
            diagnostics.push(diagnostic);
            return;
        }
    };
    let spans = context.inner_spans(text);
    let at = |loc: &filter::Loc| spans.span(loc.0.start, loc.0.end);
    for comparison in expr.comparisons() {
        let attribute_end = comparison.attribute_loc.0.start + comparison.attribute.len();
        attribute(
            &comparison.attribute,
            || spans.span(comparison.attribute_loc.0.start, attribute_end),
            diagnostics,
        );
        let url = matches!(
            comparison.attribute.as_str(),
            "debugContext.debugData.url" | "debugContext.debugData.requestUri"
        );
        if url && comparison.op == Op::Co {
            diagnostics.push(
                Diagnostic::new(
                    Code::LogQueryUnsupportedOperator,
                    format!("`co` is not supported on `{}`", comparison.attribute),
                )
                .at(at(&comparison.op_loc), "unsupported operator")
                .help("Okta rejects this combination (E0000031); use `sw` or `eq`"),
            );
        }
        if let (Some(expected), Some(value)) = (catalog::log_attribute_type(&comparison.attribute), &comparison.value) {
            let (found, fix) = match value {
                Literal::String(s) => ("string", s.clone()),
                Literal::Number(n) => ("number", format!("\"{n}\"")),
                Literal::Bool(b) => ("boolean", format!("\"{b}\"")),
            };
            if found != expected {
                let help = if expected == "string" {
                    format!("`{}` holds strings: quote the value, `{fix}`", comparison.attribute)
                } else {
                    format!(
                        "`{}` holds {expected}s: write the value without quotes",
                        comparison.attribute
                    )
                };
                diagnostics.push(
                    Diagnostic::new(
                        Code::LogQueryValueType,
                        format!(
                            "`{}` is compared with a {found}, but it holds {expected}s",
                            comparison.attribute
                        ),
                    )
                    .at(at(&comparison.value_loc), format!("a {found}"))
                    .help(help),
                );
            }
        }
        if comparison.attribute == "eventType"
            && matches!(comparison.op, Op::Eq | Op::Ne)
            && let Some(Literal::String(value)) = &comparison.value
        {
            event_type(value, at(&comparison.value_loc), diagnostics);
        }
    }
    if !query.matches.is_empty()
        && let Expr::Or(_, loc) = &expr
        && !text.value[loc.0.clone()].starts_with('(')
    {
        diagnostics.push(
            Diagnostic::new(Code::LogQueryOrPrecedence, "a top-level `or` in a filter combined with `match`")
                .at(at(loc), "top-level `or`")
                .help(format!(
                    "oktaform sends `<match> and ({})`, but the Workflows card may join the fields without parentheses; write the parentheses yourself",
                    text.value.trim()
                )),
        );
    }
}

fn window(query: &RawLogQuery, now: OffsetDateTime, diagnostics: &mut Vec<Diagnostic>) {
    let options = query.options();
    let until = options.until.as_ref().map_or(now, |u| u.value.resolve(now));
    let Some(since_spec) = &options.since else {
        return;
    };
    let since = since_spec.value.resolve(now);
    if since > until {
        let mut diagnostic = Diagnostic::new(Code::LogQuerySinceAfterUntil, "`since` is later than `until`")
            .at(since_spec.span, "starts here");
        diagnostic = match &options.until {
            Some(until_spec) => diagnostic.also(until_spec.span, "ends here"),
            None => diagnostic.help("`until` defaults to now"),
        };
        diagnostics.push(diagnostic.help("the window would be empty; a duration such as `-24h` counts back from now"));
    }
    if since < now - Duration::days(MAX_SINCE_DAYS) {
        diagnostics.push(
            Diagnostic::new(
                Code::LogQuerySinceTooOld,
                format!("`since` is more than {MAX_SINCE_DAYS} days back"),
            )
            .at(since_spec.span, "too old")
            .help("Okta rejects queries that start more than 180 days back (E0000053)"),
        );
    } else if since < now - Duration::days(RETENTION_DAYS) {
        diagnostics.push(
            Diagnostic::new(
                Code::LogQueryRetention,
                format!("`since` is more than {RETENTION_DAYS} days back"),
            )
            .at(since_spec.span, "beyond retention")
            .help("the System Log keeps 90 days: older events are not returned"),
        );
    }
}

fn logs_scope(query: &RawLogQuery, desired: &Desired, diagnostics: &mut Vec<Diagnostic>) {
    let Some(connection) = &query.connection else {
        return;
    };
    let Some(app) = desired.app_of(&connection.value) else {
        return;
    };
    if !app.grants.contains_key(LOGS_SCOPE) {
        diagnostics.push(
            Diagnostic::new(
                Code::LogQueryMissingLogsScope,
                format!("connection `{}` does not grant `{LOGS_SCOPE}`", connection.value),
            )
            .at(connection.span, "no `okta.logs.read` for this app")
            .help("add `okta.logs.read` to a `scopes` block of this connection; the Search System Log card needs it"),
        );
    }
}
