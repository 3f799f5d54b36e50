//! A value that must never be printed: client secrets, API tokens, private keys.
//!
//! Held by `secrecy` (zeroized when dropped, no `Debug` of the value); `Debug` and
//! `Display` both redact, so a secret that slips into a log line, an error message or a
//! `{:?}` dump shows as `<redacted>`. Reading the value is explicit ([`Secret::expose`]) so
//! that every use is easy to audit; comparing is in constant time (`subtle`).

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use subtle::ConstantTimeEq;

/// A sensitive string. Cloning keeps it sensitive; there is no `Serialize`.
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The plain value, for the one place that must send or compare it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Compares with `other` in time independent of where the first difference is (only
    /// the lengths may tell).
    pub fn constant_time_eq(&self, other: &str) -> bool {
        self.expose().as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Self::new(self.expose())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.constant_time_eq(other.expose())
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Secrets are read from the org's answers (an app's client secret); they are never written.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn formatting_never_shows_the_value() {
        let secret = Secret::new("hunter2-very-secret");
        assert!(!format!("{secret}").contains("hunter2"));
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(!format!("{:?}", Some(vec![secret.clone()])).contains("hunter2"));
        assert_eq!(secret.expose(), "hunter2-very-secret");
    }

    #[test]
    fn constant_time_comparison_is_exact() {
        let secret = Secret::new("abc");
        assert!(secret.constant_time_eq("abc"));
        assert!(!secret.constant_time_eq("abd"));
        assert!(!secret.constant_time_eq("ab"));
        assert!(!secret.constant_time_eq("abcd"));
        assert!(!secret.constant_time_eq(""));
    }
}
