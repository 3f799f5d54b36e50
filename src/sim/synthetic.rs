//! Synthetic System Log events: a realistic mix of event types, actors, outcomes,
//! severities, targets, clients and places, each computed from its index and the seed and
//! never stored, so that a million events cost no memory. Event `i` is published at
//! `start + i * interval` plus a fraction of a second drawn from `i`, so the events are in
//! `published` order and the ones of a time range are found by arithmetic.

use super::http::timestamp;
use super::seed::SyntheticLogEvents;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Event types with their weights: the mix of a busy workforce org.
const EVENT_TYPES: &[(&str, &str, u32)] = &[
    ("user.session.start", "User login to Okta", 30),
    ("user.authentication.sso", "User single sign on to app", 20),
    ("user.authentication.auth_via_mfa", "Authentication of user via MFA", 12),
    ("policy.evaluate_sign_on", "Evaluation of sign-on policy", 10),
    ("user.session.end", "User logout from Okta", 8),
    (
        "app.oauth2.as.token.grant.access_token",
        "OAuth2 access token is granted",
        6,
    ),
    ("user.account.update_profile", "Update user profile for Okta", 4),
    ("group.user_membership.add", "Add user to group membership", 3),
    (
        "application.user_membership.add",
        "Add user to application membership",
        2,
    ),
    ("user.account.lock", "Max sign in attempts exceeded", 2),
    ("system.org.rate_limit.warning", "Rate limit warning", 1),
    ("user.account.privilege.grant", "Grant user privilege", 1),
];

const FIRST_NAMES: &[&str] = &[
    "Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger",
];
const LAST_NAMES: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra",
];
const APPS: &[(&str, &str)] = &[
    ("0oasynthslack00001", "Slack"),
    ("0oasynthgithub0001", "GitHub Enterprise"),
    ("0oasynthzoom000001", "Zoom"),
    ("0oasynthworkday001", "Workday"),
];
const PLACES: &[(&str, &str, &str, f64, f64)] = &[
    ("San Francisco", "California", "US", 37.77, -122.42),
    ("New York", "New York", "US", 40.71, -74.01),
    ("Berlin", "Land Berlin", "DE", 52.52, 13.40),
    ("Paris", "Ile-de-France", "FR", 48.86, 2.35),
    ("Tokyo", "Tokyo", "JP", 35.68, 139.69),
    ("Sao Paulo", "Sao Paulo", "BR", -23.55, -46.63),
];
const AGENTS: &[(&str, &str, &str)] = &[
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15",
        "Mac OS X",
        "SAFARI",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
        "Windows 10",
        "CHROME",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Linux",
        "FIREFOX",
    ),
    ("okta-sdk-python/3.4.6 python/3.11.7", "Unknown", "UNKNOWN"),
];

/// The generator of one org.
#[derive(Clone, Debug)]
pub struct Synthetic {
    pub count: u64,
    /// `start` in milliseconds since the epoch.
    pub start_ms: i64,
    pub seed: u64,
    /// Milliseconds between consecutive events.
    pub step_ms: i64,
}

impl Synthetic {
    pub fn new(config: &SyntheticLogEvents) -> Option<Self> {
        let start = OffsetDateTime::parse(&config.start, &Rfc3339).ok()?;
        let start_ms = i64::try_from(start.unix_timestamp_nanos() / 1_000_000).ok()?;
        Some(Self {
            count: config.count,
            start_ms,
            seed: config.seed,
            step_ms: i64::try_from(config.interval_seconds.max(1)).ok()?.checked_mul(1000)?,
        })
    }

