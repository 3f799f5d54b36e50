//! A small reader over one block: it knows the block's labels, attributes and nested
//! blocks, reports unknown, missing and mislabelled ones at their exact span, and keeps
//! going so that every problem is found in one run.

use crate::diagnostics::{Code, Diagnostic, FileId, Span, did_you_mean};
use hcl::edit::Span as _;
use hcl::edit::structure::{Attribute, Block, Body};
use std::collections::BTreeMap;

pub use super::spec::BlockSpec;

/// What a block holds, once checked against its spec.
pub struct BlockContents<'a> {
    pub label: Option<(String, Span)>,
    pub header: Span,
    attributes: BTreeMap<&'a str, &'a Attribute>,
    pub blocks: Vec<&'a Block>,
}

impl<'a> BlockContents<'a> {
    pub fn attribute(&self, name: &str) -> Option<&'a Attribute> {
        self.attributes.get(name).copied()
    }
}

/// Where a parsed piece of a file starts: the parser's spans are relative to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub offset: usize,
}

impl Origin {
    /// The start of `file`.
    pub fn start_of(file: FileId) -> Self {
        Self { file, offset: 0 }
    }

    /// The span in the file of a range of the piece (its start when there is none).
    pub fn span(self, range: Option<std::ops::Range<usize>>) -> Span {
        let range = range.unwrap_or(0..0);
        Span::new(self.file, range.start + self.offset..range.end + self.offset)
    }
}

pub fn span_of(origin: Origin, node: &impl hcl::edit::Span) -> Span {
    origin.span(node.span())
}

/// The span from a block's identifier to the end of its last label.
pub fn header_span(origin: Origin, block: &Block) -> Span {
    let start = block.ident.span().map_or(0, |r| r.start);
    let end = block
        .labels
        .last()
        .and_then(hcl::edit::Span::span)
        .or_else(|| block.ident.span())
        .map_or(start, |r| r.end);
    origin.span(Some(start..end))
}

/// Checks `block` against `spec`. Returns `None` when the labels are wrong, since the block
/// then has no usable identity.
pub fn read<'a>(
    origin: Origin,
    block: &'a Block,
    spec: &BlockSpec,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<BlockContents<'a>> {
    let header = header_span(origin, block);
    let label = match (spec.labels, block.labels.as_slice()) {
        (0, []) => None,
        (1, [label]) => Some((label.as_str().to_owned(), span_of(origin, label))),
        (expected, labels) => {
            let (message, help) = if expected == 0 {
                (
                    format!("a `{}` block takes no name", spec.name),
                    format!("write `{} {{ ... }}`", spec.name),
                )
            } else {
                (
                    format!("a `{}` block takes exactly one name, found {}", spec.name, labels.len()),
                    format!("write `{} \"name\" {{ ... }}`", spec.name),
                )
            };
            diagnostics.push(
                Diagnostic::new(Code::SchemaBlockLabels, message)
                    .at(header, "wrong labels")
                    .help(help),
            );
            return None;
        }
    };
    let mut attributes = BTreeMap::new();
    let mut blocks = Vec::new();
    check_body(origin, &block.body, spec, diagnostics, &mut attributes, &mut blocks);
    for required in spec.required() {
        if !attributes.contains_key(required) {
            diagnostics.push(
                Diagnostic::new(
                    Code::SchemaMissingAttribute,
                    format!("`{}` needs the attribute `{required}`", spec.name),
                )
                .at(header, format!("`{required}` missing"))
                .help(format!("add `{required} = ...` to the block")),
            );
        }
    }
    Some(BlockContents {
        label,
        header,
        attributes,
        blocks,
    })
}

fn check_body<'a>(
    origin: Origin,
    body: &'a Body,
    spec: &BlockSpec,
    diagnostics: &mut Vec<Diagnostic>,
    attributes: &mut BTreeMap<&'a str, &'a Attribute>,
    blocks: &mut Vec<&'a Block>,
) {
    for attribute in body.attributes() {
        let key = attribute.key.as_str();
        if spec.attribute(key).is_some() {
            attributes.insert(key, attribute);
        } else {
            diagnostics.push(unknown_attribute(origin, attribute, spec.name, &spec.attribute_names()));
        }
    }
    for nested in body.blocks() {
        let ident = nested.ident.as_str();
        if spec.blocks.contains(&ident) {
            blocks.push(nested);
        } else {
            diagnostics.push(unknown_block(origin, nested, Some(spec.name), spec.blocks));
        }
    }
}

pub fn unknown_attribute(origin: Origin, attribute: &Attribute, block: &str, known: &[&str]) -> Diagnostic {
    let key = attribute.key.as_str();
    let suggestion = did_you_mean(key, known.iter().copied());
    let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    let place = if block.is_empty() {
        "the top level".to_owned()
    } else {
        format!("`{block}`")
    };
    Diagnostic::new(
        Code::SchemaUnknownAttribute,
        format!("unknown attribute `{key}` in {place}"),
    )
    .at(span_of(origin, &attribute.key), "unknown attribute")
    .help(if list.is_empty() {
        "this block has no attributes".to_owned()
    } else {
        format!("attributes here: {list}")
    })
    .suggest(suggestion)
}

pub fn unknown_block(origin: Origin, block: &Block, parent: Option<&str>, known: &[&str]) -> Diagnostic {
    let ident = block.ident.as_str();
    let place = parent.map_or("at the top level".to_owned(), |p| format!("in `{p}`"));
    let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
    Diagnostic::new(Code::SchemaUnknownBlock, format!("unknown block `{ident}` {place}"))
        .at(span_of(origin, &block.ident), "unknown block type")
        .help(if list.is_empty() {
            "no blocks are allowed here".to_owned()
        } else {
            format!("blocks here: {list}")
        })
        .suggest(did_you_mean(ident, known.iter().copied()))
}
