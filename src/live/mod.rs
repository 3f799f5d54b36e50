//! Reading the live state of the orgs into [`crate::model::Live`]: each thing once, apps
//! concurrently, only what the plan needs; and reading their System Log.

mod diagnose;
mod logs;
mod reader;

pub use diagnose::org_fault;
pub use logs::{Follow, LogsRequest, ReadLogError, Reading, read_pages};
pub use reader::{
    AppSelection, Discovered, DiscoveredAccount, ReadError, Reader, Selection, discover, granted_scopes,
    super_admin_roles,
};
