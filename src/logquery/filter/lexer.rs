//! Splits a filter into tokens with byte spans.

use super::FilterError;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind<'t> {
    /// An attribute path, operator, `and`/`or`/`not` or `true`/`false`.
    Word(&'t str),
    /// A JSON string literal, decoded.
    String(String),
    Number(&'t str),
    LeftParen,
    RightParen,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token<'t> {
    pub kind: TokenKind<'t>,
    pub span: Range<usize>,
}

pub fn tokenize(text: &str) -> Result<Vec<Token<'_>>, FilterError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let start = i;
        let kind = match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => {
                i += 1;
                TokenKind::LeftParen
            }
            b')' => {
                i += 1;
                TokenKind::RightParen
            }
            b'"' => {
                let (value, end) = string(text, i)?;
                i = end;
                TokenKind::String(value)
            }
            b'-' | b'0'..=b'9' => {
                i = number_end(bytes, i);
                let raw = &text[start..i];
                if raw.parse::<f64>().is_err() {
                    return Err(FilterError::new(format!("`{raw}` is not a number"), start..i));
                }
                TokenKind::Number(raw)
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'.' | b'-')) {
                    i += 1;
                }
                TokenKind::Word(&text[start..i])
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or_default();
                let end = i + ch.len_utf8();
                // Operators of other languages, with the word the System Log uses.
                let symbolic = [
                    ("==", "eq"),
                    ("!=", "ne"),
                    (">=", "ge"),
                    ("<=", "le"),
                    ("&&", "and"),
                    ("||", "or"),
                    ("=", "eq"),
                    (">", "gt"),
                    ("<", "lt"),
                    ("!", "not"),
                ];
                if let Some((symbol, word)) = symbolic.iter().find(|(symbol, _)| text[i..].starts_with(symbol)) {
                    return Err(FilterError::new(
                        format!("`{symbol}` is not an operator of System Log filters"),
                        start..i + symbol.len(),
                    )
                    .help(format!(
                        "write `{word}`: operators are words (`eq ne gt ge lt le pr sw ew co`, `and or not`)"
                    )));
                }
                let mut error = FilterError::new(format!("unexpected character `{ch}`"), start..end);
                if ch == '\'' {
                    error = error.help("string literals use double quotes: \"value\"");
                }
                return Err(error);
            }
        };
        tokens.push(Token { kind, span: start..i });
    }
    Ok(tokens)
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b'e' | b'E' | b'+' | b'-')) {
        i += 1;
    }
    i
}

/// Decodes the JSON string starting at `start` (a `"`); returns it and the index after it.
fn string(text: &str, start: usize) -> Result<(String, usize), FilterError> {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices().map(|(i, c)| (i + start + 1, c));
    while let Some((i, ch)) = chars.next() {
        match ch {
            '"' => return Ok((value, i + 1)),
            '\\' => {
                let Some((j, escape)) = chars.next() else {
                    break;
                };
                let decoded = match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hex: String = text.get(j + 1..j + 5).unwrap_or_default().to_owned();
                        let code = u32::from_str_radix(&hex, 16)
                            .ok()
                            .filter(|_| hex.len() == 4)
                            .and_then(char::from_u32)
                            .ok_or_else(|| {
                                FilterError::new(
                                    "invalid `\\u` escape: four hex digits expected",
                                    i..(j + 1 + hex.len()).min(text.len()),
                                )
                            })?;
                        for _ in 0..4 {
                            chars.next();
                        }
                        code
                    }
                    other => {
                        return Err(FilterError::new(
                            format!("invalid escape `\\{other}` in string"),
                            i..j + other.len_utf8(),
                        )
                        .help("JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"));
                    }
                };
                value.push(decoded);
            }
            control if u32::from(control) < 0x20 => {
                return Err(FilterError::new("control character in string; escape it", i..i + 1));
            }
            other => value.push(other),
        }
    }
    Err(FilterError::new("unterminated string", start..text.len()).help("close the string with `\"`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_exact_spans() {
        let tokens = tokenize(r#"a.b eq "x\"y" and (n gt -1.5)"#).unwrap();
        let spans: Vec<_> = tokens.iter().map(|t| t.span.clone()).collect();
        assert_eq!(
            spans,
            vec![0..3, 4..6, 7..13, 14..17, 18..19, 19..20, 21..23, 24..28, 28..29]
        );
        assert_eq!(tokens[2].kind, TokenKind::String("x\"y".into()));
    }

    #[test]
    fn bad_escapes_point_at_the_escape() {
        let error = tokenize(r#"a eq "x\qy""#).unwrap_err();
        assert_eq!(error.span, 7..9);
        let error = tokenize(r#"a eq "x\u12""#).unwrap_err();
        assert_eq!(error.span.start, 7);
        let error = tokenize(r#"a eq "open"#).unwrap_err();
        assert_eq!(error.span, 5..10);
    }
}
