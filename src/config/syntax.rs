//! Syntax errors worth reading. The HCL parser reports where it stopped, which is often not
//! where the mistake is: a string left open is noticed on the next line, a block left open
//! at the end of the file. This looks at the text around the parser's point and names the
//! mistake and its place: the string's opening quote, the block's header, the attribute
//! that lacks its `=`.

use crate::diagnostics::{Code, Diagnostic, FileId, Span};

/// Block types of the config, which are followed by labels and `{`, not by `=`.
const BLOCK_TYPES: &[&str] = &[
    "variable",
    "connection",
    "scopes",
    "log_query",
    "safety",
    "management",
    "oauth",
];

/// The diagnostic of a parse error at `offset` of `text`, whose parser message is `message`.
pub fn diagnose(file: FileId, text: &str, offset: usize, message: &str) -> Diagnostic {
    let offset = offset.min(text.len());
    let span = |range: std::ops::Range<usize>| Span::new(file, range);
    let found = Scan::new(text);
    if let Some(quote) = found.unterminated.filter(|q| *q <= offset) {
        return Diagnostic::new(Code::SyntaxUnterminatedString, "this string is not closed")
            .at(span(quote..quote + 1), "opened here, not closed on its line")
            .help(
                "close it with `\"` on the same line; for text over several lines, use a heredoc (`<<EOT` ... `EOT`)",
            );
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    // The parser may point at the end of the line that lacks the `=`.
    let line_start = if text[line_start..offset].trim().is_empty() && line_start > 0 {
        text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1)
    } else {
        line_start
    };
    let line = text[line_start..].lines().next().unwrap_or_default();
    let indent = line.len() - line.trim_start().len();
    let trimmed = line.trim_start();
    let ident_len = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(trimmed.len());
    let key = &trimmed[..ident_len];
    let after = trimmed[ident_len..].trim_start();
    let starts_value = after.starts_with(['"', '[', '{']) || after.starts_with(|c: char| c.is_ascii_digit());
    if ident_len > 0 && starts_value && !BLOCK_TYPES.contains(&key) && !after.starts_with('{') {
        let at = line_start + indent + ident_len;
        return Diagnostic::new(Code::SyntaxMissingEquals, format!("`{key}` is missing its `=`"))
            .at(span(at..at + 1), "expected `=` here")
            .help(format!("an attribute is written `{key} = value`"));
    }
    let rest_is_blank = text[offset..].trim().is_empty();
    if let Some(header) = found.unclosed.filter(|_| rest_is_blank || message.contains('}')) {
        let header_end = text[header..].find('{').map_or(header, |i| header + i);
        let name = text[header..header_end].trim();
        let end = text.trim_end().len();
        return Diagnostic::new(Code::SyntaxUnclosedBlock, format!("the block `{name}` is not closed"))
            .at(span(header..header + name.len().max(1)), "opened here")
            .also(span(end..end), "the file ends before its `}`")
            .help("add `}` where the block ends: every block opened with `{` needs one");
    }
    let len = text[offset..].chars().next().map_or(0, char::len_utf8);
    Diagnostic::new(Code::SyntaxInvalid, format!("invalid HCL: {message}")).at(span(offset..offset + len), "here")
}

/// What a quick pass over the text finds: the first string not closed on its line, and the
/// header of the outermost block still open at the end of the file.
struct Scan {
    unterminated: Option<usize>,
    unclosed: Option<usize>,
}

impl Scan {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut opened: Vec<usize> = Vec::new();
        let mut unterminated = None;
        let mut line_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_start = i + 1,
                b'#' => i = skip_to_line_end(bytes, i),
                b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_to_line_end(bytes, i),
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..].find("*/").map_or(bytes.len(), |at| i + 2 + at + 1);
                }
                b'<' if bytes.get(i + 1) == Some(&b'<') => i = skip_heredoc(text, i),
                b'"' => match string_end(bytes, i) {
                    Some(end) => i = end,
                    None => {
                        unterminated.get_or_insert(i);
                        i = skip_to_line_end(bytes, i);
                    }
                },
                b'{' => opened.push(line_start),
                b'}' => {
                    opened.pop();
                }
                _ => {}
            }
            i += 1;
        }
        Self {
            unterminated,
            unclosed: opened
                .first()
                .map(|line| line + (text[*line..].len() - text[*line..].trim_start().len())),
        }
    }
}

fn skip_to_line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |at| from + at - 1)
}

/// The closing quote of the string opened at `quote`, on the same line; interpolations
/// (`${ ... }`) may hold quotes of their own.
fn string_end(bytes: &[u8], quote: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\n' => return None,
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'"' if depth == 0 => return Some(i),
            b'"' => {
                i = string_end(bytes, i)?;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The last byte of the heredoc starting at `at` (`<<EOT` or `<<-EOT`), or `at + 1` when it
/// is not one.
fn skip_heredoc(text: &str, at: usize) -> usize {
    let marker = text[at + 2..].strip_prefix('-').unwrap_or(&text[at + 2..]);
    let name: String = marker
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        return at + 1;
    }
    let Some(body) = text[at..].find('\n').map(|i| at + i + 1) else {
        return text.len();
    };
    let mut line_start = body;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim() == name {
            return line_end.saturating_sub(1);
        }
        line_start = line_end + 1;
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::Scan;

    #[test]
    fn strings_comments_and_heredocs_do_not_count_as_braces() {
        let text = "a {\n  b = \"}\" # }\n  c = <<EOT\n}\nEOT\n  d = \"${x[\"k\"]}\"\n}\n";
        let found = Scan::new(text);
        assert_eq!((found.unterminated, found.unclosed), (None, None));
        let scan = Scan::new("x {\n  y {\n  }\n");
        assert_eq!(scan.unclosed, Some(0));
        let scan = Scan::new("x {\n  y = \"open\n}\n");
        assert_eq!(scan.unterminated, Some(10));
    }
}
