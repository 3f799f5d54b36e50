//! The System Log of an org: the events stored (written by mutations, seeded, appended
//! through `/__sim/events`) merged with the synthetic ones in `published` order, searched
//! with a filter and keywords, a page at a time from a cursor.
//!
//! A cursor is the sort key of the last event of a page (`<published ms>_<source>_<index>`,
//! like Okta's `1627500044869_1`), so it stays valid while events are appended, and a
//! polling cursor returns the events appended after it was issued.

use super::state::Org;
use super::synthetic::Synthetic;
use crate::logquery::filter::{self, Expr};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Where an event is in the merged log: synthetic events sort before stored ones published
/// in the same millisecond.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub ms: i64,
    /// 0: synthetic, 1: stored.
    pub source: u8,
    pub index: u64,
}

impl Key {
    /// The key just before every event published at `ms` or later.
    pub fn before(ms: i64) -> Self {
        Self {
            ms: ms.saturating_sub(1),
            source: u8::MAX,
            index: u64::MAX,
        }
    }

    /// The key just after every event published before `ms`... and at `ms`, for
    /// descending pages that start at `until` (exclusive).
    pub fn at(ms: i64) -> Self {
        Self {
            ms,
            source: 0,
            index: 0,
        }
    }

    pub fn encode(self) -> String {
        format!("{}_{}_{}", self.ms, self.source, self.index)
    }
}

/// A cursor: the key to continue after and, for descending pages, the lower bound of the
/// query (`since`), which the next link cannot carry beside `after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub key: Key,
    pub bound: Option<i64>,
}

impl Cursor {
    pub fn encode(self) -> String {
        match self.bound {
            Some(bound) => format!("{}_{bound}", self.key.encode()),
            None => self.key.encode(),
        }
    }

    pub fn decode(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split('_').collect();
        let (key_parts, bound) = match parts.as_slice() {
            // Okta's documented form, `<published ms>_<sequence>` (`after=1627500044869_1`):
            // the sim's events have no such sequence, so the cursor continues after every
            // event of that millisecond.
            [ms, _sequence] => ([*ms, "255", "18446744073709551615"], None),
            [ms, source, index] => ([*ms, *source, *index], None),
            [ms, source, index, bound] => ([*ms, *source, *index], Some(bound.parse().ok()?)),
            _ => return None,
        };
        Some(Self {
            key: Key {
                ms: key_parts[0].parse().ok()?,
                source: key_parts[1].parse().ok()?,
                index: key_parts[2].parse().ok()?,
            },
            bound,
        })
    }
}

/// One search of the log.
pub struct Search<'a> {
    /// Events published at or after this (ms).
    pub since: i64,
    /// Events published before this (ms).
    pub until: i64,
    pub descending: bool,
    /// Continue after (ascending) or before (descending) this key.
    pub after: Option<Key>,
    pub limit: usize,
    pub filter: Option<&'a Expr>,
    /// Lower-cased keywords, every one of which must match.
    pub keywords: &'a [String],
}

/// A page of events (each as JSON text), the key of its last event, and whether more
/// events match.
pub struct Page {
    pub events: Vec<String>,
    pub last: Option<Key>,
    pub more: bool,
}

/// An event before it is needed as JSON: stored, or synthetic by index (built only when it
/// is to be matched or sent).
#[derive(Clone, Copy)]
enum Entry<'a> {
    Stored(&'a Value),
    Synthetic(u64),
}

