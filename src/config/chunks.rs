//! Splits a config file into its top-level items without parsing it, so that each item can
//! be parsed, decoded and dropped in turn: the syntax tree of a whole file is many times
//! the size of its text, the tree of one block is small.
//!
//! The scan follows what decides where an item ends (brackets, strings with their
//! interpolations, heredocs, comments) and splits only at a line break outside all of
//! them. It never decides what the text means: every chunk is parsed by the HCL parser, and
//! when a chunk does not parse, the whole file is parsed instead (see the loader). A split
//! in the wrong place leaves a chunk with an open construct, which does not parse, so a
//! mistake here costs time, never a different reading of the file.

use std::ops::Range;

/// A run of text holding one top-level item (with the comments and blank lines before it),
/// or the whole file when it could not be split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Chunk {
    pub range: Range<usize>,
    pub head: Head,
}

/// What the scan could tell of a chunk's item from its first line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Head {
    /// A `variable` block: read before every other block, since values depend on it.
    Variable,
    /// A `connection` block with one plain string label: its name.
    Connection(String),
    /// A `log_query` block: counted, so that their list is sized once.
    LogQuery,
    /// Anything else whose first word is none of the above.
    Other,
    /// Not told without parsing: a `connection` header with escapes or other labels, or the
    /// whole file.
    Unknown,
}

impl Chunk {
    /// The whole of `text` as one chunk.
    pub(super) fn whole(text: &str) -> Self {
        Chunk {
            range: 0..text.len(),
            head: Head::Unknown,
        }
    }
}

/// Parses one chunk of `text`; spans in the tree are relative to the chunk's start.
pub(super) fn parse(text: &str, chunk: &Chunk) -> Result<hcl::edit::structure::Body, hcl::edit::parser::Error> {
    hcl::edit::parser::parse_body(&text[chunk.range.clone()])
}

/// The chunks of `text`, in order; one chunk of the whole text when it cannot be split.
pub(super) fn split(text: &str) -> Vec<Chunk> {
    match scan(text) {
        Some(chunks) if !chunks.is_empty() => chunks,
        _ => vec![Chunk::whole(text)],
    }
}

/// Where the scan is: in code (counting brackets), in a quoted string, or in a heredoc's
/// body. Code inside `${ ... }` is a frame of its own, ended by the `}` that closes it.
enum Frame<'a> {
    Code { depth: usize },
    Quoted,
    Heredoc { marker: &'a str, line_start: bool },
}

/// The scan's state: the frames it is in, the chunks found, and the current chunk's start
/// and item.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    frames: Vec<Frame<'a>>,
    chunks: Vec<Chunk>,
    start: usize,
    head: Option<Head>,
}

