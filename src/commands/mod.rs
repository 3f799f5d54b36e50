//! One file per subcommand; the only place where phases meet. [`run`] parses the command
//! line, dispatches, and turns the outcome into the exit code.

mod apply;
mod completions;
mod explain;
mod fmt;
mod plan;
mod sim;
mod target;
mod validate;

use crate::cli::{Cli, ColorChoice, Command};
use clap::Parser;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    /// Errors, refusals and usage errors.
    pub const FAILURE: u8 = 1;
    /// `plan --detailed-exitcode` found changes.
    pub const CHANGES: u8 = 2;
    /// `fmt --check` found a file that is not formatted.
    pub const UNFORMATTED: u8 = 3;
}

/// Where a command writes: stdout for results, stderr for diagnostics and progress.
pub struct Output<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub color: bool,
}

/// Runs oktaform with `args` (the program name first) and returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { exit::FAILURE } else { exit::OK };
        }
    };
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    let mut output = Output {
        out: &mut stdout,
        err: &mut stderr,
        color,
    };
    let result = match &cli.command {
        Command::Validate(args) => validate::run(&cli.global, args, &mut output),
        Command::Fmt(args) => fmt::run(args, &mut output),
        Command::Plan(args) => plan::run(&cli.global, args, &mut output),
        Command::Apply(args) => apply::run(&cli.global, args, &mut output),
        Command::Explain(args) => explain::run(args, &mut output),
        Command::Completions(args) => completions::run(args, &mut output),
        Command::Sim(args) => sim::run(args, &mut output),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(output.err, "error: {error}");
            exit::FAILURE
        }
    }
}
