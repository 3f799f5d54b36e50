//! OAuth service apps: the org authorization server's `POST /oauth2/v1/token`
//! (`client_credentials` with a `private_key_jwt` assertion, DPoP with the nonce exchange
//! when the app requires it), and the checks of the access tokens it issues on every API
//! request (scheme, DPoP proof, expiry, scopes).
//!
//! Wording and codes follow okta-api/REFERENCE.md section 9 (error bodies `{error,
//! error_description}`; `use_dpop_nonce` with a `DPoP-Nonce` header). The order in which
//! real Okta runs its checks is unverified; each failure here has one cause.

use super::http::json_response;
use super::ids::random_id;
use super::state::{App, SimState};
use crate::jose::{Jwt, PublicJwk, sha256_b64url};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// An assertion may be valid for at most this long (REFERENCE section 9).
const MAX_ASSERTION_LIFETIME: i64 = 3600;
/// How far a DPoP proof's `iat` may be from the sim's clock.
const PROOF_WINDOW: i64 = 300;
/// Service app tokens live one hour (REFERENCE section 9), unless shortened for tests.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// An access token the sim issued.
#[derive(Clone, Debug)]
pub struct Issued {
    pub org: usize,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires: SystemTime,
    /// The thumbprint of the DPoP key the token is bound to (`cnf.jkt`).
    pub jkt: Option<String>,
}

/// Tokens, used `jti`s and the DPoP nonce: memory only, as tokens do not outlive a server.
#[derive(Debug, Default)]
pub struct Tokens {
    issued: HashMap<String, Issued>,
    used_jtis: HashSet<String>,
    nonce: String,
    /// Whether resource requests need [`Self::resource_nonce_value`] in their proofs.
    pub resource_nonce: bool,
    /// The resource server's nonce, apart from the authorization server's.
    resource_nonce_value: String,
}

/// An OAuth error as the org authorization server words it.
#[derive(Debug)]
pub struct OauthError {
    status: StatusCode,
    error: &'static str,
    description: String,
    nonce: Option<String>,
}

impl OauthError {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
            nonce: None,
        }
    }

    fn client(description: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    fn proof(description: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_dpop_proof", description)
    }
}

impl IntoResponse for OauthError {
    fn into_response(self) -> Response {
        let mut response = json_response(
            self.status,
            &json!({"error": self.error, "error_description": self.description}),
        );
        if let Some(nonce) = self.nonce.and_then(|n| HeaderValue::from_str(&n).ok()) {
            response.headers_mut().insert("dpop-nonce", nonce);
        }
        response
    }
}

