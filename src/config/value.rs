//! Evaluated values, each with the span of the expression it came from.

use crate::diagnostics::Span;

/// A value and where it was written. `literal` is true when the value is a plain string,
/// number or bool literal in the file (not computed), so its text can be mapped back.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
    pub literal: bool,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span, literal: bool) -> Self {
        Self { value, span, literal }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
            literal: self.literal,
        }
    }
}

/// The value of an HCL expression after evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Spanned<Value>>),
    /// Keys keep their spans so that a problem with a key points at it.
    Map(Vec<(Spanned<String>, Spanned<Value>)>),
    /// `connection.<name>`.
    Connection(String),
    /// A value that cannot be known offline: an unset `env()` or a variable without a value
    /// under `validate`. Checks that need it are skipped.
    Unknown,
}

impl Value {
    /// The name of the type, for "expected a string, found a number".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Connection(_) => "a connection reference",
            Value::Unknown => "an unknown value",
        }
    }
}
