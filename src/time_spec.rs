//! The one time grammar of oktaform, for the config and for flags alike.
//!
//! A time is either relative, `-?<integer>(s|m|h|d|w)` measured from "now", or absolute
//! (RFC 3339). "Now" is the clock, or `OKTAFORM_NOW` (RFC 3339) so that tests are stable.

use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// A point in time as written by the user, resolved against "now" only when needed.
/// Serialized as written (its [`Display`](fmt::Display)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSpec {
    /// Seconds from now; negative is in the past.
    Relative(i64),
    Absolute(OffsetDateTime),
}

/// Why a time could not be read; the message explains the grammar.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is neither a duration like `-24h` (`-?<integer>(s|m|h|d|w)`) nor an RFC 3339 time")]
pub struct TimeSpecError {
    pub input: String,
}

impl TimeSpec {
    pub fn parse(input: &str) -> Result<Self, TimeSpecError> {
        let error = || TimeSpecError {
            input: input.to_owned(),
        };
        if let Ok(at) = OffsetDateTime::parse(input, &Rfc3339) {
            return Ok(Self::Absolute(at));
        }
        parse_duration(input).map(Self::Relative).ok_or_else(error)
    }

    /// The moment this spec names when "now" is `now`.
    pub fn resolve(self, now: OffsetDateTime) -> OffsetDateTime {
        match self {
            Self::Relative(seconds) => now + Duration::seconds(seconds),
            Self::Absolute(at) => at,
        }
    }
}

impl serde::Serialize for TimeSpec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for TimeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Relative(seconds) => f.write_str(&format_duration(*seconds)),
            Self::Absolute(at) => f.write_str(&at.format(&Rfc3339).map_err(|_| fmt::Error)?),
        }
    }
}

/// Seconds of `-?<integer>(s|m|h|d|w)`, or `None` when `input` is not of that grammar.
pub fn parse_duration(input: &str) -> Option<i64> {
    let (negative, rest) = match input.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    let unit = rest.chars().last()?;
    let digits = &rest[..rest.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scale = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    let magnitude = digits.parse::<i64>().ok()?.checked_mul(scale)?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The shortest exact spelling of `seconds` in the duration grammar.
pub fn format_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let magnitude = seconds.unsigned_abs();
    for (scale, unit) in [(604_800, 'w'), (86_400, 'd'), (3_600, 'h'), (60, 'm')] {
        if magnitude != 0 && magnitude.is_multiple_of(scale) {
            return format!("{sign}{}{unit}", magnitude / scale);
        }
    }
    format!("{sign}{magnitude}s")
}

/// Where "now" comes from: the system clock, or a fixed moment (`OKTAFORM_NOW`) for
/// reproducible runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(OffsetDateTime),
}

impl Clock {
    /// The clock `environment` asks for: fixed at its `OKTAFORM_NOW` when that is an RFC 3339
    /// time, else the system's.
    pub fn from_environment(environment: &crate::environment::Environment) -> Self {
        environment
            .get("OKTAFORM_NOW")
            .and_then(|value| OffsetDateTime::parse(value, &Rfc3339).ok())
            .map_or(Clock::System, Clock::Fixed)
    }

    pub fn now(self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(now) => now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn durations_follow_the_grammar() {
        assert_eq!(parse_duration("-24h"), Some(-86_400));
        assert_eq!(parse_duration("7d"), Some(604_800));
        assert_eq!(parse_duration("2w"), Some(1_209_600));
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("-5m"), Some(-300));
        for bad in [
            "",
            "-",
            "h",
            "24",
            "24x",
            "1.5h",
            "+3h",
            "--3h",
            "3 h",
            "99999999999999999999w",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn specs_resolve_against_now() {
        let now = datetime!(2026-11-28 12:00 UTC);
        let day_ago = TimeSpec::parse("-1d").unwrap().resolve(now);
        assert_eq!(day_ago, datetime!(2026-11-27 12:00 UTC));
        let absolute = TimeSpec::parse("2026-01-02T03:04:05Z").unwrap();
        assert_eq!(absolute.resolve(now), datetime!(2026-01-02 03:04:05 UTC));
        assert!(TimeSpec::parse("yesterday").is_err());
    }

    #[test]
    fn durations_print_in_the_largest_exact_unit() {
        assert_eq!(format_duration(-86_400), "-1d");
        assert_eq!(format_duration(90), "90s");
        assert_eq!(format_duration(7_200), "2h");
        assert_eq!(format_duration(0), "0s");
    }
}
