//! An OAuth service app as oktaform's credential: a `client_credentials` token from the org
//! authorization server, the client authenticated by a `private_key_jwt` assertion, DPoP
//! proofs when the app requires them (learned from the token endpoint's first answer), and
//! one cached token per org, refreshed before it expires and once after a 401.
//!
//! Wire facts: okta-api/REFERENCE.md section 9 (form fields, assertion claims, the
//! `invalid_dpop_proof` fallback and the `use_dpop_nonce` exchange, as the official SDKs do).

use super::client::{ClientOptions, no_answer, parse_http_date, read_body};
use super::error::OktaError;
use super::retry::{Decision, Fault, Outcome};
use crate::jose::{SigningKey, sha256_b64url};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use url::Url;

/// Told of each token request: its URL, status (none when no answer came) and Okta
/// request id, for `-v`.
pub type TokenObserver<'a> = dyn Fn(&Url, Option<u16>, Option<String>) + Sync + 'a;

/// What a command does with the org, and so the scopes it asks for when the config names
/// none: exactly those it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Plan,
    Apply,
    Drift,
    Query,
}

impl Purpose {
    pub fn command(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Apply => "apply",
            Self::Drift => "drift",
            Self::Query => "query",
        }
    }

    pub fn scopes(self) -> &'static [&'static str] {
        const READ: &[&str] = &[
            "okta.apps.read",
            "okta.appGrants.read",
            "okta.users.read",
            "okta.roles.read",
        ];
        match self {
            Self::Plan => READ,
            Self::Apply => &[
                "okta.apps.manage",
                "okta.appGrants.manage",
                "okta.users.read",
                "okta.roles.manage",
            ],
            Self::Drift => &[
                "okta.apps.read",
                "okta.appGrants.read",
                "okta.users.read",
                "okta.roles.read",
                "okta.logs.read",
            ],
            Self::Query => &["okta.logs.read"],
        }
    }
}

/// Refresh this long before the token expires (at most half its lifetime), so that no
/// request carries a dying token.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The longest `expires_in` believed (a day), so that a lying answer cannot overflow the
/// clock or keep a token forever.
const MAX_TOKEN_LIFETIME: u64 = 86_400;
/// The assertion's lifetime: short, well under Okta's hour.
const ASSERTION_LIFETIME: u64 = 300;
/// The longest `DPoP-Nonce` kept: a nonce is an opaque token, not a document.
const MAX_NONCE_LEN: usize = 512;

/// `use_dpop_nonce` answers tolerated in one token request (the SDKs allow two).
const MAX_NONCE_RETRIES: u32 = 2;

/// An access token and how to present it.
#[derive(Clone)]
struct AccessToken {
    value: crate::secret::Secret,
    /// When to fetch the next one: before it expires.
    refresh_at: SystemTime,
    dpop: bool,
}

/// A service app's key and the token it holds.
pub struct ServiceApp {
    pub client_id: String,
    key: SigningKey,
    key_id: Option<String>,
    scopes: Vec<String>,
    pub purpose: Purpose,
    token: tokio::sync::Mutex<Option<AccessToken>>,
    /// The DPoP key, made when the app turns out to require DPoP.
    dpop_key: std::sync::OnceLock<SigningKey>,
    dpop_nonce: std::sync::Mutex<Option<String>>,
    /// The nonce the org's resource endpoints asked for, apart from the token endpoint's.
    resource_nonce: std::sync::Mutex<Option<String>>,
}

impl std::fmt::Debug for ServiceApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceApp")
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    token_type: String,
    expires_in: u64,
}

/// The `error` of a refused token request (RFC 6749 section 5.2, RFC 9449).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OAuthError {
    /// The app requires DPoP and the request had no proof.
    InvalidDpopProof,
    /// The proof must carry the nonce of the answer's `DPoP-Nonce`.
    UseDpopNonce,
    /// The app was not granted a scope asked for.
    ConsentRequired,
    InvalidScope,
    InvalidClient,
    /// Another error, as the server named it (made safe to show).
    Other(String),
}

