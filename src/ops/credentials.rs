//! oktaform's own credentials per org, first found wins: the connection's `management`
//! block, then the official SDKs' environment variables (`OKTA_CLIENT_TOKEN`, or the
//! private-key mode), then `OKTA_API_TOKEN`. Environment credentials apply to the org named
//! by `OKTA_CLIENT_ORGURL`, or to the only org of the config.

use crate::environment::Environment;
use crate::model::Desired;
use crate::okta::{CredentialProblem, Credentials, EnvCredentials, Purpose, Resolved, ServiceAppSettings};
use std::collections::{BTreeMap, BTreeSet};

/// Credentials of the domains `wanted` (of `desired`), or why a domain has none. Whether
/// environment credentials apply is judged from every domain of the config: with several
/// orgs they are ambiguous, whichever are wanted. A service app asks for the scopes
/// `purpose` needs unless its settings name them.
pub fn resolve_credentials(
    desired: &Desired,
    env: &Environment,
    wanted: &BTreeSet<String>,
    purpose: Purpose,
) -> BTreeMap<String, Result<Resolved, CredentialProblem>> {
    let domains = desired.domains();
    let org_url_host = env
        .get("OKTA_CLIENT_ORGURL")
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let mut resolved = BTreeMap::new();
    for domain in domains.iter().filter(|d| wanted.contains(**d)) {
        let management = desired
            .connections
            .values()
            .filter(|c| c.app.domain == *domain)
            .find_map(|c| c.management.as_ref().map(|m| (c.name.as_str(), m)));
        let api_token = management.and_then(|(name, m)| {
            m.api_token
                .as_ref()
                .filter(|t| !t.expose().is_empty())
                .map(|t| (name, t))
        });
        let oauth = management.and_then(|(name, m)| m.oauth.as_ref().map(|o| (name, o)));
        let result = match (api_token, oauth) {
            (Some((name, token)), _) => Ok(Resolved {
                credentials: Credentials::ApiToken(token.clone()),
                source: format!("the API token of the `management` block of connection `{name}`"),
            }),
            (None, Some((name, oauth))) => ServiceAppSettings {
                client_id: &oauth.client_id,
                private_key: oauth.private_key.expose(),
                key_id: oauth.key_id.as_deref(),
                scopes: oauth.scopes.clone(),
                source: format!(
                    "the service app `{}` of the `management` block of connection `{name}`",
                    oauth.client_id
                ),
            }
            .resolve(purpose),
            (None, None) => {
                let applies = match &org_url_host {
                    Some(host) => host == domain,
                    None => domains.len() == 1,
                };
                let empty_token =
                    management
                        .filter(|(_, m)| m.api_token.is_some())
                        .map(|(name, m)| CredentialProblem::EmptyToken {
                            connection: name.to_owned(),
                            variables: m.api_token_env.clone(),
                        });
                match (EnvCredentials::of(env), applies, &org_url_host) {
                    (None, _, _) | (Some(_), false, Some(_)) => Err(empty_token.unwrap_or(CredentialProblem::Missing)),
                    (Some(_), false, None) => Err(CredentialProblem::Ambiguous),
                    (Some(offered), true, _) => offered.resolve(purpose),
                }
            }
        };
        resolved.insert((*domain).to_owned(), result);
    }
    resolved
}
