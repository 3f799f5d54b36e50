//! The JOSE pieces an OAuth service app needs, on both sides of the token endpoint: signing
//! a `private_key_jwt` client assertion or a DPoP proof (RS256, ES256), verifying one
//! against a JWKS, and the RFC 7638 thumbprint that binds a DPoP token to its key.
//!
//! Signatures are `ring`'s (already the TLS backend); keys arrive as PEM (PKCS#1 or PKCS#8)
//! or as a JWK, the forms the Okta Admin Console and the official SDKs use.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
use rustls::pki_types::PrivateKeyDer;
use rustls::pki_types::pem::PemObject;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// Base64url of the SHA-256 of `text`: a DPoP proof's `ath`.
pub fn sha256_b64url(text: &str) -> String {
    b64url(&Sha256::digest(text.as_bytes()))
}

/// Why a key or a JWT was refused, in words for a diagnostic (never the key itself).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JoseError {
    #[error("{0}")]
    Key(String),
    #[error("the JWT is malformed")]
    Malformed,
    #[error("the JWT signature is invalid")]
    Signature,
    #[error("the JWT algorithm `{0}` is not supported (RS256 and ES256 are)")]
    Algorithm(String),
}

/// A private key that signs client assertions or DPoP proofs.
pub enum SigningKey {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Rsa(_) => "SigningKey::Rsa(<redacted>)",
            Self::Ec(_) => "SigningKey::Ec(<redacted>)",
        })
    }
}

impl SigningKey {
    /// A key from PEM (`RSA PRIVATE KEY`, `PRIVATE KEY`) or from a private JWK (RSA or P-256).
    pub fn parse(text: &str) -> Result<Self, JoseError> {
        let text = text.trim();
        if text.starts_with('{') {
            let jwk: Value = serde_json::from_str(text)
                .map_err(|_| JoseError::Key("the private key looks like a JWK but is not valid JSON".to_owned()))?;
            return Self::from_jwk(&jwk);
        }
        if !text.starts_with("-----BEGIN") {
            return Err(JoseError::Key(
                "the private key is neither PEM (`-----BEGIN ... PRIVATE KEY-----`) nor a JWK (`{...}`)".to_owned(),
            ));
        }
        let der = PrivateKeyDer::from_pem_slice(text.as_bytes())
            .map_err(|_| JoseError::Key("the PEM private key does not parse".to_owned()))?;
        let rejected = |e: ring::error::KeyRejected| JoseError::Key(format!("the private key is refused: {e}"));
        match der {
            PrivateKeyDer::Pkcs1(key) => RsaKeyPair::from_der(key.secret_pkcs1_der())
                .map(Self::Rsa)
                .map_err(rejected),
            PrivateKeyDer::Pkcs8(key) => {
                let der = key.secret_pkcs8_der();
                match RsaKeyPair::from_pkcs8(der) {
                    Ok(rsa) => Ok(Self::Rsa(rsa)),
                    Err(_) => EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, &SystemRandom::new())
                        .map(Self::Ec)
                        .map_err(|_| JoseError::Key("the PKCS#8 private key is neither RSA nor EC P-256".to_owned())),
                }
            }
            PrivateKeyDer::Sec1(_) => Err(JoseError::Key(
                "EC keys are read as PKCS#8 (`-----BEGIN PRIVATE KEY-----`); convert with `openssl pkcs8 -topk8 -nocrypt`".to_owned(),
            )),
            _ => Err(JoseError::Key("the PEM private key is of an unknown kind".to_owned())),
        }
    }

    fn from_jwk(jwk: &Value) -> Result<Self, JoseError> {
        let member = |name: &str| {
            jwk.get(name)
                .and_then(Value::as_str)
                .and_then(b64url_decode)
                .ok_or_else(|| JoseError::Key(format!("the JWK has no valid `{name}`")))
        };
        match jwk.get("kty").and_then(Value::as_str) {
            Some("RSA") => {
                let components = ring::rsa::KeyPairComponents {
                    public_key: signature::RsaPublicKeyComponents {
                        n: member("n")?,
                        e: member("e")?,
                    },
                    d: member("d")?,
                    p: member("p")?,
                    q: member("q")?,
                    dP: member("dp")?,
                    dQ: member("dq")?,
                    qInv: member("qi")?,
                };
                RsaKeyPair::from_components(&components)
                    .map(Self::Rsa)
                    .map_err(|e| JoseError::Key(format!("the RSA JWK is refused: {e}")))
            }
            Some("EC") => {
                if jwk.get("crv").and_then(Value::as_str) != Some("P-256") {
                    return Err(JoseError::Key("EC JWKs are read on the curve P-256 only".to_owned()));
                }
                let mut public = vec![4u8];
                public.extend(member("x")?);
                public.extend(member("y")?);
                EcdsaKeyPair::from_private_key_and_public_key(
                    &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    &member("d")?,
                    &public,
                    &SystemRandom::new(),
                )
                .map(Self::Ec)
                .map_err(|e| JoseError::Key(format!("the EC JWK is refused: {e}")))
            }
            _ => Err(JoseError::Key("the JWK's `kty` is neither `RSA` nor `EC`".to_owned())),
        }
    }

    /// A fresh P-256 key, for DPoP proofs.
    pub fn generate_ec() -> Self {
        let rng = SystemRandom::new();
        let alg = &signature::ECDSA_P256_SHA256_FIXED_SIGNING;
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).expect("the system's random source works");
        Self::Ec(EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).expect("a key ring generated parses"))
    }

    pub fn alg(&self) -> &'static str {
        match self {
            Self::Rsa(_) => "RS256",
            Self::Ec(_) => "ES256",
        }
    }

    /// The public half as a JWK (the members RFC 7638 names).
    pub fn public_jwk(&self) -> Value {
        match self {
            Self::Rsa(key) => {
                let public = key.public();
                let components: signature::RsaPublicKeyComponents<Vec<u8>> = public.into();
                json!({"kty": "RSA", "n": b64url(&components.n), "e": b64url(&components.e)})
            }
            Self::Ec(key) => {
                let point = key.public_key().as_ref();
                json!({"kty": "EC", "crv": "P-256", "x": b64url(&point[1..33]), "y": b64url(&point[33..65])})
            }
        }
    }

    /// A compact JWS of `claims`, with `alg` added to `header`.
    pub fn sign(&self, mut header: Map<String, Value>, claims: &Value) -> String {
        header.insert("alg".to_owned(), Value::from(self.alg()));
        let input = format!(
            "{}.{}",
            b64url(Value::Object(header).to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let rng = SystemRandom::new();
        let signature = match self {
            Self::Rsa(key) => {
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(&signature::RSA_PKCS1_SHA256, &rng, input.as_bytes(), &mut signature)
                    .expect("RSA signing of a short message cannot fail");
                signature
            }
            Self::Ec(key) => key
                .sign(&rng, input.as_bytes())
                .expect("ECDSA signing cannot fail with a working random source")
                .as_ref()
                .to_vec(),
        };
        format!("{input}.{}", b64url(&signature))
    }
}

/// The public key of a JWK, as a JWKS or a DPoP proof carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicJwk {
    Rsa { n: String, e: String },
    Ec { x: String, y: String },
}

