//! Finds sensitive values in raw HCL text by the name of the attribute that holds them, so
//! that they can be masked in every excerpt, also in files that do not parse. Only values
//! written literally are masked (a string, the strings of a list or object, a heredoc);
//! `env("...")`, `file("...")` and `var.x` show where a secret comes from, not the secret.

use std::ops::Range;

pub use crate::text::MASK;

/// Attributes whose values are secrets: those the config language declares so.
pub fn sensitive_attributes() -> &'static [&'static str] {
    crate::catalog::language::secret_attributes()
}

/// Byte ranges of the literal values of the attributes `names` in `text`.
pub fn sensitive_ranges(text: &str, names: &[&str]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    // Only lines with a `=` can assign: from one to the next.
    let mut from = 0;
    while let Some(at) = text[from..].find('=').map(|i| from + i) {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        for value in attribute_values(text, line_start, line_end, names) {
            mask_value(text, value, line_end, &mut ranges);
        }
        from = (line_end + 1).min(text.len());
    }
    ranges
}

/// Variables whose values are secrets, found in raw config text (also of files that do not
/// parse): declared with `sensitive = true`, or used in a sensitive attribute.
pub fn sensitive_variables(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    // Both a `variable` block and a `var.` reference spell `var`: without it, line by line
    // would find nothing.
    if !text.contains("var") {
        return names;
    }
    let mut current: Option<String> = None;
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim();
        if let Some(rest) = line.strip_prefix("variable") {
            current = rest
                .trim_start()
                .strip_prefix('"')
                .and_then(|r| r.split_once('"'))
                .map(|(name, _)| name.to_owned());
        } else if line.starts_with('}') && text[line_start..].starts_with('}') {
            current = None;
        }
        if let Some(name) = &current
            && is_sensitive_true(line)
        {
            names.insert(name.clone());
        }
        // Only a line that names a variable can pass one into a sensitive attribute.
        let values = if line.contains("var.") {
            attribute_values(text, line_start, line_end, sensitive_attributes())
        } else {
            Vec::new()
        };
        for value in values {
            let mut rest = &text[value..line_end];
            while let Some(at) = rest.find("var.") {
                let name: String = rest[at + 4..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                rest = &rest[at + 4 + name.len()..];
                names.insert(name);
            }
        }
        line_start = line_end + 1;
    }
    names
}

/// Whether a trimmed line is `sensitive = true`, whitespace aside.
fn is_sensitive_true(line: &str) -> bool {
    line.strip_prefix("sensitive")
        .and_then(|rest| rest.trim_start().strip_prefix('='))
        .is_some_and(|rest| rest.trim_start() == "true")
}

/// Whether an attribute named `name` holds a secret: one of `names`, or a misspelling of
/// one (`client_secert`), whose value is a secret all the same.
fn is_sensitive_name(name: &str, names: &[&str]) -> bool {
    names.iter().any(|sensitive| {
        let limit = (sensitive.len() / 4).clamp(1, 2);
        name == *sensitive
            || (name.len().abs_diff(sensitive.len()) <= limit
                && letters_apart(name, sensitive) <= limit
                && bag_distance(name, sensitive) <= limit
                && strsim::damerau_levenshtein(name, sensitive) <= limit)
    })
}

/// A lower bound of the edit distance, cheaper still than [`bag_distance`]: the larger
/// number of distinct letters (of ASCII) one name has and the other lacks. An edit brings
/// in or removes at most one letter.
fn letters_apart(a: &str, b: &str) -> usize {
    let set = |name: &str| {
        name.bytes()
            .filter(u8::is_ascii)
            .fold(0u128, |set, byte| set | (1u128 << byte))
    };
    let (a, b) = (set(a), set(b));
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

/// A lower bound of the edit distance, cheap to compute: the larger count of bytes one
/// string has and the other lacks. An edit changes each count by at most one and a
/// transposition changes neither, so most names are told apart without the full distance.
fn bag_distance(a: &str, b: &str) -> usize {
    // Counted in bytes, which are letters only in ASCII.
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i32; 256];
    for byte in a.bytes() {
        counts[usize::from(byte)] += 1;
    }
    for byte in b.bytes() {
        counts[usize::from(byte)] -= 1;
    }
    let (mut surplus, mut lack) = (0, 0);
    for byte in a.bytes().chain(b.bytes()) {
        let count = std::mem::take(&mut counts[usize::from(byte)]);
        if count > 0 {
            surplus += count;
        } else {
            lack -= count;
        }
    }
    usize::try_from(surplus.max(lack)).unwrap_or(usize::MAX)
}

/// Where the values of `name = value` start on the line, for every attribute of `names`
/// it assigns (several on a line such as `management { api_token = "..." }`). Found from
/// each `=`: most lines have one or none, and most words are not followed by one.
fn attribute_values(text: &str, start: usize, end: usize, names: &[&str]) -> Vec<usize> {
    let line = &text[start..end];
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut values = Vec::new();
    let mut equals = line.match_indices('=').map(|(at, _)| at).peekable();
    while let Some(at) = equals.next() {
        // `==` compares; it assigns nothing.
        if line[at + 1..].starts_with('=') {
            equals.next();
            continue;
        }
        let key = line[..at].trim_end();
        let before = key.trim_end_matches(is_ident);
        let ident = &key[before.len()..];
        // The name starts with a letter, after anything but a name, a `.` or a `"`.
        let starts_well = ident.starts_with(|c: char| c.is_ascii_alphabetic()) && !before.ends_with(['.', '"']);
        if !starts_well || !is_sensitive_name(ident, names) {
            continue;
        }
        let value = line[at + 1..].trim_start();
        values.push(end - value.len());
    }
    values
}