/// Milliseconds since the epoch of an RFC 3339 time.
pub fn millis(text: &str) -> Option<i64> {
    let at = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The log of `org`, ready to search.
pub struct Log<'a> {
    org: &'a Org,
    /// Stored events by key.
    stored: Vec<(Key, &'a Value)>,
    synthetic: Option<Synthetic>,
}

impl<'a> Log<'a> {
    pub fn new(org: &'a Org) -> Self {
        let mut stored: Vec<(Key, &Value)> = org
            .log_events
            .iter()
            .enumerate()
            .map(|(index, event)| {
                let ms = event["published"].as_str().and_then(millis).unwrap_or(0);
                let key = Key {
                    ms,
                    source: 1,
                    index: index as u64,
                };
                (key, event)
            })
            .collect();
        stored.sort_by_key(|(key, _)| *key);
        let synthetic = org.synthetic_log_events.as_ref().and_then(Synthetic::new);
        Self { org, stored, synthetic }
    }

    /// The events of `search`, a page of at most `search.limit`.
    pub fn search(&self, search: &Search<'_>) -> Page {
        let mut events = Vec::new();
        let mut last = None;
        let mut more = false;
        let plain = search.filter.is_none() && search.keywords.is_empty();
        let mut visit = |key: Key, entry: Entry<'_>| {
            let text = if plain {
                if events.len() == search.limit {
                    more = true;
                    return false;
                }
                self.text(entry)
            } else {
                let event = self.value(entry);
                if !matches(&event, search) {
                    return true;
                }
                if events.len() == search.limit {
                    more = true;
                    return false;
                }
                event.to_string()
            };
            last = Some(key);
            events.push(text);
            true
        };
        if search.descending {
            self.walk_down(search, &mut visit);
        } else {
            self.walk_up(search, &mut visit);
        }
        Page { events, last, more }
    }

    fn value(&self, entry: Entry<'_>) -> Value {
        match (entry, &self.synthetic) {
            (Entry::Stored(event), _) => event.clone(),
            (Entry::Synthetic(index), Some(synthetic)) => synthetic.event(index, &self.org.domain),
            (Entry::Synthetic(_), None) => Value::Null,
        }
    }

    fn text(&self, entry: Entry<'_>) -> String {
        match (entry, &self.synthetic) {
            (Entry::Stored(event), _) => event.to_string(),
            (Entry::Synthetic(index), Some(synthetic)) => synthetic.event_text(index, &self.org.domain),
            (Entry::Synthetic(_), None) => "null".to_owned(),
        }
    }

    fn synthetic_event(synthetic: &Synthetic, index: u64) -> (Key, Entry<'a>) {
        let key = Key {
            ms: synthetic.published_ms(index),
            source: 0,
            index,
        };
        (key, Entry::Synthetic(index))
    }

    /// Events in ascending key order from the cursor (or `since`) up to `until`, until
    /// `visit` says stop.
    fn walk_up(&self, search: &Search<'_>, visit: &mut dyn FnMut(Key, Entry<'a>) -> bool) {
        let from = search
            .after
            .unwrap_or(Key::before(search.since))
            .max(Key::before(search.since));
        let mut stored = self.stored.partition_point(|(key, _)| *key <= from);
        let mut synthetic_index = self.synthetic.as_ref().map_or(0, |s| {
            let mut i = s.first_at_or_after(from.ms);
            while i < s.count
                && (Key {
                    ms: s.published_ms(i),
                    source: 0,
                    index: i,
                }) <= from
            {
                i += 1;
            }
            i
        });
        loop {
            let next_stored = self.stored.get(stored).map(|(key, _)| *key);
            let next_synthetic = self
                .synthetic
                .as_ref()
                .filter(|s| synthetic_index < s.count)
                .map(|s| Key {
                    ms: s.published_ms(synthetic_index),
                    source: 0,
                    index: synthetic_index,
                });
            let (key, event) = match (next_stored, next_synthetic) {
                (Some(a), Some(b)) if b < a => self.take_synthetic(&mut synthetic_index),
                (Some(_), _) => {
                    let (key, event) = self.stored[stored];
                    stored += 1;
                    (key, Entry::Stored(event))
                }
                (None, Some(_)) => self.take_synthetic(&mut synthetic_index),
                (None, None) => return,
            };
            if key.ms >= search.until || !visit(key, event) {
                return;
            }
        }
    }

    fn take_synthetic(&self, index: &mut u64) -> (Key, Entry<'a>) {
        let synthetic = self.synthetic.as_ref().expect("a synthetic source");
        let item = Self::synthetic_event(synthetic, *index);
        *index += 1;
        item
    }

    /// Events in descending key order from the cursor (or `until`) down to `since`.
    fn walk_down(&self, search: &Search<'_>, visit: &mut dyn FnMut(Key, Entry<'a>) -> bool) {
        let to = search.after.unwrap_or(Key::at(search.until)).min(Key::at(search.until));
        let mut stored = self.stored.partition_point(|(key, _)| *key < to);
        // One past the highest synthetic index below `to`.
        let mut synthetic_end = self.synthetic.as_ref().map_or(0, |s| {
            let mut end = s.first_at_or_after(to.ms).min(s.count);
            while end < s.count
                && (Key {
                    ms: s.published_ms(end),
                    source: 0,
                    index: end,
                }) < to
            {
                end += 1;
            }
            while end > 0
                && (Key {
                    ms: s.published_ms(end - 1),
                    source: 0,
                    index: end - 1,
                }) >= to
            {
                end -= 1;
            }
            end
        });
        loop {
            let previous_stored = stored.checked_sub(1).map(|i| self.stored[i].0);
            let previous_synthetic = self.synthetic.as_ref().filter(|_| synthetic_end > 0).map(|s| Key {
                ms: s.published_ms(synthetic_end - 1),
                source: 0,
                index: synthetic_end - 1,
            });
            let (key, event) = match (previous_stored, previous_synthetic) {
                (Some(a), Some(b)) if b > a => {
                    synthetic_end -= 1;
                    let synthetic = self.synthetic.as_ref().expect("a synthetic source");
                    Self::synthetic_event(synthetic, synthetic_end)
                }
                (Some(_), _) => {
                    stored -= 1;
                    let (key, event) = self.stored[stored];
                    (key, Entry::Stored(event))
                }
                (None, Some(_)) => {
                    synthetic_end -= 1;
                    let synthetic = self.synthetic.as_ref().expect("a synthetic source");
                    Self::synthetic_event(synthetic, synthetic_end)
                }
                (None, None) => return,
            };
            if key.ms < search.since || !visit(key, event) {
                return;
            }
        }
    }
}

