//! One retry policy for every request to an org, API calls and token requests alike:
//! which faults are retried, how long to wait, and how a failed connection is classified
//! (by the type of its cause, never by its message).

use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

/// How faults of an org are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The first wait after a 5xx or a failed connection; doubled each time (up to 64x).
    pub base: Duration,
    /// The longest wait, also for a 429's reset.
    pub max_backoff: Duration,
    /// Up to this much added to each wait, so that clients retrying together spread out.
    pub jitter: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            base: Duration::from_millis(200),
            max_backoff: Duration::from_secs(90),
            jitter: Duration::from_millis(100),
        }
    }
}

/// What an attempt came to.
#[derive(Debug)]
pub enum Outcome<'a> {
    /// The org answered with a status that is not success.
    Status {
        status: StatusCode,
        headers: &'a HeaderMap,
        /// The answer's `Date`, when it has one.
        server_now: Option<SystemTime>,
        now: SystemTime,
    },
    /// No answer.
    NoAnswer(Fault),
}

/// Why a request got no answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The host name does not resolve: retrying does not mend it.
    Unresolved,
    Timeout,
    /// Refused, reset, or broken off.
    Connection,
}

impl Fault {
    /// Classifies a failed request by the types in its chain of causes.
    pub fn of(error: &reqwest::Error) -> Self {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(error) = cause {
            if error.is::<Unresolvable>() {
                return Fault::Unresolved;
            }
            cause = error.source();
        }
        if error.is_timeout() {
            Fault::Timeout
        } else {
            Fault::Connection
        }
    }
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long (a reset `far` ahead was not believed), then try again.
    Retry {
        wait: Duration,
        far: bool,
    },
    GiveUp,
}

impl RetryPolicy {
    /// Whether to try again after attempt number `attempt` (0 for the first). A request
    /// that may have been processed (`idempotent` false: a POST) is retried only when it
    /// certainly was not: a 429.
    pub fn decide(&self, attempt: u32, idempotent: bool, outcome: &Outcome<'_>) -> Decision {
        if attempt >= self.max_retries {
            return Decision::GiveUp;
        }
        let (wait, far) = match outcome {
            Outcome::Status {
                status,
                headers,
                server_now,
                now,
            } if *status == StatusCode::TOO_MANY_REQUESTS => super::client::rate_limit_wait(headers, *server_now, *now),
            Outcome::Status { status, .. } if idempotent && status.is_server_error() => (self.backoff(attempt), false),
            Outcome::NoAnswer(Fault::Timeout | Fault::Connection) if idempotent => (self.backoff(attempt), false),
            Outcome::Status { .. } | Outcome::NoAnswer(_) => return Decision::GiveUp,
        };
        Decision::Retry {
            wait: wait.min(self.max_backoff) + self.jitter(),
            far,
        }
    }

    /// The wait before retry `attempt + 1` after a 5xx or no answer.
    pub fn backoff(&self, attempt: u32) -> Duration {
        self.base.saturating_mul(2u32.pow(attempt.min(6)))
    }

    fn jitter(&self) -> Duration {
        let most = u64::try_from(self.jitter.as_millis()).unwrap_or(u64::MAX);
        if most == 0 {
            return Duration::ZERO;
        }
        Duration::from_millis(rand::rng().random_range(0..most))
    }
}

/// A host name that did not resolve: the one cause of a failed request that oktaform tells
/// apart by its type.
#[derive(Debug, thiserror::Error)]
#[error("the host name `{host}` does not resolve: {source}")]
pub struct Unresolvable {
    host: String,
    source: std::io::Error,
}

/// The system resolver, with failures as [`Unresolvable`].
pub(super) struct Resolver;

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map(Iterator::collect::<Vec<SocketAddr>>);
            match found {
                Ok(addresses) => {
                    let addresses: reqwest::dns::Addrs = Box::new(addresses.into_iter());
                    Ok(addresses)
                }
                Err(source) => Err(Box::new(Unresolvable { host, source }) as Box<dyn std::error::Error + Send + Sync>),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, headers: &HeaderMap) -> Outcome<'_> {
        Outcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            headers,
            server_now: None,
            now: SystemTime::UNIX_EPOCH,
        }
    }

    const QUIET: RetryPolicy = RetryPolicy {
        max_retries: 2,
        base: Duration::from_millis(200),
        max_backoff: Duration::from_secs(90),
        jitter: Duration::ZERO,
    };

    #[test]
    fn server_errors_and_lost_answers_are_retried_with_doubling_waits_when_idempotent() {
        let headers = HeaderMap::new();
        let retry = |wait| Decision::Retry {
            wait: Duration::from_millis(wait),
            far: false,
        };
        assert_eq!(QUIET.decide(0, true, &status(503, &headers)), retry(200));
        assert_eq!(QUIET.decide(1, true, &status(500, &headers)), retry(400));
        assert_eq!(QUIET.decide(2, true, &status(500, &headers)), Decision::GiveUp);
        assert_eq!(QUIET.decide(0, true, &Outcome::NoAnswer(Fault::Timeout)), retry(200));
        assert_eq!(QUIET.decide(1, true, &Outcome::NoAnswer(Fault::Connection)), retry(400));
    }

    #[test]
    fn a_write_that_may_have_been_processed_is_not_retried() {
        let headers = HeaderMap::new();
        assert_eq!(QUIET.decide(0, false, &status(500, &headers)), Decision::GiveUp);
        assert_eq!(
            QUIET.decide(0, false, &Outcome::NoAnswer(Fault::Timeout)),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_429_waits_for_its_reset_also_for_a_write() {
        let mut headers = HeaderMap::new();
        headers.insert("x-rate-limit-reset", "30".parse().unwrap());
        assert_eq!(
            QUIET.decide(0, false, &status(429, &headers)),
            Decision::Retry {
                wait: Duration::from_secs(31),
                far: false
            },
            "until the reset, and a second more"
        );
    }

    #[test]
    fn client_errors_and_unresolved_names_are_never_retried() {
        let headers = HeaderMap::new();
        assert_eq!(QUIET.decide(0, true, &status(400, &headers)), Decision::GiveUp);
        assert_eq!(QUIET.decide(0, true, &status(404, &headers)), Decision::GiveUp);
        assert_eq!(
            QUIET.decide(0, true, &Outcome::NoAnswer(Fault::Unresolved)),
            Decision::GiveUp
        );
    }

    #[tokio::test]
    async fn an_unresolvable_name_is_told_apart_by_its_type() {
        crate::okta::install_crypto();
        let http = reqwest::Client::builder()
            .dns_resolver(std::sync::Arc::new(Resolver))
            .build()
            .unwrap();
        let error = http
            .get("http://name-that-does-not-resolve.invalid/")
            .send()
            .await
            .unwrap_err();
        assert_eq!(Fault::of(&error), Fault::Unresolved);
        let refused = http.get("http://127.0.0.1:9/").send().await.unwrap_err();
        assert_eq!(Fault::of(&refused), Fault::Connection);
    }
}
