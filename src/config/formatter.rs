//! Canonical formatting of HCL text, comments kept: two-space indentation by nesting,
//! `=` of consecutive attributes aligned, canonical spacing inside a line (`{ a = "x", b = 1 }`,
//! `env("X", "d")`, `["a", "b"]`), no trailing whitespace, at most one blank line in a row,
//! one newline at the end. Heredocs and block comments are left as written.
//!
//! The result is checked to mean exactly what the input meant; formatting never changes a
//! config.

use std::fmt::Write as _;

/// Why a text could not be formatted.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("invalid HCL: {message}")]
    Syntax { message: String, offset: usize },
    #[error("formatting would change the meaning of the file; it was left as it is")]
    Unstable,
}

/// The canonical form of `text`.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let syntax = |error: hcl::edit::parser::Error| FormatError::Syntax {
        message: error.message().to_owned(),
        offset: error.location().offset(),
    };
    hcl::edit::parser::parse_body(text).map_err(syntax)?;
    let formatted = align(&indent(text));
    let before = hcl::parse(text).map_err(|_| FormatError::Unstable)?;
    let after = hcl::parse(&formatted).map_err(|_| FormatError::Unstable)?;
    if before != after {
        return Err(FormatError::Unstable);
    }
    Ok(formatted)
}

/// A line after indentation: its nesting depth and text, or verbatim text.
enum Line {
    Code { depth: usize, text: String },
    Verbatim(String),
}

fn indent(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut depth: usize = 0;
    let mut heredoc: Option<String> = None;
    let mut in_comment = false;
    let mut blank_run = 0;
    for raw in text.lines() {
        if let Some(delimiter) = &heredoc {
            if raw.trim() == delimiter {
                heredoc = None;
            }
            lines.push(Line::Verbatim(raw.to_owned()));
            continue;
        }
        if in_comment {
            let scan = scan(raw, true);
            in_comment = scan.in_comment;
            lines.push(Line::Verbatim(raw.trim_end().to_owned()));
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            blank_run += 1;
            if blank_run == 1 && !lines.is_empty() {
                lines.push(Line::Code {
                    depth,
                    text: String::new(),
                });
            }
            continue;
        }
        blank_run = 0;
        let scan = scan(trimmed, false);
        let line_depth = depth.saturating_sub(scan.leading_closers);
        let text = if scan.heredoc.is_some() || trimmed.contains("/*") {
            trimmed.to_owned()
        } else {
            respace(trimmed)
        };
        lines.push(Line::Code {
            depth: line_depth,
            text,
        });
        depth = depth.saturating_add_signed(scan.balance);
        in_comment = scan.in_comment;
        heredoc = scan.heredoc;
    }
    while matches!(lines.last(), Some(Line::Code { text, .. }) if text.is_empty()) {
        lines.pop();
    }
    lines
}

struct Scan {
    balance: isize,
    leading_closers: usize,
    in_comment: bool,
    heredoc: Option<String>,
}

/// Bracket balance of one line, ignoring strings and comments.
fn scan(line: &str, mut in_comment: bool) -> Scan {
    let chars: Vec<char> = line.chars().collect();
    let mut balance = 0;
    let mut leading_closers = 0;
    let mut leading = true;
    let mut in_string = false;
    let mut heredoc = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_comment {
            if c == '*' && next == Some('/') {
                in_comment = false;
                i += 1;
            }
        } else if in_string {
            match c {
                '\\' => i += 1,
                '"' => in_string = false,
                _ => {}
            }
        } else {
            match (c, next) {
                ('"', _) => in_string = true,
                ('#', _) | ('/', Some('/')) => break,
                ('/', Some('*')) => {
                    in_comment = true;
                    i += 1;
                }
                ('<', Some('<')) => {
                    let rest: String = chars[i + 2..].iter().collect();
                    let name: String = rest
                        .trim_start_matches('-')
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        heredoc = Some(name);
                        break;
                    }
                }
                ('{' | '[' | '(', _) => balance += 1,
                ('}' | ']' | ')', _) => {
                    balance -= 1;
                    if leading {
                        leading_closers += 1;
                    }
                }
                _ => {}
            }
        }
        if !matches!(c, '}' | ']' | ')' | ' ' | '\t') {
            leading = false;
        }
        i += 1;
    }
    Scan {
        balance,
        leading_closers,
        in_comment,
        heredoc,
    }
}

