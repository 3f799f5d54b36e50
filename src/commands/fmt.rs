//! `oktaform fmt [PATH] [--check]`: canonical formatting of the config's HCL files.

use super::{Output, exit};
use crate::cli::FmtArgs;
use crate::config::{FormatError, config_files, format_source};
use crate::diagnostics::{Code, Diagnostic, SourceMap, Span, render};

pub fn run(args: &FmtArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let files = match config_files(&args.path) {
        Ok(files) => files,
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            Vec::new()
        }
    };
    let mut unformatted = 0;
    for path in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                diagnostics.push(Diagnostic::new(
                    Code::ConfigUnreadable,
                    format!("cannot read `{}`: {error}", path.display()),
                ));
                continue;
            }
        };
        match format_source(&text) {
            Ok(formatted) if formatted == text => {}
            Ok(formatted) => {
                unformatted += 1;
                writeln!(output.out, "{}", path.display())?;
                if !args.check {
                    std::fs::write(&path, formatted)?;
                }
            }
            Err(FormatError::Syntax { message, offset }) => {
                let file = sources.add(path.clone(), text);
                diagnostics.push(
                    Diagnostic::new(Code::SyntaxInvalid, format!("invalid HCL: {message}"))
                        .at(Span::new(file, offset..offset + 1), "here"),
                );
            }
            Err(error @ FormatError::Unstable) => {
                writeln!(output.err, "warning: {}: {error}", path.display())?;
            }
        }
    }
    if !diagnostics.is_empty() {
        let style = render::HumanStyle {
            color: output.color,
            ..render::HumanStyle::default()
        };
        render::human(output.err, &sources, &diagnostics, style)?;
        return Ok(exit::FAILURE);
    }
    if args.check && unformatted > 0 {
        writeln!(output.err, "{unformatted} file(s) not formatted; run `oktaform fmt`")?;
        return Ok(exit::UNFORMATTED);
    }
    Ok(exit::OK)
}
