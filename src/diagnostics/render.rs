//! Views of a list of diagnostics: miette reports for people, JSON for tools, GitHub
//! Actions annotations and a markdown summary for pull requests.
//!
//! Renderers write into a sink so that tests never capture stdout.

use super::{Diagnostic, Severity, ShownText, SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SpanContents,
};
use serde::Serialize;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

/// Options of the human view.
#[derive(Clone, Copy, Debug)]
pub struct HumanStyle {
    pub color: bool,
    pub width: usize,
}

impl Default for HumanStyle {
    fn default() -> Self {
        Self {
            color: false,
            width: 80,
        }
    }
}

/// Writes every diagnostic as a miette report, then a one-line summary.
pub fn human(
    out: &mut dyn Write,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    style: HumanStyle,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    for diagnostic in diagnostics {
        let diagnostic = &shown(diagnostic);
        let report = Report::new(diagnostic, sources);
        let mut text = String::new();
        handler
            .render_report(&mut text, &report)
            .map_err(|_| io::Error::other("could not render a diagnostic"))?;
        writeln!(out, "{}", text.trim_end())?;
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(diagnostics))
}

/// `diagnostic` with every control character of its texts escaped (they may quote a label
/// of the config or an answer of an org).
fn shown(diagnostic: &Diagnostic) -> Diagnostic {
    let mut shown = diagnostic.clone();
    shown.message = crate::text::lines(&shown.message).into_owned();
    shown.help = shown.help.map(|h| crate::text::lines(&h).into_owned());
    for label in shown.primary.iter_mut().chain(shown.secondary.iter_mut()) {
        label.text = crate::text::one_line(&label.text).into_owned();
    }
    shown
}

/// `2 errors, 1 warning, 0 advice`, or `no problems found`.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return "no problems found".to_owned();
    }
    let count = |severity| diagnostics.iter().filter(|d| d.severity() == severity).count();
    let (errors, warnings, advice) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Advice),
    );
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}, {advice} advice",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The `validate --format json` object: `{"valid": bool, "diagnostics": [...]}`.
pub fn json(out: &mut dyn Write, sources: &SourceMap, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let valid = !diagnostics.iter().any(Diagnostic::is_error);
    document(out, Outcome::Valid(valid), sources, diagnostics)
}

/// What a command with `--format json` prints on stdout when it fails:
/// `{"ok": false, "diagnostics": [...]}`.
pub fn failure_json(out: &mut dyn Write, sources: &SourceMap, diagnostics: &[Diagnostic]) -> io::Result<()> {
    document(out, Outcome::Ok(false), sources, diagnostics)
}

/// The first field of a JSON document of diagnostics.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Valid(bool),
    Ok(bool),
}

fn document(out: &mut dyn Write, outcome: Outcome, sources: &SourceMap, diagnostics: &[Diagnostic]) -> io::Result<()> {
    #[derive(Serialize)]
    struct Document<'a> {
        #[serde(flatten)]
        outcome: Outcome,
        diagnostics: Vec<JsonDiagnostic<'a>>,
    }
    let document = Document {
        outcome,
        diagnostics: diagnostics.iter().map(|d| JsonDiagnostic::new(d, sources)).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// One diagnostic in the JSON view; places are one-based.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(diagnostic: &'a Diagnostic, sources: &SourceMap) -> Self {
        let place = diagnostic.primary.as_ref().map(|label| place(sources, label.span));
        Self {
            code: diagnostic.code.as_str(),
            severity: diagnostic.severity(),
            message: &diagnostic.message,
            file: place.as_ref().map(|p| p.0.clone()),
            line: place.as_ref().map(|p| p.1),
            column: place.as_ref().map(|p| p.2),
            help: diagnostic.help.as_deref(),
        }
    }
}

fn place(sources: &SourceMap, span: Span) -> (String, usize, usize) {
    let position = sources.position(span);
    (display_path(sources, span), position.line, position.column)
}

fn display_path(sources: &SourceMap, span: Span) -> String {
    sources.path(span.file).display().to_string()
}

