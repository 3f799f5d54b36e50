//! Mapping from a decoded HCL string literal back to its source text, so that a problem at
//! byte `i` of the value (a filter operator, say) is shown at the right place in the file,
//! escapes accounted for.

/// For a quoted literal as written (`"a\"b"`), the source offset (relative to the opening
/// quote) of every byte of the decoded value, plus one entry for its end.
pub fn literal_offsets(raw: &str) -> Option<Vec<usize>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut offsets = Vec::with_capacity(inner.len() + 1);
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i + 1;
        let (decoded_len, raw_len) = match bytes[i] {
            b'\\' => {
                let escape = *bytes.get(i + 1)?;
                match escape {
                    b'n' | b'r' | b't' | b'"' | b'\\' => (1, 2),
                    b'u' | b'U' => {
                        let digits = if escape == b'u' { 4 } else { 8 };
                        let hex = inner.get(i + 2..i + 2 + digits)?;
                        let ch = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                        (ch.len_utf8(), 2 + digits)
                    }
                    _ => return None,
                }
            }
            b'$' | b'%' if bytes.get(i + 1) == Some(&bytes[i]) && bytes.get(i + 2) == Some(&b'{') => (2, 3),
            _ => {
                let ch = inner[i..].chars().next()?;
                (ch.len_utf8(), ch.len_utf8())
            }
        };
        for _ in 0..decoded_len {
            offsets.push(start);
        }
        i += raw_len;
    }
    offsets.push(inner.len() + 1);
    Some(offsets)
}

#[cfg(test)]
mod tests {
    use super::literal_offsets;

    #[test]
    fn offsets_skip_escapes() {
        // "a\"b" decodes to a"b: a at 1, " at 2 (the backslash), b at 4, end at 5.
        assert_eq!(literal_offsets(r#""a\"b""#), Some(vec![1, 2, 4, 5]));
        assert_eq!(literal_offsets(r#""\u00e9x""#), Some(vec![1, 1, 7, 8]));
        assert_eq!(literal_offsets(r#""$${x}""#), Some(vec![1, 1, 4, 5, 6]));
        assert_eq!(literal_offsets("\"é\""), Some(vec![1, 1, 3]));
        assert_eq!(literal_offsets("not quoted"), None);
    }
}
