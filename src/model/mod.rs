//! The resolved models that plan, apply and drift work on. No spans: where a thing was
//! declared is kept in an origins side table ([`Origin`]) for the plan's "why".

mod by_name;
mod desired;
mod live;
mod log_query;
mod policy;

pub use by_name::{ByName, Named};
pub use desired::{App, AppKey, Card, Connection, Desired, Fields, LogQuery, Management, Oauth, Origin};
pub use live::{Access, AppKind, Caller, Live, LiveAccount, LiveApp, Secrets, SuperAdminRole};
pub use log_query::{Expectation, Records, SortOrder};
pub use policy::{Safety, SafetyRule, ScopePolicy};
