//! Synthetic System Log events: a realistic mix of event types, actors, outcomes,
//! severities, targets, clients and places, each computed from its index and the seed and
//! never stored, so that a million events cost no memory. Event `i` is published at
//! `start + i * interval` plus a fraction of a second drawn from `i`, so the events are in
//! `published` order and the ones of a time range are found by arithmetic.

use super::http::timestamp;
use super::seed::SyntheticLogEvents;
use serde::Serialize;
use serde_json::Value;
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

    fn draws(&self, index: u64) -> Draws {
        Draws(self.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// When event `index` was published, in milliseconds since the epoch.
    pub fn published_ms(&self, index: u64) -> i64 {
        let fraction = i64::try_from(self.draws(index).below(1000)).unwrap_or(0);
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
        serde_json::to_value(self.draw(index, domain)).unwrap_or(Value::Null)
    }

    /// Event `index` as JSON text: what a page without a filter or keywords sends, without
    /// building a JSON tree first.
    pub fn event_text(&self, index: u64, domain: &str) -> String {
        serde_json::to_string(&self.draw(index, domain)).unwrap_or_default()
    }

    fn draw(&self, index: u64, domain: &str) -> Event {
        let mut draws = self.draws(index);
        let _fraction = draws.below(1000);
        let published = timestamp(
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.published_ms(index)) * 1_000_000)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        );
        let (event_type, display) = draws.event_type();
        let person = draws.pick(FIRST_NAMES.len() * LAST_NAMES.len());
        let (first, last) = (
            FIRST_NAMES[person % FIRST_NAMES.len()],
            LAST_NAMES[person / FIRST_NAMES.len()],
        );
        let mail = org_mail(domain);
        let login = format!("{}.{}@{mail}", first.to_lowercase(), last.to_lowercase());
        let user_id = format!("00usynth{person:012}");
        let name = format!("{first} {last}");
        let person = Party {
            id: user_id,
            kind: "User",
            alternate_id: login,
            display_name: name,
        };
        // One in twelve events is an admin's; the rest are the person's own.
        let actor = if draws.one_in(12) {
            Party {
                id: "00usynthadmin00001".to_owned(),
                kind: "User",
                alternate_id: format!("admin@{mail}"),
                display_name: "Org Admin".to_owned(),
            }
        } else {
            person.clone()
        };
        let (outcome, severity) = draws.outcome(event_type);
        let place = draws.place();
        let (agent, os, browser) = AGENTS[draws.pick(AGENTS.len())];
        let ip = format!("203.0.{}.{}", draws.below(256), 1 + draws.below(254));
        let (app_id, app_label) = APPS[draws.pick(APPS.len())];
        let mut target = vec![person];
        if event_type.starts_with("app.")
            || event_type.starts_with("application.")
            || event_type == "user.authentication.sso"
        {
            target.push(Party {
                id: app_id.to_owned(),
                kind: "AppInstance",
                alternate_id: app_label.to_owned(),
                display_name: app_label.to_owned(),
            });
        }
        let request_id = format!("synth{index:017}{:05}", self.seed % 100_000);
        let uuid = draws.uuid();
        Event {
            uuid,
            published,
            event_type,
            version: "0",
            severity,
            display_message: display,
            actor,
            client: Client::of((agent, os, browser), ip.clone(), place),
            outcome,
            target,
            transaction: Transaction {
                kind: "WEB",
                id: request_id.clone(),
                detail: Detail {},
            },
            debug_context: DebugContext {
                debug_data: DebugData {
                    request_id,
                    request_uri: "/api/v1/authn",
                    url: "/api/v1/authn?",
                },
            },
            authentication_context: AuthenticationContext {
                authentication_provider: "OKTA_AUTHENTICATION_PROVIDER",
                authentication_step: 0,
                external_session_id: format!("102synth{}-{}", index % 97_003, self.seed % 1000),
            },
            security_context: SecurityContext {
                as_number: 64_500 + draws.below(100),
                as_org: "example isp",
                isp: "example isp",
                domain: "example.net",
                is_proxy: draws.one_in(50),
            },
            request: Request {
                ip_chain: vec![IpAddress {
                    ip,
                    geographical_context: place,
                    version: "V4",
                }],
            },
        }
    }
}