fn epoch(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The keys of an app's JWKS that `kid` names (all of them without a `kid`).
fn app_keys<'a>(app: &'a App, kid: Option<&'a str>) -> impl Iterator<Item = PublicJwk> + 'a {
    app.jwks
        .as_ref()
        .and_then(|jwks| jwks.get("keys"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(move |key| kid.is_none_or(|kid| key.get("kid").and_then(Value::as_str) == Some(kid)))
        .filter_map(PublicJwk::parse)
}

/// A request to the token endpoint.
pub struct TokenRequest<'a> {
    /// The token URL as the client called it.
    pub url: &'a str,
    pub headers: &'a HeaderMap,
    /// The form fields.
    pub form: &'a HashMap<String, String>,
    /// How long the token lives.
    pub lifetime: Duration,
}

impl Tokens {
    /// Answers a token request, with the org that owns the client, when known, for the
    /// request log.
    pub fn token(&mut self, state: &SimState, request: &TokenRequest<'_>) -> (Response, Option<usize>) {
        match self.issue(state, request) {
            Ok((body, org)) => (json_response(StatusCode::OK, &body), Some(org)),
            Err((error, org)) => (error.into_response(), org),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn issue(
        &mut self,
        state: &SimState,
        &TokenRequest {
            url,
            headers,
            form,
            lifetime,
        }: &TokenRequest<'_>,
    ) -> Result<(Value, usize), (OauthError, Option<usize>)> {
        let field = |name: &str| form.get(name).map(String::as_str);
        if field("grant_type") != Some("client_credentials") {
            return Err((
                OauthError::new(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    "The authorization grant type is not supported by the authorization server.",
                ),
                None,
            ));
        }
        if field("client_assertion_type") != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
            return Err((
                OauthError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The client_assertion_type is invalid.",
                ),
                None,
            ));
        }
        let assertion = field("client_assertion")
            .and_then(|text| Jwt::parse(text).ok())
            .ok_or((OauthError::client("The client_assertion token is invalid."), None))?;
        let client_id = assertion.claim_str("iss").unwrap_or_default();
        let (org, app) = state
            .orgs
            .iter()
            .enumerate()
            .find_map(|(i, org)| {
                org.apps
                    .iter()
                    .find(|a| a.client_id == client_id && a.application_type == "service" && a.status == "ACTIVE")
                    .map(|app| (i, app))
            })
            .ok_or((OauthError::client("Invalid value for 'client_id' parameter."), None))?;
        let fail = |description: &str| (OauthError::client(description), Some(org));
        if assertion.claim_str("sub") != Some(client_id) {
            return Err(fail("The client_assertion token's 'sub' claim must be the client_id."));
        }
        if assertion.claim_str("aud") != Some(url) {
            return Err(fail(
                "The audience claim for client_assertion must be the endpoint invoked for the request.",
            ));
        }
        let now = epoch(SystemTime::now());
        match assertion.claim_i64("exp") {
            Some(exp) if exp <= now => return Err(fail("The client_assertion token is expired.")),
            Some(exp) if exp > now + MAX_ASSERTION_LIFETIME + 60 => {
                return Err(fail(
                    "The client_assertion token has an expiration too far in the future.",
                ));
            }
            Some(_) => {}
            None => return Err(fail("The client_assertion token is expired.")),
        }
        let kid = assertion.header.get("kid").and_then(Value::as_str);
        let mut keys = app_keys(app, kid).peekable();
        if keys.peek().is_none() {
            return Err(fail("The client_assertion JWT kid is invalid."));
        }
        if !keys.any(|key| key.verify(&assertion).is_ok()) {
            return Err(fail("The client_assertion signature is invalid."));
        }
        if let Some(jti) = assertion.claim_str("jti")
            && !self.used_jtis.insert(format!("assertion:{client_id}:{jti}"))
        {
            return Err(fail("The client_assertion token has already been used."));
        }
        let jkt = if app.dpop_bound_access_tokens {
            Some(
                self.check_proof(headers, "POST", url, None)
                    .map_err(|e| (e, Some(org)))?,
            )
        } else {
            None
        };
        let requested: Vec<&str> = field("scope").unwrap_or_default().split_whitespace().collect();
        if requested.is_empty() {
            return Err((
                OauthError::new(StatusCode::BAD_REQUEST, "invalid_scope", "No scopes were requested."),
                Some(org),
            ));
        }
        // The org authorization server issues only Okta API scopes: a custom scope is an
        // error, not dropped ("Custom scopes are not allowed for this request." is what an
        // org answers a client_credentials request that names one).
        if requested.iter().any(|scope| !scope.starts_with("okta.")) {
            return Err((
                OauthError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    "Custom scopes are not allowed for this request.",
                ),
                Some(org),
            ));
        }
        let granted: Vec<String> = requested
            .iter()
            .filter(|scope| app.grants.iter().any(|g| g.scope_id == **scope))
            .map(|scope| (*scope).to_owned())
            .collect();
        if granted.is_empty() {
            return Err((
                OauthError::new(
                    StatusCode::BAD_REQUEST,
                    "consent_required",
                    "You are not allowed any of the requested scopes.",
                ),
                Some(org),
            ));
        }
        let access_token = random_id("sim-at-");
        let token_type = if jkt.is_some() { "DPoP" } else { "Bearer" };
        self.issued.insert(
            access_token.clone(),
            Issued {
                org,
                client_id: client_id.to_owned(),
                scopes: granted.clone(),
                expires: SystemTime::now() + lifetime,
                jkt,
            },
        );
        Ok((
            json!({
                "token_type": token_type,
                "expires_in": lifetime.as_secs(),
                "access_token": access_token,
                "scope": granted.join(" "),
            }),
            org,
        ))
    }

    /// Checks the `DPoP` proof of a request to `url` with `method`; `access_token` is the
    /// token it must carry the hash of (`ath`) on resource requests. Returns the thumbprint of
    /// the proof's key.
    fn check_proof(
        &mut self,
        headers: &HeaderMap,
        method: &str,
        url: &str,
        access_token: Option<&str>,
    ) -> Result<String, OauthError> {
        let proof = headers
            .get("dpop")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| OauthError::proof("The DPoP proof JWT header is missing."))?;
        let invalid = || OauthError::proof("The DPoP proof JWT is invalid.");
        let proof = Jwt::parse(proof).map_err(|_| invalid())?;
        if proof.header.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
            return Err(invalid());
        }
        let key = proof.header.get("jwk").and_then(PublicJwk::parse).ok_or_else(invalid)?;
        key.verify(&proof).map_err(|_| invalid())?;
        let now = epoch(SystemTime::now());
        let fresh = proof
            .claim_i64("iat")
            .is_some_and(|iat| (iat - now).abs() <= PROOF_WINDOW);
        if proof.claim_str("htm") != Some(method) || proof.claim_str("htu") != Some(url) || !fresh {
            return Err(invalid());
        }
        if let Some(token) = access_token {
            if proof.claim_str("ath") != Some(sha256_b64url(token).as_str()) {
                return Err(invalid());
            }
        } else if proof.claim_str("nonce") != Some(self.nonce()) {
            return Err(OauthError {
                nonce: Some(self.nonce().to_owned()),
                ..OauthError::new(
                    StatusCode::BAD_REQUEST,
                    "use_dpop_nonce",
                    "Authorization server requires nonce in DPoP proof.",
                )
            });
        }
        let jti = proof.claim_str("jti").ok_or_else(invalid)?;
        if !self.used_jtis.insert(format!("proof:{jti}")) {
            return Err(invalid());
        }
        Ok(key.thumbprint())
    }

    /// The `use_dpop_nonce` answer to a resource request whose proof lacks the current
    /// resource nonce, when resource nonces are required (one nonce per sim, so that
    /// concurrent requests converge). The challenge is RFC 9449's
    /// (`WWW-Authenticate: DPoP error="use_dpop_nonce"`, the nonce in `DPoP-Nonce`); the JSON
    /// body beside it is what the official Python SDK reads. Okta's exact answer is
    /// unverified.
    fn resource_nonce_challenge(&mut self, headers: &HeaderMap) -> Option<Response> {
        if !self.resource_nonce {
            return None;
        }
        let proof = headers
            .get("dpop")
            .and_then(|v| v.to_str().ok())
            .and_then(|p| Jwt::parse(p).ok());
        let sent = proof.as_ref().and_then(|p| p.claim_str("nonce"));
        if self.resource_nonce_value.is_empty() {
            self.resource_nonce_value = random_id("nonce-");
        } else if sent == Some(self.resource_nonce_value.as_str()) {
            return None;
        }
        let description = "Resource server requires nonce in DPoP proof.";
        let mut response = json_response(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "use_dpop_nonce", "error_description": description}),
        );
        let challenge = format!(r#"DPoP error="use_dpop_nonce", error_description="{description}""#);
        for (name, value) in [
            (header::WWW_AUTHENTICATE, challenge),
            (HeaderName::from_static("dpop-nonce"), self.resource_nonce_value.clone()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(name, value);
            }
        }
        Some(response)
    }

    pub fn revoke_all(&mut self) {
        self.issued.clear();
    }

    fn nonce(&mut self) -> &str {
        if self.nonce.is_empty() {
            self.nonce = random_id("nonce-");
        }
        &self.nonce
    }

    /// The token of an `Authorization: Bearer|DPoP <token>` header, checked: known, not
    /// expired, used with its scheme and (DPoP) a proof of its key.
    pub fn authenticate(
        &mut self,
        scheme: Scheme,
        token: &str,
        headers: &HeaderMap,
        method: &str,
        url: &str,
    ) -> Result<Issued, Box<Response>> {
        let Some(issued) = self.issued.get(token).cloned() else {
            return Err(Box::new(unauthorized(scheme, "The token is not valid.")));
        };
        if issued.expires <= SystemTime::now() {
            self.issued.remove(token);
            return Err(Box::new(unauthorized(scheme, "The token has expired.")));
        }
        match (scheme, &issued.jkt) {
            (Scheme::Bearer, Some(_)) => Err(Box::new(resource_error(
                StatusCode::BAD_REQUEST,
                Scheme::DPoP,
                "invalid_request",
                "The resource request must use the DPoP authentication scheme when using a DPoP bound token.",
            ))),
            (Scheme::DPoP, None) => Err(Box::new(unauthorized(
                scheme,
                "The presented access_token is not DPoP bound.",
            ))),
            (Scheme::DPoP, Some(jkt)) => match self.check_proof(headers, method, url, Some(token)) {
                Ok(thumbprint) if thumbprint == *jkt => match self.resource_nonce_challenge(headers) {
                    Some(challenge) => Err(Box::new(challenge)),
                    None => Ok(issued),
                },
                Ok(_) => Err(Box::new(unauthorized(
                    scheme,
                    "The DPoP proof key does not match the token.",
                ))),
                Err(_) => Err(Box::new(resource_error(
                    StatusCode::BAD_REQUEST,
                    scheme,
                    "invalid_request",
                    "The resource request requires a DPoP proof.",
                ))),
            },
            (Scheme::Bearer, None) => Ok(issued),
        }
    }
}

