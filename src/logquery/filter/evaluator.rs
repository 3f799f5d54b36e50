//! Evaluates a filter against a JSON object, as Okta does for System Log events, app
//! filters and user searches: an attribute path reaches into objects and any element of an
//! array; string comparisons ignore ASCII case (SCIM's default for non-case-exact
//! attributes); `pr` means present and not null.

use super::ast::{Comparison, Expr, Literal, Op};
use serde_json::Value;
use std::cmp::Ordering;

/// Whether `object` satisfies `expr`.
pub fn matches(expr: &Expr, object: &Value) -> bool {
    match expr {
        Expr::Compare(comparison) => compare(comparison, object),
        Expr::And(operands, _) => operands.iter().all(|o| matches(o, object)),
        Expr::Or(operands, _) => operands.iter().any(|o| matches(o, object)),
        Expr::Not(inner, _) => !matches(inner, object),
    }
}

fn compare(comparison: &Comparison, object: &Value) -> bool {
    let mut values = Vec::new();
    collect(
        object,
        &comparison.attribute.split('.').collect::<Vec<_>>(),
        &mut values,
    );
    let present: Vec<&Value> = values.into_iter().filter(|v| !v.is_null()).collect();
    let Some(literal) = &comparison.value else {
        return !present.is_empty();
    };
    if comparison.op == Op::Ne {
        return !present.iter().any(|value| test(Op::Eq, value, literal));
    }
    present.iter().any(|value| test(comparison.op, value, literal))
}

/// Every value at `path` below `value`, descending into arrays.
fn collect<'a>(value: &'a Value, path: &[&str], out: &mut Vec<&'a Value>) {
    match (value, path.split_first()) {
        (Value::Array(items), _) => items.iter().for_each(|item| collect(item, path, out)),
        (_, None) => out.push(value),
        (Value::Object(map), Some((head, rest))) => {
            if let Some(child) = map.get(*head) {
                collect(child, rest, out);
            }
        }
        _ => {}
    }
}

fn test(op: Op, value: &Value, literal: &Literal) -> bool {
    match (value, literal) {
        (Value::String(actual), Literal::String(wanted)) => {
            let (actual, wanted) = (actual.to_ascii_lowercase(), wanted.to_ascii_lowercase());
            match op {
                Op::Eq => actual == wanted,
                Op::Sw => actual.starts_with(&wanted),
                Op::Ew => actual.ends_with(&wanted),
                Op::Co => actual.contains(&wanted),
                _ => ordered(op, actual.cmp(&wanted)),
            }
        }
        (Value::Number(actual), Literal::Number(wanted)) => {
            let (Some(actual), Ok(wanted)) = (actual.as_f64(), wanted.parse::<f64>()) else {
                return false;
            };
            match op {
                _ if op == Op::Eq => actual.partial_cmp(&wanted) == Some(Ordering::Equal),
                _ => actual.partial_cmp(&wanted).is_some_and(|o| ordered(op, o)),
            }
        }
        (Value::Bool(actual), Literal::Bool(wanted)) => op == Op::Eq && actual == wanted,
        _ => false,
    }
}

fn ordered(op: Op, ordering: Ordering) -> bool {
    match op {
        Op::Gt => ordering == Ordering::Greater,
        Op::Ge => ordering != Ordering::Less,
        Op::Lt => ordering == Ordering::Less,
        Op::Le => ordering != Ordering::Greater,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::matches;
    use serde_json::json;

    #[test]
    fn evaluates_like_okta() {
        let event = json!({
            "eventType": "user.session.start",
            "outcome": {"result": "FAILURE"},
            "actor": {"alternateId": "Admin@acme.com"},
            "target": [{"id": "0oa1", "type": "AppInstance"}, {"id": "okta.users.read", "type": "OAuth2Scope"}],
            "published": "2026-11-28T10:00:00.000Z",
            "securityContext": {"isProxy": false},
            "debugContext": {"debugData": {"count": 3}},
            "legacyEventType": null
        });
        let cases = [
            (r#"eventType eq "user.session.start""#, true),
            (r#"eventType eq "user.session.end""#, false),
            (r#"actor.alternateId eq "admin@acme.com""#, true),
            (
                r#"target.id eq "okta.users.read" and target.type eq "AppInstance""#,
                true,
            ),
            (r#"target.id ne "0oa1""#, false),
            (
                r#"eventType sw "user.session" and not (outcome.result eq "SUCCESS")"#,
                true,
            ),
            (r#"eventType ew ".start" or eventType co "nothing""#, true),
            ("legacyEventType pr", false),
            ("outcome.result pr", true),
            (r#"published gt "2026-11-28T09:00:00Z""#, true),
            ("securityContext.isProxy eq false", true),
            ("debugContext.debugData.count ge 3", true),
            ("debugContext.debugData.count lt 3", false),
            (r#"missing.path eq "x""#, false),
        ];
        for (filter, expected) in cases {
            assert_eq!(matches(&parse(filter).unwrap(), &event), expected, "{filter}");
        }
    }
}
