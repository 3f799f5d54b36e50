//! The plan document: what `plan --format json` prints and `plan -o FILE` writes. It holds
//! no secret in any form. `config.digest` hashes the resolved desired model without secrets
//! or source positions (so `fmt` does not invalidate a plan); `checksum` covers the rest.

use super::{Action, Change, Kind};
use crate::diagnostics::Severity;
use crate::model::{AppKey, Desired, Records, SortOrder};
#[cfg(test)]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The plan format this version writes and applies. Format 1 addressed changes by the first
/// connection of an app; its files are refused with a request for a new plan.
pub const FORMAT_VERSION: &str = "2";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfigRef {
    /// The config path, relative to the plan file's directory.
    pub path: String,
    pub digest: String,
}

/// Where the plan was made: the simulated org, or per domain the base URL requests went
/// to (the real org's, a connection's `endpoint`, or `--endpoint`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub sim: bool,
    pub endpoints: BTreeMap<String, String>,
}

impl Target {
    /// The target in words: "the simulated org" or "`acme.okta.com` at <https://acme.okta.com>".
    pub fn describe(&self) -> String {
        if self.sim {
            return "the simulated org".to_owned();
        }
        let orgs: Vec<String> = self
            .endpoints
            .iter()
            .map(|(domain, url)| format!("`{domain}` at {url}"))
            .collect();
        if orgs.is_empty() {
            "no org".to_owned()
        } else {
            orgs.join(", ")
        }
    }

    /// The target of one org in words, for headings.
    pub fn describe_org(&self, domain: &str) -> String {
        if self.sim {
            return "simulated".to_owned();
        }
        self.endpoints
            .get(domain)
            .cloned()
            .unwrap_or_else(|| "not read".to_owned())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub create: usize,
    pub delete: usize,
    pub manual: usize,
    pub unchanged: usize,
}

/// A live grant that no `scopes` block declares, kept because the app's policy is
/// `additive`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Unmanaged {
    pub address: String,
    pub domain: String,
    pub client_id: String,
    pub scope: String,
    pub connections: Vec<String>,
}

/// The `mass_revoke` rule, stated once per app with its numbers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MassRevoke {
    /// The app's address.
    pub address: String,
    pub domain: String,
    pub client_id: String,
    /// Non-default grants the plan revokes.
    pub revoking: usize,
    /// Non-default grants the app has now.
    pub current: usize,
}

impl MassRevoke {
    pub fn app(&self) -> AppKey {
        AppKey {
            domain: self.domain.clone(),
            client_id: self.client_id.clone(),
        }
    }
}

/// A log query: the card fields to type in, and the API request they compile to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LogQueryRef {
    pub name: String,
    pub connection: String,
    pub card: crate::model::Card,
    pub q: Option<String>,
    pub filter: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub order: SortOrder,
    pub records: Records,
    pub limit: u16,
}

/// A diagnostic in the plan, places one-based.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanDiagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
}

/// The whole plan, as JSON. Untrusted when read back: `apply` derives the changes anew and
/// uses the file only to check that they are the ones reviewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanDocument {
    pub format_version: String,
    pub oktaform_version: String,
    pub created_at: String,
    pub config: ConfigRef,
    pub target: Target,
    /// The connections the plan was made for (`--connection`, else every one); `apply`
    /// reads and compares these only.
    pub connections: Vec<String>,
    /// In apply order: per app its assignments, roles, grants, revokes and manual steps.
    pub changes: Vec<Change>,
    pub unmanaged: Vec<Unmanaged>,
    pub mass_revokes: Vec<MassRevoke>,
    pub summary: Summary,
    /// The values of the non-sensitive variables the plan was made with; `apply` of the
    /// file uses them.
    pub variables: BTreeMap<String, serde_json::Value>,
    pub log_queries: Vec<LogQueryRef>,
    pub diagnostics: Vec<PlanDiagnostic>,
    /// `sha256:` of the document with an empty checksum: detects corruption, not forgery.
    pub checksum: String,
}

/// Why a plan file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("cannot read the plan file `{path}`: {message}")]
    Unreadable { path: String, message: String },
    #[error("`{path}` is not an oktaform plan: {message}")]
    NotAPlan { path: String, message: String },
    #[error(
        "`{path}` is a plan of format {version}, made by an older oktaform; this version applies format {FORMAT_VERSION} only"
    )]
    OldFormat { path: String, version: String },
    #[error("the plan file `{path}` was changed after it was written (checksum mismatch)")]
    Tampered { path: String },
}

