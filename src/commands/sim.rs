//! `oktaform sim serve`: the simulated org in the foreground.

use super::{Output, exit};
use crate::cli::{SimArgs, SimCommand, SimServeArgs};
use crate::sim::{Faults, RateLimits, Seed, Sim};

pub fn run(args: &SimArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    match &args.command {
        SimCommand::Serve(args) => serve(args, output),
    }
}

fn serve(args: &SimServeArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let seed = match &args.seed {
        Some(path) => match Seed::read(path) {
            Ok(seed) => Some(seed),
            Err(error) => {
                writeln!(output.err, "error: {error}")?;
                return Ok(exit::FAILURE);
            }
        },
        None => None,
    };
    let limits = match args.rate_limit {
        Some(limit) => RateLimits::uniform(limit, args.rate_window),
        None => RateLimits::with_window(args.rate_window),
    };
    let faults = Faults {
        seed: args.fault_seed,
        latency_ms: args.latency,
        error_rate: args.fault_rate,
        token_lifetime_seconds: args.token_lifetime.map(|d| d.as_secs()),
        ..Faults::default()
    };
    let clock = crate::time_spec::Clock::from_environment(&crate::environment::Environment::capture());
    let mut builder = Sim::builder()
        .listen(args.listen)
        .rate_limits(limits)
        .faults(faults)
        .clock(clock)
        .prune_nulls(args.prune_nulls);
    if let Some(seed) = seed {
        builder = builder.seed(seed);
    }
    if let Some(state) = &args.state {
        builder = builder.state_file(state);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let out = &mut *output.out;
    let result = runtime.block_on(builder.serve(|addr| {
        // Flushed at once: scripts read this line to find the port.
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }));
    match result {
        Ok(()) => Ok(exit::OK),
        Err(error) => {
            writeln!(output.err, "error: {error}")?;
            Ok(exit::FAILURE)
        }
    }
}
