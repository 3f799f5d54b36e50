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
    /// A value recorded in a plan file. Items of lists and maps have no place in a file.
    pub fn from_json(json: &serde_json::Value) -> Value {
        let nowhere = Span::new(crate::diagnostics::FileId(0), 0..0);
        let spanned = |value: Value| Spanned::new(value, nowhere, false);
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(|i| spanned(Value::from_json(i))).collect())
            }
            serde_json::Value::Object(entries) => Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (Spanned::new(k.clone(), nowhere, false), spanned(Value::from_json(v))))
                    .collect(),
            ),
        }
    }

    /// The value as a plan file records it; `None` for what cannot be recorded (a
    /// connection reference, an unknown value).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        Some(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => {
                serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(|i| i.value.to_json()).collect::<Option<_>>()?)
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| Some((k.value.clone(), v.value.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Connection(_) | Value::Unknown => return None,
        })
    }

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
