//! `oktaform completions SHELL`.

use super::{Output, exit};
use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;

// Every command returns `io::Result<exit code>`, so that dispatch is uniform.
#[allow(clippy::unnecessary_wraps)]
pub fn run(args: &CompletionsArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    clap_complete::generate(args.shell, &mut Cli::command(), "oktaform", output.out);
    Ok(exit::OK)
}
