//! oktaform's own credentials per org, first found wins: the connection's `management`
//! block, then the official SDKs' environment variables (`OKTA_CLIENT_TOKEN`, or the
//! private-key mode), then `OKTA_API_TOKEN`. Environment credentials apply to the org named
//! by `OKTA_CLIENT_ORGURL`, or to the only org of the config.

use crate::config::Environment;
use crate::model::Desired;
use crate::secret::Secret;
use std::collections::BTreeMap;

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

/// Credentials of every domain of `desired`, or why a domain has none.
pub fn resolve_credentials(
    desired: &Desired,
    env: &Environment,
) -> BTreeMap<String, Result<Credentials, CredentialProblem>> {
    let domains = desired.domains();
    let org_url_host = env
        .get("OKTA_CLIENT_ORGURL")
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    let env_token = env
        .get("OKTA_CLIENT_TOKEN")
        .or_else(|| env.get("OKTA_API_TOKEN"))
        .filter(|t| !t.is_empty())
        .map(|t| Credentials::ApiToken(Secret::new(t)));
    let env_private_key = env
        .get("OKTA_CLIENT_AUTHORIZATIONMODE")
        .is_some_and(|m| m.eq_ignore_ascii_case("PrivateKey"));
    let mut resolved = BTreeMap::new();
    for domain in &domains {
        let management = desired
            .connections
            .values()
            .filter(|c| c.app.domain == *domain)
            .find_map(|c| c.management.as_ref());
        let result = if let Some(token) = management
            .and_then(|m| m.api_token.as_ref())
            .filter(|t| !t.expose().is_empty())
        {
            Ok(Credentials::ApiToken(token.clone()))
        } else if management.is_some_and(|m| m.oauth.is_some()) {
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