impl OAuthError {
    pub fn from_wire(error: &str) -> Self {
        match error {
            "invalid_dpop_proof" => Self::InvalidDpopProof,
            "use_dpop_nonce" => Self::UseDpopNonce,
            "consent_required" => Self::ConsentRequired,
            "invalid_scope" => Self::InvalidScope,
            "invalid_client" => Self::InvalidClient,
            other => Self::Other(crate::text::from_server(other, &[])),
        }
    }

    /// Whether the app lacks a scope it asked for.
    pub fn is_missing_scope(&self) -> bool {
        matches!(self, Self::ConsentRequired | Self::InvalidScope)
    }
}

impl std::fmt::Display for OAuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::InvalidDpopProof => "invalid_dpop_proof",
            Self::UseDpopNonce => "use_dpop_nonce",
            Self::ConsentRequired => "consent_required",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidClient => "invalid_client",
            Self::Other(other) => other,
        })
    }
}

#[derive(Deserialize)]
struct TokenRefusal {
    error: String,
    #[serde(default)]
    error_description: String,
}

fn epoch_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn random_jti() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    crate::jose::b64url(&bytes)
}

impl ServiceApp {
    /// `scopes` empty: the scopes `purpose` needs.
    pub fn new(
        client_id: String,
        key: SigningKey,
        key_id: Option<String>,
        scopes: Vec<String>,
        purpose: Purpose,
    ) -> Self {
        let scopes = if scopes.is_empty() {
            purpose.scopes().iter().map(|s| (*s).to_owned()).collect()
        } else {
            scopes
        };
        Self {
            client_id,
            key,
            key_id,
            scopes,
            purpose,
            token: tokio::sync::Mutex::new(None),
            dpop_key: std::sync::OnceLock::new(),
            dpop_nonce: std::sync::Mutex::new(None),
            resource_nonce: std::sync::Mutex::new(None),
        }
    }

    /// Whether a refused resource request was a DPoP nonce challenge (`use_dpop_nonce` in
    /// `WWW-Authenticate`, as RFC 9449 section 9 words it, or in a JSON body, as the official
    /// Python SDK reads it, with the nonce in `DPoP-Nonce`); if so the nonce is kept for the
    /// proofs that follow, and the request may be sent once more.
    pub fn accept_resource_nonce(&self, headers: &reqwest::header::HeaderMap, body: &[u8]) -> bool {
        let Some(nonce) = headers
            .get("dpop-nonce")
            .and_then(|v| v.to_str().ok())
            .filter(|n| !n.is_empty() && n.len() <= MAX_NONCE_LEN)
        else {
            return false;
        };
        let challenged = headers
            .get_all(reqwest::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains(r#"error="use_dpop_nonce""#))
            || serde_json::from_slice::<Value>(body)
                .is_ok_and(|b| b.get("error").and_then(Value::as_str) == Some("use_dpop_nonce"));
        if challenged {
            *self
                .resource_nonce
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(nonce.to_owned());
        }
        challenged
    }

    /// Forgets the token, after the org refused it.
    pub async fn invalidate(&self) {
        *self.token.lock().await = None;
    }

    /// The headers that authorize `method url`: `Authorization`, and `DPoP` for a DPoP token.
    /// `observe` is told of each token request (URL, status, request id).
    pub async fn headers(
        &self,
        http: &reqwest::Client,
        base: &Url,
        (method, url): (&Method, &Url),
        options: &ClientOptions,
        observe: &TokenObserver<'_>,
    ) -> Result<Vec<(&'static str, String)>, OktaError> {
        let token = {
            let mut cached = self.token.lock().await;
            match cached.as_ref() {
                Some(token) if token.refresh_at > SystemTime::now() => token.clone(),
                _ => {
                    let fresh = self.fetch(http, base, options, observe).await?;
                    *cached = Some(fresh.clone());
                    fresh
                }
            }
        };
        if !token.dpop {
            return Ok(vec![("Authorization", format!("Bearer {}", token.value.expose()))]);
        }
        let ath = sha256_b64url(token.value.expose());
        let nonce = self
            .resource_nonce
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let proof = self.proof(method.as_str(), &htu(url), nonce.as_deref(), Some(&ath));
        Ok(vec![
            ("Authorization", format!("DPoP {}", token.value.expose())),
            ("DPoP", proof),
        ])
    }

    fn dpop_key(&self) -> &SigningKey {
        self.dpop_key.get_or_init(SigningKey::generate_ec)
    }

    fn proof(&self, method: &str, htu: &str, nonce: Option<&str>, ath: Option<&str>) -> String {
        let key = self.dpop_key();
        let mut header = Map::new();
        header.insert("typ".to_owned(), Value::from("dpop+jwt"));
        header.insert("jwk".to_owned(), key.public_jwk());
        let mut claims = json!({"htm": method, "htu": htu, "iat": epoch_now(), "jti": random_jti()});
        if let Some(nonce) = nonce {
            claims["nonce"] = Value::from(nonce);
        }
        if let Some(ath) = ath {
            claims["ath"] = Value::from(ath);
        }
        key.sign(header, &claims)
    }

    fn assertion(&self, audience: &str) -> String {
        let now = epoch_now();
        let mut header = Map::new();
        if let Some(kid) = &self.key_id {
            header.insert("kid".to_owned(), Value::from(kid.as_str()));
        }
        let claims = json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME,
            "jti": random_jti(),
        });
        self.key.sign(header, &claims)
    }

