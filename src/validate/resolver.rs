//! Builds the span-free [`Desired`] model from the raw config, with defaults filled in and
//! the origin of every desired grant recorded.

use crate::config::{RawConfig, RawConnection, RawLogQuery, Spanned};
use crate::model::{
    App, AppKey, ByName, Card, Connection, Desired, LogQuery, Management, Oauth, Origin, Records, Safety, ScopePolicy,
    SortOrder,
};
use std::collections::BTreeMap;

/// The model of every block but the log queries ([`log_queries`]).
pub(super) fn resolve(config: &RawConfig) -> Desired {
    let mut desired = Desired::default();
    // Okta logins are case-insensitive: spellings of one login in an org are one account,
    // known by the spelling the config gives it first.
    let mut logins: BTreeMap<(String, String), String> = BTreeMap::new();
    for raw in &config.connections {
        let (Some(domain), Some(client_id), Some(account)) = (&raw.domain, &raw.client_id, &raw.service_account) else {
            continue;
        };
        let mut connection = connection(raw, domain, client_id, account);
        connection.service_account.clone_from(
            logins
                .entry((connection.app.domain.clone(), connection.service_account.to_lowercase()))
                .or_insert_with(|| connection.service_account.clone()),
        );
        let app = desired.apps.entry(connection.app.clone()).or_insert_with(|| App {
            key: connection.app.clone(),
            connections: Vec::new(),
            scope_policy: connection.scope_policy,
            connector: connection.connector.clone(),
            grants: BTreeMap::new(),
        });
        app.connections.push(connection.name.clone());
        app.connections.sort();
        desired.connections.insert(connection.name.clone(), connection);
    }
    for scopes in &config.scopes {
        let Some(connection) = scopes
            .connection
            .as_ref()
            .and_then(|c| desired.connections.get(&c.value))
        else {
            continue;
        };
        let key = connection.app.clone();
        let Some(app) = desired.apps.get_mut(&key) else {
            continue;
        };
        for grant in &scopes.grant {
            app.grants.entry(grant.value.clone()).or_default().push(Origin {
                scopes: scopes.name.value.clone(),
                connection: connection.name.clone(),
            });
        }
    }
    if let Some(safety) = &config.safety {
        let defaults = Safety::default();
        desired.safety = Safety {
            max_revoke_percent: safety
                .max_revoke_percent
                .as_ref()
                .and_then(|p| u8::try_from(p.value).ok())
                .filter(|p| *p <= 100)
                .unwrap_or(defaults.max_revoke_percent),
            min_grants: safety
                .min_grants
                .as_ref()
                .and_then(|m| u32::try_from(m.value).ok())
                .unwrap_or(defaults.min_grants),
        };
    }
    desired
}

/// The desired connection of a `connection` block with its required attributes.
fn connection(
    raw: &RawConnection,
    domain: &Spanned<String>,
    client_id: &Spanned<String>,
    account: &Spanned<String>,
) -> Connection {
    let domain = domain.value.to_ascii_lowercase();
    let management = raw.management.as_ref().map(|m| Management {
        api_token: m.api_token.as_ref().map(|t| t.value.clone()),
        api_token_env: m.api_token_env.clone(),
        oauth: m.oauth.as_ref().and_then(|o| {
            Some(Oauth {
                client_id: o.client_id.as_ref()?.value.clone(),
                private_key: o.private_key.as_ref()?.value.clone(),
                key_id: o.key_id.as_ref().map(|k| k.value.clone()),
                scopes: o.scopes.iter().flatten().map(|s| s.value.clone()).collect(),
            })
        }),
    });
    Connection {
        name: raw.name.value.clone(),
        app: AppKey {
            domain: domain.clone(),
            client_id: client_id.value.clone(),
        },
        client_secret: raw.client_secret.as_ref().map(|s| s.value.clone()),
        service_account: account.value.clone(),
        connector: raw
            .connector
            .as_ref()
            .map_or_else(|| "okta".to_owned(), |c| c.value.clone()),
        scope_policy: raw.scope_policy.as_ref().map_or(ScopePolicy::Exact, |p| p.value),
        endpoint: raw.endpoint.as_ref().map_or_else(
            || format!("https://{domain}"),
            |e| e.value.trim_end_matches('/').to_owned(),
        ),
        nickname: raw.nickname.as_ref().map(|n| n.value.clone()),
        retired: raw.retired.as_ref().is_some_and(|r| r.value),
        management,
    }
}

/// The desired log queries of `log_query` blocks with a connection; their values move.
pub(super) fn log_queries(queries: Vec<RawLogQuery>) -> ByName<LogQuery> {
    queries.into_iter().filter_map(log_query).collect()
}

fn log_query(query: RawLogQuery) -> Option<LogQuery> {
    let connection = query.connection?.value;
    let options = query.options.map(|o| *o).unwrap_or_default();
    Some(LogQuery {
        name: query.name.value,
        connection,
        card: Card {
            keyword: query.keyword.map(|k| k.value),
            fields: query.matches.into_iter().map(|(k, v)| (k.value, v.value)).collect(),
            custom_filter: query.filter.map(|f| f.value),
        },
        since: options.since.map(|s| s.value),
        until: options.until.map(|u| u.value),
        order: options.order.map_or(SortOrder::Ascending, |o| o.value),
        records: options.records.map_or(Records::First, |r| r.value),
        limit: options
            .limit
            .and_then(|l| u16::try_from(l.value).ok())
            .filter(|l| (1..=1000).contains(l))
            .unwrap_or(100),
        expect: options.expect.map(|e| e.value),
        exclude_own: options.exclude_own.is_none_or(|e| e.value),
    })
}
