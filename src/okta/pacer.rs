//! Pacing from `X-Rate-Limit-Remaining`: requests to a bucket that has no budget left wait
//! for its reset instead of causing a storm of 429s.
//!
//! An answer's remaining budget is the server's count when it answered; requests sent
//! after that request may not be counted in it yet. Each request in flight holds its place
//! in the order of sending (a [`Flight`]), and an answer's budget is read less the requests
//! sent after it and still unanswered, so that the concurrent tasks of an apply share the
//! budget instead of each spending it whole (after a reset, several go out before the first
//! answer of the new window tells its budget).

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What the last answer said of a bucket, counted down by requests sent since.
#[derive(Clone, Copy, Debug)]
struct Budget {
    remaining: i64,
    /// When the bucket resets, in local time (server reset corrected by the clock skew).
    reset: SystemTime,
    /// The server's `X-Rate-Limit-Reset`, which names the window.
    window: u64,
}

/// Budgets per origin and bucket, and the requests in flight.
#[derive(Debug, Default)]
pub struct Pacer {
    budgets: Mutex<HashMap<Bucket, Budget>>,
    /// Per bucket, the places in the order of sending of the requests not yet answered.
    flights: Mutex<HashMap<Bucket, BTreeSet<u64>>>,
    next: AtomicU64,
}

/// A request on its way to a bucket. Answered, it tells the pacer the bucket's budget;
/// dropped unanswered (no answer came), it only leaves the flights.
#[must_use = "a flight records the answer's budget"]
pub struct Flight<'p> {
    pacer: &'p Pacer,
    key: Bucket,
    place: u64,
}

impl Flight<'_> {
    /// Records what the answer said of the bucket: `remaining` less the requests sent
    /// after this one and still unanswered. `server_now` is the answer's `Date`.
    pub fn answered(
        self,
        limit: Option<i64>,
        remaining: Option<i64>,
        reset_epoch: Option<u64>,
        server_now: Option<SystemTime>,
        now: SystemTime,
    ) {
        let later = {
            let mut flights = self.pacer.flights();
            let places = flights.entry(self.key.clone()).or_default();
            places.remove(&self.place);
            i64::try_from(places.range(self.place..).count()).unwrap_or(i64::MAX)
        };
        let remaining = remaining.map(|r| r.saturating_sub(later));
        self.pacer
            .observe(&self.key, limit, remaining, reset_epoch, server_now, now);
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut flights = self.pacer.flights();
        if let Some(places) = flights.get_mut(&self.key) {
            places.remove(&self.place);
            if places.is_empty() {
                flights.remove(&self.key);
            }
        }
    }
}

/// The endpoint families Okta limits separately, as far as oktaform calls them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `/api/v1/apps/{id}`: the app itself.
    App,
    /// `/api/v1/apps` and below (grants, users, secrets of an app).
    Apps,
    /// `/api/v1/users/me`.
    Me,
    /// `/api/v1/users` and below.
    Users,
    /// `/api/v1/logs`.
    Logs,
    /// Every other path.
    Other,
}

impl Family {
    pub fn of(path: &str) -> Self {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        match segments.as_slice() {
            ["", "api", "v1", "apps", _] => Family::App,
            ["", "api", "v1", "apps", ..] => Family::Apps,
            ["", "api", "v1", "users", "me"] => Family::Me,
            ["", "api", "v1", "users", ..] => Family::Users,
            ["", "api", "v1", "logs", ..] => Family::Logs,
            _ => Family::Other,
        }
    }
}

/// A rate-limit bucket: an endpoint family of one origin.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bucket {
    pub origin: String,
    pub family: Family,
}

/// The bucket a path most likely counts against: Okta limits by endpoint family, with the
/// app itself (`/api/v1/apps/{id}`) and `/api/v1/users/me` apart from their families.
pub fn bucket(origin: &str, path: &str) -> Bucket {
    Bucket {
        origin: origin.to_owned(),
        family: Family::of(path),
    }
}