    /// One token request to `url`, with a new assertion (a `jti` is good once) and, once
    /// the app asked for it, a DPoP proof.
    fn token_request(
        &self,
        http: &reqwest::Client,
        url: &Url,
        scope: &str,
        options: &ClientOptions,
    ) -> reqwest::RequestBuilder {
        let audience = htu(url);
        let request = http
            .post(url.clone())
            .timeout(options.timeout)
            .header("Accept", "application/json")
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", scope),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", self.assertion(&audience).as_str()),
            ]);
        if self.dpop_key.get().is_none() {
            return request;
        }
        let nonce = self
            .dpop_nonce
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        request.header("DPoP", self.proof("POST", &audience, nonce.as_deref(), None))
    }

    /// A new token from the org authorization server at `base`.
    async fn fetch(
        &self,
        http: &reqwest::Client,
        base: &Url,
        options: &ClientOptions,
        observe: &TokenObserver<'_>,
    ) -> Result<AccessToken, OktaError> {
        let url = base.join("/oauth2/v1/token").map_err(|e| OktaError::Decode {
            method: "POST".to_owned(),
            path: "/oauth2/v1/token".to_owned(),
            message: e.to_string(),
        })?;
        let scope = self.scopes.join(" ");
        let mut nonce_retries = 0;
        // Faults of the org (429, 5xx, no answer) are retried like any request; each try
        // signs a new assertion, since a `jti` is good once.
        let mut attempt = 0;
        loop {
            let dpop = self.dpop_key.get().is_some();
            let request = self.token_request(http, &url, &scope, options);
            let response = match request.send().await {
                Ok(response) => response,
                Err(error) => {
                    observe(&url, None, None);
                    let fault = Fault::of(&error);
                    if let Decision::Retry { wait, .. } = options.retry.decide(attempt, true, &Outcome::NoAnswer(fault))
                    {
                        tokio::time::sleep(wait).await;
                        attempt += 1;
                        continue;
                    }
                    return Err(no_answer(&reqwest::Method::POST, &url, fault, attempt + 1, &error));
                }
            };
            let status = response.status();
            let request_id = response
                .headers()
                .get("x-okta-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            observe(&url, Some(status.as_u16()), request_id);
            let nonce_header = response
                .headers()
                .get("dpop-nonce")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if !status.is_success() {
                let server_now = response
                    .headers()
                    .get("date")
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_http_date);
                let outcome = Outcome::Status {
                    status,
                    headers: response.headers(),
                    server_now,
                    now: SystemTime::now(),
                };
                // A token request changes nothing in the org: it is retried like a read.
                if let Decision::Retry { wait, .. } = options.retry.decide(attempt, true, &outcome) {
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            }
            let body = read_body(response).await.ok().flatten().unwrap_or_default();
            if status.is_success() {
                let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|e| OktaError::Decode {
                    method: "POST".to_owned(),
                    path: "/oauth2/v1/token".to_owned(),
                    message: e.to_string(),
                })?;
                // An answer is not trusted with the clock: Okta's tokens live an hour.
                let lifetime = Duration::from_secs(answer.expires_in.min(MAX_TOKEN_LIFETIME));
                return Ok(AccessToken {
                    value: crate::secret::Secret::new(answer.access_token),
                    refresh_at: SystemTime::now() + lifetime - REFRESH_MARGIN.min(lifetime / 2),
                    dpop: answer.token_type.eq_ignore_ascii_case("DPoP"),
                });
            }
            let refusal: Option<TokenRefusal> = serde_json::from_slice(&body).ok();
            let kind = refusal.as_ref().map(|r| OAuthError::from_wire(&r.error));
            match kind {
                // The app requires DPoP: start proving possession.
                Some(OAuthError::InvalidDpopProof) if !dpop => {
                    self.dpop_key();
                    continue;
                }
                Some(OAuthError::UseDpopNonce) if nonce_retries < MAX_NONCE_RETRIES => {
                    self.dpop_key();
                    *self
                        .dpop_nonce
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = nonce_header;
                    nonce_retries += 1;
                    continue;
                }
                _ => {}
            }
            return Err(OktaError::Token {
                status: status.as_u16(),
                error: kind.unwrap_or(OAuthError::Other(String::new())),
                description: refusal.map_or_else(
                    || status.canonical_reason().unwrap_or("error").to_owned(),
                    |r| crate::text::from_server(&r.error_description, &[]),
                ),
                client_id: self.client_id.clone(),
            });
        }
    }
}

