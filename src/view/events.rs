//! Views of System Log events as `query` streams them: NDJSON, a JSON array, CSV and a
//! table. Each writes a page as it arrives, so memory stays flat for any number of events.

use crate::okta::RequestLog;
use serde_json::Value;
use serde_json::value::RawValue;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The columns of the CSV and table views: what an admin reads first.
const COLUMNS: [(&str, &str); 7] = [
    ("published", "published"),
    ("eventType", "eventType"),
    ("outcome", "outcome.result"),
    ("actor", "actor.alternateId"),
    ("client", "client.ipAddress"),
    ("target", "target"),
    ("displayMessage", "displayMessage"),
];

/// How events are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFormat {
    Ndjson,
    Json,
    Csv,
    Table,
}

/// Writes events a page at a time.
pub struct EventWriter<'a> {
    out: &'a mut dyn Write,
    format: EventFormat,
    written: u64,
}

impl<'a> EventWriter<'a> {
    pub fn new(out: &'a mut dyn Write, format: EventFormat) -> io::Result<Self> {
        match format {
            EventFormat::Json => out.write_all(b"[")?,
            EventFormat::Csv => out.write_all(&csv_rows(std::iter::once(COLUMNS.map(|(name, _)| name.to_owned())))?)?,
            EventFormat::Table => writeln!(out, "{}", row(&COLUMNS.map(|(name, _)| name.to_owned())))?,
            EventFormat::Ndjson => {}
        }
        Ok(Self {
            out,
            format,
            written: 0,
        })
    }

    /// Writes a page of events, each the JSON text the org sent.
    pub fn page(&mut self, events: &[&RawValue]) -> io::Result<()> {
        if self.format == EventFormat::Csv {
            let rows = events
                .iter()
                .map(|raw| serde_json::from_str::<Value>(raw.get()).map_err(io::Error::other))
                .collect::<io::Result<Vec<Value>>>()?;
            let cells = rows.iter().map(|event| COLUMNS.map(|(_, path)| cell(event, path)));
            self.out.write_all(&csv_rows(cells)?)?;
            self.written += events.len() as u64;
            return self.out.flush();
        }
        for raw in events {
            match self.format {
                EventFormat::Ndjson => {
                    self.out.write_all(raw.get().as_bytes())?;
                    self.out.write_all(b"\n")?;
                }
                EventFormat::Json => {
                    let separator = if self.written == 0 { "\n" } else { ",\n" };
                    self.out.write_all(separator.as_bytes())?;
                    self.out.write_all(raw.get().as_bytes())?;
                }
                EventFormat::Csv | EventFormat::Table => {
                    let event: Value = serde_json::from_str(raw.get()).map_err(io::Error::other)?;
                    let cells = COLUMNS.map(|(_, path)| cell(&event, path));
                    writeln!(self.out, "{}", row(&cells))?;
                }
            }
            self.written += 1;
        }
        self.out.flush()
    }

    pub fn finish(self) -> io::Result<u64> {
        if self.format == EventFormat::Json {
            let end = if self.written == 0 { "]\n" } else { "\n]\n" };
            self.out.write_all(end.as_bytes())?;
        }
        self.out.flush()?;
        Ok(self.written)
    }
}

/// The text of a column: a value at a path, or the targets' ids joined.
fn cell(event: &Value, path: &str) -> String {
    if path == "target" {
        return event["target"]
            .as_array()
            .map(|targets| {
                targets
                    .iter()
                    .filter_map(|t| t["alternateId"].as_str().or_else(|| t["id"].as_str()))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
    }
    let value = path.split('.').fold(event, |value, key| &value[key]);
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Rows as CSV (RFC 4180 quoting by the `csv` crate). A cell that a spreadsheet would run
/// as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading `'`: System Log fields are written by whoever signs in.
fn csv_rows(rows: impl Iterator<Item = [String; 7]>) -> io::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row.iter().map(|cell| neutralised(cell).into_owned()))?;
    }
    writer.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Table widths per column; longer cells are cut with an ellipsis, so rows stay aligned.
const WIDTHS: [usize; 7] = [24, 34, 8, 30, 15, 30, 40];

fn row(cells: &[String; 7]) -> String {
    let mut line = String::new();
    for (cell, width) in cells.iter().zip(WIDTHS) {
        let shown: String = if cell.chars().count() > width {
            cell.chars().take(width - 1).chain(std::iter::once('…')).collect()
        } else {
            cell.clone()
        };
        let _ = write!(line, "{shown:<width$}  ");
    }
    line.trim_end().to_owned()
}

/// One request as `-v` shows it: method, URL, status, Okta's request id, the retry.
pub fn request_line(log: &RequestLog) -> String {
    let status = log.status.map_or_else(|| "no answer".to_owned(), |s| s.to_string());
    let id = log.request_id.as_deref().unwrap_or("-");
    let retry = if log.attempt > 0 {
        format!(" (retry {})", log.attempt)
    } else {
        String::new()
    };
    format!("{} {} -> {status} [request {id}]{retry}", log.method, log.url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_format_writes_the_events_it_is_given() {
        let events = [
            json!({"published": "2026-11-28T10:00:00.000Z", "eventType": "user.session.start", "outcome": {"result": "FAILURE"}, "actor": {"alternateId": "a@acme.com"}, "client": {"ipAddress": "203.0.113.1"}, "target": [{"id": "00u1", "alternateId": "b@acme.com"}], "displayMessage": "User login, to \"Okta\""}),
        ];
        let raw: Vec<Box<RawValue>> = events
            .iter()
            .map(|e| RawValue::from_string(e.to_string()).unwrap())
            .collect();
        let write = |format| {
            let mut out = Vec::new();
            let mut writer = EventWriter::new(&mut out, format).unwrap();
            let borrowed: Vec<&RawValue> = raw.iter().map(AsRef::as_ref).collect();
            writer.page(&borrowed).unwrap();
            assert_eq!(writer.finish().unwrap(), 1);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(write(EventFormat::Ndjson), format!("{}\n", events[0]));
        assert_eq!(write(EventFormat::Json), format!("[\n{}\n]\n", events[0]));
        assert_eq!(
            write(EventFormat::Csv),
            "published,eventType,outcome,actor,client,target,displayMessage\n2026-11-28T10:00:00.000Z,user.session.start,FAILURE,a@acme.com,203.0.113.1,b@acme.com,\"User login, to \"\"Okta\"\"\"\n"
        );
        let table = write(EventFormat::Table);
        assert_eq!(table.lines().count(), 2);
        assert!(
            table
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("2026-11-28T10:00:00.000Z  user.session.start")
        );
        let mut empty = Vec::new();
        EventWriter::new(&mut empty, EventFormat::Json)
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(String::from_utf8(empty).unwrap(), "[]\n");
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        let event = json!({"published": "2026-11-28T10:00:00.000Z", "eventType": "user.session.start", "actor": {"alternateId": "=HYPERLINK(\"http://x\",\"y\")"}, "client": {"ipAddress": "+1"}, "target": [{"alternateId": "@SUM(A1)"}], "displayMessage": "-2+3\nnext"});
        let raw = RawValue::from_string(event.to_string()).unwrap();
        let mut out = Vec::new();
        let mut writer = EventWriter::new(&mut out, EventFormat::Csv).unwrap();
        writer.page(&[raw.as_ref()]).unwrap();
        writer.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "published,eventType,outcome,actor,client,target,displayMessage\n2026-11-28T10:00:00.000Z,user.session.start,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'@SUM(A1),\"'-2+3\nnext\"\n"
        );
    }
}
