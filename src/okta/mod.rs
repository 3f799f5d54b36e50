//! The Okta Management API client: credentials, requests with retries and pacing,
//! pagination, and the wire types (the only module that knows Okta's JSON shapes).

mod client;
mod credentials;
mod error;
mod pacer;
pub mod wire;

pub use client::{ClientOptions, OktaClient, Reply, RequestLog, http_client};
pub use credentials::{CredentialProblem, Credentials, resolve_credentials};
pub use error::OktaError;

/// Installs the TLS crypto provider; call once before building any client (idempotent).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
