//! `oktaform fmt [PATH | -] [--check] [--diff]`: canonical formatting of the config's HCL
//! files; `-` formats standard input to standard output (for editors).

use super::{Output, exit};
use crate::cli::FmtArgs;
use crate::config::{FormatError, config_files, format_source};
use crate::diagnostics::{Code, Diagnostic, SourceMap};
use crate::view::paint::Palette;
use std::io::Read;
use std::path::{Path, PathBuf};

pub fn run(args: &FmtArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let stdin = args.path == Path::new("-");
    let files: Vec<PathBuf> = if stdin {
        vec![args.path.clone()]
    } else {
        match config_files(&args.path) {
            Ok(files) => files,
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
                Vec::new()
            }
        }
    };
    let mut unformatted = 0;
    for path in files {
        let read = if stdin {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map(|_| text)
        } else {
            std::fs::read_to_string(&path)
        };
        let text = match read {
            Ok(text) => text,
            Err(error) => {
                diagnostics.push(Diagnostic::new(
                    Code::ConfigUnreadable,
                    format!("cannot read `{}`: {error}", path.display()),
                ));
                continue;
            }
        };
        let shown = if stdin { PathBuf::from("<stdin>") } else { path.clone() };
        match format_source(&text) {
            Ok(formatted) => {
                let changed = formatted != text;
                unformatted += usize::from(changed);
                if args.diff {
                    if changed {
                        write_diff(&mut output.painted(Palette::Diff), &shown, &text, &formatted)?;
                    }
                } else if stdin {
                    output.out.write_all(formatted.as_bytes())?;
                } else if changed {
                    writeln!(output.out, "{}", path.display())?;
                    if !args.check {
                        std::fs::write(&path, formatted)?;
                    }
                }
            }
            Err(FormatError::Syntax { message, offset }) => {
                let file = sources.add(shown, text);
                let text = &sources.file(file).text;
                diagnostics.push(crate::config::diagnose_syntax(file, text, offset, &message));
            }
            Err(error @ FormatError::Unstable) => {
                writeln!(output.err, "warning: {}: {error}", shown.display())?;
                if stdin && !args.diff {
                    output.out.write_all(text.as_bytes())?;
                }
            }
        }
    }
    if !diagnostics.is_empty() {
        output.diagnostics(&sources, &diagnostics)?;
        return Ok(exit::FAILURE);
    }
    if args.check && unformatted > 0 {
        writeln!(output.err, "{unformatted} file(s) not formatted; run `oktaform fmt`")?;
        return Ok(exit::UNFORMATTED);
    }
    Ok(exit::OK)
}

/// A unified diff of `before` and `after`, with the file's path in the headers.
fn write_diff(out: &mut dyn std::io::Write, path: &Path, before: &str, after: &str) -> std::io::Result<()> {
    let shown = path.display().to_string();
    let (old, new) = if path.is_absolute() {
        (shown.clone(), shown)
    } else {
        (format!("a/{shown}"), format!("b/{shown}"))
    };
    let diff = similar::TextDiff::from_lines(before, after);
    write!(out, "{}", diff.unified_diff().context_radius(3).header(&old, &new))
}