/// A URL as a JWT `aud` or a DPoP `htu` names it: without query and fragment.
fn htu(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::okta::{ClientOptions, Credentials, OktaClient, http_client};
    use crate::sim::{Seed, Sim};
    use std::sync::Arc;

    fn fixture(path: &str) -> String {
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect("fixture")
    }

    #[test]
    fn a_revoked_token_is_replaced_once_and_the_request_goes_through() {
        let public: Value = serde_json::from_str(&fixture("tests/fixtures/oauth/public-keys.json")).unwrap();
        let mut seed: Value = serde_json::from_str(&fixture("examples/quickstart/sim-org.json")).unwrap();
        let app = seed["orgs"][0]["apps"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|a| a["application_type"] == "service")
            .unwrap();
        app["jwks"] = json!({"keys": [public["rsa"]]});
        let client_id = app["id"].as_str().unwrap().to_owned();
        let sim = Sim::builder()
            .seed(Seed::from_json(&seed.to_string()).unwrap())
            .start()
            .unwrap();
        let key = SigningKey::parse(&fixture("tests/fixtures/oauth/rsa-pkcs1.pem")).unwrap();
        let app = ServiceApp::new(client_id, key, None, Vec::new(), Purpose::Plan);
        let client = OktaClient::new(
            http_client(&crate::environment::Environment::default(), crate::okta::Tls::Unused).unwrap(),
            Url::parse(sim.url()).unwrap(),
            "acme.okta.com",
            Credentials::ServiceApp(Arc::new(app)),
            ClientOptions::default(),
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let _: Value = client.get("/api/v1/apps?limit=1").await.unwrap();
            sim.revoke_tokens();
            let _: Value = client.get("/api/v1/apps?limit=1").await.unwrap();
        });
        let served: Vec<String> = sim
            .requests()
            .iter()
            .map(|r| format!("{} {} {}", r.method, r.path, r.status))
            .collect();
        assert_eq!(
            served,
            [
                "POST /oauth2/v1/token 200",
                "GET /api/v1/apps 200",
                "GET /api/v1/apps 401",
                "POST /oauth2/v1/token 200",
                "GET /api/v1/apps 200",
            ]
        );
    }
}