/// Masks the literal strings of the value starting at `at` (on a line ending at
/// `line_end`), or a bare literal such as a number.
fn mask_value(text: &str, at: usize, line_end: usize, ranges: &mut Vec<Range<usize>>) {
    let rest = &text[at..];
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
        let len = text[at..line_end]
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
            .unwrap_or(line_end - at);
        ranges.push(at..at + len);
    } else if rest.starts_with('"') {
        ranges.push(string_contents(text, at));
    } else if let Some(marker) = rest.strip_prefix("<<") {
        let marker = marker.strip_prefix('-').unwrap_or(marker);
        let name: String = marker
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let Some(body_start) = text[at..].find('\n').map(|i| at + i + 1) else {
            return;
        };
        let mut end = body_start;
        let mut line_start = body_start;
        while line_start < text.len() {
            let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
            if !name.is_empty() && text[line_start..line_end].trim() == name {
                break;
            }
            end = line_end;
            line_start = line_end + 1;
        }
        if end > body_start {
            ranges.push(body_start..end);
        }
    } else if rest.starts_with('[') || rest.starts_with('{') {
        let mut depth = 0usize;
        let mut i = at;
        while i < text.len() {
            match text.as_bytes()[i] {
                b'"' => {
                    let contents = string_contents(text, i);
                    i = contents.end;
                    ranges.push(contents);
                }
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// The contents of the string literal whose opening quote is at `quote`: up to the closing
/// quote, or to the end of the line when it is not closed.
fn string_contents(text: &str, quote: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let start = quote + 1;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => break,
            _ => i += 1,
        }
    }
    start..i.min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::{sensitive_attributes, sensitive_ranges};

    fn masked(text: &str) -> Vec<&str> {
        sensitive_ranges(text, sensitive_attributes())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    /// The first way of finding values: from every word that starts a name. Slower, and
    /// plainly right; the fast way must agree with it.
    fn values_from_every_word(line: &str, names: &[&str]) -> Vec<usize> {
        let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        let mut values = Vec::new();
        let mut previous: Option<char> = None;
        for (at, c) in line.char_indices() {
            let starts_ident =
                c.is_ascii_alphabetic() && !previous.is_some_and(|p| is_ident(p) || p == '.' || p == '"');
            previous = Some(c);
            if !starts_ident {
                continue;
            }
            let rest = &line[at..];
            let ident_len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
            if !super::is_sensitive_name(&rest[..ident_len], names) {
                continue;
            }
            let after = rest[ident_len..].trim_start();
            let Some(after) = after.strip_prefix('=').filter(|a| !a.starts_with('=')) else {
                continue;
            };
            values.push(line.len() - after.trim_start().len());
        }
        values
    }

    proptest::proptest! {
        #[test]
        fn values_are_found_from_each_equals_sign_as_from_every_word(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "api_token", "client_secret", "client_secert", "private_key", "x.api_token", "\"api_token\"",
                    "_api_token", "9api_token", "domain", "=", "==", "!=", "<=", " ", "  ", "\"v\"", "{", "}", "é", "-",
                ]),
                0..12,
            )
        ) {
            let line: String = words.concat();
            proptest::prop_assert_eq!(
                super::attribute_values(&line, 0, line.len(), super::sensitive_attributes()),
                values_from_every_word(&line, super::sensitive_attributes())
            );
        }

        #[test]
        fn the_cheap_bounds_never_exceed_the_edit_distance(a in "[a-z_é]{0,14}", b in "[a-z_é]{0,14}") {
            let distance = strsim::damerau_levenshtein(&a, &b);
            proptest::prop_assert!(super::bag_distance(&a, &b) <= distance);
            proptest::prop_assert!(super::letters_apart(&a, &b) <= distance);
        }
    }

    #[test]
    fn sensitive_variables_are_found_in_raw_text() {
        let text = "variable \"a\" {\n  sensitive = true\n}\nvariable \"b\" {\n  default = \"x\"\n}\nconnection \"c\" {\n  client_secret = \"${var.c}\"\n  api_token = var.d\n  domain = var.e\n";
        let names: Vec<String> = super::sensitive_variables(text).into_iter().collect();
        assert_eq!(names, ["a", "c", "d"]);
    }

    #[test]
    fn literal_values_are_found_by_attribute_name() {
        assert_eq!(masked("  client_secret = \"abc\\\"d\"\n"), ["abc\\\"d"]);
        assert_eq!(masked("client_secret = \"SuperSecret\nnext = 1\n"), ["SuperSecret"]);
        assert_eq!(masked("client_secret = [\"a\", \"b\"]\n"), ["a", "b"]);
        assert_eq!(
            masked("api_token = <<EOT\nline one\nline two\nEOT\n"),
            ["line one\nline two"]
        );
        assert_eq!(masked("private_key=\"k\""), ["k"]);
        assert_eq!(masked("client_secret = env(\"NAME\")\n"), Vec::<&str>::new());
        assert_eq!(masked("client_secret = var.secret\n"), Vec::<&str>::new());
        assert_eq!(
            masked("client_secret_hint = \"x\"\nsecret = \"y\"\n"),
            Vec::<&str>::new()
        );
        assert_eq!(masked("client_secret == \"x\"\n"), Vec::<&str>::new());
    }

    #[test]
    fn one_line_blocks_misspellings_and_numbers_are_masked() {
        assert_eq!(masked("management { api_token = \"tok123\" }\n"), ["tok123"]);
        assert_eq!(masked("  client_secert = \"s3cret\"\n"), ["s3cret"]);
        assert_eq!(masked("  client_secret = 12345678\n"), ["12345678"]);
        assert_eq!(masked("  x = 1, api_token = 987}\n"), ["987"]);
        assert_eq!(masked("  description = \"api_token = x\"\n"), Vec::<&str>::new());
    }
}
