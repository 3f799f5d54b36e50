//! The texts that diagnostics point into, and byte spans within them.

use super::mask::{MASK, sensitive_attributes, sensitive_ranges};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

impl FileId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range in one file of a [`SourceMap`]. Offsets are held in 32 bits, which keeps
/// the spans of a large config small: files are read up to [`crate::input::CONFIG_LIMIT`],
/// far below 4 GiB (an offset beyond is held as the largest one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    start: u32,
    end: u32,
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Self {
            file,
            start: offset(range.start),
            end: offset(range.end),
        }
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn range(&self) -> Range<usize> {
        self.start()..self.end()
    }

    pub fn len(&self) -> usize {
        self.end() - self.start()
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The part of this span from `start` to `end`, both relative to its start.
    #[must_use]
    pub fn sub(self, start: usize, end: usize) -> Self {
        Self::new(self.file, self.start() + start..self.start() + end)
    }
}

/// A one-based line and column (in characters) for people and annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One file as loaded: the path shown to users and its full text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The text as read: what spans point into. Never shown as it is: excerpts come from
    /// [`SourceMap::display`], where secrets are masked.
    pub text: String,
    /// Byte offset of the start of every line, for positions in logarithmic time (32 bits,
    /// as in [`Span`]); found when a position is first asked for.
    line_starts: OnceLock<Vec<u32>>,
    /// Byte ranges of secrets masked in every excerpt besides those found when the file is
    /// first shown (the values of sensitive attributes, the known secret values).
    masks: Vec<Range<usize>>,
    display: OnceLock<Arc<ShownText>>,
}

/// A file's text as shown: every masked range replaced by [`MASK`], with the mapping from
/// offsets in the text as read.
#[derive(Debug)]
pub struct ShownText {
    pub text: String,
    line_starts: Vec<usize>,
    /// Merged masked ranges of the text as read, sorted.
    masks: Vec<Range<usize>>,
    /// For each mask, how much longer the display is than the text as read, up to its end.
    growth: Vec<isize>,
}

impl ShownText {
    fn new(raw: &str, masks: &[Range<usize>]) -> Self {
        let mut sorted: Vec<Range<usize>> = masks
            .iter()
            .map(|m| m.start.min(raw.len())..m.end.min(raw.len()))
            .filter(|m| !m.is_empty())
            .collect();
        sorted.sort_by_key(|m| (m.start, m.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
        for mask in sorted {
            match merged.last_mut() {
                Some(last) if mask.start <= last.end => last.end = last.end.max(mask.end),
                _ => merged.push(mask),
            }
        }
        let mut text = String::with_capacity(raw.len());
        let mut growth = Vec::with_capacity(merged.len());
        let (mut previous, mut grown) = (0, 0isize);
        for mask in &merged {
            text.push_str(&raw[previous..mask.start]);
            text.push_str(MASK);
            let signed = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
            grown += signed(MASK.len()) - signed(mask.len());
            growth.push(grown);
            previous = mask.end;
        }
        text.push_str(&raw[previous..]);
        // Control characters of the file never reach a terminal; offsets stay as they are.
        let text = crate::text::same_length(&text).into_owned();
        let line_starts = line_starts(&text);
        Self {
            text,
            line_starts,
            masks: merged,
            growth,
        }
    }

    /// The display offset of `offset` in the text as read; inside a mask, within the mask.
    pub fn offset(&self, offset: usize) -> usize {
        let passed = self.masks.partition_point(|m| m.end <= offset);
        let grown = if passed == 0 { 0 } else { self.growth[passed - 1] };
        let shifted = |o: usize| o.saturating_add_signed(grown);
        match self.masks.get(passed) {
            Some(mask) if mask.start < offset => shifted(mask.start) + (offset - mask.start).min(MASK.len()),
            _ => shifted(offset),
        }
    }

    /// The zero-based line of a display offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The byte range of lines `first..=last`.
    pub fn lines(&self, first: usize, last: usize) -> Range<usize> {
        let start = self.line_starts.get(first).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(last + 1).copied().unwrap_or(self.text.len());
        start..end
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Every file a command read, so that any span can be shown with its text.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Secret values (tokens, keys, sensitive variables' values) masked wherever they show:
    /// in every excerpt and in every message shown with these sources.
    secrets: Vec<String>,
}

/// The shortest value taken as a secret to mask: shorter ones would mask ordinary words.
pub const SHORTEST_SECRET: usize = 8;

impl SourceMap {
    /// Adds a file. The literal values of its sensitive attributes are masked in whatever
    /// is shown of it, found by name in the text, so that even a file that does not parse
    /// shows none. They are looked for when the file is first shown: most are never.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
            masks: Vec::new(),
            display: OnceLock::new(),
        });
        FileId(u32::try_from(self.files.len() - 1).expect("fewer than 4 billion files"))
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.file(id).path
    }

    pub fn text(&self, span: Span) -> &str {
        &self.file(span.file).text[span.range()]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().zip(0..).map(|(f, i)| (FileId(i), f))
    }

    /// Masks `value` wherever it shows: in every excerpt and message. Values shorter than
    /// [`SHORTEST_SECRET`] are left alone.
    pub fn add_secret(&mut self, value: &str) {
        if value.len() < SHORTEST_SECRET || self.secrets.iter().any(|s| s == value) {
            return;
        }
        self.secrets.push(value.to_owned());
        for file in &mut self.files {
            file.display = OnceLock::new();
        }
    }

    /// `text` with every known secret value masked.
    pub fn mask_text<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let mut masked = std::borrow::Cow::Borrowed(text);
        for secret in &self.secrets {
            if masked.contains(secret.as_str()) {
                masked = std::borrow::Cow::Owned(masked.replace(secret.as_str(), MASK));
            }
        }
        masked
    }

    /// Masks the text of `span` (a secret) in every excerpt.
    pub fn mask(&mut self, span: Span) {
        let file = &mut self.files[span.file.index()];
        file.masks.push(span.range());
        file.display = OnceLock::new();
    }

    /// Masks the literal values of the attributes `names` in `file` (the sensitive variables
    /// of a var file).
    pub fn mask_attributes(&mut self, file: FileId, names: &[&str]) {
        let source = &mut self.files[file.index()];
        source.masks.extend(sensitive_ranges(&source.text, names));
        source.display = OnceLock::new();
    }

    /// The file as shown in excerpts, secrets masked.
    pub fn display(&self, file: FileId) -> Arc<ShownText> {
        let source = self.file(file);
        source
            .display
            .get_or_init(|| {
                let text = &source.text;
                let mut masks = sensitive_ranges(text, sensitive_attributes());
                masks.extend(source.masks.iter().cloned());
                for secret in &self.secrets {
                    masks.extend(
                        text.match_indices(secret.as_str())
                            .map(|(at, found)| at..at + found.len()),
                    );
                }
                Arc::new(ShownText::new(text, &masks))
            })
            .clone()
    }

    /// Line and column of the start of `span`.
    pub fn position(&self, span: Span) -> Position {
        let file = self.file(span.file);
        let start = span.start().min(file.text.len());
        let line_starts = file.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(file.text.match_indices('\n').map(|(i, _)| offset(i + 1)))
                .collect()
        });
        let index = line_starts.partition_point(|&line_start| line_start as usize <= start) - 1;
        let line_start = line_starts[index] as usize;
        let column = file.text[line_start..start].chars().count() + 1;
        Position {
            line: index + 1,
            column,
        }
    }
}
