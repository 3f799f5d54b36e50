//! oktaform's own credentials per org, first found wins: the connection's `management`
//! block, then the official SDKs' environment variables (`OKTA_CLIENT_TOKEN`, or the
//! private-key mode), then `OKTA_API_TOKEN`. Environment credentials apply to the org named
//! by `OKTA_CLIENT_ORGURL`, or to the only org of the config.

use crate::config::Environment;
use crate::model::Desired;
use crate::secret::Secret;
use std::collections::{BTreeMap, BTreeSet};

/// How oktaform authenticates to one org. OAuth service apps (`private_key_jwt`) are the next
/// variant; every request goes through [`Credentials::authorization`].
#[derive(Clone, Debug)]
pub enum Credentials {
    ApiToken(Secret),
}

impl Credentials {
    /// The `Authorization` header value.
    pub fn authorization(&self) -> String {
        match self {
            Self::ApiToken(token) => format!("SSWS {}", token.expose()),
        }
    }
}

/// Why an org has no usable credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialProblem {
    /// No credentials from any source.
    Missing,
    /// Environment credentials, but several orgs could use them.
    Ambiguous,
    /// Only a form oktaform cannot use yet (an OAuth service app).
    Unsupported(&'static str),
}

/// Credentials and where they were found, in words for diagnostics.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub credentials: Credentials,
    /// "the API token of the `management` block of connection `prod`", "the API token in
    /// `OKTA_API_TOKEN`", ...
    pub source: String,
}

/// Credentials of the domains `wanted` (of `desired`), or why a domain has none. Whether
/// environment credentials apply is judged from every domain of the config: with several
/// orgs they are ambiguous, whichever are wanted.
pub fn resolve_credentials(
    desired: &Desired,
    env: &Environment,
    wanted: &BTreeSet<String>,
) -> BTreeMap<String, Result<Resolved, CredentialProblem>> {
    let domains = desired.domains();
    let org_url_host = env
        .get("OKTA_CLIENT_ORGURL")
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let env_token = ["OKTA_CLIENT_TOKEN", "OKTA_API_TOKEN"].into_iter().find_map(|name| {
        env.get(name).filter(|t| !t.is_empty()).map(|t| Resolved {
            credentials: Credentials::ApiToken(Secret::new(t)),
            source: format!("the API token in {name}"),
        })
    });
    let env_private_key = env
        .get("OKTA_CLIENT_AUTHORIZATIONMODE")
        .is_some_and(|m| m.eq_ignore_ascii_case("PrivateKey"));
    let mut resolved = BTreeMap::new();
    for domain in domains.iter().filter(|d| wanted.contains(**d)) {
        let management = desired
            .connections
            .values()
            .filter(|c| c.app.domain == *domain)
            .find_map(|c| c.management.as_ref().map(|m| (c.name.as_str(), m)));
        let result = if let Some((name, token)) = management.and_then(|(name, m)| {
            m.api_token
                .as_ref()
                .filter(|t| !t.expose().is_empty())
                .map(|t| (name, t))
        }) {
            Ok(Resolved {
                credentials: Credentials::ApiToken(token.clone()),
                source: format!("the API token of the `management` block of connection `{name}`"),
            })
        } else if management.is_some_and(|(_, m)| m.oauth.is_some()) {
            Err(CredentialProblem::Unsupported(
                "an OAuth service app (`management { oauth { ... } }`)",
            ))
        } else if env_token.is_none() && env_private_key {
            Err(CredentialProblem::Unsupported(
                "OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey",
            ))
        } else if let Some(token) = &env_token {
            let applies = match &org_url_host {
                Some(host) => host == domain,
                None => domains.len() == 1,
            };
            match (applies, &org_url_host) {
                (true, _) => Ok(token.clone()),
                (false, None) => Err(CredentialProblem::Ambiguous),
                (false, Some(_)) => Err(CredentialProblem::Missing),
            }
        } else {
            Err(CredentialProblem::Missing)
        };
        resolved.insert((*domain).to_owned(), result);
    }
    resolved
}
