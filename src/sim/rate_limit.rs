//! Rate limits per org and bucket over a fixed window, reported in the
//! `X-Rate-Limit-Limit/-Remaining/-Reset` headers and enforced with 429 `E0000047`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The buckets of the sim, after Okta's per-endpoint limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `/api/v1/apps*`
    Apps,
    /// `/api/v1/users*`
    Users,
    /// `/api/v1/logs`
    Logs,
    /// Everything else.
    Other,
}

impl Bucket {
    pub fn of(path: &str) -> Bucket {
        if path.starts_with("/api/v1/apps") {
            Bucket::Apps
        } else if path.starts_with("/api/v1/users") {
            Bucket::Users
        } else if path.starts_with("/api/v1/logs") {
            Bucket::Logs
        } else {
            Bucket::Other
        }
    }
}

/// Requests allowed per window in each bucket. The defaults are Okta's historical
/// per-minute limits of an Enterprise org.
#[derive(Clone, Copy, Debug)]
pub struct RateLimits {
    pub apps: u32,
    pub users: u32,
    pub logs: u32,
    pub other: u32,
    pub window: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            apps: 600,
            users: 1000,
            logs: 120,
            other: 1200,
            window: Duration::from_secs(60),
        }
    }
}

impl RateLimits {
    /// The same limit for every bucket.
    pub fn uniform(limit: u32, window: Duration) -> Self {
        Self {
            apps: limit,
            users: limit,
            logs: limit,
            other: limit,
            window,
        }
    }

    pub fn limit(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::Apps => self.apps,
            Bucket::Users => self.users,
            Bucket::Logs => self.logs,
            Bucket::Other => self.other,
        }
    }
}

/// What the limiter says of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// UTC epoch seconds when the window resets.
    pub reset: u64,
}

struct Window {
    ends: SystemTime,
    used: u32,
}

/// Counts requests per (org, bucket) window.
pub struct RateLimiter {
    limits: RateLimits,
    windows: Mutex<HashMap<(usize, Bucket), Window>>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request of `org` in `bucket` at `now`.
    pub fn check(&self, org: usize, bucket: Bucket, now: SystemTime) -> Verdict {
        let limit = self.limits.limit(bucket);
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = windows.entry((org, bucket)).or_insert(Window {
            ends: now + self.limits.window,
            used: 0,
        });
        if now >= window.ends {
            *window = Window {
                ends: now + self.limits.window,
                used: 0,
            };
        }
        let allowed = window.used < limit;
        if allowed {
            window.used += 1;
        }
        Verdict {
            allowed,
            limit,
            remaining: limit - window.used,
            reset: epoch_seconds_ceil(window.ends),
        }
    }

    /// The headers' values for a request that is not counted (no org known).
    pub fn peek(&self, bucket: Bucket, now: SystemTime) -> Verdict {
        let limit = self.limits.limit(bucket);
        Verdict {
            allowed: true,
            limit,
            remaining: limit,
            reset: epoch_seconds_ceil(now + self.limits.window),
        }
    }
}

pub fn epoch_seconds_ceil(at: SystemTime) -> u64 {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    since.as_secs() + u64::from(since.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_count_and_reset() {
        let limiter = RateLimiter::new(RateLimits::uniform(2, Duration::from_secs(10)));
        let t0 = UNIX_EPOCH + Duration::from_secs(1_000);
        let first = limiter.check(0, Bucket::Apps, t0);
        assert_eq!((first.allowed, first.remaining, first.reset), (true, 1, 1_010));
        assert!(limiter.check(0, Bucket::Apps, t0).allowed);
        let third = limiter.check(0, Bucket::Apps, t0 + Duration::from_secs(1));
        assert_eq!((third.allowed, third.remaining), (false, 0));
        assert!(
            limiter.check(1, Bucket::Apps, t0).allowed,
            "orgs have their own buckets"
        );
        assert!(limiter.check(0, Bucket::Users, t0).allowed, "buckets are separate");
        let later = limiter.check(0, Bucket::Apps, t0 + Duration::from_secs(10));
        assert_eq!((later.allowed, later.remaining, later.reset), (true, 1, 1_020));
    }
}