    fn rng(&self, index: u64) -> StdRng {
        StdRng::seed_from_u64(self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// When event `index` was published, in milliseconds since the epoch.
    pub fn published_ms(&self, index: u64) -> i64 {
        let fraction = i64::from(self.rng(index).random_range(0..1000u32));
        self.start_ms
            .saturating_add(i64::try_from(index).unwrap_or(i64::MAX).saturating_mul(self.step_ms))
            .saturating_add(fraction)
    }

    /// The first index published at or after `ms`.
    pub fn first_at_or_after(&self, ms: i64) -> u64 {
        let guess = (ms - self.start_ms).div_euclid(self.step_ms);
        let index = u64::try_from(guess.max(0)).unwrap_or(0).min(self.count);
        if index < self.count && self.published_ms(index) < ms {
            index + 1
        } else {
            index
        }
    }

    /// Event `index`, as the System Log returns it.
    pub fn event(&self, index: u64, domain: &str) -> Value {
        let mut rng = self.rng(index);
        let published = timestamp(
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.published_ms(index)) * 1_000_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        );
        let _fraction: u32 = rng.random_range(0..1000);
        let total: u32 = EVENT_TYPES.iter().map(|(_, _, w)| w).sum();
        let mut roll = rng.random_range(0..total);
        let (event_type, display, _) = EVENT_TYPES
            .iter()
            .find(|(_, _, weight)| {
                if roll < *weight {
                    true
                } else {
                    roll -= weight;
                    false
                }
            })
            .copied()
            .unwrap_or(EVENT_TYPES[0]);
        let person = rng.random_range(0..FIRST_NAMES.len() * LAST_NAMES.len());
        let (first, last) = (
            FIRST_NAMES[person % FIRST_NAMES.len()],
            LAST_NAMES[person / FIRST_NAMES.len()],
        );
        let login = format!("{}.{}@{}", first.to_lowercase(), last.to_lowercase(), org_mail(domain));
        let user_id = format!("00usynth{person:012}");
        let admin = rng.random_ratio(1, 12);
        let (actor_id, actor_login, actor_name) = if admin {
            (
                "00usynthadmin00001".to_owned(),
                format!("admin@{}", org_mail(domain)),
                "Org Admin".to_owned(),
            )
        } else {
            (user_id.clone(), login.clone(), format!("{first} {last}"))
        };
        let failure = rng.random_ratio(1, 8);
        let outcome = if failure {
            json!({"result": "FAILURE", "reason": if event_type == "user.session.start" { "INVALID_CREDENTIALS" } else { "VERIFICATION_ERROR" }})
        } else {
            json!({"result": "SUCCESS", "reason": null})
        };
        let severity = match (failure, rng.random_range(0..20)) {
            (true, _) => "WARN",
            (false, 0) => "DEBUG",
            _ => "INFO",
        };
        let (city, region, country, latitude, longitude) = PLACES[rng.random_range(0..PLACES.len())];
        let (agent, os, browser) = AGENTS[rng.random_range(0..AGENTS.len())];
        let ip = format!("203.0.{}.{}", rng.random_range(0..=255u8), rng.random_range(1..=254u8));
        let (app_id, app_label) = APPS[rng.random_range(0..APPS.len())];
        let mut targets = vec![
            json!({"id": user_id, "type": "User", "alternateId": login, "displayName": format!("{first} {last}"), "detailEntry": null}),
        ];
        if event_type.starts_with("app.")
            || event_type.starts_with("application.")
            || event_type == "user.authentication.sso"
        {
            targets.push(json!({"id": app_id, "type": "AppInstance", "alternateId": app_label, "displayName": app_label, "detailEntry": null}));
        }
        let request_id = format!("synth{:017}{:05}", index, self.seed % 100_000);
        let session = format!("102synth{}-{}", index % 97_003, self.seed % 1000);
        let mut event = json!({
            "uuid": uuid(&mut rng),
            "published": published,
            "eventType": event_type,
            "version": "0",
            "severity": severity,
            "legacyEventType": null,
            "displayMessage": display,
            "actor": {"id": actor_id, "type": "User", "alternateId": actor_login, "displayName": actor_name, "detailEntry": null},
            "client": {
                "userAgent": {"rawUserAgent": agent, "os": os, "browser": browser},
                "zone": "null",
                "device": if browser == "UNKNOWN" { "Unknown" } else { "Computer" },
                "id": null,
                "ipAddress": ip,
                "geographicalContext": {"city": city, "state": region, "country": country, "postalCode": null, "geolocation": {"lat": latitude, "lon": longitude}},
            },
            "outcome": outcome,
            "target": targets,
            "transaction": {"type": "WEB", "id": request_id, "detail": {}},
            "debugContext": {"debugData": {"requestId": request_id, "requestUri": "/api/v1/authn", "url": "/api/v1/authn?"}},
            "authenticationContext": {
                "authenticationProvider": "OKTA_AUTHENTICATION_PROVIDER",
                "credentialProvider": null,
                "credentialType": null,
                "issuer": null,
                "interface": null,
                "authenticationStep": 0,
                "externalSessionId": session,
            },
            "securityContext": {"asNumber": 64_500 + rng.random_range(0..100u32), "asOrg": "example isp", "isp": "example isp", "domain": "example.net", "isProxy": rng.random_ratio(1, 50)},
            "request": {"ipChain": [{"ip": ip, "geographicalContext": {"city": city, "state": region, "country": country, "postalCode": null, "geolocation": {"lat": latitude, "lon": longitude}}, "version": "V4", "source": null}]},
        });
        // The spec's `LogEvent` declares most members non-nullable: unset ones are left out.
        super::state::prune_nulls(&mut event);
        event
    }
}

/// The mail domain of the org's users: `acme.okta.com` -> `acme.com`.
fn org_mail(domain: &str) -> String {
    let org = domain.split('.').next().unwrap_or("example");
    format!("{org}.com")
}

fn uuid(rng: &mut StdRng) -> String {
    let bytes: [u8; 16] = rng.random();
    let hex = bytes.iter().fold(String::with_capacity(32), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    });
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generator() -> Synthetic {
        Synthetic::new(&SyntheticLogEvents {
            count: 1000,
            start: "2026-11-01T00:00:00Z".to_owned(),
            seed: 7,
            interval_seconds: 1,
        })
        .unwrap()
    }

    #[test]
    fn events_are_reproducible_and_in_published_order() {
        let one = generator();
        let two = generator();
        assert_eq!(one.event(5, "acme.okta.com"), two.event(5, "acme.okta.com"));
        assert_ne!(one.event(5, "acme.okta.com"), one.event(6, "acme.okta.com"));
        let times: Vec<i64> = (0..1000).map(|i| one.published_ms(i)).collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]));
        let at = one.published_ms(500);
        assert_eq!(one.first_at_or_after(at), 500);
        assert_eq!(one.first_at_or_after(at + 1), 501);
        assert_eq!(one.first_at_or_after(0), 0);
        assert_eq!(one.first_at_or_after(i64::MAX / 2), 1000);
    }
}