fn scan(text: &str) -> Option<Vec<Chunk>> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        frames: vec![Frame::Code { depth: 0 }],
        chunks: Vec::new(),
        start: 0,
        head: None,
    };
    let mut i = 0;
    while i < text.len() {
        i = match scanner.frames.last()? {
            Frame::Code { .. } => scanner.code(i)?,
            Frame::Quoted => scanner.quoted(i)?,
            Frame::Heredoc { .. } => scanner.heredoc(i),
        };
    }
    let Scanner {
        frames,
        mut chunks,
        start,
        head,
        ..
    } = scanner;
    if !matches!(frames.as_slice(), [Frame::Code { depth: 0 }]) {
        return None;
    }
    match head {
        Some(head) => chunks.push(Chunk {
            range: start..text.len(),
            head,
        }),
        // Comments and blank lines after the last item belong to it.
        None => {
            if let Some(last) = chunks.last_mut() {
                last.range.end = text.len();
            }
        }
    }
    Some(chunks)
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// One step in code at `i`; where the next step starts, `None` when the text cannot be
    /// split.
    fn code(&mut self, i: usize) -> Option<usize> {
        let top_level = self.frames.len() == 1;
        let byte = self.bytes[i];
        let next = self.at(i + 1);
        let Some(Frame::Code { depth }) = self.frames.last_mut() else {
            return None;
        };
        let comment = byte == b'#' || (byte == b'/' && matches!(next, Some(b'/' | b'*')));
        let item_level = top_level && *depth == 0;
        if item_level && self.head.is_none() && !byte.is_ascii_whitespace() && !comment {
            self.head = Some(head_at(self.text, i));
        }
        Some(match (byte, next) {
            (b'#', _) | (b'/', Some(b'/')) => line_end(self.bytes, i),
            (b'/', Some(b'*')) => find(self.bytes, i + 2, b"*/")? + 2,
            (b'"', _) => {
                self.frames.push(Frame::Quoted);
                i + 1
            }
            (b'<', Some(b'<')) => {
                let (marker, body) = heredoc_start(self.text, i + 2)?;
                self.frames.push(Frame::Heredoc {
                    marker,
                    line_start: true,
                });
                body
            }
            (b'{' | b'[' | b'(', _) => {
                *depth += 1;
                i + 1
            }
            (b'}' | b']' | b')', _) => {
                if *depth > 0 {
                    *depth -= 1;
                } else if top_level {
                    return None;
                } else {
                    self.frames.pop();
                }
                i + 1
            }
            (b'\n', _) => {
                if item_level && let Some(head) = self.head.take() {
                    self.chunks.push(Chunk {
                        range: self.start..i + 1,
                        head,
                    });
                    self.start = i + 1;
                }
                i + 1
            }
            // Nothing that matters to the scan until the next byte that may: skipped at
            // once, unless an item's first word is still to be seen.
            _ if self.head.is_some() || !item_level => next_code_byte(self.bytes, i + 1),
            _ => i + 1,
        })
    }

    /// One step in a quoted string.
    fn quoted(&mut self, i: usize) -> Option<usize> {
        Some(match self.bytes[i] {
            b'\\' => i + 2,
            b'"' => {
                self.frames.pop();
                i + 1
            }
            b'\n' => return None,
            b'$' | b'%' => i + template_start(self.bytes, i, &mut self.frames),
            _ => i + 1,
        })
    }

    /// One step in a heredoc's body: at a line's start, its end marker ends it.
    fn heredoc(&mut self, i: usize) -> usize {
        let bytes = self.bytes;
        let Some(Frame::Heredoc { marker, line_start }) = self.frames.last_mut() else {
            return i + 1;
        };
        if std::mem::take(line_start) {
            let indent = bytes[i..].iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
            let after = i + indent + marker.len();
            if self.text[i + indent..].starts_with(*marker) && !bytes.get(after).copied().is_some_and(is_ident_byte) {
                self.frames.pop();
                return after;
            }
        }
        match bytes[i] {
            b'\n' => {
                *line_start = true;
                i + 1
            }
            b'$' | b'%' => i + template_start(bytes, i, &mut self.frames),
            _ => i + 1,
        }
    }
}

/// At a `$` or `%` of a template: `${`/`%{` opens code, `$${`/`%%{` is literal text. The
/// number of bytes to step over.
fn template_start(bytes: &[u8], i: usize, frames: &mut Vec<Frame<'_>>) -> usize {
    let sign = bytes[i];
    match (bytes.get(i + 1), bytes.get(i + 2)) {
        (Some(b'{'), _) => {
            frames.push(Frame::Code { depth: 0 });
            2
        }
        (Some(next), Some(b'{')) if *next == sign => 3,
        _ => 1,
    }
}

/// After `<<`: the heredoc's marker and where its body starts (after the line break).
fn heredoc_start(text: &str, i: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let start = i + usize::from(bytes.get(i) == Some(&b'-'));
    let len = bytes[start..].iter().take_while(|b| is_ident_byte(**b)).count();
    if len == 0 || !(bytes[start].is_ascii_alphabetic() || bytes[start] == b'_') {
        return None;
    }
    let end = start + len;
    let body = match (bytes.get(end), bytes.get(end + 1)) {
        (Some(b'\n'), _) => end + 1,
        (Some(b'\r'), Some(b'\n')) => end + 2,
        _ => return None,
    };
    Some((&text[start..end], body))
}

/// What the item starting at `i` is, from its first word and, for a connection, its label.
fn head_at(text: &str, i: usize) -> Head {
    let bytes = text.as_bytes();
    let word_len = bytes[i..].iter().take_while(|b| is_ident_byte(**b)).count();
    let rest = &text[i + word_len..];
    // A word that goes on in a character beyond ASCII is another word.
    if !rest.starts_with([' ', '\t', '"', '{', '=']) {
        return Head::Other;
    }
    match &text[i..i + word_len] {
        "variable" => Head::Variable,
        "log_query" => Head::LogQuery,
        "connection" => connection_label(rest).map_or(Head::Unknown, Head::Connection),
        _ => Head::Other,
    }
}

/// The label of `connection "name" {`, when it is one plain string: no escapes, and no
/// `$` or `%` that a template escape (`$${`) could make read otherwise.
fn connection_label(rest: &str) -> Option<String> {
    let rest = rest.trim_start_matches([' ', '\t']).strip_prefix('"')?;
    let end = rest.find(['"', '\\', '\n', '$', '%'])?;
    let after = rest[end..].strip_prefix('"')?;
    after
        .trim_start_matches([' ', '\t'])
        .starts_with('{')
        .then(|| rest[..end].to_owned())
}