impl PublicJwk {
    pub fn parse(jwk: &Value) -> Option<Self> {
        let member = |name: &str| jwk.get(name).and_then(Value::as_str).map(str::to_owned);
        match jwk.get("kty").and_then(Value::as_str)? {
            "RSA" => Some(Self::Rsa {
                n: member("n")?,
                e: member("e")?,
            }),
            "EC" if member("crv").as_deref() == Some("P-256") => Some(Self::Ec {
                x: member("x")?,
                y: member("y")?,
            }),
            _ => None,
        }
    }

    /// RFC 7638: base64url SHA-256 of the required members in lexicographic order.
    pub fn thumbprint(&self) -> String {
        let canonical = match self {
            Self::Rsa { n, e } => format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#),
            Self::Ec { x, y } => format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#),
        };
        sha256_b64url(&canonical)
    }

    /// Checks the signature of `jwt` with this key.
    pub fn verify(&self, jwt: &Jwt) -> Result<(), JoseError> {
        let (n, e, x, y);
        let ok = match (self, jwt.alg()) {
            (Self::Rsa { n: nn, e: ee }, "RS256") => {
                (n, e) = (
                    b64url_decode(nn).ok_or(JoseError::Signature)?,
                    b64url_decode(ee).ok_or(JoseError::Signature)?,
                );
                signature::RsaPublicKeyComponents { n: &n, e: &e }
                    .verify(
                        &signature::RSA_PKCS1_2048_8192_SHA256,
                        jwt.signing_input.as_bytes(),
                        &jwt.signature,
                    )
                    .is_ok()
            }
            (Self::Ec { x: xx, y: yy }, "ES256") => {
                (x, y) = (
                    b64url_decode(xx).ok_or(JoseError::Signature)?,
                    b64url_decode(yy).ok_or(JoseError::Signature)?,
                );
                let point = [&[4u8][..], &x, &y].concat();
                signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(jwt.signing_input.as_bytes(), &jwt.signature)
                    .is_ok()
            }
            (_, alg @ ("RS256" | "ES256")) => {
                let _ = alg;
                false
            }
            (_, alg) => return Err(JoseError::Algorithm(alg.to_owned())),
        };
        if ok { Ok(()) } else { Err(JoseError::Signature) }
    }
}

/// A compact JWS taken apart, not yet verified.
#[derive(Clone, Debug)]
pub struct Jwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

impl Jwt {
    pub fn parse(text: &str) -> Result<Self, JoseError> {
        let mut parts = text.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JoseError::Malformed);
        };
        let object = |part: &str| {
            b64url_decode(part)
                .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
                .ok_or(JoseError::Malformed)
        };
        Ok(Self {
            header: object(header)?,
            claims: object(claims)?,
            signing_input: format!("{header}.{claims}"),
            signature: b64url_decode(signature).ok_or(JoseError::Malformed)?,
        })
    }

    pub fn alg(&self) -> &str {
        self.header.get("alg").and_then(Value::as_str).unwrap_or("")
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn claim_i64(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ec_signature_verifies_with_its_public_jwk_and_not_with_another() {
        let key = SigningKey::generate_ec();
        let jwt = key.sign(Map::new(), &json!({"iss": "x"}));
        let parsed = Jwt::parse(&jwt).unwrap();
        assert_eq!(PublicJwk::parse(&key.public_jwk()).unwrap().verify(&parsed), Ok(()));
        let other = SigningKey::generate_ec();
        assert_eq!(
            PublicJwk::parse(&other.public_jwk()).unwrap().verify(&parsed),
            Err(JoseError::Signature)
        );
    }

    #[test]
    fn thumbprint_matches_rfc_7638_example() {
        // RFC 7638 section 3.1.
        let jwk = PublicJwk::Rsa {
            n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw".to_owned(),
            e: "AQAB".to_owned(),
        };
        assert_eq!(jwk.thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    #[test]
    fn keys_that_do_not_parse_say_why_without_the_key() {
        let error =
            SigningKey::parse("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----").unwrap_err();
        assert_eq!(error.to_string(), "the PEM private key does not parse");
        let error = SigningKey::parse("secret-but-not-a-key").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the private key is neither PEM (`-----BEGIN ... PRIVATE KEY-----`) nor a JWK (`{...}`)"
        );
    }
}
