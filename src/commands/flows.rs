//! `oktaform flows inspect EXPORT...`: what the flows of Workflows exports need, offline.

use super::{Output, exit};
use crate::cli::{ExplainFormat, FlowsCommand, FlowsImportArgs, FlowsInspectArgs};
use crate::diagnostics::{Code, Diagnostic};
use crate::ops::Failure;

pub fn run(command: &FlowsCommand, output: &mut Output<'_>) -> std::io::Result<u8> {
    match command {
        FlowsCommand::Inspect(args) => inspect(args, output),
        FlowsCommand::Import(args) => import(args, output),
    }
}

/// The exports of `paths`, or the failure naming each file that is not one.
fn read_all(paths: &[std::path::PathBuf]) -> Result<Vec<crate::flows::Export>, Failure> {
    let mut exports = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match crate::flows::read(path) {
            Ok(export) => exports.push(export),
            Err(error) => problems.push(not_an_export(&error)),
        }
    }
    if problems.is_empty() {
        Ok(exports)
    } else {
        Err(Failure::unplaced(problems))
    }
}

fn import(args: &FlowsImportArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    if !crate::config::writer::is_identifier(&args.connection) {
        return output.failure(
            Failure::Usage(format!(
                "--connection `{}` is not the name of a connection block",
                args.connection
            )),
            false,
        );
    }
    let exports = match read_all(&args.exports) {
        Ok(exports) => exports,
        Err(failure) => return output.failure(failure, false),
    };
    let base = args.out.clone().unwrap_or_else(|| std::path::PathBuf::from("."));
    let relative = |export: &crate::flows::Export| relative_to(&base, &export.file);
    let text = crate::flows::import::hcl(&exports, &args.connection, &relative);
    let Some(dir) = &args.out else {
        output.out.write_all(text.as_bytes())?;
        return Ok(exit::OK);
    };
    let file = dir.join("flows.hcl");
    if std::fs::symlink_metadata(&file).is_ok() {
        return output.failure(
            Failure::Usage(format!(
                "{} exists; nothing was written (remove it, or name another --out)",
                file.display()
            )),
            false,
        );
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(&file, text)?;
    writeln!(output.err, "Wrote {}.", file.display())?;
    Ok(exit::OK)
}

/// `path` as seen from the directory `base` (both as given, relative to here or absolute).
fn relative_to(base: &std::path::Path, path: &std::path::Path) -> String {
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let (base, path) = (absolute(base), absolute(path));
    let common = base
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = std::path::PathBuf::new();
    for _ in base.components().skip(common) {
        relative.push("..");
    }
    for part in path.components().skip(common) {
        relative.push(part);
    }
    relative.display().to_string()
}

fn inspect(args: &FlowsInspectArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    // Export by export: each is dropped once its cards are reported.
    let mut inspector = crate::flows::Inspector::default();
    let mut problems = Vec::new();
    for path in &args.exports {
        match crate::flows::read(path) {
            Ok(export) => inspector.add(&export),
            Err(error) => problems.push(not_an_export(&error)),
        }
    }
    if !problems.is_empty() {
        return output.failure(Failure::unplaced(problems), args.format == ExplainFormat::Json);
    }
    let inspection = inspector.finish();
    match args.format {
        ExplainFormat::Human => crate::view::flows::human(output.out, &inspection)?,
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut *output.out, &inspection)?;
            writeln!(output.out)?;
        }
    }
    Ok(exit::OK)
}

fn not_an_export(error: &crate::flows::ExportError) -> Diagnostic {
    Diagnostic::new(Code::FlowsNotAnExport, error.to_string())
        .help("give `.flopack` files or a folder's JSON export, as the Workflows Console exports them")
}
