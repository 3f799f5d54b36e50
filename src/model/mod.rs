//! The resolved models that plan, apply and drift work on. No spans: where a thing was
//! declared is kept in an origins side table ([`Origin`]) for the plan's "why".

mod desired;
mod live;

pub use desired::{App, AppKey, Connection, Desired, LogQuery, Management, Oauth, Origin, Safety};
pub use live::{Live, LiveAccount, LiveApp};