fn matches(event: &Value, search: &Search<'_>) -> bool {
    search.filter.is_none_or(|f| filter::matches(f, event)) && search.keywords.iter().all(|k| keyword_matches(event, k))
}

/// Whether `keyword` (lower-cased) is one of the event's values, case-insensitively: a
/// whole value, a word of it, or a part of a hyphenated word. Null attributes never match.
pub fn keyword_matches(value: &Value, keyword: &str) -> bool {
    match value {
        Value::String(text) => {
            let text = text.to_lowercase();
            text == keyword
                || text
                    .split_whitespace()
                    .any(|word| word == keyword || word.split('-').any(|part| part == keyword))
        }
        Value::Number(number) => number.to_string() == keyword,
        Value::Bool(b) => b.to_string() == keyword,
        Value::Array(items) => items.iter().any(|item| keyword_matches(item, keyword)),
        Value::Object(map) => map.values().any(|item| keyword_matches(item, keyword)),
        Value::Null => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords_match_whole_values_words_and_hyphen_parts_never_null() {
        let event = json!({
            "displayMessage": "User login to Okta",
            "transaction": {"id": "XOxBw-2JIRnCFd0gG0GjHAAABjY"},
            "client": {"geographicalContext": {"city": "San Francisco"}},
            "legacyEventType": null,
        });
        for (keyword, expected) in [
            ("login", true),
            ("user login to okta", true),
            ("xoxbw", true),
            ("2jirncfd0gg0gjhaaabjy", true),
            ("xoxbw-2jirncfd0gg0gjhaaabjy", true),
            ("francisco", true),
            ("logi", false),
            ("null", false),
        ] {
            assert_eq!(keyword_matches(&event, keyword), expected, "{keyword}");
        }
    }

    #[test]
    fn cursors_round_trip() {
        let key = Key {
            ms: 1_627_500_044_869,
            source: 1,
            index: 42,
        };
        assert_eq!(Cursor::decode(&key.encode()).map(|c| c.key), Some(key));
        let cursor = Cursor {
            key,
            bound: Some(1_627_000_000_000),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(
            Cursor::decode("1627500044869_1").map(|c| c.key),
            Some(Key {
                ms: 1_627_500_044_869,
                source: u8::MAX,
                index: u64::MAX
            }),
            "Okta's documented form: after every event of that millisecond"
        );
        assert_eq!(Cursor::decode("garbage"), None);
    }
}
