//! `flows inspect` for people: per export and flow, each Okta card with its connection,
//! scopes and the source of the answer; then what each connection needs.

use crate::flows::Inspection;
use std::io::{self, Write};

pub fn human(out: &mut dyn Write, inspection: &Inspection) -> io::Result<()> {
    for export in &inspection.exports {
        writeln!(out, "{}", crate::text::one_line(&export.file))?;
        for flow in &export.flows {
            if flow.cards.is_empty() {
                continue;
            }
            writeln!(out, "  flow \"{}\"", crate::text::one_line(&flow.name))?;
            for card in &flow.cards {
                let scopes = if card.scopes.is_empty() {
                    "-".to_owned()
                } else {
                    card.scopes.join(" ")
                };
                let connection = card.connection.as_deref().map_or_else(String::new, |c| {
                    format!(" (connection \"{}\")", crate::text::one_line(c))
                });
                writeln!(
                    out,
                    "    {} {}{connection}: {scopes} [{}{}]",
                    card.kind,
                    crate::text::one_line(&card.name),
                    card.source.as_str(),
                    card.operation.as_deref().map_or_else(String::new, |o| format!(": {o}"))
                )?;
            }
        }
    }
    if !inspection.connections.is_empty() {
        writeln!(
            out,
            "\nScopes each connection's cards need (the automatic ones left out):"
        )?;
        for connection in &inspection.connections {
            let scopes = if connection.scopes.is_empty() {
                "-".to_owned()
            } else {
                connection.scopes.join(" ")
            };
            writeln!(out, "  \"{}\": {scopes}", crate::text::one_line(&connection.name))?;
        }
    }
    let unknown = inspection
        .exports
        .iter()
        .flat_map(|e| &e.flows)
        .flat_map(|f| &f.cards)
        .filter(|c| matches!(c.source, crate::flows::Source::Unknown | crate::flows::Source::Dynamic))
        .count();
    if unknown > 0 {
        writeln!(
            out,
            "\n{unknown} card(s) unknown or dynamic: their scopes are not counted above (schemas/cards.json says how to add a card)."
        )?;
    }
    Ok(())
}
