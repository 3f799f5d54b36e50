//! Text that oktaform did not write (labels of a config, answers of an org) made safe to
//! show: no control character reaches a terminal or starts a line of its own, and a
//! server's text is short and holds no secret.
//!
//! Control characters are C0 (U+0000 to U+001F), DEL, C1 (U+0080 to U+009F) and the
//! bidirectional overrides and isolates that reorder what a reviewer reads.

use std::borrow::Cow;
use std::fmt::Write as _;

/// What every masked value is shown as: one length, so that a secret's length is not shown.
pub const MASK: &str = "********";

/// The longest text of a server that is shown, in characters.
pub const SERVER_TEXT_LIMIT: usize = 300;

fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` as one line: every control character, line breaks and tabs too, as `\u{..}`.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// `text` with its line breaks kept and every other control character as `\u{..}`.
pub fn lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c) && !keep(c) {
            let _ = write!(escaped, "\\u{{{:x}}}", u32::from(c));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// `text` with every control character but line breaks and tabs replaced by as many `?` as
/// it has bytes, so that byte offsets into the text stay valid (an excerpt of a file).
pub fn same_length(text: &str) -> Cow<'_, str> {
    let keep = |c: char, next: Option<char>| c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'));
    let mut chars = text.chars().peekable();
    let mut changed = false;
    while let Some(c) = chars.next() {
        if is_control(c) && !keep(c, chars.peek().copied()) {
            changed = true;
            break;
        }
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_control(c) && !keep(c, chars.peek().copied()) {
            safe.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

/// A text an org sent (an `errorSummary`, a header) as oktaform shows it: one line, every
/// known secret masked, at most [`SERVER_TEXT_LIMIT`] characters.
pub fn from_server(text: &str, secrets: &[&str]) -> String {
    let mut masked = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 8) {
        masked = masked.replace(secret, MASK);
    }
    let line = one_line(&masked);
    match line.char_indices().nth(SERVER_TEXT_LIMIT) {
        Some((end, _)) => format!("{}... ({} characters in all)", &line[..end], line.chars().count()),
        None => line.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_plain_text_is_borrowed() {
        assert!(matches!(one_line("acme prod"), Cow::Borrowed(_)));
        assert_eq!(one_line("a\n::error file=x::b"), "a\\u{a}::error file=x::b");
        assert_eq!(one_line("\u{1b}]0;title\u{7}"), "\\u{1b}]0;title\\u{7}");
        assert_eq!(lines("one\ntwo\u{1b}[2J"), "one\ntwo\\u{1b}[2J");
        assert_eq!(one_line("\u{202e}abc\u{9b}"), "\\u{202e}abc\\u{9b}");
    }

    #[test]
    fn same_length_keeps_offsets() {
        let text = "a = \"\u{1b}[31m\u{9b}\"\r\nb\rc\n";
        let safe = same_length(text);
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "a = \"?[31m??\"\r\nb?c\n");
    }

    #[test]
    fn server_text_is_one_short_line_without_secrets() {
        assert_eq!(
            from_server("Invalid token 00abcdefgh\u{1b}[2J\nprovided", &["00abcdefgh"]),
            "Invalid token ********\\u{1b}[2J\\u{a}provided"
        );
        let long = "x".repeat(1000);
        assert_eq!(
            from_server(&long, &[]),
            format!("{}... (1000 characters in all)", "x".repeat(SERVER_TEXT_LIMIT))
        );
    }
}
