//! Evaluates HCL expressions: literals, lists, maps, string templates, `var.<name>`,
//! `connection.<name>`, `env(name[, default])` and `file(path)`. Anything else is reported,
//! not guessed at.

use super::value::{Spanned, Value};
use super::variables::Variables;
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use crate::environment::Environment;
use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl::edit::template::{Element, Template};
use std::collections::BTreeSet;
use std::path::Path;

/// What an expression in one file can see.
pub struct Evaluator<'a> {
    pub origin: super::reader::Origin,
    pub dir: &'a Path,
    pub variables: &'a Variables,
    pub connections: &'a BTreeSet<String>,
    pub env: &'a Environment,
    /// Where variables unknown offline are noted.
    pub unknown: &'a std::cell::RefCell<BTreeSet<String>>,
}

impl Evaluator<'_> {
    fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        self.origin.span(range)
    }

    /// The value of `expr`, or `None` after pushing why it has none.
    pub fn eval(&self, expr: &Expression, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Value>> {
        let span = self.span(expr.span());
        let value = match expr {
            Expression::Null(_) => Spanned::new(Value::Null, span, true),
            Expression::Bool(b) => Spanned::new(Value::Bool(*b.value()), span, true),
            Expression::Number(n) => Spanned::new(Value::Number(n.value().as_f64().unwrap_or(f64::NAN)), span, true),
            Expression::String(s) => Spanned::new(Value::String(s.value().clone()), span, true),
            Expression::Array(array) => {
                let mut items = Vec::new();
                let mut ok = true;
                for item in array {
                    match self.eval(item, diagnostics) {
                        Some(v) => items.push(v),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Spanned::new(Value::List(items), span, false)
            }
            Expression::Object(object) => {
                let mut entries = Vec::new();
                let mut ok = true;
                for (key, value) in object {
                    let key = match key {
                        ObjectKey::Ident(ident) => {
                            Some(Spanned::new(ident.as_str().to_owned(), self.span(ident.span()), true))
                        }
                        ObjectKey::Expression(expr) => self.eval(expr, diagnostics).and_then(|k| match k.value {
                            Value::String(s) => Some(Spanned::new(s, k.span, k.literal)),
                            other => {
                                diagnostics.push(
                                    Diagnostic::new(
                                        Code::SchemaWrongType,
                                        format!("a map key must be a string, found {}", other.type_name()),
                                    )
                                    .at(k.span, "not a string"),
                                );
                                None
                            }
                        }),
                    };
                    let value = self.eval(value.expr(), diagnostics);
                    match (key, value) {
                        (Some(k), Some(v)) => entries.push((k, v)),
                        _ => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Spanned::new(Value::Map(entries), span, false)
            }
            Expression::StringTemplate(template) => self.template(template, span, diagnostics)?,
            Expression::HeredocTemplate(heredoc) => self.template(&heredoc.template, span, diagnostics)?,
            Expression::Parenthesis(inner) => self.eval(inner.inner(), diagnostics)?,
            Expression::UnaryOp(op) if matches!(op.operator.value(), UnaryOperator::Neg) => {
                let inner = self.eval(&op.expr, diagnostics)?;
                match inner.value {
                    Value::Number(n) => Spanned::new(Value::Number(-n), span, inner.literal),
                    Value::Unknown => Spanned::new(Value::Unknown, span, false),
                    other => {
                        return Self::unsupported(span, &format!("`-` on {}", other.type_name()), diagnostics);
                    }
                }
            }
            Expression::Traversal(traversal) => self.traversal(traversal, span, diagnostics)?,
            Expression::Variable(ident) => {
                let name = ident.as_str();
                diagnostics.push(
                    Diagnostic::new(Code::SchemaBadReference, format!("`{name}` is not a value"))
                        .at(span, "unknown reference")
                        .help("references are `var.<name>` and `connection.<name>`; strings are quoted"),
                );
                return None;
            }
            Expression::FuncCall(call) => self.call(call, span, diagnostics)?,
            Expression::Conditional(_) => {
                return Self::unsupported(span, "conditional expressions", diagnostics);
            }
            Expression::ForExpr(_) => {
                return Self::unsupported(span, "`for` expressions", diagnostics);
            }
            Expression::BinaryOp(_) | Expression::UnaryOp(_) => {
                return Self::unsupported(span, "operators", diagnostics);
            }
        };
        Some(value)
    }

    fn unsupported(span: Span, what: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Value>> {
        diagnostics.push(
            Diagnostic::new(Code::SchemaUnsupportedExpression, format!("{what} are not supported"))
                .at(span, "not supported here")
                .help("use literals, `var.<name>`, `connection.<name>`, `env(...)` and `file(...)`"),
        );
        None
    }

    fn template(&self, template: &Template, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Value>> {
        let mut text = String::new();
        let mut ok = true;
        let mut unknown = false;
        for element in template {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                Element::Interpolation(interpolation) => match self.eval(&interpolation.expr, diagnostics) {
                    Some(Spanned {
                        value: Value::Unknown, ..
                    }) => unknown = true,
                    Some(Spanned {
                        value: Value::String(s),
                        ..
                    }) => text.push_str(&s),
                    Some(Spanned {
                        value: Value::Number(n),
                        ..
                    }) => text.push_str(&format_number(n)),
                    Some(Spanned {
                        value: Value::Bool(b), ..
                    }) => text.push_str(&b.to_string()),
                    Some(other) => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::SchemaWrongType,
                                format!("cannot put {} in a string", other.value.type_name()),
                            )
                            .at(other.span, "not a string, number or bool"),
                        );
                        ok = false;
                    }
                    None => ok = false,
                },
                Element::Directive(directive) => {
                    Self::unsupported(self.span(directive.span()), "template directives", diagnostics);
                    ok = false;
                }
            }
        }
        let value = if unknown { Value::Unknown } else { Value::String(text) };
        ok.then(|| Spanned::new(value, span, false))
    }

    fn traversal(
        &self,
        traversal: &hcl::edit::expr::Traversal,
        span: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<Value>> {
        let root = traversal.expr.as_variable().map(hcl::edit::Ident::as_str);
        let first = traversal.operators.first().map(hcl::edit::Decorated::value);
        let name = match first {
            Some(TraversalOperator::GetAttr(ident)) => Some(ident.as_str()),
            _ => None,
        };
        let (Some(root @ ("var" | "connection")), Some(name), 1) = (root, name, traversal.operators.len()) else {
            diagnostics.push(
                Diagnostic::new(Code::SchemaBadReference, "unknown reference")
                    .at(span, "cannot be evaluated")
                    .help("references are `var.<name>` and `connection.<name>`"),
            );
            return None;
        };
        if root == "connection" {
            if self.connections.contains(name) {
                return Some(Spanned::new(Value::Connection(name.to_owned()), span, false));
            }
            diagnostics.push(
                Diagnostic::new(Code::SchemaBadReference, format!("no connection named `{name}`"))
                    .at(span, "undeclared connection")
                    .suggest(did_you_mean(name, self.connections.iter().map(String::as_str))),
            );
            return None;
        }
        self.variables.value(name, span, diagnostics)
    }

    fn call(
        &self,
        call: &hcl::edit::expr::FuncCall,
        span: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<Value>> {
        let name = call.name.name.as_str();
        let name_span = self.span(call.name.name.span());
        let mut args = Vec::new();
        for arg in &call.args {
            args.push(self.eval(arg, diagnostics)?);
        }
        if args.iter().any(|a| a.value == Value::Unknown) {
            return Some(Spanned::new(Value::Unknown, span, false));
        }
        let strings: Option<Vec<&str>> = args
            .iter()
            .map(|a| match &a.value {
                Value::String(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let usage = match name {
            "env" => "`env(name)` or `env(name, default)` with string arguments",
            "file" => "`file(path)` with a string argument",
            _ => {
                diagnostics.push(
                    Diagnostic::new(Code::SchemaUnknownFunction, format!("unknown function `{name}`"))
                        .at(name_span, "not a function of oktaform")
                        .suggest(did_you_mean(name, ["env", "file"]))
                        .help("the functions are `env(name[, default])` and `file(path)`"),
                );
                return None;
            }
        };
        match (name, strings.as_deref()) {
            ("env", Some([variable])) => match self.env.get(variable) {
                Some(value) => Some(Spanned::new(Value::String(value.to_owned()), span, false)),
                None if self.env.is_offline() => {
                    self.unknown.borrow_mut().insert((*variable).to_owned());
                    Some(Spanned::new(Value::Unknown, span, false))
                }
                None => {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::VariableUnsetEnv,
                            format!("environment variable `{variable}` is not set"),
                        )
                        .at(span, "unset")
                        .help(format!(
                            "set `{variable}`, or give a default: `env(\"{variable}\", \"...\")`"
                        )),
                    );
                    None
                }
            },
            ("env", Some([variable, default])) => {
                let value = self.env.get(variable).unwrap_or(default);
                Some(Spanned::new(Value::String(value.to_owned()), span, false))
            }
            ("file", Some([path])) => {
                let full = self.dir.join(path);
                match crate::input::read_text(&full, crate::input::CONFIG_LIMIT) {
                    Ok(text) => Some(Spanned::new(Value::String(text), span, false)),
                    // A file outside the config's directory tree (a mounted secret, say) may
                    // exist only where the config is applied: unknown offline.
                    Err(crate::input::InputError::Io(error))
                        if error.kind() == std::io::ErrorKind::NotFound
                            && self.env.is_offline()
                            && !within(Path::new(path)) =>
                    {
                        self.unknown.borrow_mut().insert(format!("file(\"{path}\")"));
                        Some(Spanned::new(Value::Unknown, span, false))
                    }
                    Err(error) => {
                        diagnostics.push(
                            Diagnostic::new(Code::VariableUnreadableFile, format!("cannot read `{path}`: {error}"))
                                .at(span, "unreadable file")
                                .help("paths are relative to the file that calls `file`"),
                        );
                        None
                    }
                }
            }
            _ => {
                diagnostics.push(
                    Diagnostic::new(Code::SchemaUnknownFunction, format!("wrong arguments to `{name}`"))
                        .at(span, "wrong arguments")
                        .help(format!("call it as {usage}")),
                );
                None
            }
        }
    }
}

/// Whether `path`, relative to a config file, stays in the config's directory tree.
fn within(path: &Path) -> bool {
    use std::path::Component;
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Numbers in strings: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}