/// The OAuth authorization schemes of resource requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Bearer,
    DPoP,
}

impl Scheme {
    pub fn name(self) -> &'static str {
        match self {
            Self::Bearer => "Bearer",
            Self::DPoP => "DPoP",
        }
    }
}

fn resource_error(status: StatusCode, scheme: Scheme, error: &str, description: &str) -> Response {
    let mut response = super::http::ApiError::invalid_token().into_response();
    *response.status_mut() = status;
    let challenge = format!(
        r#"{} authorization_uri="http://localhost/oauth2/v1/authorize", realm="http://localhost", scope="", error="{error}", error_description="{description}", resource="""#,
        scheme.name()
    );
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

fn unauthorized(scheme: Scheme, description: &str) -> Response {
    resource_error(StatusCode::UNAUTHORIZED, scheme, "invalid_token", description)
}

/// 403 for a token without the scope an endpoint needs: empty body, the scope named in
/// `WWW-Authenticate` (REFERENCE section 7).
pub fn insufficient_scope(scheme: Scheme, path: &str, scope: &str) -> Response {
    let mut response = StatusCode::FORBIDDEN.into_response();
    let challenge = format!(
        r#"{} realm="IdpMyAccountAPI", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="{path}", scope="{scope}""#,
        scheme.name()
    );
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// The scope an API request needs (the spec's `security` of its operation); `.manage`
/// holds `.read`.
pub fn required_scope(method: &str, path: &str) -> Option<&'static str> {
    let read = method == "GET";
    let pick = |r: &'static str, m: &'static str| Some(if read { r } else { m });
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["api", "v1", "logs", ..] => Some("okta.logs.read"),
        ["api", "v1", "apps", _, "grants", ..] => pick("okta.appGrants.read", "okta.appGrants.manage"),
        ["api", "v1", "apps", ..] => pick("okta.apps.read", "okta.apps.manage"),
        ["api", "v1", "users" | "groups", _, "roles", ..] => pick("okta.roles.read", "okta.roles.manage"),
        ["api", "v1", "users", ..] => pick("okta.users.read", "okta.users.manage"),
        ["api", "v1", "groups", ..] => pick("okta.groups.read", "okta.groups.manage"),
        _ => None,
    }
}