/// The longest wait for a bucket's reset that is believed: a reset further ahead is a lie
/// or a clock far off, and waiting for it would stall the run.
pub const MAX_RESET_AHEAD: Duration = Duration::from_secs(5 * 60);
/// The wait used instead of a reset further ahead than [`MAX_RESET_AHEAD`].
pub const FAR_RESET_WAIT: Duration = Duration::from_secs(60);

/// How long until a bucket resets, from `X-Rate-Limit-Reset` (seconds since the epoch)
/// and the answer's `Date` (`server_now`; else the local clock), and whether the reset was
/// too far ahead (or not a time at all) to be believed: then [`FAR_RESET_WAIT`].
pub fn until_reset(reset_epoch: u64, server_now: Option<SystemTime>, now: SystemTime) -> (Duration, bool) {
    let server_now = server_now.unwrap_or(now);
    let until = UNIX_EPOCH
        .checked_add(Duration::from_secs(reset_epoch))
        .map(|reset| reset.duration_since(server_now).unwrap_or_default());
    match until {
        Some(until) if until <= MAX_RESET_AHEAD => (until, false),
        _ => (FAR_RESET_WAIT, true),
    }
}

impl Pacer {
    fn flights(&self) -> std::sync::MutexGuard<'_, HashMap<Bucket, BTreeSet<u64>>> {
        self.flights.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A request to `key` goes out now.
    pub fn sending(&self, key: &Bucket) -> Flight<'_> {
        let place = self.next.fetch_add(1, Ordering::Relaxed);
        self.flights().entry(key.clone()).or_default().insert(place);
        Flight {
            pacer: self,
            key: key.clone(),
            place,
        }
    }

    /// How long to wait before sending to `key`; counts the request against the budget.
    pub fn before_send(&self, key: &Bucket, now: SystemTime) -> Duration {
        let mut budgets = self.budgets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(budget) = budgets.get_mut(key) else {
            return Duration::ZERO;
        };
        if now >= budget.reset {
            budgets.remove(key);
            return Duration::ZERO;
        }
        budget.remaining -= 1;
        if budget.remaining >= 0 {
            Duration::ZERO
        } else {
            budget.reset.duration_since(now).unwrap_or_default()
        }
    }

    /// Records what an answer said of `key`'s budget. `server_now` is its `Date`.
    fn observe(
        &self,
        key: &Bucket,
        limit: Option<i64>,
        remaining: Option<i64>,
        reset_epoch: Option<u64>,
        server_now: Option<SystemTime>,
        now: SystemTime,
    ) {
        let (Some(limit), Some(remaining), Some(reset)) = (limit, remaining, reset_epoch) else {
            return;
        };
        if limit == 0 {
            // A concurrency 429: the headers say nothing of the bucket.
            return;
        }
        let (until, far) = until_reset(reset, server_now, now);
        if far {
            // A reset nobody can believe says nothing of the budget.
            return;
        }
        let window = reset;
        let reset = now + until;
        let mut budgets = self.budgets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match budgets.get_mut(key) {
            // The same window: answers arrive out of order, and requests sent since this
            // one was answered are already counted, so the lower count is the truer one.
            Some(budget) if budget.window == window => budget.remaining = budget.remaining.min(remaining),
            // A late answer from a window already over says nothing of the current one.
            Some(budget) if budget.window > window => {}
            _ => {
                budgets.insert(
                    key.clone(),
                    Budget {
                        remaining,
                        reset,
                        window,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_far_ahead_or_past_the_end_of_time_is_not_believed() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(until_reset(1_010, None, now), (Duration::from_secs(10), false));
        assert_eq!(until_reset(900, None, now), (Duration::ZERO, false));
        assert_eq!(until_reset(1_000 + 301, None, now), (FAR_RESET_WAIT, true));
        assert_eq!(until_reset(u64::MAX, None, now), (FAR_RESET_WAIT, true));
        let pacer = Pacer::default();
        pacer.observe(
            &bucket("k", "/api/v1/apps"),
            Some(10),
            Some(0),
            Some(u64::MAX),
            None,
            now,
        );
        assert_eq!(
            pacer.before_send(&bucket("k", "/api/v1/apps"), now),
            Duration::ZERO,
            "not believed, not paced"
        );
    }

    #[test]
    fn waits_only_when_the_budget_is_spent() {
        let pacer = Pacer::default();
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(
            pacer.before_send(&bucket("k", "/api/v1/apps"), now),
            Duration::ZERO,
            "unknown buckets are not paced"
        );
        pacer.observe(
            &bucket("k", "/api/v1/apps"),
            Some(10),
            Some(1),
            Some(1_005),
            Some(now),
            now,
        );
        assert_eq!(pacer.before_send(&bucket("k", "/api/v1/apps"), now), Duration::ZERO);
        assert_eq!(
            pacer.before_send(&bucket("k", "/api/v1/apps"), now),
            Duration::from_secs(5)
        );
        assert_eq!(
            pacer.before_send(&bucket("k", "/api/v1/apps"), now + Duration::from_secs(6)),
            Duration::ZERO,
            "after the reset"
        );
        pacer.observe(
            &bucket("late", "/api/v1/apps"),
            Some(10),
            Some(5),
            Some(1_005),
            Some(now),
            now,
        );
        for _ in 0..5 {
            assert_eq!(pacer.before_send(&bucket("late", "/api/v1/apps"), now), Duration::ZERO);
        }
        let skewed = now + Duration::from_millis(300);
        pacer.observe(
            &bucket("late", "/api/v1/apps"),
            Some(10),
            Some(4),
            Some(1_005),
            Some(now),
            skewed,
        );
        assert_eq!(
            pacer.before_send(&bucket("late", "/api/v1/apps"), now),
            Duration::from_secs(5),
            "a late answer does not refill the budget"
        );
        pacer.observe(
            &bucket("c", "/api/v1/apps"),
            Some(0),
            Some(0),
            Some(1_001),
            Some(now),
            now,
        );
        assert_eq!(
            pacer.before_send(&bucket("c", "/api/v1/apps"), now),
            Duration::ZERO,
            "concurrency answers are ignored"
        );
    }

    #[test]
    fn an_answer_s_budget_leaves_room_for_the_requests_sent_after_it() {
        let pacer = Pacer::default();
        let key = bucket("k", "/api/v1/apps");
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        // A new window: its budget is not known, so three requests go out together.
        let flights: Vec<Flight<'_>> = (0..3)
            .map(|_| {
                assert_eq!(pacer.before_send(&key, now), Duration::ZERO);
                pacer.sending(&key)
            })
            .collect();
        let mut flights = flights.into_iter();
        // The first answer was counted before the other two reached the server.
        flights
            .next()
            .expect("three flights")
            .answered(Some(10), Some(9), Some(1_060), Some(now), now);
        let sent: Vec<Duration> = (0..8).map(|_| pacer.before_send(&key, now)).collect();
        assert_eq!(
            sent,
            [[Duration::ZERO; 7].as_slice(), &[Duration::from_secs(60)]].concat(),
            "7 of the 9 are left to new requests"
        );
        // The second answer: the third request is still on its way, the second is counted.
        flights
            .next()
            .expect("three flights")
            .answered(Some(10), Some(8), Some(1_060), Some(now), now);
        drop(flights);
        assert_eq!(pacer.flights().len(), 0, "no flight is left behind");
    }

    #[test]
    fn buckets_follow_endpoint_families() {
        assert_eq!(Family::of("/api/v1/apps/0oa1/grants"), Family::Apps);
        assert_eq!(Family::of("/api/v1/apps/0oa1"), Family::App);
        assert_eq!(Family::of("/api/v1/apps"), Family::Apps);
        assert_eq!(Family::of("/api/v1/users/me"), Family::Me);
        assert_eq!(Family::of("/api/v1/users/00u1/roles"), Family::Users);
        assert_eq!(Family::of("/api/v1/logs"), Family::Logs);
        assert_eq!(Family::of("/api/v1/groups"), Family::Other);
        assert_ne!(bucket("http://a", "/api/v1/apps"), bucket("http://b", "/api/v1/apps"));
    }
}
