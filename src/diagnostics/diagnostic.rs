//! The diagnostic value every phase produces.

use super::{Code, Span};
use serde::Serialize;

/// How serious a diagnostic is. Only errors make `validate` fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Advice,
}

/// A span and what to say about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One problem found in a config, with where it is and how to fix it.
///
/// The severity is the code's: a code is always an error, always a warning or always advice,
/// so tools can rely on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    /// The exact place of the problem; `None` only for problems with no place in a file.
    pub primary: Option<Label>,
    /// Other sites that explain the problem ("first defined here").
    pub secondary: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    #[must_use]
    pub fn at(mut self, span: Span, text: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            text: text.into(),
        });
        self
    }

    #[must_use]
    pub fn also(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Adds help text, after any help already given.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.help = Some(match self.help.take() {
            Some(existing) => format!("{existing} {help}"),
            None => help,
        });
        self
    }

    /// Adds "did you mean `x`?" when `suggestion` is some, keeping any other help after it.
    #[must_use]
    pub fn suggest(mut self, suggestion: Option<&str>) -> Self {
        if let Some(suggestion) = suggestion {
            let hint = format!("did you mean `{suggestion}`?");
            self.help = Some(match self.help.take() {
                Some(help) => format!("{hint} {help}"),
                None => hint,
            });
        }
        self
    }

    /// Sort key: file, place, then code, so reports are deterministic.
    pub fn sort_key(&self) -> (Option<Span>, &'static str, &str) {
        (self.primary.as_ref().map(|l| l.span), self.code.as_str(), &self.message)
    }
}
