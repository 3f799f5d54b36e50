//! The Okta Management API client: credentials, requests with retries and pacing,
//! pagination, and the wire types (the only module that knows Okta's JSON shapes).

mod client;
mod credentials;
mod error;
mod oauth;
mod pacer;
mod retry;
pub mod wire;

pub use client::{
    BODY_LIMIT, ClientOptions, LIST_PAGE_LIMIT, LOG_PAGE_LIMIT, OktaClient, Paging, Reply, RequestLog, Tls,
    http_client, read_answer,
};
pub use credentials::{
    CredentialProblem, Credentials, EnvCredentials, OKTA_ORG_SUFFIXES, OriginPolicy, OriginRefusal, Resolved,
    ServiceAppSettings,
};
pub use error::OktaError;
pub use oauth::{OAuthError, Purpose};
pub use retry::{Decision, Fault, Outcome, RetryPolicy, Unresolvable};

/// A path segment with RFC 3986's unreserved characters kept and everything else encoded
/// (ids, logins such as `a@b.com`).
pub fn path_segment(segment: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}

/// Installs the TLS crypto provider; call once before building any client (idempotent).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
