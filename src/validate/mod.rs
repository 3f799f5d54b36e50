//! The product's rules over a loaded config, and the resolved [`Desired`] model.
//!
//! Every rule pushes diagnostics and keeps going; one file per area of rules. Rules see only
//! well-typed values: the config layer already reported missing and mistyped ones.

pub(crate) mod connection;
mod flows;
mod log_query;
mod resolver;
mod safety;
mod scope;

pub use crate::config::Sites;
pub use connection::is_loopback;
pub use log_query::{MAX_SINCE_DAYS, RETENTION_DAYS};

use crate::config::{Loaded, Spanned, literal_offsets};
use crate::diagnostics::{Code, Diagnostic, SourceMap, Span};
use crate::model::Desired;
use time::OffsetDateTime;

/// The outcome of validation: every diagnostic, sorted, and the desired model (meaningful
/// only when no diagnostic is an error).
#[derive(Debug)]
pub struct Validated {
    pub diagnostics: Vec<Diagnostic>,
    pub desired: Desired,
    pub sites: Sites,
}

impl Validated {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Checks `loaded` against every rule, with "now" for the time rules. The log queries move
/// from the raw config into the model once checked, so that a config of many thousand
/// queries is held once: `loaded.config.log_queries` is left empty.
pub fn validate(loaded: &mut Loaded, now: OffsetDateTime) -> Validated {
    let config = &mut loaded.config;
    let mut diagnostics = loaded.diagnostics.clone();
    // A file that could not be read leaves the config partial (and no file, empty): its
    // rules would only report what the missing files declare.
    if diagnostics
        .iter()
        .any(|d| matches!(d.code, Code::ConfigUnreadable | Code::ConfigNoFiles))
    {
        return Validated {
            diagnostics,
            desired: Desired::default(),
            sites: Sites::from_config(config),
        };
    }
    let context = Context {
        sources: &loaded.sources,
    };
    connection::check(&context, config, &mut diagnostics);
    let mut desired = resolver::resolve(config);
    let queries = std::mem::take(&mut config.log_queries);
    log_query::check(&context, &queries, &desired, now, &mut diagnostics);
    desired.log_queries = resolver::log_queries(queries);
    scope::check(config, &desired, &mut diagnostics);
    let flows = flows::check(config, &desired, &mut diagnostics);
    safety::check(config, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let mut sites = Sites::from_config(config);
    sites.flows = flows;
    Validated {
        diagnostics,
        desired,
        sites,
    }
}

/// What rules may read besides the config.
struct Context<'a> {
    sources: &'a SourceMap,
}

impl Context<'_> {
    /// The span of bytes `start..end` of a string value: inside the literal where the value
    /// was written as one (escapes accounted for), else the whole expression.
    fn inner_span(&self, value: &Spanned<String>, start: usize, end: usize) -> Span {
        self.inner_spans(value).span(start, end)
    }

    /// Maps byte ranges of `value` to the file, computing the literal's offsets once, when
    /// first needed.
    fn inner_spans<'v>(&'v self, value: &Spanned<String>) -> InnerSpans<'v> {
        InnerSpans {
            whole: value.span,
            literal: value.literal.then(|| self.sources.text(value.span)),
            offsets: std::cell::OnceCell::new(),
        }
    }
}

/// Byte ranges of a string value, mapped into its literal when it was written as one.
struct InnerSpans<'t> {
    whole: Span,
    /// The literal's text in the file.
    literal: Option<&'t str>,
    offsets: std::cell::OnceCell<Option<Vec<usize>>>,
}

impl InnerSpans<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        let offsets = self.offsets.get_or_init(|| self.literal.and_then(literal_offsets));
        let Some(offsets) = offsets else {
            return self.whole;
        };
        let at = |i: usize| offsets.get(i).copied();
        match (at(start), at(end)) {
            (Some(s), Some(e)) if e >= s => self.whole.sub(s, e.max(s + usize::from(e == s && end > start))),
            (Some(s), _) => self.whole.sub(s, s),
            _ => self.whole,
        }
    }
}
