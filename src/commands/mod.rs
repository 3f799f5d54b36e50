//! One file per subcommand; the only place where phases meet. [`run`] parses the command
//! line, dispatches, and turns the outcome into the exit code.

mod apply;
mod completions;
mod drift;
mod explain;
mod fmt;
mod import;
mod plan;
mod planner;
mod query;
mod show;
mod sim;
mod target;
mod validate;

use crate::cli::{Cli, ColorChoice, Command, GlobalArgs};
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
    /// `drift` found findings.
    pub const FINDINGS: u8 = 2;
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
    let args: Vec<OsString> = args.into_iter().collect();
    if let Some(message) = misspelled_flag(&args) {
        eprintln!("error: {message}");
        return exit::FAILURE;
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { exit::FAILURE } else { exit::OK };
        }
    };
    if let Some(message) = meaningless_flags(&cli.global, &cli.command) {
        eprintln!("error: {message}");
        return exit::FAILURE;
    }
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    // Stderr is never held locked: workers print to it too (`-v` lists each request as it
    // is answered), and a held lock would make them wait forever.
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr());
    let mut output = Output {
        out: &mut stdout,
        err: &mut stderr,
        color,
    };
    let result = match &cli.command {
        Command::Validate(args) => validate::run(&cli.global, args, &mut output),
        Command::Fmt(args) => fmt::run(args, &mut output),
        Command::Import(args) => import::run(&cli.global, args, &mut output),
        Command::Plan(args) => plan::run(&cli.global, args, &mut output),
        Command::Apply(args) => apply::run(&cli.global, args, &mut output),
        Command::Show(args) => show::run(args, &mut output),
        Command::Query(args) => query::run(&cli.global, args, &mut output),
        Command::Drift(args) => drift::run(&cli.global, args, &mut output),
        Command::Explain(args) => explain::run(args, &mut output),
        Command::Completions(args) => completions::run(args, &mut output),
        Command::Sim(args) => sim::run(args, &mut output),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`oktaform explain | head`): nothing more to say.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::FAILURE,
        Err(error) => {
            let _ = writeln!(output.err, "error: {error}");
            exit::FAILURE
        }
    }
}

/// Terraform's single-dash long flags, which clap would read as a short flag with a value
/// (`-out=p.json` as `-o ut=p.json`).
fn misspelled_flag(args: &[OsString]) -> Option<String> {
    args.iter().skip(1).filter_map(|a| a.to_str()).find_map(|arg| {
        let value = arg
            .strip_prefix("-out")
            .filter(|rest| rest.is_empty() || rest.starts_with('='))?;
        let file = value.strip_prefix('=').filter(|f| !f.is_empty()).unwrap_or("FILE");
        Some(format!(
            "`{arg}` is Terraform's spelling; oktaform writes a plan file with `-o {file}` or `--out {file}`"
        ))
    })
}

/// A global flag given to a command that does nothing with it is a usage error, so that
/// nobody believes it took effect.
fn meaningless_flags(global: &GlobalArgs, command: &Command) -> Option<String> {
    let given = [
        ("--var", !global.vars.is_empty()),
        ("--var-file", !global.var_files.is_empty()),
        ("--endpoint", global.endpoint.is_some()),
        ("--sim", global.sim),
        ("--sim-seed", global.sim_seed.is_some()),
        ("--sim-reset", global.sim_reset),
    ];
    let (name, accepted): (&str, &[&str]) = match command {
        Command::Plan(_) | Command::Apply(_) | Command::Query(_) | Command::Drift(_) => (
            "",
            &[
                "--var",
                "--var-file",
                "--endpoint",
                "--sim",
                "--sim-seed",
                "--sim-reset",
            ],
        ),
        Command::Validate(_) => ("validate", &["--var", "--var-file"]),
        Command::Import(_) => ("import", &["--endpoint", "--sim", "--sim-seed", "--sim-reset"]),
        Command::Show(_) => ("show", &[]),
        Command::Fmt(_) => ("fmt", &[]),
        Command::Explain(_) => ("explain", &[]),
        Command::Completions(_) => ("completions", &[]),
        Command::Sim(_) => ("sim", &[]),
    };
    if let Some((flag, _)) = given.iter().find(|(flag, set)| *set && !accepted.contains(flag)) {
        let why = match *command {
            Command::Validate(_) => "it checks the config offline and talks to no org",
            Command::Show(_) => "it renders a saved plan and talks to no org",
            Command::Fmt(_) => "it only rewrites files",
            Command::Import(_) => "it reads no config",
            Command::Sim(_) => "`sim serve` takes its own flags (see `oktaform sim serve --help`)",
            _ => "it talks to no org",
        };
        return Some(format!(
            "`{flag}` means nothing for `oktaform {name}`: {why}; leave it out"
        ));
    }
    if global.sim && global.endpoint.is_some() {
        return Some("`--sim` and `--endpoint` name two targets; use one".to_owned());
    }
    if !global.sim && (global.sim_seed.is_some() || global.sim_reset) {
        let flag = if global.sim_reset { "--sim-reset" } else { "--sim-seed" };
        return Some(format!("`{flag}` is for the simulated org: add `--sim`"));
    }
    None
}
