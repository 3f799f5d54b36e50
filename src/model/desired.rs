//! What the config asks for, resolved: connections, the apps they share, the grants each
//! app should have (with where each was declared), log queries compiled for the API, and
//! the safety thresholds.

use super::{ByName, Expectation, Named, Records, Safety, ScopePolicy, SortOrder};
use crate::logquery::CompiledQuery;
use crate::secret::Secret;
use crate::time_spec::TimeSpec;
use std::collections::{BTreeMap, BTreeSet};

/// An Okta Workflows OAuth app: grants belong to it, not to a connection.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct AppKey {
    /// Lower-cased org domain.
    pub domain: String,
    pub client_id: String,
}

/// Which `scopes` block declared a desired grant; where it is in the files is in the
/// span side table ([`crate::config::Sites`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Origin {
    pub scopes: String,
    /// The connection the `scopes` block belongs to.
    pub connection: String,
}

/// oktaform's own credentials for an org.
#[derive(Clone, Debug)]
pub struct Management {
    pub api_token: Option<Secret>,
    /// The environment variables `api_token` reads, to name when it is empty.
    pub api_token_env: Vec<String>,
    pub oauth: Option<Oauth>,
}

#[derive(Clone, Debug)]
pub struct Oauth {
    pub client_id: String,
    pub private_key: Secret,
    pub key_id: Option<String>,
    pub scopes: Vec<String>,
}

/// A connection. Serialized for the config digest: every field but the credentials, which
/// say how oktaform authenticates, not what it changes (and must not be hashed into a
/// plan file).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Connection {
    pub name: String,
    pub app: AppKey,
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    pub service_account: String,
    pub connector: String,
    pub scope_policy: ScopePolicy,
    /// Base URL of the org's API; `https://<domain>` unless set.
    pub endpoint: String,
    /// The Connection Nickname in the Workflows Console, when the config gives it.
    pub nickname: Option<String>,
    pub retired: bool,
    #[serde(skip)]
    pub management: Option<Management>,
}

/// One app's desired state, shared by every connection that uses it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct App {
    pub key: AppKey,
    /// Connections using this app, sorted.
    pub connections: Vec<String>,
    pub scope_policy: ScopePolicy,
    pub connector: String,
    /// Every desired scope and the declarations that ask for it.
    pub grants: BTreeMap<String, Vec<Origin>>,
}

/// A log query. Its API parameters are compiled from the card when asked for
/// ([`LogQuery::compiled`]); serialized with them, for the config digest.
#[derive(Clone, Debug)]
pub struct LogQuery {
    pub name: String,
    pub connection: String,
    /// The fields of the Workflows "Search System Log" card, as written.
    pub card: Card,
    pub since: Option<TimeSpec>,
    pub until: Option<TimeSpec>,
    pub order: SortOrder,
    pub records: Records,
    pub limit: u16,
    pub expect: Option<Expectation>,
    /// For `expect`: oktaform's own events do not count.
    pub exclude_own: bool,
}

impl Named for LogQuery {
    fn name(&self) -> &str {
        &self.name
    }
}

impl LogQuery {
    /// The query's `q` and `filter` parameters.
    pub fn compiled(&self) -> CompiledQuery {
        crate::logquery::compile(
            self.card.keyword.as_deref(),
            &self.card.fields,
            self.card.custom_filter.as_deref(),
        )
    }
}

/// The fields in the order they have always been serialized, `compiled` after `card`.
impl serde::Serialize for LogQuery {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut query = serializer.serialize_struct("LogQuery", 11)?;
        query.serialize_field("name", &self.name)?;
        query.serialize_field("connection", &self.connection)?;
        query.serialize_field("card", &self.card)?;
        query.serialize_field("compiled", &self.compiled())?;
        query.serialize_field("since", &self.since)?;
        query.serialize_field("until", &self.until)?;
        query.serialize_field("order", &self.order)?;
        query.serialize_field("records", &self.records)?;
        query.serialize_field("limit", &self.limit)?;
        query.serialize_field("expect", &self.expect)?;
        query.serialize_field("exclude_own", &self.exclude_own)?;
        query.end()
    }
}

/// The fields of a Workflows "Search System Log" card: what an admin types in.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Card {
    /// The Keyword field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// The predefined fields (joined with `and`, each compared with `eq`).
    #[serde(default, skip_serializing_if = "Fields::is_empty")]
    #[cfg_attr(test, schemars(with = "BTreeMap<String, String>"))]
    pub fields: Fields,
    /// The Custom Filter field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_filter: Option<String>,
}

/// A card's predefined fields and their values, sorted by field: a map, held as a short
/// list since a card has a few (a map's smallest node is larger than most cards).
/// Serialized as a map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(field, value)| (field.as_str(), value.as_str()))
    }
}

/// As a map is collected: sorted by field, and a field given twice keeps its last value.
impl FromIterator<(String, String)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut pairs: Vec<(String, String)> = pairs.into_iter().collect();
        // Stable: of equal fields the last stays last. Of a run of equal fields the first
        // stays in place: it takes the value of each later one before that one goes.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        pairs.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                std::mem::swap(&mut later.1, &mut kept.1);
            }
            same
        });
        Self(pairs)
    }
}

impl serde::Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(deserializer)?;
        Ok(Self(map.into_iter().collect()))
    }
}

#[cfg(test)]
mod fields_tests {
    use super::Fields;

    #[test]
    fn fields_are_sorted_and_a_field_given_twice_keeps_its_last_value() {
        let fields: Fields = [("b", "1"), ("a", "2"), ("b", "3"), ("c", "4"), ("b", "5")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(fields.iter().collect::<Vec<_>>(), [("a", "2"), ("b", "5"), ("c", "4")]);
        assert_eq!(
            serde_json::to_string(&fields).expect("serializes"),
            r#"{"a":"2","b":"5","c":"4"}"#
        );
        let read: Fields = serde_json::from_str(r#"{"b":"1","a":"2"}"#).expect("deserializes");
        assert_eq!(read.iter().collect::<Vec<_>>(), [("a", "2"), ("b", "1")]);
    }
}

/// The whole desired state. Built from the whole config even when a command is limited to
/// some connections, so that shared apps keep every grant. Its serialization is what a
/// plan's config digest covers ([`crate::plan::config_digest`]).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Desired {
    pub connections: BTreeMap<String, Connection>,
    /// By key; serialized as the list of apps (each holds its key).
    #[serde(serialize_with = "values")]
    pub apps: BTreeMap<AppKey, App>,
    pub log_queries: ByName<LogQuery>,
    pub safety: Safety,
}

fn values<S: serde::Serializer>(apps: &BTreeMap<AppKey, App>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(apps.values())
}

impl Desired {
    /// The app a connection uses.
    pub fn app_of(&self, connection: &str) -> Option<&App> {
        self.apps.get(&self.connections.get(connection)?.app)
    }

    /// Every domain of the config.
    pub fn domains(&self) -> BTreeSet<&str> {
        self.apps.keys().map(|k| k.domain.as_str()).collect()
    }
}
