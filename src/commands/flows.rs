//! `oktaform flows inspect EXPORT...`: what the flows of Workflows exports need, offline.

use super::{Output, exit};
use crate::cli::{ExplainFormat, FlowsCommand, FlowsInspectArgs};
use crate::diagnostics::{Code, Diagnostic};
use crate::ops::Failure;

pub fn run(command: &FlowsCommand, output: &mut Output<'_>) -> std::io::Result<u8> {
    match command {
        FlowsCommand::Inspect(args) => inspect(args, output),
    }
}

fn inspect(args: &FlowsInspectArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let mut exports = Vec::new();
    let mut problems = Vec::new();
    for path in &args.exports {
        match crate::flows::read(path) {
            Ok(export) => exports.push(export),
            Err(error) => problems.push(
                Diagnostic::new(Code::FlowsNotAnExport, error.to_string())
                    .help("give `.flopack` files or a folder's JSON export, as the Workflows Console exports them"),
            ),
        }
    }
    if !problems.is_empty() {
        return output.failure(Failure::unplaced(problems), args.format == ExplainFormat::Json);
    }
    let inspection = crate::flows::inspect(&exports);
    match args.format {
        ExplainFormat::Human => crate::view::flows::human(output.out, &inspection)?,
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut *output.out, &inspection)?;
            writeln!(output.out)?;
        }
    }
    Ok(exit::OK)
}
