//! The texts that diagnostics point into, and byte spans within them.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// A byte range in one file of a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Self {
            file,
            start: range.start,
            end: range.end,
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The part of this span from `start` to `end`, both relative to its start.
    #[must_use]
    pub fn sub(self, start: usize, end: usize) -> Self {
        Self {
            file: self.file,
            start: self.start + start,
            end: self.start + end,
        }
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
    pub text: String,
    /// Byte offset of the start of every line, for positions in logarithmic time.
    line_starts: Vec<usize>,
}

/// Every file a command read, so that any span can be shown with its text.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            path: path.into(),
            text,
            line_starts,
        });
        FileId(self.files.len() - 1)
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.file(id).path
    }

    pub fn text(&self, span: Span) -> &str {
        &self.file(span.file).text[span.start..span.end]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    /// Hides the text of `span` (a secret written in a file) behind `*`, keeping every byte
    /// offset, so that no report can show it.
    pub fn redact(&mut self, span: Span) {
        let text = &mut self.files[span.file.0].text;
        let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
        if text.is_char_boundary(start) && text.is_char_boundary(end) {
            text.replace_range(start..end, &"*".repeat(end - start));
        }
    }

    /// Line and column of the start of `span`.
    pub fn position(&self, span: Span) -> Position {
        let file = self.file(span.file);
        let start = span.start.min(file.text.len());
        let index = file.line_starts.partition_point(|&line_start| line_start <= start) - 1;
        let line_start = file.line_starts[index];
        let column = file.text[line_start..start].chars().count() + 1;
        Position {
            line: index + 1,
            column,
        }
    }
}
