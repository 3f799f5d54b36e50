//! Input variables: declarations, values from the command line, var files and the
//! environment, and their precedence: `--var` beats `--var-file` beats `OKTAFORM_VAR_<name>`
//! beats the declared `default`.

use super::value::{Spanned, Value};
use crate::diagnostics::{Code, Diagnostic, Span, did_you_mean};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Variable values given on the command line.
#[derive(Clone, Debug, Default)]
pub struct VarInputs {
    /// `--var name=value`, in order; a later one wins.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in order; a later file wins.
    pub files: Vec<PathBuf>,
    /// The values a plan file was made with (for `apply PLANFILE`), like `--var`.
    pub recorded: Vec<(String, serde_json::Value)>,
}

/// Where a variable's value came from.
#[derive(Clone, Debug)]
pub(super) enum VariableState {
    Set(Value),
    /// Declared with no value from any source.
    Unset {
        declared: Span,
    },
}

/// Every declared variable, resolved.
#[derive(Clone, Debug, Default)]
pub struct Variables {
    states: BTreeMap<String, VariableState>,
    /// The variables seen from a `default` or a var file, where no variable can be used.
    no_references: bool,
}

impl Variables {
    /// The view of a variable's `default` and of var files: values are literal there.
    pub(super) fn unreferenceable() -> Self {
        Self {
            states: BTreeMap::new(),
            no_references: true,
        }
    }

    pub(super) fn insert(&mut self, name: String, state: VariableState) {
        self.states.insert(name, state);
    }

    /// The resolved value of `name`, if it has one.
    pub(super) fn get(&self, name: &str) -> Option<Value> {
        match self.states.get(name)? {
            VariableState::Set(value) => Some(value.clone()),
            VariableState::Unset { .. } => None,
        }
    }

    /// The value of `var.<name>` used at `span`.
    pub fn value(&self, name: &str, span: Span, diagnostics: &mut Vec<Diagnostic>) -> Option<Spanned<Value>> {
        match self.states.get(name) {
            Some(VariableState::Set(value)) => Some(Spanned::new(value.clone(), span, false)),
            Some(VariableState::Unset { declared }) => {
                diagnostics.push(
                    Diagnostic::new(Code::VariableNoValue, format!("variable `{name}` has no value"))
                        .at(span, "used here")
                        .also(*declared, "declared here without a default")
                        .help(format!(
                            "pass `--var {name}=...`, set `OKTAFORM_VAR_{name}`, or add a `default`"
                        )),
                );
                None
            }
            None if self.no_references => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::VariableUndefined,
                        format!("`var.{name}` cannot be used here: defaults and var files hold literal values"),
                    )
                    .at(span, "a variable in a default or a var file")
                    .help("write the value itself, or set it with `--var`, a var file or OKTAFORM_VAR_<name>"),
                );
                None
            }
            None => {
                diagnostics.push(
                    Diagnostic::new(Code::VariableUndefined, format!("variable `{name}` is not declared"))
                        .at(span, "undeclared variable")
                        .suggest(did_you_mean(name, self.states.keys().map(String::as_str)))
                        .help(format!("declare it: `variable \"{name}\" {{}}`")),
                );
                None
            }
        }
    }
}