/// The variables whose values differ between a plan file's record and the values of an
/// apply, one line each: the name and both values. Only non-sensitive values are ever
/// recorded, so only those are shown.
pub fn changed_variables(
    recorded: &BTreeMap<String, serde_json::Value>,
    current: &BTreeMap<String, serde_json::Value>,
) -> Vec<String> {
    let shown = |value: Option<&serde_json::Value>| match value {
        Some(serde_json::Value::String(text)) => format!("`{}`", crate::text::one_line(text)),
        Some(value) => format!("`{}`", crate::text::one_line(&value.to_string())),
        None => "no value (or a sensitive one)".to_owned(),
    };
    let names: std::collections::BTreeSet<&String> = recorded.keys().chain(current.keys()).collect();
    names
        .into_iter()
        .filter(|name| recorded.get(*name) != current.get(*name))
        .map(|name| {
            format!(
                "`{name}`: planned with {}, applied with {}",
                shown(recorded.get(name)),
                shown(current.get(name))
            )
        })
        .collect()
}

impl PlanDocument {
    pub fn summarize(changes: &[Change], unchanged: usize) -> Summary {
        let count = |action| changes.iter().filter(|c| c.action() == action).count();
        Summary {
            create: count(Action::Create),
            delete: count(Action::Delete),
            manual: count(Action::Manual),
            unchanged,
        }
    }

