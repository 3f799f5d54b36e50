//! How oktaform authenticates to an org (an API token or a service app), the credentials the
//! environment offers (the official SDKs' variables), and where a credential may be sent.

use super::oauth::{Purpose, ServiceApp};
use crate::environment::Environment;
use crate::jose::SigningKey;
use crate::secret::Secret;

use std::sync::Arc;

/// How oktaform authenticates to one org: an API token, or an OAuth service app whose
/// token the client fetches and caches.
#[derive(Clone, Debug)]
pub enum Credentials {
    ApiToken(Secret),
    ServiceApp(Arc<ServiceApp>),
}

/// Why an org has no usable credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialProblem {
    /// No credentials from any source.
    Missing,
    /// A `management` block whose `api_token` is empty, and no other credentials: the
    /// connection that has it, and the environment variables it reads.
    EmptyToken { connection: String, variables: Vec<String> },
    /// Environment credentials, but several orgs could use them.
    Ambiguous,
    /// A service app whose settings cannot be used: where they come from, and why.
    InvalidServiceApp { source: String, reason: String },
}

/// Credentials and where they were found, in words for diagnostics.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub credentials: Credentials,
    /// "the API token of the `management` block of connection `prod`", "the API token in
    /// `OKTA_API_TOKEN`", ...
    pub source: String,
}

/// A service app's settings, before its key is read.
pub struct ServiceAppSettings<'a> {
    pub client_id: &'a str,
    pub private_key: &'a str,
    pub key_id: Option<&'a str>,
    /// The scopes to ask for; empty: those the purpose needs.
    pub scopes: Vec<String>,
    /// Where the settings come from, in words.
    pub source: String,
}

impl ServiceAppSettings<'_> {
    /// Credentials of the service app, once its key is read.
    pub fn resolve(self, purpose: Purpose) -> Result<Resolved, CredentialProblem> {
        let invalid = |reason: String| CredentialProblem::InvalidServiceApp {
            source: self.source.clone(),
            reason,
        };
        if self.client_id.trim().is_empty() {
            return Err(invalid("the client id is empty".to_owned()));
        }
        let key = SigningKey::parse(self.private_key).map_err(|e| invalid(e.to_string()))?;
        Ok(Resolved {
            credentials: Credentials::ServiceApp(Arc::new(ServiceApp::new(
                self.client_id.trim().to_owned(),
                key,
                self.key_id.map(str::to_owned),
                self.scopes,
                purpose,
            ))),
            source: self.source,
        })
    }
}

/// Credentials the environment offers: `OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey` and its
/// companions, else `OKTA_CLIENT_TOKEN`, else `OKTA_API_TOKEN`.
pub enum EnvCredentials<'a> {
    /// The name of the variable, and its value.
    Token(&'static str, &'a str),
    ServiceApp(ServiceAppSettings<'a>),
}

impl<'a> EnvCredentials<'a> {
    pub fn of(env: &'a Environment) -> Option<Self> {
        let set = |name: &str| env.get(name).filter(|v| !v.is_empty());
        if set("OKTA_CLIENT_AUTHORIZATIONMODE").is_some_and(|m| m.eq_ignore_ascii_case("PrivateKey")) {
            let client_id = set("OKTA_CLIENT_CLIENTID").unwrap_or_default();
            return Some(EnvCredentials::ServiceApp(ServiceAppSettings {
                client_id,
                private_key: set("OKTA_CLIENT_PRIVATEKEY").unwrap_or_default(),
                key_id: set("OKTA_CLIENT_KID").or_else(|| set("OKTA_CLIENT_PRIVATEKEYID")),
                scopes: set("OKTA_CLIENT_SCOPES")
                    .unwrap_or_default()
                    .split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                source: format!("the service app `{client_id}` of OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey"),
            }));
        }
        ["OKTA_CLIENT_TOKEN", "OKTA_API_TOKEN"]
            .into_iter()
            .find_map(|name| set(name).map(|token| EnvCredentials::Token(name, token)))
    }

    /// The credentials, for `purpose`.
    pub fn resolve(self, purpose: Purpose) -> Result<Resolved, CredentialProblem> {
        match self {
            EnvCredentials::Token(name, token) => Ok(Resolved {
                credentials: Credentials::ApiToken(Secret::new(token)),
                source: format!("the API token in {name}"),
            }),
            EnvCredentials::ServiceApp(settings) => settings.resolve(purpose),
        }
    }
}

/// The domain suffixes of Okta orgs: a credential may go to `https://<domain>` for these.
pub const OKTA_ORG_SUFFIXES: [&str; 5] = [
    ".okta.com",
    ".oktapreview.com",
    ".okta-emea.com",
    ".okta-gov.com",
    ".okta.mil",
];

