//! Faults a real org shows, on demand and deterministic under a seed: latency (fixed and
//! jittered), 5xx answers, connection resets, bursts of 429s, a concurrency limit, and
//! routes that never answer. Each API request draws its fate from a generator seeded with
//! the fault seed and the request's sequence number, so two runs that send the same
//! requests see the same faults.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The fault settings of a sim; all off by default. Changed at run time through
/// `POST /__sim/faults` (a JSON object of these fields) or [`crate::sim::Sim::set_faults`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    pub seed: u64,
    /// Added to every API request.
    pub latency_ms: u64,
    /// Up to this much more, drawn per request.
    pub jitter_ms: u64,
    /// Share of requests answered with a 5xx (500, 502, 503 or 504).
    pub error_rate: f64,
    /// Share of requests whose connection is reset instead of answered.
    pub reset_rate: f64,
    /// Share of requests that start a burst of 429s.
    pub burst_rate: f64,
    /// Requests in a burst of 429s.
    pub burst_length: u32,
    /// At most this many requests of one org in flight; more get a concurrency 429.
    pub concurrency_limit: Option<u32>,
    /// Routes that never answer, as `METHOD /path/prefix` or `/path/prefix` (any method).
    pub hang: Vec<String>,
    /// Routes answered 403 `E0000006`, as a credential that may not use them would be
    /// (same spelling as `hang`).
    pub forbid: Vec<String>,
    /// Build `Link` URLs on this origin instead of the request's `Host` (a misconfigured
    /// proxy), such as `https://elsewhere.example`.
    pub link_origin: Option<String>,
    /// Lifetime of the access tokens the token endpoint issues, in seconds (default one
    /// hour, as Okta's service app tokens), shortened to test expiry.
    pub token_lifetime_seconds: Option<u64>,
    /// DPoP resource requests must carry the resource server's own nonce: a proof without
    /// it, or with an older one, answers 401 `use_dpop_nonce` with the nonce in `DPoP-Nonce`
    /// (RFC 9449 section 9). Whether Okta's resource endpoints ask for one is unverified;
    /// the official Python SDK answers such a challenge, and so must oktaform.
    pub resource_nonce: bool,
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Normal,
    /// Answer this 5xx status; `after` means the request was processed first.
    ServerError {
        status: u16,
        after: bool,
    },
    /// Drop the connection; `after` means the request was processed first.
    Reset {
        after: bool,
    },
    /// Start a burst of 429s with this request.
    Burst,
}

/// The draw for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Draw {
    pub delay: Duration,
    pub fate: Fate,
}

fn matches_route(routes: &[String], method: &str, path: &str) -> bool {
    routes.iter().any(|route| match route.split_once(' ') {
        Some((m, prefix)) => m.eq_ignore_ascii_case(method) && path.starts_with(prefix),
        None => path.starts_with(route.as_str()),
    })
}

/// The longest latency or jitter a fault setting may add, in milliseconds (ten minutes).
pub const MAX_DELAY_MS: u64 = 600_000;

impl Faults {
    /// Refuses settings that cannot be served: delays past [`MAX_DELAY_MS`], shares outside
    /// 0..1, token lifetimes past a day.
    pub fn check(&self) -> Result<(), String> {
        if self.latency_ms > MAX_DELAY_MS || self.jitter_ms > MAX_DELAY_MS {
            return Err(format!("latency_ms and jitter_ms are at most {MAX_DELAY_MS}"));
        }
        for (name, rate) in [
            ("error_rate", self.error_rate),
            ("reset_rate", self.reset_rate),
            ("burst_rate", self.burst_rate),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} is a share from 0 to 1"));
            }
        }
        if self.token_lifetime_seconds.is_some_and(|s| s == 0 || s > 86_400) {
            return Err("token_lifetime_seconds is from 1 to 86400".to_owned());
        }
        Ok(())
    }

    pub fn is_hung(&self, method: &str, path: &str) -> bool {
        matches_route(&self.hang, method, path)
    }

    pub fn is_forbidden(&self, method: &str, path: &str) -> bool {
        matches_route(&self.forbid, method, path)
    }

    /// The fate of the request with sequence number `n`.
    pub fn draw(&self, n: u64) -> Draw {
        let mut rng = StdRng::seed_from_u64(self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n);
        let jitter = if self.jitter_ms > 0 {
            rng.random_range(0..self.jitter_ms)
        } else {
            0
        };
        let roll: f64 = rng.random();
        let after = rng.random_bool(0.5);
        let status = [500, 502, 503, 504][rng.random_range(0..4)];
        let fate = if roll < self.error_rate {
            Fate::ServerError { status, after }
        } else if roll < self.error_rate + self.reset_rate {
            Fate::Reset { after }
        } else if roll < self.error_rate + self.reset_rate + self.burst_rate && self.burst_length > 0 {
            Fate::Burst
        } else {
            Fate::Normal
        };
        Draw {
            delay: Duration::from_millis(self.latency_ms.saturating_add(jitter)),
            fate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_deterministic_and_follow_the_rates() {
        let faults = Faults {
            seed: 7,
            jitter_ms: 50,
            error_rate: 0.1,
            reset_rate: 0.1,
            burst_rate: 0.05,
            burst_length: 3,
            ..Faults::default()
        };
        let first: Vec<Draw> = (0..2000).map(|n| faults.draw(n)).collect();
        let second: Vec<Draw> = (0..2000).map(|n| faults.draw(n)).collect();
        assert_eq!(first, second);
        let count = |f: fn(&Fate) -> bool| first.iter().filter(|d| f(&d.fate)).count();
        let errors = count(|f| matches!(f, Fate::ServerError { .. }));
        let resets = count(|f| matches!(f, Fate::Reset { .. }));
        let bursts = count(|f| matches!(f, Fate::Burst));
        assert!((150..250).contains(&errors), "{errors}");
        assert!((150..250).contains(&resets), "{resets}");
        assert!((60..140).contains(&bursts), "{bursts}");
        assert!(first.iter().all(|d| d.delay < Duration::from_millis(50)));
        let other = Faults { seed: 8, ..faults };
        assert_ne!(first, (0..2000).map(|n| other.draw(n)).collect::<Vec<_>>());
    }

    #[test]
    fn no_faults_by_default() {
        let faults = Faults::default();
        assert!((0..1000).all(|n| faults.draw(n)
            == Draw {
                delay: Duration::ZERO,
                fate: Fate::Normal
            }));
    }

    #[test]
    fn hung_routes_match_method_and_prefix() {
        let faults = Faults {
            hang: vec!["GET /api/v1/apps/0oa1".into(), "/api/v1/logs".into()],
            ..Faults::default()
        };
        assert!(faults.is_hung("GET", "/api/v1/apps/0oa1/grants"));
        assert!(!faults.is_hung("POST", "/api/v1/apps/0oa1/grants"));
        assert!(faults.is_hung("DELETE", "/api/v1/logs"));
        assert!(!faults.is_hung("GET", "/api/v1/users"));
    }
}
