//! Writing HCL for people: a body built block by block with `hcl::edit` (so that values stay
//! values: a `${` in one is never a template), comments made safe (one line each).

use hcl::edit::structure::{Block, Body};
use hcl::edit::{Decorate, Decorated, Ident};
use std::fmt::Write as _;

/// Whether `name` is an HCL identifier (letters, digits, `_` and `-`, not starting with a
/// digit).
pub fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// An HCL identifier made of `text`: other characters become `_` (one for a run of them,
/// none at the end); one that would not start with a letter is prefixed `org_`.
pub fn identifier(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    // `Watch (first record)` -> `watch_first_record`: no runs of `_`, none at the end.
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    let trimmed = name.trim_end_matches('_');
    let mut name = if trimmed.is_empty() {
        "flows".to_owned()
    } else {
        trimmed.to_owned()
    };
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "org_");
    }
    name
}

/// `name` as an identifier of `hcl::edit`.
pub fn ident(name: &str) -> Option<Decorated<Ident>> {
    Ident::try_new(name).map(Decorated::new).ok()
}

/// An HCL body built block by block, with comments (made safe: one line each, without
/// control characters) before the next block or at the end.
#[derive(Default)]
pub struct ConfigWriter {
    body: Body,
    pending: String,
}

impl ConfigWriter {
    pub fn comment(&mut self, text: &str) {
        let _ = writeln!(self.pending, "# {}", crate::text::one_line(text));
    }

    pub fn blank(&mut self) {
        self.pending.push('\n');
    }

    pub fn block(&mut self, mut block: Block) {
        block.decor_mut().set_prefix(std::mem::take(&mut self.pending));
        self.body.push(block);
    }

    /// The text, formatted as `oktaform fmt` writes it.
    pub fn finish(mut self) -> String {
        let trailing = std::mem::take(&mut self.pending);
        let mut text = self.body.to_string();
        text.push_str(&trailing);
        crate::config::format_source(&text).unwrap_or(text)
    }
}
