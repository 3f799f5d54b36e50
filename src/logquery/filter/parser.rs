//! Recursive-descent parser: `or` binds loosest, then `and`, then `not`, then comparisons
//! and parenthesised groups.

use super::FilterError;
use super::ast::{Comparison, Expr, Literal, Loc, Op};
use super::lexer::{Token, TokenKind, tokenize};

const EXPECTED_OPERATORS: &str = "eq, ne, gt, ge, lt, le, sw, ew, co, pr";

/// The deepest nesting of parentheses and `not` a filter may have (as HCL nesting), so
/// that no filter can exhaust the stack of whoever parses it.
pub const MAX_DEPTH: usize = 64;

/// Parses a whole filter. Every error carries the byte range of the offending token.
pub fn parse(text: &str) -> Result<Expr, FilterError> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(FilterError::new("the filter is empty", 0..text.len()));
    }
    let mut parser = Parser {
        tokens,
        position: 0,
        end: text.len(),
        depth: 0,
    };
    let expr = parser.or()?;
    if let Some(token) = parser.peek() {
        let message = match &token.kind {
            TokenKind::RightParen => "unmatched `)`".to_owned(),
            _ => format!(
                "expected `and`, `or` or the end of the filter, found {}",
                describe(token)
            ),
        };
        return Err(FilterError::new(message, token.span.clone()));
    }
    Ok(expr)
}

struct Parser<'t> {
    tokens: Vec<Token<'t>>,
    position: usize,
    end: usize,
    /// Parentheses and `not`s open at the current token.
    depth: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&Token<'t>> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<Token<'t>> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token { kind: TokenKind::Word(w), .. }) if w.eq_ignore_ascii_case(keyword))
    }

    fn end_span(&self) -> std::ops::Range<usize> {
        self.end..self.end
    }

    /// Enters one more level of nesting at `span`, or refuses past [`MAX_DEPTH`].
    fn deeper(&mut self, span: &std::ops::Range<usize>) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError::new(
                format!("the filter nests parentheses and `not` deeper than {MAX_DEPTH} levels"),
                span.clone(),
            )
            .help("write the conditions side by side with `and` / `or` instead of nesting them"));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        self.chain("or", Self::and, Expr::or)
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        self.chain("and", Self::unary, Expr::and)
    }

    fn chain(
        &mut self,
        keyword: &str,
        operand: fn(&mut Self) -> Result<Expr, FilterError>,
        join: fn(Vec<Expr>, Loc) -> Expr,
    ) -> Result<Expr, FilterError> {
        let first = operand(self)?;
        if !self.peek_keyword(keyword) {
            return Ok(first);
        }
        let start = first.loc().0.start;
        let mut operands = vec![first];
        while self.peek_keyword(keyword) {
            self.next();
            operands.push(operand(self)?);
        }
        let end = operands.last().map_or(start, |o| o.loc().0.end);
        Ok(join(operands, Loc(start..end)))
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        if self.peek_keyword("not") {
            let span = self.next().map_or(0..0, |t| t.span);
            self.deeper(&span)?;
            let start = span.start;
            let inner = self.unary()?;
            self.depth -= 1;
            let end = inner.loc().0.end;
            return Ok(Expr::Not(Box::new(inner), Loc(start..end)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        let Some(token) = self.next() else {
            return Err(FilterError::new(
                "expected a comparison, found the end of the filter",
                self.end_span(),
            ));
        };
        match token.kind {
            TokenKind::LeftParen => {
                self.deeper(&token.span)?;
                let mut inner = self.or()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token {
                        kind: TokenKind::RightParen,
                        span,
                    }) => {
                        widen(&mut inner, token.span.start..span.end);
                        Ok(inner)
                    }
                    Some(other) => Err(FilterError::new(
                        format!("expected `)`, found {}", describe(&other)),
                        other.span,
                    )),
                    None => Err(FilterError::new("unclosed `(`", token.span).help("add the matching `)`")),
                }
            }
            TokenKind::Word(word) if is_keyword(word) => Err(FilterError::new(
                format!("expected an attribute, found `{word}`"),
                token.span,
            )),
            TokenKind::Word(attribute) => self.comparison(attribute, token.span),
            _ => Err(
                FilterError::new(format!("expected an attribute, found {}", describe(&token)), token.span)
                    .help("a comparison is `attribute op \"value\"`, e.g. `eventType eq \"user.session.start\"`"),
            ),
        }
    }

    fn comparison(&mut self, attribute: &str, attribute_span: std::ops::Range<usize>) -> Result<Expr, FilterError> {
        let Some(op_token) = self.next() else {
            return Err(
                FilterError::new(format!("expected an operator after `{attribute}`"), self.end_span())
                    .help(format!("operators: {EXPECTED_OPERATORS}")),
            );
        };
        let TokenKind::Word(word) = &op_token.kind else {
            return Err(FilterError::new(
                format!("expected an operator, found {}", describe(&op_token)),
                op_token.span,
            )
            .help(format!("operators: {EXPECTED_OPERATORS}")));
        };
        let Some(op) = Op::from_word(word) else {
            let suggestion =
                crate::diagnostics::did_you_mean(&word.to_ascii_lowercase(), Op::ALL.iter().map(|o| o.as_str()));
            let mut help = format!("operators: {EXPECTED_OPERATORS}");
            if let Some(s) = suggestion {
                help = format!("did you mean `{s}`? {help}");
            }
            return Err(FilterError::new(format!("unknown operator `{word}`"), op_token.span).help(help));
        };
        if op == Op::Pr {
            if let Some(value) = self
                .peek()
                .filter(|t| matches!(t.kind, TokenKind::String(_) | TokenKind::Number(_)))
            {
                return Err(FilterError::new("`pr` takes no value", value.span.clone()).help(format!(
                    "`{attribute} pr` matches events where `{attribute}` is present; to compare with a value, use `eq`"
                )));
            }
            return Ok(Expr::Compare(Comparison {
                attribute: attribute.to_owned(),
                attribute_loc: Loc(attribute_span.start..op_token.span.end),
                op,
                op_loc: Loc(op_token.span.clone()),
                value: None,
                value_loc: Loc(op_token.span),
            }));
        }
        let Some(value_token) = self.next() else {
            return Err(FilterError::new(
                format!("expected a value after `{}`", op.as_str()),
                self.end_span(),
            ));
        };
        let value = match value_token.kind {
            TokenKind::String(s) => Literal::String(s),
            TokenKind::Number(n) => Literal::Number(n.to_owned()),
            TokenKind::Word(w) if w == "true" || w == "false" => Literal::Bool(w == "true"),
            TokenKind::Word(w) => {
                return Err(
                    FilterError::new(format!("expected a value, found `{w}`"), value_token.span)
                        .help(format!("quote strings as JSON: \"{w}\"")),
                );
            }
            _ => {
                return Err(FilterError::new(
                    format!("expected a value, found {}", describe(&value_token)),
                    value_token.span,
                ));
            }
        };
        Ok(Expr::Compare(Comparison {
            attribute: attribute.to_owned(),
            attribute_loc: Loc(attribute_span.start..value_token.span.end),
            op,
            op_loc: Loc(op_token.span),
            value: Some(value),
            value_loc: Loc(value_token.span),
        }))
    }
}

