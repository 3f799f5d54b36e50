//! Canonical text of a filter: single spaces, lower-case operators, JSON strings and only
//! the parentheses that precedence needs (plus those after `not`).

use super::ast::{Comparison, Expr, Literal};
use std::fmt;

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Compare(comparison) => comparison.fmt(f),
            Expr::And(operands, _) => join(f, operands, " and ", |o| matches!(o, Expr::Or(..))),
            Expr::Or(operands, _) => join(f, operands, " or ", |_| false),
            Expr::Not(inner, _) => write!(f, "not ({inner})"),
        }
    }
}

fn join(
    f: &mut fmt::Formatter<'_>,
    operands: &[Expr],
    separator: &str,
    needs_parens: fn(&Expr) -> bool,
) -> fmt::Result {
    for (i, operand) in operands.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        if needs_parens(operand) {
            write!(f, "({operand})")?;
        } else {
            write!(f, "{operand}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.attribute, self.op.as_str())?;
        match &self.value {
            Some(value) => write!(f, " {value}"),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::String(s) => f.write_str(&serde_json::Value::String(s.clone()).to_string()),
            Literal::Number(n) => f.write_str(n),
            Literal::Bool(b) => write!(f, "{b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::Comparison;
    use super::super::{Expr, Literal, Loc, Op, parse};
    use proptest::prelude::*;

    #[test]
    fn prints_canonical_text() {
        let expr = parse(r#"(a EQ "x\u0041" OR b pr) AND NOT c sw "q\"r""#).unwrap();
        assert_eq!(expr.to_string(), r#"(a eq "xA" or b pr) and not (c sw "q\"r")"#);
    }

    fn attribute() -> impl Strategy<Value = String> {
        "[a-zA-Z_][a-zA-Z0-9_]{0,6}(\\.[a-zA-Z_][a-zA-Z0-9_]{0,6}){0,3}".prop_filter("not a keyword", |a| {
            !["and", "or", "not", "true", "false"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(a))
        })
    }

    fn literal() -> impl Strategy<Value = Literal> {
        prop_oneof![
            any::<String>().prop_map(Literal::String),
            (-1000i64..1000).prop_map(|n| Literal::Number(n.to_string())),
            any::<bool>().prop_map(Literal::Bool),
        ]
    }

    fn comparison() -> impl Strategy<Value = Expr> {
        (attribute(), prop::sample::select(Op::ALL.to_vec()), literal()).prop_map(|(attribute, op, value)| {
            Expr::Compare(Comparison {
                attribute,
                attribute_loc: Loc::default(),
                op,
                op_loc: Loc::default(),
                value: (op != Op::Pr).then_some(value),
                value_loc: Loc::default(),
            })
        })
    }

    fn expr() -> impl Strategy<Value = Expr> {
        comparison().prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(|o| Expr::and(o, Loc::default())),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|o| Expr::or(o, Loc::default())),
                inner.prop_map(|i| Expr::Not(Box::new(i), Loc::default())),
            ]
        })
    }

    proptest! {
        #[test]
        fn printed_filters_parse_back_to_the_same_tree(tree in expr()) {
            let printed = tree.to_string();
            let parsed = parse(&printed).map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
            prop_assert_eq!(parsed, tree);
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,40}") {
            let _ = parse(&text);
        }
    }
}