/// GitHub Actions workflow commands, one per diagnostic.
pub fn github(out: &mut dyn Write, sources: &SourceMap, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for diagnostic in diagnostics {
        let command = match diagnostic.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "notice",
        };
        let mut properties = Vec::new();
        if let Some(label) = &diagnostic.primary {
            let (file, line, column) = place(sources, label.span);
            properties.push(format!("file={}", escape_property(&file)));
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
        }
        properties.push(format!("title={}", escape_property(diagnostic.code.as_str())));
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(out, "::{command} {}::{}", properties.join(","), escape_data(&message))?;
    }
    Ok(())
}

/// A markdown table of the diagnostics, for a step summary or a pull-request comment.
pub fn markdown(out: &mut dyn Write, sources: &SourceMap, diagnostics: &[Diagnostic]) -> io::Result<()> {
    writeln!(out, "### oktaform validate: {}\n", summary(diagnostics))?;
    if diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(out, "| severity | code | where | message |")?;
    writeln!(out, "|---|---|---|---|")?;
    for diagnostic in diagnostics {
        let place = diagnostic
            .primary
            .as_ref()
            .map(|label| {
                let (file, line, column) = place(sources, label.span);
                format!("`{file}:{line}:{column}`")
            })
            .unwrap_or_default();
        let severity = serde_json::to_value(diagnostic.severity()).map_err(io::Error::other)?;
        writeln!(
            out,
            "| {} | `{}` | {place} | {} |",
            severity.as_str().unwrap_or_default(),
            diagnostic.code,
            crate::text::one_line(&diagnostic.message.replace('|', "\\|").replace('\n', " "))
        )?;
    }
    Ok(())
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A [`Diagnostic`] seen through miette, with its source attached. Labels in other files
/// than the primary one become related reports, each with its own source.
struct Report {
    message: String,
    code: &'static str,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Report>,
}

impl Report {
    fn new(diagnostic: &Diagnostic, sources: &SourceMap) -> Self {
        let severity = match diagnostic.severity() {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        };
        let primary_file = diagnostic.primary.as_ref().map(|l| l.span.file);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if let Some(label) = &diagnostic.primary {
            labels.push(LabeledSpan::new_primary_with_span(
                Some(label.text.clone()),
                shown_span(sources, label.span),
            ));
        }
        for label in &diagnostic.secondary {
            if Some(label.span.file) == primary_file {
                labels.push(LabeledSpan::new_with_span(
                    Some(label.text.clone()),
                    shown_span(sources, label.span),
                ));
            } else {
                related.push(Report {
                    message: label.text.clone(),
                    code: diagnostic.code.as_str(),
                    severity: miette::Severity::Advice,
                    help: None,
                    source: Some(Excerpt::new(sources, label.span)),
                    labels: vec![LabeledSpan::new_primary_with_span(
                        Some(label.text.clone()),
                        shown_span(sources, label.span),
                    )],
                    related: Vec::new(),
                });
            }
        }
        Self {
            message: diagnostic.message.clone(),
            code: diagnostic.code.as_str(),
            severity,
            help: diagnostic.help.clone(),
            source: diagnostic.primary.as_ref().map(|l| Excerpt::new(sources, l.span)),
            labels,
            related,
        }
    }
}

/// `span` in the shown text of its file (secrets masked).
fn shown_span(sources: &SourceMap, span: Span) -> miette::SourceSpan {
    let shown = sources.display(span.file);
    let start = shown.offset(span.start);
    let end = shown.offset(span.end).max(start);
    (start, end - start).into()
}

/// The shown text of one file, as miette reads it: only the lines around a span are
/// scanned, so rendering many diagnostics of one large file stays linear.
struct Excerpt {
    name: String,
    shown: Arc<ShownText>,
}

impl Excerpt {
    fn new(sources: &SourceMap, span: Span) -> Self {
        Self {
            name: sources.path(span.file).display().to_string(),
            shown: sources.display(span.file),
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &self.shown.text;
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // One line more on each side than asked: miette counts a span that ends on a line
        // break as ending on the next line.
        let first = self.shown.line_of(start).saturating_sub(context_lines_before + 1);
        let last = self.shown.line_of(end) + context_lines_after + 1;
        let window = self.shown.lines(first, last);
        let inner_span = miette::SourceSpan::new((start - window.start).into(), span.len());
        let inner = text[window.clone()].read_span(&inner_span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            miette::SourceSpan::new((inner.span().offset() + window.start).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Excerpt")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Report")
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
        }
    }
}
