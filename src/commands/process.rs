//! What a command takes from the process: the environment as the operations' context
//! ("now", client options, notices on stderr), the async runtime, the GitHub step summary.

use crate::cli::GlobalArgs;
use crate::config::Environment;
use crate::okta::{ClientOptions, RequestLog};
use crate::ops::Context;

/// What the operations of this process take from it: its environment, "now"
/// (`OKTAFORM_NOW` when set), the client options, and notices on stderr.
pub(super) fn context<'a>(global: &GlobalArgs, environment: &'a Environment) -> Context<'a> {
    let mut client = ClientOptions::from_environment(environment);
    client.warn = Some(std::sync::Arc::new(|text: &str| eprintln!("warning: {text}")));
    if global.verbose > 0 {
        client.observer = Some(std::sync::Arc::new(|log: &RequestLog| {
            eprintln!("{}", crate::view::events::request_line(log));
        }));
    }
    let clock = crate::time_spec::Clock::from_environment(environment);
    Context {
        environment,
        now: clock.now(),
        clock,
        client,
        notice: &notice_on_stderr,
    }
}

fn notice_on_stderr(text: &str) {
    eprintln!("{text}");
}

/// The runtime of a command that talks to orgs.
pub(super) fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// The GitHub Actions step summary file, when the environment names one.
pub(super) fn step_summary(environment: &Environment) -> Option<&std::path::Path> {
    environment
        .get("GITHUB_STEP_SUMMARY")
        .filter(|p| !p.is_empty())
        .map(std::path::Path::new)
}
