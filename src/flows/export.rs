//! Reading a Workflows export: its flows, their cards, the connection each card uses and
//! the inputs that matter. The format, as Okta's public export templates show it (format
//! versions 1.2.0 to 1.5.0): `{"type": "flopack", "version", "data": {"flos", "configs",
//! ...}}`; a card is a method whose `address` is `root:channels:http:<connector>:<version>:
//! <key>`. Unknown fields are ignored; maps and lists of flows, methods and inputs are both
//! read, as versions differ.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The format versions read.
pub const VERSIONS: &[&str] = &["1.2.0", "1.3.0", "1.4.0", "1.5.0"];

/// The input groups whose literals are kept: what the catalog and `flows import` read
/// (settings, a Custom API Action's request, a Search System Logs card's search and dates).
/// The rest (message bodies, notes) can be large and is never needed.
const KEPT_GROUPS: &[&str] = &["parameters", "Request", "Search By", "Date"];

/// The largest export read (the public templates are well under a megabyte each).
pub const EXPORT_LIMIT: u64 = 64 * 1024 * 1024;

#[derive(Debug)]
pub struct Export {
    pub file: PathBuf,
    pub version: String,
    pub flows: Vec<Flow>,
}

#[derive(Debug)]
pub struct Flow {
    pub name: String,
    /// The connector cards of the flow, in the export's order (built-in functions left out).
    pub cards: Vec<Card>,
}

/// One connector card.
#[derive(Debug)]
pub struct Card {
    /// `okta` for the Okta connector.
    pub connector: String,
    /// The card key, such as `readUser`.
    pub key: String,
    /// The display name, such as "Read User".
    pub name: String,
    /// An event card (it starts the flow).
    pub event: bool,
    /// The connection it uses: its name in the export (the nickname), and its connector.
    pub connection: Option<String>,
    /// Inputs with a literal value, by `(group, key)`; a wired input has none.
    pub inputs: BTreeMap<(String, String), String>,
}

impl Card {
    /// The literal value of an input (or a parameter, which some versions keep as inputs of
    /// the group `parameters`).
    pub fn input(&self, group: &str, key: &str) -> Option<&str> {
        self.inputs.get(&(group.to_owned(), key.to_owned())).map(String::as_str)
    }
}

/// Why a file is not an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read `{file}`: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("`{file}` is not JSON: {reason}")]
    NotJson { file: String, reason: String },
    #[error("`{file}` is not a Workflows export: {reason}")]
    NotAnExport { file: String, reason: String },
}

/// Reads the export at `path`.
pub fn read(path: &Path) -> Result<Export, ExportError> {
    let file = path.display().to_string();
    let text = crate::input::read_text(path, EXPORT_LIMIT).map_err(|e| ExportError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|e| ExportError::NotJson {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    parse(path, &value)
}

/// The export in `value` (read from `path`).
pub fn parse(path: &Path, value: &Value) -> Result<Export, ExportError> {
    let not = |reason: String| ExportError::NotAnExport {
        file: path.display().to_string(),
        reason,
    };
    if value.get("type").and_then(Value::as_str) != Some("flopack") {
        return Err(not("its `type` is not \"flopack\"".to_owned()));
    }
    let version = value.get("version").and_then(Value::as_str).unwrap_or_default();
    if !VERSIONS.contains(&version) {
        return Err(not(format!(
            "format version `{}` (oktaform reads {})",
            crate::text::one_line(version),
            VERSIONS.join(", ")
        )));
    }
    let data = value.get("data").ok_or_else(|| not("it has no `data`".to_owned()))?;
    let flo_map = data
        .get("flos")
        .ok_or_else(|| not("its `data` has no `flos`".to_owned()))?;
    let connections: BTreeMap<&str, &str> = entries(data.get("configs"))
        .filter_map(|config| Some((config.get("id")?.as_str()?, config.get("name")?.as_str()?)))
        .collect();
    let flows = entries(Some(flo_map))
        .map(|flo| Flow {
            name: text(flo.get("name")),
            cards: entries(flo.pointer("/data/methods"))
                .filter_map(|method| card(method, &connections))
                .collect(),
        })
        .collect();
    Ok(Export {
        file: path.to_owned(),
        version: version.to_owned(),
        flows,
    })
}

/// The items of a map or a list (exports use both).
fn entries(value: Option<&Value>) -> Box<dyn Iterator<Item = &Value> + '_> {
    match value {
        Some(Value::Object(map)) => Box::new(map.values()),
        Some(Value::Array(items)) => Box::new(items.iter()),
        _ => Box::new(std::iter::empty()),
    }
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// The connector card of `method`; `None` for a built-in function (`root:kernel:...`).
fn card(method: &Value, connections: &BTreeMap<&str, &str>) -> Option<Card> {
    let address = method.get("address")?.as_str()?;
    let parts: Vec<&str> = address.split(':').collect();
    let ["root", "channels", "http", connector, _version, key] = parts.as_slice() else {
        return None;
    };
    let model = method.pointer("/node/model");
    let mut inputs = BTreeMap::new();
    for input in entries(model.and_then(|m| m.pointer("/inputs/data"))) {
        let (Some(group), Some(key)) = (
            input.get("group").and_then(Value::as_str),
            input.get("key").and_then(Value::as_str),
        ) else {
            continue;
        };
        if !KEPT_GROUPS.contains(&group) {
            continue;
        }
        if let Some(literal) = input.pointer("/value/data").and_then(Value::as_str) {
            inputs.insert((group.to_owned(), key.to_owned()), literal.to_owned());
        }
    }
    // Newer versions keep the card's settings beside the inputs.
    for (key, value) in model
        .and_then(|m| m.get("parameters"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(literal) = value.as_str() {
            inputs.insert(("parameters".to_owned(), key.clone()), literal.to_owned());
        }
    }
    let connection = model.and_then(|m| m.get("config")).and_then(Value::as_str).map(|id| {
        connections
            .get(id)
            .map_or_else(|| id.to_owned(), |name| (*name).to_owned())
    });
    Some(Card {
        connector: (*connector).to_owned(),
        key: (*key).to_owned(),
        name: method
            .pointer("/node/data/name")
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_owned(),
        event: model.and_then(|m| m.get("webhook")).and_then(Value::as_bool) == Some(true),
        connection,
        inputs,
    })
}
