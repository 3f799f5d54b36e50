//! The choices of a log query, as the config and the API name them.

#[cfg(test)]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `order` of a log query (the API's `sortOrder`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum SortOrder {
    Ascending,
    Descending,
}

/// `records`: one page, or every page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Records {
    First,
    All,
}

/// `expect`: an assertion `drift` checks over the query's window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Expectation {
    Empty,
    Nonempty,
}
