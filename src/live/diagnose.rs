//! Problems of reading an org as diagnostics: what went wrong and what to do, in words.
//! Where in the config they point is the caller's business (it knows the spans).

use super::ReadError;
use crate::diagnostics::{Code, Diagnostic};
use crate::okta::{OktaError, Purpose};

/// A diagnostic for a whole org when `error` is a fault of the org as a whole: its
/// credentials refused (401/403), or its name not resolving.
/// `service_app`: the credential is a service app's (whose roles are its own), not a user's
/// API token.
pub fn org_fault(
    domain: &str,
    error: &OktaError,
    source: &str,
    purpose: Purpose,
    service_app: bool,
) -> Option<Diagnostic> {
    let (code, message, help) = match (error, error.status()) {
        (OktaError::MissingScope { scope, .. }, _) => {
            return Some(
                Diagnostic::new(
                    Code::CredentialsMissingScope,
                    format!("`{domain}`: {source} lacks the scope `{scope}`, which `oktaform {}` needs: {error}", purpose.command()),
                )
                .help(format!(
                    "grant `{scope}` to the service app (Okta API Scopes tab), and list it in `oauth {{ scopes }}` or leave `scopes` out"
                )),
            );
        }
        (OktaError::Token { error: kind, .. }, _) if kind.is_missing_scope() => {
            return Some(
                Diagnostic::new(
                    Code::CredentialsMissingScope,
                    format!(
                        "`{domain}` grants {source} none of the scopes `oktaform {}` asks for: {error}",
                        purpose.command()
                    ),
                )
                .help(format!(
                    "grant the service app these scopes (Okta API Scopes tab): {}",
                    purpose.scopes().join(", ")
                )),
            );
        }
        (OktaError::Token { .. }, _) => (
            Code::CredentialsRejected,
            format!("`{domain}` does not accept {source}: {error}"),
            "check the client id, and that the app's public keys (JWKS) hold the private key's public half; the key id (`key_id`) must name it",
        ),
        (_, Some(401)) => (
            Code::CredentialsRejected,
            format!("`{domain}` does not accept {source}: {error}"),
            "the token is unknown, expired or revoked: create an API token as a super admin (Security > API > Tokens) and use it",
        ),
        (_, Some(403)) if service_app => (
            Code::CredentialsRejected,
            format!("`{domain}` refuses a request made with {source}: {error}"),
            "a new service app has no admin role: assign it the Super Administrator role (Admin Console: the app's Admin roles tab, or POST /oauth2/v1/clients/{clientId}/roles)",
        ),
        (_, Some(403)) => (
            Code::CredentialsRejected,
            format!("`{domain}` refuses a request made with {source}: {error}"),
            "the token's user lacks a permission oktaform needs: use an API token of a super admin",
        ),
        (OktaError::Unresolved { host, .. }, _) => (
            Code::LiveRequestFailed,
            format!("`{domain}` cannot be reached: the host name `{host}` does not resolve"),
            "check the org's domain or endpoint (and --endpoint), and the network's DNS; this is not retried",
        ),
        _ => return None,
    };
    Some(Diagnostic::new(code, message).help(help))
}

impl ReadError {
    /// The diagnostic of this problem, placed nowhere yet.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            ReadError::AppNotFound { key, searched } => Diagnostic::new(
                Code::LiveAppNotFound,
                format!(
                    "no Okta Workflows OAuth app with client id `{}` in `{}`: {searched}",
                    key.client_id, key.domain
                ),
            )
            .help("copy the client ID from the Sign On tab of the Okta Workflows OAuth app"),
            ReadError::NotWorkflowsApp { key, name, label } => Diagnostic::new(
                Code::LiveNotWorkflowsApp,
                format!(
                    "`{}` is the app \"{label}\" (name `{name}`), not the Okta Workflows OAuth app",
                    key.client_id
                ),
            )
            .help("use the client ID of the app labelled \"Okta Workflows OAuth\""),
            ReadError::AccountNotFound { key, login } => Diagnostic::new(
                Code::LiveAccountNotFound,
                format!("no user `{login}` in `{}`", key.domain),
            )
            .help("the service account must exist; oktaform does not create users"),
            ReadError::NotSuperAdmin { domain, login } => Diagnostic::new(
                Code::PreflightNotSuperAdmin,
                format!("`{login}`, whose credentials oktaform uses for `{domain}`, is not a super admin"),
            )
            .help("only super admins may grant scopes: use an API token of a super admin"),
            ReadError::Request { domain, error } => {
                Diagnostic::new(Code::LiveRequestFailed, format!("reading `{domain}` failed: {error}")).help(
                    if error.retried() {
                        "429s, 5xx, timeouts and resets were retried; run again, or with -v to see each request"
                    } else {
                        "run with -v to see each request"
                    },
                )
            }
        }
    }
}
