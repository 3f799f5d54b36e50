//! The raw config: every block as written, evaluated, with spans. Attributes that were
//! missing or invalid are `None` (their diagnostic was already reported), so rules only see
//! values that are well-typed.

use super::value::Spanned;
use crate::diagnostics::Span;
use crate::model::{Expectation, Records, ScopePolicy, SortOrder};
use crate::secret::Secret;
use crate::time_spec::TimeSpec;
use std::collections::BTreeSet;

/// All blocks of a config, in file order.
#[derive(Debug, Default)]
pub struct RawConfig {
    pub variables: Vec<RawVariable>,
    pub connections: Vec<RawConnection>,
    pub scopes: Vec<RawScopes>,
    /// Moved into the model by `validate`, which leaves this empty.
    pub log_queries: Vec<RawLogQuery>,
    pub flows: Vec<RawFlows>,
    pub safety: Option<RawSafety>,
    /// Environment variables whose values stay unknown until they are set (offline, when
    /// unset): what `validate` could not check.
    pub unknown_variables: BTreeSet<String>,
}

#[derive(Debug)]
pub struct RawVariable {
    pub name: Spanned<String>,
    /// `sensitive = true`, or the variable flows into a sensitive attribute: its value is
    /// never printed nor stored in a plan file.
    pub sensitive: bool,
    /// The resolved value (`Value::Unknown` offline when it has none).
    pub value: Option<super::value::Value>,
    /// The `default` expression, when it is a literal.
    pub literal_default: Option<Span>,
}

#[derive(Debug)]
pub struct RawConnection {
    pub name: Spanned<String>,
    /// The block's header (`connection "prod"`), for problems with the whole block.
    pub header: Span,
    pub domain: Option<Spanned<String>>,
    pub client_id: Option<Spanned<String>>,
    pub client_secret: Option<Spanned<Secret>>,
    pub service_account: Option<Spanned<String>>,
    pub connector: Option<Spanned<String>>,
    pub scope_policy: Option<Spanned<ScopePolicy>>,
    pub endpoint: Option<Spanned<String>>,
    pub nickname: Option<Spanned<String>>,
    pub retired: Option<Spanned<bool>>,
    pub management: Option<RawManagement>,
    /// Where credentials are written (`client_secret`'s value, the `management` block), so
    /// that `--sim`, whose credentials come from its seed, can forgive an unset `env()`.
    pub credential_spans: Vec<Span>,
}

/// oktaform's own credentials for a connection's org.
#[derive(Debug)]
pub struct RawManagement {
    pub header: Span,
    pub api_token: Option<Spanned<Secret>>,
    /// The environment variables `api_token` reads (`env("NAME")`), to name when it is empty.
    pub api_token_env: Vec<String>,
    pub oauth: Option<RawOauth>,
}

/// A service app with `private_key_jwt`.
#[derive(Debug)]
pub struct RawOauth {
    pub header: Span,
    pub client_id: Option<Spanned<String>>,
    pub private_key: Option<Spanned<Secret>>,
    pub key_id: Option<Spanned<String>>,
    pub scopes: Option<Vec<Spanned<String>>>,
}

/// A `flows` block: Workflows exports tied to a connection.
#[derive(Debug)]
pub struct RawFlows {
    pub name: Spanned<String>,
    pub header: Span,
    pub connection: Option<Spanned<String>>,
    pub export: Option<Spanned<String>>,
    pub export_connection: Option<Spanned<String>>,
    /// The directory of the file that declares it: `export` is relative to it.
    pub dir: std::path::PathBuf,
}

#[derive(Debug)]
pub struct RawScopes {
    pub name: Spanned<String>,
    pub header: Span,
    pub connection: Option<Spanned<String>>,
    pub reason: Option<Spanned<String>>,
    pub grant: Vec<Spanned<String>>,
    /// The `grant` list's expression, for problems with the whole list.
    pub grant_span: Option<Span>,
    /// Scopes the catalog does not know yet, accepted as written (Okta adds scopes often).
    pub accept_unknown: Vec<Spanned<String>>,
}

#[derive(Debug)]
pub struct RawLogQuery {
    pub name: Spanned<String>,
    pub header: Span,
    pub connection: Option<Spanned<String>>,
    pub keyword: Option<Spanned<String>>,
    pub matches: Vec<(Spanned<String>, Spanned<String>)>,
    pub filter: Option<Spanned<String>>,
    /// `None` when the block sets none of them: a config may hold many thousand queries,
    /// most of which leave these to their defaults.
    pub options: Option<Box<RawQueryOptions>>,
}

impl RawLogQuery {
    /// The window, paging and expectation of the query, each `None` when not set.
    pub fn options(&self) -> &RawQueryOptions {
        static NONE: RawQueryOptions = RawQueryOptions {
            since: None,
            until: None,
            order: None,
            records: None,
            limit: None,
            expect: None,
            exclude_own: None,
        };
        self.options.as_deref().unwrap_or(&NONE)
    }
}

/// The attributes of a `log_query` block that have defaults.
#[derive(Debug, Default)]
pub struct RawQueryOptions {
    pub since: Option<Spanned<TimeSpec>>,
    pub until: Option<Spanned<TimeSpec>>,
    pub order: Option<Spanned<SortOrder>>,
    pub records: Option<Spanned<Records>>,
    pub limit: Option<Spanned<i64>>,
    pub expect: Option<Spanned<Expectation>>,
    pub exclude_own: Option<Spanned<bool>>,
}

impl RawQueryOptions {
    pub fn is_empty(&self) -> bool {
        let Self {
            since,
            until,
            order,
            records,
            limit,
            expect,
            exclude_own,
        } = self;
        since.is_none()
            && until.is_none()
            && order.is_none()
            && records.is_none()
            && limit.is_none()
            && expect.is_none()
            && exclude_own.is_none()
    }
}

#[derive(Debug)]
pub struct RawSafety {
    pub header: Span,
    pub max_revoke_percent: Option<Spanned<i64>>,
    pub min_grants: Option<Spanned<i64>>,
}
