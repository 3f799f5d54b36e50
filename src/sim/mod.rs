//! The simulated Okta org: a faithful local org over real HTTP (axum on tokio).
//!
//! It is the embedded default (`--sim`), the test double of every integration test and the
//! benchmark target. Shapes, status codes and errors follow the Okta Management API; one sim
//! holds several orgs and routes each request to the org that owns its credential.
//! `/__sim/` routes exist only here, for tests.

mod auth;
mod events;
mod faults;
mod handle;
mod http;
mod ids;
mod logs;
mod oauth;
mod rate_limit;
mod routes;
mod seed;
mod server;
mod state;
mod synthetic;

pub use faults::Faults;
pub use handle::{Sim, SimBuilder, SimError};
pub use rate_limit::RateLimits;
pub use seed::Seed;
pub use state::SimState;
