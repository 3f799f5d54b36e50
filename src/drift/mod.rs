//! Drift: every difference between the config and the orgs becomes a finding, classified
//! from the System Log (who changed the object last, and was it oktaform), plus connections
//! likely not reauthorized since their app's grants changed and log queries whose `expect`
//! does not hold.
//!
//! oktaform recognises its own events by the `oktaform/<version>` User-Agent recorded in
//! them: an SSWS token acts as a human admin who may also click in the console, so the
//! actor alone cannot tell. An event that cannot be tied to an object makes a finding
//! `unknown`, never a wrong `out_of_band`.

mod classify;

pub use classify::{Classifier, Connection, Event, EventKind, Party, drift_events_filter};

#[cfg(test)]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a finding says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Someone or something other than oktaform changed the object last.
    OutOfBand,
    /// No change by anyone else: the config changed, or was never applied.
    Pending,
    /// The log could not be read, or an event could not be tied to the object.
    Unknown,
    /// The connection was likely not reauthorized since its app's grants changed.
    ReauthorizePending,
    /// A log query's `expect` does not hold over its window.
    ExpectFailed,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::OutOfBand => "out_of_band",
            FindingKind::Pending => "pending",
            FindingKind::Unknown => "unknown",
            FindingKind::ReauthorizePending => "reauthorize_pending",
            FindingKind::ExpectFailed => "expect_failed",
        }
    }

    /// Whether `--out-of-band-only` counts it: what changed out of band, a failed
    /// `expect`, and what cannot be told (which may hide either).
    pub fn out_of_band(self) -> bool {
        matches!(
            self,
            FindingKind::OutOfBand | FindingKind::ExpectFailed | FindingKind::Unknown
        )
    }
}

/// The System Log event a finding is attributed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
pub struct Attribution {
    /// The actor's `alternateId` (usually a login).
    pub actor: String,
    /// When, as the event's `published`.
    pub published: String,
    pub event_type: String,
    /// The User-Agent the change was made with.
    pub user_agent: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
pub struct Finding {
    pub kind: FindingKind,
    /// The plan address of the object, `connection.<name>.reauthorize`, or `log_query.<name>`.
    pub address: String,
    pub domain: String,
    pub connections: Vec<String>,
    /// What the finding is about, for people.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
}

/// Findings per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
pub struct Counts {
    pub out_of_band: usize,
    pub pending: usize,
    pub unknown: usize,
    pub reauthorize_pending: usize,
    pub expect_failed: usize,
}

/// What `drift --format json` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(JsonSchema))]
pub struct DriftReport {
    pub ok: bool,
    /// Since when the System Log was read (RFC 3339).
    pub since: String,
    /// Per org, the target read ("simulated" or a URL).
    pub orgs: std::collections::BTreeMap<String, String>,
    pub out_of_band_only: bool,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// Findings that count for the exit code.
    pub counted: usize,
}

impl DriftReport {
    pub fn new(
        since: String,
        orgs: std::collections::BTreeMap<String, String>,
        mut findings: Vec<Finding>,
        out_of_band_only: bool,
    ) -> Self {
        if out_of_band_only {
            findings.retain(|f| f.kind.out_of_band());
        }
        findings.sort_by(|a, b| (&a.domain, a.kind, &a.address).cmp(&(&b.domain, b.kind, &b.address)));
        let mut counts = Counts::default();
        for finding in &findings {
            *match finding.kind {
                FindingKind::OutOfBand => &mut counts.out_of_band,
                FindingKind::Pending => &mut counts.pending,
                FindingKind::Unknown => &mut counts.unknown,
                FindingKind::ReauthorizePending => &mut counts.reauthorize_pending,
                FindingKind::ExpectFailed => &mut counts.expect_failed,
            } += 1;
        }
        Self {
            ok: true,
            since,
            orgs,
            out_of_band_only,
            counted: findings.len(),
            findings,
            counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DriftReport;

    /// `schemas/drift.schema.json` is generated from these types; regenerate with
    /// `OKTAFORM_BLESS=1 cargo test --lib drift_schema`.
    #[test]
    fn drift_schema_is_in_step_with_the_types() {
        let schema = schemars::schema_for!(DriftReport);
        let text = serde_json::to_string_pretty(&schema).expect("schema serialises") + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/drift.schema.json");
        if std::env::var_os("OKTAFORM_BLESS").is_some() {
            std::fs::write(&path, &text).expect("schema written");
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == text,
            "schemas/drift.schema.json is stale: run `OKTAFORM_BLESS=1 cargo test --lib drift_schema`"
        );
    }
}
