//! Diagnostics: what every phase reports instead of stopping.
//!
//! A [`Diagnostic`] is a stable [`Code`], a message, a primary label on the exact span, other
//! labels for related sites and help. Phases push them into a list; only a command decides
//! whether to stop. Rendering (miette, JSON, GitHub annotations) lives in [`render`].

mod code;
mod diagnostic;
mod mask;
mod source_map;
mod suggest;

pub use code::Code;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use mask::{MASK, sensitive_attributes, sensitive_variables};
pub use source_map::{FileId, Position, SHORTEST_SECRET, ShownText, SourceFile, SourceMap, Span};
pub use suggest::{close_match, did_you_mean};
