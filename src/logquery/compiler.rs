//! From the fields of a "Search System Log" card to the API's `q` and `filter`.
//!
//! `q` is the keywords as written. The filter is the `match` pairs sorted by key as
//! `key eq "value"` joined by ` and `, then ` and (<custom>)` when there is a custom filter
//! too; the custom filter alone when there are no pairs. The parentheses keep a custom `or`
//! from escaping the `and` chain.

use crate::model::Fields;

/// The API parameters of a query; `None` means the parameter is not sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CompiledQuery {
    pub q: Option<String>,
    pub filter: Option<String>,
}

/// Compiles the keyword field, the predefined `match` pairs and the custom filter.
pub fn compile(keyword: Option<&str>, matches: &Fields, custom: Option<&str>) -> CompiledQuery {
    let q = keyword.filter(|k| !k.trim().is_empty()).map(str::to_owned);
    let custom = custom.map(str::trim).filter(|c| !c.is_empty());
    let mut pairs = String::new();
    for (key, value) in matches.iter() {
        if !pairs.is_empty() {
            pairs.push_str(" and ");
        }
        pairs.push_str(key);
        pairs.push_str(" eq ");
        // A JSON string is the filter language's string literal, escapes and all.
        pairs.push_str(&serde_json::Value::String(value.to_owned()).to_string());
    }
    let filter = match (pairs.is_empty(), custom) {
        (true, None) => None,
        (true, Some(custom)) => Some(custom.to_owned()),
        (false, None) => Some(pairs),
        (false, Some(custom)) => Some(format!("{pairs} and ({custom})")),
    };
    CompiledQuery { q, filter }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logquery::filter::parse;

    fn pairs(list: &[(&str, &str)]) -> Fields {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn compiler_cases() {
        /// keyword, match pairs, custom filter -> expected q, expected filter.
        type Case<'a> = (
            Option<&'a str>,
            &'a [(&'a str, &'a str)],
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
        );
        let cases: &[Case<'_>] = &[
            (None, &[], None, None, None),
            (Some("admin"), &[], None, Some("admin"), None),
            (Some("  "), &[], None, None, None),
            (
                None,
                &[("eventType", "user.session.start")],
                None,
                None,
                Some(r#"eventType eq "user.session.start""#),
            ),
            (
                None,
                &[("outcome.result", "FAILURE"), ("eventType", "user.session.start")],
                None,
                None,
                Some(r#"eventType eq "user.session.start" and outcome.result eq "FAILURE""#),
            ),
            (
                None,
                &[],
                Some(r#"actor.id ne "00u1""#),
                None,
                Some(r#"actor.id ne "00u1""#),
            ),
            (
                Some("San Francisco"),
                &[("eventType", "user.session.start")],
                Some(r#"outcome.result eq "FAILURE" or outcome.result eq "DENY""#),
                Some("San Francisco"),
                Some(
                    r#"eventType eq "user.session.start" and (outcome.result eq "FAILURE" or outcome.result eq "DENY")"#,
                ),
            ),
            (
                None,
                &[("actor.alternateId", "a\"b")],
                Some("  target.id pr "),
                None,
                Some(r#"actor.alternateId eq "a\"b" and (target.id pr)"#),
            ),
        ];
        for (keyword, match_pairs, custom, q, filter) in cases {
            let compiled = compile(*keyword, &pairs(match_pairs), *custom);
            assert_eq!(compiled.q.as_deref(), *q, "{keyword:?} {match_pairs:?} {custom:?}");
            assert_eq!(
                compiled.filter.as_deref(),
                *filter,
                "{keyword:?} {match_pairs:?} {custom:?}"
            );
            if let Some(filter) = &compiled.filter {
                parse(filter).expect("a compiled filter parses");
            }
        }
    }

    #[test]
    fn custom_or_keeps_its_meaning_next_to_pairs() {
        let compiled = compile(None, &pairs(&[("eventType", "e")]), Some(r#"a eq "1" or b eq "2""#));
        let tree = parse(compiled.filter.as_deref().unwrap()).unwrap();
        assert!(matches!(tree, crate::logquery::filter::Expr::And(ref operands, _) if operands.len() == 2));
    }
}
