//! Rate limits per org and bucket over a fixed window, reported in the
//! `X-Rate-Limit-Limit/-Remaining/-Reset` headers and enforced with 429 `E0000047`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The buckets of the sim, after Okta's documented per-endpoint limits (see the README's
/// table and REFERENCE section 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// `/api/v1/apps*`: the list and every sub-resource of an app (grants, users,
    /// secrets); a recording shows grant POST/GET/DELETE counting down one bucket of 100.
    Apps,
    /// `/api/v1/apps/{id}`: the app itself.
    App,
    /// `/api/v1/users/*` (org-wide).
    Users,
    /// `/api/v1/users/me`, a bucket of its own for the authenticated user.
    UsersMe,
    /// `/api/v1/logs`
    Logs,
    /// `/oauth2/v1/token`: a bucket of its own, spent by failed requests too (150 per minute
    /// in okta-sdk-python's 2026 DPoP recordings, `X-Rate-Limit-Limit: 150`).
    Token,
    /// Everything else.
    Other,
}

impl Bucket {
    pub fn of(path: &str) -> Bucket {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        match segments.as_slice() {
            ["", "api", "v1", "apps", _] => Bucket::App,
            ["", "api", "v1", "apps", ..] => Bucket::Apps,
            ["", "api", "v1", "users", "me"] => Bucket::UsersMe,
            ["", "api", "v1", "users", ..] => Bucket::Users,
            ["", "api", "v1", "logs", ..] => Bucket::Logs,
            ["", "oauth2", "v1", "token"] => Bucket::Token,
            _ => Bucket::Other,
        }
    }
}

/// Requests allowed per window in each bucket. The defaults are Okta's documented limits:
/// `/api/v1/apps*` 100 and `/api/v1/apps/{id}` 600 per minute, `/api/v1/users/*` 1000 per
/// minute, `/api/v1/users/me` 40 per 10 seconds, `/api/v1/logs` 120 and the rest 1200 per
/// minute.
#[derive(Clone, Copy, Debug)]
pub struct RateLimits {
    pub apps: u32,
    pub app: u32,
    pub users: u32,
    pub users_me: u32,
    pub logs: u32,
    pub token: u32,
    pub other: u32,
    /// The window of every bucket but `/api/v1/users/me`.
    pub window: Duration,
    pub users_me_window: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            apps: 100,
            app: 600,
            users: 1000,
            users_me: 40,
            logs: 120,
            token: 150,
            other: 1200,
            window: Duration::from_secs(60),
            users_me_window: Duration::from_secs(10),
        }
    }
}

impl RateLimits {
    /// The same limit and window for every bucket.
    pub fn uniform(limit: u32, window: Duration) -> Self {
        Self {
            apps: limit,
            app: limit,
            users: limit,
            users_me: limit,
            logs: limit,
            token: limit,
            other: limit,
            window,
            users_me_window: window,
        }
    }

    /// The default limits over a window of `window` (`/api/v1/users/me`'s a sixth of it,
    /// as 10 seconds are of a minute).
    pub fn with_window(window: Duration) -> Self {
        Self {
            window,
            users_me_window: window / 6,
            ..Self::default()
        }
    }

    pub fn limit(&self, bucket: Bucket) -> u32 {
        match bucket {
            Bucket::Apps => self.apps,
            Bucket::App => self.app,
            Bucket::Users => self.users,
            Bucket::UsersMe => self.users_me,
            Bucket::Logs => self.logs,
            Bucket::Token => self.token,
            Bucket::Other => self.other,
        }
    }

    pub fn window(&self, bucket: Bucket) -> Duration {
        match bucket {
            Bucket::UsersMe => self.users_me_window,
            _ => self.window,
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
        let length = self.limits.window(bucket);
        let window = windows.entry((org, bucket)).or_insert(Window {
            ends: now + length,
            used: 0,
        });
        if now >= window.ends {
            *window = Window {
                ends: now + length,
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
            reset: epoch_seconds_ceil(now + self.limits.window(bucket)),
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
    fn paths_fall_in_okta_s_buckets() {
        let cases = [
            ("/api/v1/apps", Bucket::Apps),
            ("/api/v1/apps/0oa1", Bucket::App),
            ("/api/v1/apps/0oa1/grants", Bucket::Apps),
            ("/api/v1/apps/0oa1/grants/oag1", Bucket::Apps),
            ("/api/v1/apps/0oa1/credentials/secrets", Bucket::Apps),
            ("/api/v1/users/me", Bucket::UsersMe),
            ("/api/v1/users/00u1", Bucket::Users),
            ("/api/v1/users/00u1/roles", Bucket::Users),
            ("/api/v1/logs", Bucket::Logs),
            ("/oauth2/v1/token", Bucket::Token),
        ];
        for (path, bucket) in cases {
            assert_eq!(Bucket::of(path), bucket, "{path}");
        }
        let limits = RateLimits::default();
        assert_eq!(limits.window(Bucket::UsersMe), Duration::from_secs(10));
        assert_eq!(limits.limit(Bucket::UsersMe), 40);
    }

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
        assert!(
            limiter.check(0, Bucket::App, t0).allowed,
            "the app itself is a bucket of its own"
        );
        let later = limiter.check(0, Bucket::Apps, t0 + Duration::from_secs(10));
        assert_eq!((later.allowed, later.remaining, later.reset), (true, 1, 1_020));
    }
}
