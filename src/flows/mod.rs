//! Flows: which scopes the Okta connector cards of Workflows exports need, read offline
//! from the exports themselves (`.flopack` files or a folder's JSON export). Nothing in an
//! export is ever run or sent anywhere.

pub mod catalog;
pub mod export;
pub mod import;
pub mod inspect;

pub use catalog::{Requirement, Source};
pub use export::{Card, Export, ExportError, Flow, read};
pub use inspect::{Inspection, Inspector, inspect};