/// The first byte from `i` on that code handling looks at (the end of the text if none).
fn next_code_byte(bytes: &[u8], i: usize) -> usize {
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let mut bytes: &[u8] = b"#/\"<{[(}])\n";
        while let [byte, rest @ ..] = bytes {
            table[*byte as usize] = true;
            bytes = rest;
        }
        table
    };
    bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|b| SPECIAL[usize::from(*b)]))
        .map_or(bytes.len(), |p| i + p)
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// The index of the line break ending the line at `i` (or the end of the text).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(&str, Head)> {
        split(text).into_iter().map(|c| (&text[c.range], c.head)).collect()
    }

    #[test]
    fn one_chunk_per_top_level_item_with_the_comments_before_it() {
        let text = "# the org\nconnection \"prod\" {\n  domain = \"a\" # }\n}\n\n// queries\nlog_query \"q\" {\n  filter = \"a eq \\\"}\\\"\"\n}\nx = [\n 1,\n]\n# end\n";
        assert_eq!(
            pieces(text),
            vec![
                (
                    "# the org\nconnection \"prod\" {\n  domain = \"a\" # }\n}\n",
                    Head::Connection("prod".into())
                ),
                (
                    "\n// queries\nlog_query \"q\" {\n  filter = \"a eq \\\"}\\\"\"\n}\n",
                    Head::LogQuery
                ),
                ("x = [\n 1,\n]\n# end\n", Head::Other),
            ]
        );
    }

    #[test]
    fn heredocs_interpolations_and_block_comments_do_not_end_an_item() {
        let text = "variable \"v\" {\n  default = <<-EOT\n    }\n    ${ \"}\" }\n    EOT_NOT\n  EOT\n}\n/* a\n}\n*/ connection \"c\\u0041\" {\n  a = \"${x}$${y}%%{z}\"\n}\n";
        assert_eq!(
            pieces(text),
            vec![
                (
                    "variable \"v\" {\n  default = <<-EOT\n    }\n    ${ \"}\" }\n    EOT_NOT\n  EOT\n}\n",
                    Head::Variable
                ),
                (
                    "/* a\n}\n*/ connection \"c\\u0041\" {\n  a = \"${x}$${y}%%{z}\"\n}\n",
                    Head::Unknown
                ),
            ]
        );
    }

    #[test]
    fn text_that_cannot_be_split_is_one_chunk() {
        for text in [
            "a {\n",
            "}\nb {}\n",
            "a = \"open\nb = 1\n",
            "a = <<EOT\nno end\n",
            "a = <<\nEOT\n",
            "/* open\n",
        ] {
            assert_eq!(pieces(text), vec![(text, Head::Unknown)], "{text:?}");
        }
        assert_eq!(pieces(""), vec![("", Head::Unknown)]);
        assert_eq!(
            pieces("\n# only a comment\n"),
            vec![("\n# only a comment\n", Head::Unknown)]
        );
    }

    proptest::proptest! {
        /// Any text, however broken: the chunks cover it in order, end to end, and each
        /// starts and ends on a character boundary.
        #[test]
        fn chunks_cover_any_text(text in "(\\PC|[{}\\[\\]()\"$%<#/*\\\\\n -]|<<EOT\n|EOT\n){0,60}") {
            let chunks = split(&text);
            let mut at = 0;
            for chunk in &chunks {
                proptest::prop_assert_eq!(chunk.range.start, at);
                proptest::prop_assert!(text.is_char_boundary(chunk.range.end));
                at = chunk.range.end;
            }
            proptest::prop_assert_eq!(at, text.len());
        }
    }

    #[test]
    fn only_a_plain_single_label_names_a_connection() {
        let heads: Vec<Head> = [
            "connection \"a\" {}\n",
            "connection a {}\n",
            "connection \"a\" \"b\" {}\n",
            "connection \"a$${b}\" {}\n",
            "connectionx \"a\" {}\n",
            "connectioné \"a\" {}\n",
            "variable{}\n",
        ]
        .iter()
        .map(|text| split(text).remove(0).head)
        .collect();
        assert_eq!(
            heads,
            vec![
                Head::Connection("a".into()),
                Head::Unknown,
                Head::Unknown,
                Head::Unknown,
                Head::Other,
                Head::Other,
                Head::Variable,
            ]
        );
    }
}