/// One line with canonical spacing between tokens: one space after `,` and around `=` and
/// `:`, none inside `(` `)` and `[` `]`, one inside a `{ }` that opens and closes on the
/// line. Strings and comments are kept as written.
/// The index of the first character at or after `i` that is not a space or a tab.
fn skip_blanks(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && matches!(chars[i], ' ' | '\t') {
        i += 1;
    }
    i
}

fn respace(line: &str) -> String {
    let (code, comment) = match comment_start(line) {
        Some(start) => (&line[..start], Some(&line[start..])),
        None => (line, None),
    };
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(line.len());
    // For each `{` still open on this line, whether it closes on this line too.
    let mut braces: Vec<bool> = Vec::new();
    let mut i = 0;
    let push_space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with([' ', '(', '[']) {
            out.push(' ');
        }
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let end = string_end(&chars, i);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            ' ' | '\t' => {
                let next = chars[i..].iter().find(|c| !matches!(c, ' ' | '\t')).copied();
                if !matches!(next, Some(',' | ')' | ']' | '=' | ':') | None)
                    && !out.ends_with(['(', '[', ' '])
                    && !out.is_empty()
                {
                    out.push(' ');
                }
            }
            ',' => {
                out.truncate(out.trim_end().len());
                out.push(',');
                if chars[i + 1..].iter().any(|c| !c.is_whitespace()) {
                    out.push(' ');
                }
                i = skip_blanks(&chars, i + 1);
                continue;
            }
            '=' | ':'
                if !matches!(chars.get(i + 1), Some('='))
                    && !matches!(out.chars().last(), Some('=' | '!' | '<' | '>')) =>
            {
                out.truncate(out.trim_end().len());
                push_space(&mut out);
                out.push(c);
                out.push(' ');
                i = skip_blanks(&chars, i + 1);
                continue;
            }
            '(' | '[' => {
                out.push(c);
                i = skip_blanks(&chars, i + 1);
                continue;
            }
            ')' | ']' => {
                out.truncate(out.trim_end().len());
                out.push(c);
            }
            '{' => {
                let closes = closes_on_line(&chars, i);
                braces.push(closes);
                out.push('{');
                let inner_empty = chars[i + 1..].iter().find(|c| !c.is_whitespace()) == Some(&'}');
                if closes && !inner_empty {
                    out.push(' ');
                }
                i = if closes { skip_blanks(&chars, i + 1) } else { i + 1 };
                continue;
            }
            '}' => {
                if braces.pop() == Some(true) {
                    out.truncate(out.trim_end().len());
                    if !out.ends_with('{') {
                        out.push(' ');
                    }
                }
                out.push('}');
            }
            _ => out.push(c),
        }
        i += 1;
    }
    let mut out = out.trim_end().to_owned();
    if let Some(comment) = comment {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(comment.trim_end());
    }
    out
}