impl Client {
    fn of((agent, os, browser): (&'static str, &'static str, &'static str), ip: String, place: Place) -> Self {
        Client {
            user_agent: UserAgent {
                raw_user_agent: agent,
                os,
                browser,
            },
            zone: "null",
            device: if browser == "UNKNOWN" { "Unknown" } else { "Computer" },
            ip_address: ip,
            geographical_context: place,
        }
    }
}

/// A synthetic event in the shape of the spec's `LogEvent`; members without a value are
/// left out, as the spec declares most of them non-nullable.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::struct_field_names)] // the names are the spec's
struct Event {
    uuid: String,
    published: String,
    event_type: &'static str,
    version: &'static str,
    severity: &'static str,
    display_message: &'static str,
    actor: Party,
    client: Client,
    outcome: Outcome,
    target: Vec<Party>,
    transaction: Transaction,
    debug_context: DebugContext,
    authentication_context: AuthenticationContext,
    security_context: SecurityContext,
    request: Request,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Party {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    alternate_id: String,
    display_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Client {
    user_agent: UserAgent,
    zone: &'static str,
    device: &'static str,
    ip_address: String,
    geographical_context: Place,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::struct_field_names)] // the names are the spec's
struct UserAgent {
    raw_user_agent: &'static str,
    #[serde(rename = "os")]
    os: &'static str,
    browser: &'static str,
}

#[derive(Clone, Copy, Serialize)]
struct Place {
    city: &'static str,
    state: &'static str,
    country: &'static str,
    geolocation: Geolocation,
}

#[derive(Clone, Copy, Serialize)]
struct Geolocation {
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct Outcome {
    result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

#[derive(Serialize)]
struct Transaction {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    detail: Detail,
}

#[derive(Serialize)]
struct Detail {}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DebugContext {
    debug_data: DebugData,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DebugData {
    request_id: String,
    request_uri: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticationContext {
    authentication_provider: &'static str,
    authentication_step: u8,
    external_session_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecurityContext {
    as_number: u64,
    as_org: &'static str,
    isp: &'static str,
    domain: &'static str,
    is_proxy: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    ip_chain: Vec<IpAddress>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IpAddress {
    ip: String,
    geographical_context: Place,
    version: &'static str,
}

/// Draws of one event: `SplitMix64` over the seed and the index, small, fast and the same on
/// every platform and version.
struct Draws(u64);

impl Draws {
    /// An event type and its display message, by the weights of [`EVENT_TYPES`].
    fn event_type(&mut self) -> (&'static str, &'static str) {
        let total: u64 = EVENT_TYPES.iter().map(|(_, _, w)| u64::from(*w)).sum();
        let mut roll = self.below(total);
        let (event_type, display, _) = EVENT_TYPES
            .iter()
            .find(|(_, _, weight)| {
                let weight = u64::from(*weight);
                if roll < weight {
                    true
                } else {
                    roll -= weight;
                    false
                }
            })
            .copied()
            .unwrap_or(EVENT_TYPES[0]);
        (event_type, display)
    }

    /// One in eight fails; the severity follows.
    fn outcome(&mut self, event_type: &str) -> (Outcome, &'static str) {
        let failure = self.one_in(8);
        let outcome = Outcome {
            result: if failure { "FAILURE" } else { "SUCCESS" },
            reason: failure.then_some(if event_type == "user.session.start" {
                "INVALID_CREDENTIALS"
            } else {
                "VERIFICATION_ERROR"
            }),
        };
        let severity = match (failure, self.below(20)) {
            (true, _) => "WARN",
            (false, 0) => "DEBUG",
            _ => "INFO",
        };
        (outcome, severity)
    }

    fn place(&mut self) -> Place {
        let (city, region, country, latitude, longitude) = PLACES[self.pick(PLACES.len())];
        Place {
            city,
            state: region,
            country,
            geolocation: Geolocation {
                lat: latitude,
                lon: longitude,
            },
        }
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick(&mut self, n: usize) -> usize {
        usize::try_from(self.below(n as u64)).unwrap_or(0)
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// The mail domain of the org's users: `acme.okta.com` -> `acme.com`.
fn org_mail(domain: &str) -> String {
    let org = domain.split('.').next().unwrap_or("example");
    format!("{org}.com")
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
