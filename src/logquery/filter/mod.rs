//! The System Log filter language: `attribute op "value"` comparisons combined with `and`,
//! `or`, `not` and parentheses. Operators are case-insensitive, attribute names are not;
//! string literals are JSON strings.
//!
//! [`parse`] gives a tree with byte spans into the filter text; [`Expr`]'s `Display` prints
//! it back in canonical form (minimal parentheses), which parses to the same tree.

mod ast;
mod error;
mod evaluator;
mod lexer;
mod parser;
mod printer;

pub use ast::{Expr, Literal, Loc, Op};
pub use error::FilterError;
pub use evaluator::matches;
pub use parser::parse;