/// The index after the string literal whose opening quote is at `quote` (interpolations may
/// hold strings of their own).
fn string_end(chars: &[char], quote: usize) -> usize {
    let mut depth = 0usize;
    let mut i = quote + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '$' | '%' if chars.get(i + 1) == Some(&'{') => {
                depth += 1;
                i += 1;
            }
            '}' if depth > 0 => depth -= 1,
            '"' if depth == 0 => return i + 1,
            '"' => i = string_end(chars, i) - 1,
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Whether the `{` at `open` closes on the same line.
fn closes_on_line(chars: &[char], open: usize) -> bool {
    let mut depth = 0usize;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                i = string_end(chars, i);
                continue;
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The key of an attribute line (`key = value`), if it is one.
fn attribute_key(text: &str) -> Option<(&str, &str)> {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    if end == 0 {
        return None;
    }
    let rest = text[end..].trim_start();
    let value = rest.strip_prefix('=')?;
    if value.starts_with('=') {
        return None;
    }
    Some((&text[..end], value.trim_start()))
}

/// `value   # comment` -> `value # comment`.
fn tidy_comment(value: &str) -> String {
    match comment_start(value) {
        Some(start) if start > 0 => format!("{} {}", value[..start].trim_end(), &value[start..]),
        _ => value.to_owned(),
    }
}

/// Byte index where a `#` or `//` comment starts, outside strings.
fn comment_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], in_string) {
            (b'\\', true) => i += 1,
            (b'"', _) => in_string = !in_string,
            (b'#', false) => return Some(i),
            (b'/', false) if bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn align(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        match &lines[i] {
            Line::Verbatim(text) => {
                out.push_str(text);
                out.push('\n');
                i += 1;
            }
            Line::Code { depth, text } => {
                let group_end = (i..lines.len())
                    .take_while(|&j| matches!(&lines[j], Line::Code { depth: d, text: t } if d == depth && attribute_key(t).is_some()))
                    .last()
                    .map_or(i, |j| j + 1);
                if group_end > i {
                    let width = lines[i..group_end]
                        .iter()
                        .filter_map(|l| match l {
                            Line::Code { text, .. } => attribute_key(text).map(|(k, _)| k.chars().count()),
                            Line::Verbatim(_) => None,
                        })
                        .max()
                        .unwrap_or(0);
                    for line in &lines[i..group_end] {
                        if let Line::Code { depth, text } = line
                            && let Some((key, value)) = attribute_key(text)
                        {
                            let _ = writeln!(out, "{}{key:width$} = {}", "  ".repeat(*depth), tidy_comment(value));
                        }
                    }
                    i = group_end;
                } else {
                    if text.is_empty() {
                        out.push('\n');
                    } else {
                        let _ = writeln!(out, "{}{text}", "  ".repeat(*depth));
                    }
                    i += 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format_source;

    #[test]
    fn formats_and_keeps_comments() {
        let input = "# top comment\nconnection \"prod\" {\ndomain=\"acme.okta.com\" # trailing\n    client_id   =  \"0oa1\"\n\n\n\n  management {\n api_token = env(\"T\")\n }\n}\n\n\n";
        let expected = "# top comment\nconnection \"prod\" {\n  domain    = \"acme.okta.com\" # trailing\n  client_id = \"0oa1\"\n\n  management {\n    api_token = env(\"T\")\n  }\n}\n";
        assert_eq!(format_source(input).unwrap(), expected);
        assert_eq!(format_source(expected).unwrap(), expected);
    }

    #[test]
    fn lists_maps_and_heredocs() {
        let input = "log_query \"q\" {\nmatch = {\neventType = \"a\"\n\"outcome.result\" = \"b\"\n}\nfilter = <<EOF\n  keep   this\nEOF\ngrant = [\n\"x\", # c\n\"y\",\n]\n}\n";
        let out = format_source(input).unwrap();
        assert_eq!(
            out,
            "log_query \"q\" {\n  match = {\n    eventType = \"a\"\n    \"outcome.result\" = \"b\"\n  }\n  filter = <<EOF\n  keep   this\nEOF\n  grant = [\n    \"x\", # c\n    \"y\",\n  ]\n}\n"
        );
        assert_eq!(format_source(&out).unwrap(), out);
    }

    #[test]
    fn strings_with_brackets_do_not_change_indentation() {
        let input = "a {\nb = \"{[(\"\nc = \"x # not a comment\"\n}\n";
        assert_eq!(
            format_source(input).unwrap(),
            "a {\n  b = \"{[(\"\n  c = \"x # not a comment\"\n}\n"
        );
    }

    #[test]
    fn spacing_inside_a_line_is_canonical() {
        let input = "a {\nm={x=\"1\",\"y.z\"  =  \"2\"}\nt=env( \"X\" ,\"d\" )\ng=[ \"a\" ,\"b\" ]\ne = {}\nf = \"a = b , c\" # x ,y\nblock {\n}\n}\n";
        let expected = "a {\n  m = { x = \"1\", \"y.z\" = \"2\" }\n  t = env(\"X\", \"d\")\n  g = [\"a\", \"b\"]\n  e = {}\n  f = \"a = b , c\" # x ,y\n  block {\n  }\n}\n";
        assert_eq!(format_source(input).unwrap(), expected);
        assert_eq!(format_source(expected).unwrap(), expected);
    }

    #[test]
    fn invalid_hcl_is_an_error() {
        assert!(format_source("a {\n b = \n}").is_err());
    }
}