    /// Whether anything but manual steps is planned.
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.kind() != Kind::Reauthorize)
    }

    fn compute_checksum(&self) -> String {
        let mut unsigned = self.clone();
        unsigned.checksum = String::new();
        let text = serde_json::to_string(&unsigned).unwrap_or_default();
        format!("sha256:{:x}", Sha256::digest(text.as_bytes()))
    }

    /// Sets the checksum; call last.
    pub fn seal(&mut self) {
        self.checksum = self.compute_checksum();
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Whether the file at `path` claims to be a plan file: its name ends in `.json` or
    /// its text starts like JSON. Such a file is read as a plan file or refused, never as a
    /// config (an empty `plan.json` from a failed download is no config of nothing).
    pub fn claimed_by(path: &Path) -> bool {
        use std::io::Read;
        if !path.is_file() {
            return false;
        }
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            return true;
        }
        let mut head = [0u8; 512];
        let Ok(read) = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) else {
            return false;
        };
        let head = &head[..read];
        let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
        head.iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'{' | b'['))
    }

    /// Whether the file at `path` is a plan file (of any format): the only kind of file
    /// `plan -o` may replace.
    pub fn is_plan_file(path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
            && crate::input::read_text(path, crate::input::PLAN_LIMIT)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .is_some_and(|value| value.get("format_version").is_some())
    }

    /// Reads a plan file, recognised by its content, and checks its format and checksum.
    pub fn read(path: &Path) -> Result<Self, PlanError> {
        let shown = path.display().to_string();
        let text = crate::input::read_text(path, crate::input::PLAN_LIMIT).map_err(|e| PlanError::Unreadable {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        Self::parse(&text, &shown)
    }

    pub fn parse(text: &str, shown: &str) -> Result<Self, PlanError> {
        let not_a_plan = |message: String| PlanError::NotAPlan {
            path: shown.to_owned(),
            message,
        };
        if text.trim().is_empty() {
            return Err(not_a_plan("the file is empty".to_owned()));
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| not_a_plan(e.to_string()))?;
        match value.get("format_version").and_then(serde_json::Value::as_str) {
            Some(FORMAT_VERSION) => {}
            Some(version) => {
                return Err(PlanError::OldFormat {
                    path: shown.to_owned(),
                    version: version.to_owned(),
                });
            }
            None => return Err(not_a_plan("it has no `format_version`".to_owned())),
        }
        let document: Self = serde_json::from_value(value).map_err(|e| not_a_plan(e.to_string()))?;
        if document.checksum != document.compute_checksum() {
            return Err(PlanError::Tampered { path: shown.to_owned() });
        }
        Ok(document)
    }
}

/// `sha256:` of the desired model: connections, grants (by declaring block, not by line),
/// log queries and safety thresholds; no secret, no source position.
pub fn config_digest(desired: &Desired) -> String {
    // Every field of the model counts, but credentials (skipped by the model's serialization).
    let model = serde_json::to_string(desired).unwrap_or_default();
    format!("sha256:{:x}", Sha256::digest(model.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_digest_covers_every_field_of_the_model_but_credentials() {
        use crate::model::{AppKey, Connection, Desired, ScopePolicy};
        use crate::secret::Secret;
        let connection = Connection {
            name: "prod".to_owned(),
            app: AppKey {
                domain: "acme.okta.com".to_owned(),
                client_id: "0oa1".to_owned(),
            },
            client_secret: Some(Secret::new("first-secret-value")),
            service_account: "svc@acme.com".to_owned(),
            connector: "okta".to_owned(),
            scope_policy: ScopePolicy::Exact,
            endpoint: "https://acme.okta.com".to_owned(),
            nickname: None,
            retired: false,
            management: None,
        };
        let digest = |change: &dyn Fn(&mut Connection)| {
            let mut connection = connection.clone();
            change(&mut connection);
            let mut desired = Desired::default();
            desired.connections.insert(connection.name.clone(), connection);
            super::config_digest(&desired)
        };
        let unchanged = digest(&|_| {});
        assert_eq!(digest(&|c| c.client_secret = Some(Secret::new("other"))), unchanged);
        let changes: [&dyn Fn(&mut Connection); 5] = [
            &|c| c.retired = true,
            &|c| c.endpoint = "https://acme.example.com".to_owned(),
            &|c| c.scope_policy = ScopePolicy::Additive,
            &|c| c.connector = "okta_other".to_owned(),
            &|c| c.service_account = "svc2@acme.com".to_owned(),
        ];
        for change in changes {
            assert_ne!(digest(change), unchanged);
        }
        assert!(
            !serde_json::to_string(&connection)
                .unwrap()
                .contains("first-secret-value")
        );
    }

    /// Plan files record the digest: the model must serialize as it always has, or every
    /// plan made before would be judged stale.
    #[test]
    fn the_digest_of_a_config_with_log_queries_is_stable() {
        let text = crate::testing::one_connection(&["okta.logs.read"], "")
            + r#"
log_query "failed" {
  connection = connection.prod
  keyword    = "admin login"
  match      = { "outcome.result" = "FAILURE", eventType = "user.session.start" }
  filter     = "actor.alternateId sw \"svc\" or target.id pr"
  since      = "-24h"
  limit      = 200
  expect     = "empty"
}

log_query "all" {
  connection = connection.prod
  order      = "DESCENDING"
  records    = "all"
  until      = "-1h"
}
"#;
        let (_, validated) = crate::testing::config(&text);
        let queries = serde_json::to_string(&validated.desired.log_queries).expect("serializes");
        assert_eq!(
            queries,
            concat!(
                r#"{"all":{"name":"all","connection":"prod","card":{},"compiled":{"q":null,"filter":null},"#,
                r#""since":null,"until":"-1h","order":"DESCENDING","records":"all","limit":100,"expect":null,"exclude_own":true},"#,
                r#""failed":{"name":"failed","connection":"prod","card":{"keyword":"admin login","#,
                r#""fields":{"eventType":"user.session.start","outcome.result":"FAILURE"},"#,
                r#""custom_filter":"actor.alternateId sw \"svc\" or target.id pr"},"#,
                r#""compiled":{"q":"admin login","filter":"eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\" and (actor.alternateId sw \"svc\" or target.id pr)"},"#,
                r#""since":"-1d","until":null,"order":"ASCENDING","records":"first","limit":200,"expect":"empty","exclude_own":true}}"#,
            )
        );
        assert_eq!(
            super::config_digest(&validated.desired),
            "sha256:ca3fb4ed0cea45485eaeaa29da89fa8eb75b38f83869d6d89ec7af3473baabef"
        );
    }

    #[test]
    fn changed_variables_name_each_difference() {
        let map = |pairs: &[(&str, serde_json::Value)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let recorded = map(&[("svc", "a@acme.com".into()), ("n", 1.into()), ("same", "x".into())]);
        let current = map(&[("svc", "m\nallory".into()), ("same", "x".into()), ("new", true.into())]);
        assert_eq!(
            super::changed_variables(&recorded, &current),
            [
                "`n`: planned with `1`, applied with no value (or a sensitive one)",
                "`new`: planned with no value (or a sensitive one), applied with `true`",
                "`svc`: planned with `a@acme.com`, applied with `m\\u{a}allory`",
            ]
        );
    }

    use super::PlanDocument;

    /// `schemas/plan.schema.json` is generated from these types; regenerate with
    /// `OKTAFORM_BLESS=1 cargo test --lib plan_schema`.
    #[test]
    fn plan_schema_is_in_step_with_the_types() {
        let schema = schemars::schema_for!(PlanDocument);
        let text = serde_json::to_string_pretty(&schema).expect("schema serialises") + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/plan.schema.json");
        if std::env::var_os("OKTAFORM_BLESS").is_some() {
            std::fs::write(&path, &text).expect("schema written");
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == text,
            "schemas/plan.schema.json is stale: run `OKTAFORM_BLESS=1 cargo test --lib plan_schema`"
        );
    }
}