/// Where credentials may be sent, from the flags and the environment of this invocation,
/// never from the config or a plan file.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    /// The origin of `OKTA_CLIENT_ORGURL`, when set.
    pub org_url: Option<url::Origin>,
    /// Origins named by `--endpoint` or `OKTAFORM_ALLOWED_ORIGINS`.
    pub named: Vec<url::Origin>,
}

/// Why a credential may not go to a URL, with the variable that would allow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginRefusal {
    /// `OKTA_CLIENT_ORGURL` names another origin.
    Mismatch { org_url: String },
    /// Neither an Okta org domain nor a named origin.
    NotAllowed,
    /// An IP address outside the loopback: never.
    IpLiteral,
}

impl OriginPolicy {
    /// The policy of `env` (`OKTA_CLIENT_ORGURL`, `OKTAFORM_ALLOWED_ORIGINS`) and the
    /// `--endpoint` flag. Unparsable entries allow nothing.
    pub fn new(env: &Environment, endpoint: Option<&url::Url>) -> Self {
        let origin = |text: &str| url::Url::parse(text.trim()).ok().map(|u| u.origin());
        let org_url = env.get("OKTA_CLIENT_ORGURL").filter(|v| !v.is_empty()).and_then(origin);
        let mut named: Vec<url::Origin> = env
            .get("OKTAFORM_ALLOWED_ORIGINS")
            .unwrap_or_default()
            .split(',')
            .filter(|entry| !entry.trim().is_empty())
            .filter_map(origin)
            .collect();
        named.extend(endpoint.map(url::Url::origin));
        Self { org_url, named }
    }

    /// Whether a credential of `domain` may be sent to `url`.
    pub fn check(&self, domain: &str, url: &url::Url) -> Result<(), OriginRefusal> {
        let origin = url.origin();
        let ip_outside_loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
            Some(url::Host::Domain(_)) => false,
            None => true,
        };
        if ip_outside_loopback {
            return Err(OriginRefusal::IpLiteral);
        }
        if self.named.contains(&origin) || self.org_url.as_ref() == Some(&origin) {
            return Ok(());
        }
        if let Some(org_url) = &self.org_url {
            return Err(OriginRefusal::Mismatch {
                org_url: org_url.ascii_serialization(),
            });
        }
        let domain = domain.to_ascii_lowercase();
        let okta_domain = OKTA_ORG_SUFFIXES.iter().any(|suffix| {
            domain
                .strip_suffix(suffix)
                .is_some_and(|name| !name.is_empty() && !name.ends_with('.'))
        });
        let org_origin = url::Url::parse(&format!("https://{domain}")).ok().map(|u| u.origin());
        if okta_domain && org_origin == Some(origin) {
            return Ok(());
        }
        Err(OriginRefusal::NotAllowed)
    }
}

#[cfg(test)]
mod origin_tests {
    use super::*;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn okta_domains_and_named_origins_only() {
        let policy = OriginPolicy::default();
        assert_eq!(policy.check("acme.okta.com", &url("https://acme.okta.com")), Ok(()));
        assert_eq!(
            policy.check("acme.oktapreview.com", &url("https://acme.oktapreview.com/")),
            Ok(())
        );
        for (domain, to) in [
            ("acme.okta.co", "https://acme.okta.co"),
            ("acme.okta.com", "https://evil.example"),
            ("acme.okta.com", "http://acme.okta.com"),
            ("acme.okta.com", "https://acme.okta.com:8443"),
            ("okta.com", "https://okta.com"),
            ("localhost", "http://localhost:8089"),
        ] {
            assert_eq!(policy.check(domain, &url(to)), Err(OriginRefusal::NotAllowed), "{to}");
        }
        assert_eq!(
            policy.check("acme.okta.com", &url("http://169.254.169.254")),
            Err(OriginRefusal::IpLiteral)
        );
        let env: Environment = [(
            "OKTAFORM_ALLOWED_ORIGINS",
            "https://login.acme.com, http://127.0.0.1:8089",
        )]
        .into_iter()
        .collect();
        let policy = OriginPolicy::new(&env, Some(&url("https://10.0.0.1")));
        assert_eq!(policy.check("acme.okta.com", &url("https://login.acme.com/")), Ok(()));
        assert_eq!(policy.check("acme.okta.com", &url("http://127.0.0.1:8089")), Ok(()));
        assert_eq!(
            policy.check("acme.okta.com", &url("https://10.0.0.1")),
            Err(OriginRefusal::IpLiteral)
        );
    }

    #[test]
    fn the_org_url_allows_its_origin_and_refuses_others() {
        let env: Environment = [("OKTA_CLIENT_ORGURL", "https://acme.okta.com")].into_iter().collect();
        let policy = OriginPolicy::new(&env, None);
        assert_eq!(policy.check("acme.okta.com", &url("https://acme.okta.com")), Ok(()));
        assert_eq!(
            policy.check("evil.okta.com", &url("https://evil.okta.com")),
            Err(OriginRefusal::Mismatch {
                org_url: "https://acme.okta.com".to_owned()
            })
        );
    }
}