/// Whether `scopes` hold `needed` (`okta.x.manage` holds `okta.x.read`).
pub fn holds(scopes: &[String], needed: &str) -> bool {
    scopes.iter().any(|s| {
        s == needed
            || needed
                .strip_suffix(".read")
                .is_some_and(|base| s.strip_suffix(".manage") == Some(base))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manage_holds_read_and_not_the_reverse() {
        let scopes = vec!["okta.apps.manage".to_owned(), "okta.logs.read".to_owned()];
        assert!(holds(&scopes, "okta.apps.read"));
        assert!(holds(&scopes, "okta.apps.manage"));
        assert!(holds(&scopes, "okta.logs.read"));
        assert!(!holds(&scopes, "okta.appGrants.read"));
        let read = vec!["okta.apps.read".to_owned()];
        assert!(!holds(&read, "okta.apps.manage"));
    }

    #[test]
    fn scopes_of_the_endpoints_oktaform_calls() {
        let cases = [
            ("GET", "/api/v1/apps", Some("okta.apps.read")),
            ("GET", "/api/v1/apps/0oa1/grants", Some("okta.appGrants.read")),
            ("POST", "/api/v1/apps/0oa1/grants", Some("okta.appGrants.manage")),
            ("DELETE", "/api/v1/apps/0oa1/users/00u1", Some("okta.apps.manage")),
            ("GET", "/api/v1/users/00u1/roles", Some("okta.roles.read")),
            ("POST", "/api/v1/users/00u1/roles", Some("okta.roles.manage")),
            ("GET", "/api/v1/users/me", Some("okta.users.read")),
            ("GET", "/api/v1/logs", Some("okta.logs.read")),
            ("GET", "/api/v1/groups/00g1/roles", Some("okta.roles.read")),
        ];
        for (method, path, scope) in cases {
            assert_eq!(required_scope(method, path), scope, "{method} {path}");
        }
    }
}
