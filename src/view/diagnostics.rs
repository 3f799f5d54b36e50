//! Views of a list of diagnostics: miette reports for people, JSON for tools, GitHub
//! Actions annotations and a markdown summary for pull requests.
//!
//! Renderers write into a sink so that tests never capture stdout.

use super::escape::github::{data as escape_data, property as escape_property};
use crate::diagnostics::{Diagnostic, FileId, Label, Severity, SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SpanContents,
};
use serde::Serialize;
use std::fmt;
use std::io::{self, Write};

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
    let mut shown_per_code: std::collections::BTreeMap<(&'static str, Option<FileId>), usize> =
        std::collections::BTreeMap::new();
    for diagnostic in diagnostics {
        let key = (
            diagnostic.code.as_str(),
            diagnostic.primary.as_ref().map(|l| l.span.file),
        );
        let count = shown_per_code.entry(key).or_default();
        *count += 1;
        if *count > SHOWN_PER_CODE {
            continue;
        }
        let diagnostic = &shown(diagnostic, sources);
        let report = Report::new(diagnostic, sources);
        let mut text = String::new();
        handler
            .render_report(&mut text, &report)
            .map_err(|_| io::Error::other("could not render a diagnostic"))?;
        writeln!(out, "{}", text.trim_end())?;
        writeln!(out)?;
    }
    for ((code, file), count) in shown_per_code {
        if count > SHOWN_PER_CODE {
            let place = file
                .map(|f| format!(" in `{}`", sources.path(f).display()))
                .unwrap_or_default();
            writeln!(
                out,
                "... and {} more {code}{place} (not shown; --format json lists every one)\n",
                count - SHOWN_PER_CODE
            )?;
        }
    }
    writeln!(out, "{}", summary(diagnostics))
}

/// The most diagnostics of one code in one file that are shown in full; the rest are
/// counted, so that a file with thousands of one problem prints a page, not megabytes.
pub const SHOWN_PER_CODE: usize = 10;

/// `diagnostic` with every known secret value of `sources` masked and every control
/// character of its texts escaped (they may quote a label of the config, a value from the
/// environment or an answer of an org).
fn shown(diagnostic: &Diagnostic, sources: &SourceMap) -> Diagnostic {
    let mut shown = diagnostic.clone();
    shown.message = crate::text::lines(&sources.mask_text(&shown.message)).into_owned();
    shown.help = shown
        .help
        .map(|h| crate::text::lines(&sources.mask_text(&h)).into_owned());
    for label in shown.primary.iter_mut().chain(shown.secondary.iter_mut()) {
        label.text = crate::text::one_line(&sources.mask_text(&label.text)).into_owned();
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
    pub message: std::borrow::Cow<'a, str>,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<std::borrow::Cow<'a, str>>,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(diagnostic: &'a Diagnostic, sources: &'a SourceMap) -> Self {
        let place = diagnostic.primary.as_ref().map(|label| place(sources, label.span));
        Self {
            code: diagnostic.code.as_str(),
            severity: diagnostic.severity(),
            message: sources.mask_text(&diagnostic.message),
            file: place.as_ref().map(|p| p.0.clone()),
            line: place.as_ref().map(|p| p.1),
            column: place.as_ref().map(|p| p.2),
            help: diagnostic.help.as_deref().map(|h| sources.mask_text(h)),
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
        let mut message = sources.mask_text(&diagnostic.message).into_owned();
        if let Some(help) = &diagnostic.help {
            let help = sources.mask_text(help);
            message.push_str("\nhelp: ");
            message.push_str(&help);
        }
        writeln!(out, "::{command} {}::{}", properties.join(","), escape_data(&message))?;
    }
    Ok(())
}

/// A markdown table of the diagnostics of `command`, for a step summary or a pull-request
/// comment.
pub fn markdown(out: &mut dyn Write, command: &str, sources: &SourceMap, diagnostics: &[Diagnostic]) -> io::Result<()> {
    writeln!(out, "### oktaform {command}: {}\n", summary(diagnostics))?;
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
            crate::text::one_line(
                &sources
                    .mask_text(&diagnostic.message)
                    .replace('|', "\\|")
                    .replace('\n', " ")
            )
        )?;
    }
    Ok(())
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
        let mut related = Vec::new();
        let mut source = None;
        let mut labels = Vec::new();
        if let Some(primary) = &diagnostic.primary {
            let shown = sources.display(primary.span.file);
            let primary_line = shown.line_of(shown_span(sources, primary.span).0);
            // Labels near the primary one share its excerpt; others get excerpts of their own.
            let (near, far): (Vec<&Label>, Vec<&Label>) = diagnostic.secondary.iter().partition(|label| {
                label.span.file == primary.span.file
                    && shown.line_of(shown_span(sources, label.span).0).abs_diff(primary_line) <= NEAR_LINES
            });
            let spans: Vec<(usize, usize)> = std::iter::once(primary)
                .chain(near.iter().copied())
                .map(|label| shown_span(sources, label.span))
                .collect();
            let (excerpt, spans) = Excerpt::around(sources, primary.span, &spans);
            source = Some(excerpt);
            for (i, (label, (start, end))) in std::iter::once(primary).chain(near).zip(spans).enumerate() {
                let text = Some(label.text.clone());
                let span: miette::SourceSpan = (start, end - start).into();
                labels.push(if i == 0 {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                });
            }
            related.extend(far.into_iter().map(|label| Report::related(diagnostic, label, sources)));
        } else {
            related.extend(
                diagnostic
                    .secondary
                    .iter()
                    .map(|label| Report::related(diagnostic, label, sources)),
            );
        }
        Self {
            message: diagnostic.message.clone(),
            code: diagnostic.code.as_str(),
            severity,
            help: diagnostic.help.clone(),
            source,
            labels,
            related,
        }
    }

    /// A label shown apart from its diagnostic's excerpt, with one of its own.
    fn related(diagnostic: &Diagnostic, label: &Label, sources: &SourceMap) -> Report {
        let (excerpt, spans) = Excerpt::around(sources, label.span, &[shown_span(sources, label.span)]);
        let (start, end) = spans[0];
        Report {
            message: label.text.clone(),
            code: diagnostic.code.as_str(),
            severity: miette::Severity::Advice,
            help: None,
            source: Some(excerpt),
            labels: vec![LabeledSpan::new_primary_with_span(
                Some(label.text.clone()),
                miette::SourceSpan::from((start, end - start)),
            )],
            related: Vec::new(),
        }
    }
}

