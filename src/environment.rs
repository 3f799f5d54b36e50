//! The process environment as the config sees it, captured once so that evaluation is pure
//! and tests can inject their own.

use std::collections::BTreeMap;

/// Environment variables by name.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    /// Offline (`validate`): an unset variable is an unknown value, not an error.
    offline: bool,
}

impl Environment {
    /// A snapshot of this process's environment (names and values that are valid UTF-8).
    pub fn capture() -> Self {
        Self {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            offline: false,
        }
    }

    /// For offline checks: an unset `env()` or a variable with no value is an unknown
    /// value, so that a job without secrets can validate.
    #[must_use]
    pub fn offline(mut self) -> Self {
        self.offline = true;
        self
    }

    pub fn is_offline(&self) -> bool {
        self.offline
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// The names of the variables that start with `prefix`, sorted.
    pub fn names_starting_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.vars
            .keys()
            .map(String::as_str)
            .filter(move |name| name.starts_with(prefix))
    }

    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Environment {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self {
            vars: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
            offline: false,
        }
    }
}
