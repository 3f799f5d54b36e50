//! Okta-shaped ids (`0oa…`, `00u…`, `oag…`), deterministic for a given org and sequence so
//! that runs are reproducible.

use sha2::{Digest, Sha256};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `prefix` followed by 17 base-62 characters derived from `domain` and `counter`.
pub fn okta_id(prefix: &str, domain: &str, counter: u64) -> String {
    let digest = Sha256::new()
        .chain_update(domain)
        .chain_update(prefix)
        .chain_update(counter.to_be_bytes())
        .finalize();
    let body: String = digest
        .iter()
        .take(17)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{prefix}{body}")
}

/// A random id for requests and errors, as Okta's are opaque.
pub fn random_id(prefix: &str) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    let body: String = (0..22)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}{body}")
}

#[cfg(test)]
mod tests {
    use super::okta_id;

    #[test]
    fn ids_are_deterministic_and_distinct() {
        assert_eq!(okta_id("oag", "acme.okta.com", 1), okta_id("oag", "acme.okta.com", 1));
        assert_ne!(okta_id("oag", "acme.okta.com", 1), okta_id("oag", "acme.okta.com", 2));
        assert_eq!(okta_id("oag", "acme.okta.com", 1).len(), 20);
        assert!(okta_id("00u", "a", 7).starts_with("00u"));
    }
}