/// Labels within this many lines of the primary one share its excerpt.
const NEAR_LINES: usize = 200;
/// Lines of context shown around the labels.
const CONTEXT_LINES: usize = 2;
/// The widest line of an excerpt, in characters; a longer line is cut to a window around
/// its labels, so that a problem on a long line never prints the whole line.
pub const EXCERPT_WIDTH: usize = 120;

/// `span` in the shown text of its file (secrets masked), as start and end offsets.
fn shown_span(sources: &SourceMap, span: Span) -> (usize, usize) {
    let shown = sources.display(span.file);
    let start = shown.offset(span.start());
    let end = shown.offset(span.end()).max(start);
    (start, end)
}

/// The lines of one file around some labels, each cut to [`EXCERPT_WIDTH`] characters
/// around the labels on it, as miette reads them. Only these lines are copied, so
/// rendering many diagnostics of one large file stays linear in what is shown.
struct Excerpt {
    name: String,
    text: String,
    /// The zero-based line number of the first line of `text` in its file.
    first_line: usize,
    /// Per line of `text`, the bytes of the file cut before its window, less the `…`
    /// shown instead: what turns a column of the excerpt into a column of the file.
    column_shift: Vec<usize>,
}

impl Excerpt {
    /// The excerpt of the file of `at` around `spans` (offsets into its shown text), and
    /// the spans as offsets into the excerpt.
    fn around(sources: &SourceMap, at: Span, spans: &[(usize, usize)]) -> (Self, Vec<(usize, usize)>) {
        let shown = sources.display(at.file);
        let full = &shown.text;
        let lowest = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let highest = spans.iter().map(|s| s.1).max().unwrap_or(0);
        let first = shown.line_of(lowest).saturating_sub(CONTEXT_LINES);
        let last = shown.line_of(highest) + CONTEXT_LINES;
        let mut text = String::new();
        let mut column_shift = Vec::new();
        let mut remapped = vec![(0, 0); spans.len()];
        for line in first..=last {
            let range = shown.lines(line, line);
            if range.is_empty() && line > first {
                break;
            }
            let body_end = if full[range.clone()].ends_with('\n') {
                range.end - 1
            } else {
                range.end
            };
            let body = range.start..body_end;
            // The labels' ends on this line decide the window.
            let on_line: Vec<usize> = spans
                .iter()
                .flat_map(|&(s, e)| [s, e])
                .filter(|o| body.start <= *o && *o <= body.end)
                .collect();
            let window = window(full, body.clone(), &on_line);
            let prefix = if window.start > body.start { "…" } else { "" };
            let suffix = if window.end < body.end { "…" } else { "" };
            let base = text.len() + prefix.len();
            column_shift.push((window.start - body.start).saturating_sub(prefix.len()));
            text.push_str(prefix);
            text.push_str(&full[window.clone()]);
            text.push_str(suffix);
            text.push_str(&full[body_end..range.end]);
            for (i, &(s, e)) in spans.iter().enumerate() {
                let map = |o: usize| base + o.clamp(window.start, window.end) - window.start;
                if body.start <= s && s <= range.end {
                    remapped[i].0 = map(s.min(body.end));
                }
                if body.start <= e && e <= range.end {
                    remapped[i].1 = map(e.min(body.end));
                }
            }
        }
        for span in &mut remapped {
            span.1 = span.1.max(span.0);
        }
        let excerpt = Self {
            name: sources.path(at.file).display().to_string(),
            text,
            first_line: first,
            column_shift,
        };
        (excerpt, remapped)
    }
}

/// The part of the line `body` of `text` to show: all of it when it is short, else
/// [`EXCERPT_WIDTH`] characters from a little before the first of `offsets`.
fn window(text: &str, body: std::ops::Range<usize>, offsets: &[usize]) -> std::ops::Range<usize> {
    let line = &text[body.clone()];
    if line.len() <= EXCERPT_WIDTH || line.char_indices().nth(EXCERPT_WIDTH).is_none() {
        return body;
    }
    let anchor = offsets.iter().min().map_or(0, |o| o - body.start);
    // Start a third of the width before the first label, on a character boundary.
    let before: usize = line[..anchor]
        .char_indices()
        .rev()
        .nth(EXCERPT_WIDTH / 3)
        .map_or(0, |(i, _)| i);
    let end = line[before..]
        .char_indices()
        .nth(EXCERPT_WIDTH)
        .map_or(line.len(), |(i, _)| before + i);
    body.start + before..body.start + end
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column() + self.column_shift.get(inner.line()).copied().unwrap_or(0),
            inner.line_count() + self.first_line,
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
