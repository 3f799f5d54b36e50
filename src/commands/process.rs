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

/// A flag that the first Ctrl-C sets (and says so on stderr); a second Ctrl-C exits at once
/// with 130. For work that should stop between steps rather than in the middle of one.
pub(super) fn interrupt_flag(runtime: &tokio::runtime::Runtime) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let set = flag.clone();
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            set.store(true, std::sync::atomic::Ordering::SeqCst);
            eprintln!("\nInterrupted: no new step starts; steps in flight finish (Ctrl-C again to exit now).");
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(i32::from(super::exit::INTERRUPTED));
            }
        }
    });
    flag
}

/// Runs `work` until it ends or Ctrl-C comes (also in the middle of a request): `None`
/// when interrupted. For read-only work, where stopping at once loses nothing.
pub(super) fn until_interrupted<F: std::future::Future>(
    runtime: &tokio::runtime::Runtime,
    work: F,
) -> Option<F::Output> {
    runtime.block_on(async {
        tokio::select! {
            output = work => Some(output),
            _ = tokio::signal::ctrl_c() => None,
        }
    })
}

/// How often reading says it still is.
const STILL_READING_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// [`until_interrupted`] for reading orgs, which says that it still is: a spinner with the
/// time elapsed on a terminal, else a line every 10 s on stderr, as Terraform does
/// (`Still reading... [10s elapsed]`), so that a slow org is never silent for long.
///
/// The runtime ends with the reading: what it still runs (idle connections, reads that
/// Ctrl-C cut short) is left to the end of the process rather than closed one by one,
/// which nothing read-only needs.
pub(super) fn reading<F: std::future::Future>(runtime: tokio::runtime::Runtime, work: F) -> Option<F::Output> {
    use std::io::IsTerminal;
    let started = std::time::Instant::now();
    let spinner = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar.set_message("reading the org(s)");
        bar
    });
    let result = runtime.block_on(async {
        let mut ticks =
            tokio::time::interval_at(tokio::time::Instant::now() + STILL_READING_EVERY, STILL_READING_EVERY);
        tokio::pin!(work);
        loop {
            tokio::select! {
                output = &mut work => break Some(output),
                _ = tokio::signal::ctrl_c() => break None,
                _ = ticks.tick() => {
                    let elapsed = started.elapsed().as_secs();
                    match &spinner {
                        Some(bar) => bar.set_message(format!("reading the org(s) [{elapsed}s elapsed]")),
                        None => eprintln!("Still reading the org(s)... [{elapsed}s elapsed]"),
                    }
                }
            }
        }
    });
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    runtime.shutdown_background();
    result
}

/// What a read-only command says and returns when Ctrl-C stopped it.
pub(super) fn interrupted(output: &mut super::Output<'_>) -> std::io::Result<u8> {
    writeln!(output.err, "\nInterrupted: nothing was changed.")?;
    Ok(super::exit::INTERRUPTED)
}