/// Makes a parenthesised node's span cover its parentheses.
fn widen(expr: &mut Expr, span: std::ops::Range<usize>) {
    match expr {
        Expr::And(_, loc) | Expr::Or(_, loc) | Expr::Not(_, loc) => *loc = Loc(span),
        Expr::Compare(_) => {}
    }
}

fn is_keyword(word: &str) -> bool {
    ["and", "or", "not"].iter().any(|k| k.eq_ignore_ascii_case(word))
}

fn describe(token: &Token) -> String {
    match &token.kind {
        TokenKind::Word(w) => format!("`{w}`"),
        TokenKind::String(_) => "a string".to_owned(),
        TokenKind::Number(n) => format!("`{n}`"),
        TokenKind::LeftParen => "`(`".to_owned(),
        TokenKind::RightParen => "`)`".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> FilterError {
        parse(text).expect_err(text)
    }

    #[test]
    fn precedence_and_flattening() {
        let expr = parse(r#"a eq "1" or b eq "2" and c eq "3" or d pr"#).unwrap();
        let Expr::Or(operands, _) = &expr else {
            panic!("{expr:?}")
        };
        assert_eq!(operands.len(), 3);
        assert!(matches!(operands[1], Expr::And(ref inner, _) if inner.len() == 2));
        let nested = parse(r#"a eq "1" and (b eq "2" and c eq "3")"#).unwrap();
        assert!(matches!(nested, Expr::And(ref inner, _) if inner.len() == 3));
    }

    #[test]
    fn operators_are_case_insensitive_attributes_are_not() {
        let expr = parse(r#"eventType EQ "x""#).unwrap();
        let Expr::Compare(c) = expr else { panic!() };
        assert_eq!((c.attribute.as_str(), c.op), ("eventType", Op::Eq));
    }

    #[test]
    fn comparison_spans_are_exact() {
        let text = r#"outcome.result eq "FAILURE" and target.id pr"#;
        let expr = parse(text).unwrap();
        let comparisons = expr.comparisons();
        assert_eq!(
            &text[comparisons[0].attribute_loc.0.clone()],
            r#"outcome.result eq "FAILURE""#
        );
        assert_eq!(&text[comparisons[0].op_loc.0.clone()], "eq");
        assert_eq!(&text[comparisons[0].value_loc.0.clone()], r#""FAILURE""#);
        assert_eq!(&text[comparisons[1].attribute_loc.0.clone()], "target.id pr");
        assert_eq!(&text[expr.loc().0.clone()], text);
    }

    #[test]
    fn parenthesised_groups_span_their_parentheses() {
        let text = r#"(a eq "1" or b eq "2")"#;
        assert_eq!(parse(text).unwrap().loc().0, 0..text.len());
    }

    #[test]
    fn error_spans_are_exact() {
        let cases: &[(&str, std::ops::Range<usize>, &str)] = &[
            (r#"display_message eqq "x""#, 16..19, "unknown operator `eqq`"),
            (
                r#"a eq "x" an b eq "y""#,
                9..11,
                "expected `and`, `or` or the end of the filter, found `an`",
            ),
            (r#"(a eq "x""#, 0..1, "unclosed `(`"),
            (r#"a eq "x")"#, 8..9, "unmatched `)`"),
            ("a eq", 4..4, "expected a value after `eq`"),
            ("a eq x", 5..6, "expected a value, found `x`"),
            ("a eq 'x'", 5..6, "unexpected character `'`"),
            (r#"and a eq "x""#, 0..3, "expected an attribute, found `and`"),
            (
                r#"a eq "x" and"#,
                12..12,
                "expected a comparison, found the end of the filter",
            ),
            ("", 0..0, "the filter is empty"),
            (r#"a "x""#, 2..5, "expected an operator, found a string"),
        ];
        for (text, span, message) in cases {
            let e = error(text);
            assert_eq!((&e.span, e.message.as_str()), (span, *message), "{text}");
        }
        assert!(error(r#"a eqq "x""#).help.unwrap().starts_with("did you mean `eq`?"));
    }
}
