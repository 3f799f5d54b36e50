//! One file per subcommand, each thin: flags into a typed request, one operation of
//! [`crate::ops`], its result to a [`crate::view`], an exit code. [`run`] parses the
//! command line and dispatches.

mod apply;
mod completions;
mod drift;
mod explain;
mod flows;
mod fmt;
mod import;
mod output;
mod plan;
mod process;
mod query;
mod show;
mod sim;
mod validate;

use crate::cli::{Cli, ColorChoice, Command};
use clap::Parser;
pub use output::Output;
use process::{context, interrupted, reading, runtime, step_summary, until_interrupted};
use std::ffi::OsString;
use std::io::IsTerminal;

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    /// Errors, refusals and usage errors.
    pub const FAILURE: u8 = 1;
    /// `plan --detailed-exitcode` found changes.
    pub const CHANGES: u8 = 2;
    /// `drift` found findings.
    pub const FINDINGS: u8 = 2;
    /// `fmt --check` found a file that is not formatted.
    pub const UNFORMATTED: u8 = 3;
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: u8 = 130;
}

/// Runs oktaform with `args` (the program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let args: Vec<OsString> = args.into_iter().collect();
    if let Some(message) = crate::cli::misspelled_flag(&args) {
        eprintln!("error: {message}");
        return exit::FAILURE;
    }
    let cli = match Cli::try_parse_from(crate::cli::hoisted(args)) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { exit::FAILURE } else { exit::OK };
        }
    };
    let takes_color = |terminal: bool| match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let (color, out_color) = (
        takes_color(std::io::stderr().is_terminal()),
        takes_color(std::io::stdout().is_terminal()),
    );
    // Stderr is never held locked: workers print to it too (`-v` lists each request as it
    // is answered), and a held lock would make them wait forever.
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr());
    let mut output = Output {
        out: &mut stdout,
        err: &mut stderr,
        color,
        out_color,
    };
    let result = match &cli.command {
        Command::Validate(args) => validate::run(args, &mut output),
        Command::Fmt(args) => fmt::run(args, &mut output),
        Command::Import(args) => import::run(&cli.global, args, &mut output),
        Command::Plan(args) => plan::run(&cli.global, args, &mut output),
        Command::Apply(args) => apply::run(&cli.global, args, &mut output),
        Command::Show(args) => show::run(args, &mut output),
        Command::Query(args) => query::run(&cli.global, args, &mut output),
        Command::Drift(args) => drift::run(&cli.global, args, &mut output),
        Command::Explain(args) => explain::run(args, &mut output),
        Command::Flows(command) => flows::run(command, &mut output),
        Command::Completions(args) => completions::run(args, &mut output),
        Command::Sim(args) => sim::run(args, &mut output),
        Command::Version => writeln!(output.out, "oktaform {}", env!("CARGO_PKG_VERSION")).map(|()| exit::OK),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`oktaform explain | head`): it has what it wanted.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(error) => {
            let _ = writeln!(output.err, "error: {error}");
            exit::FAILURE
        }
    }
}
