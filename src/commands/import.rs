//! `oktaform import`: HCL for an org's live setup, printed or written to `--out DIR`.

use super::{Output, exit};
use crate::cli::{GlobalArgs, ImportArgs};
use crate::config::Environment;
use crate::ops::import::{ImportRequest, import};
use std::path::Path;

pub fn run(global: &GlobalArgs, args: &ImportArgs, output: &mut Output<'_>) -> std::io::Result<u8> {
    let environment = Environment::capture();
    let ctx = super::context(global, &environment);
    let request = ImportRequest {
        domain: args.domain.clone(),
        client_id: args.client_id.clone(),
        service_account: args.service_account.clone(),
        name: args.name.clone(),
        out: args.out.clone(),
        target: args.target.target(),
    };
    match super::runtime()?.block_on(import(&ctx, &request)) {
        Ok(text) => {
            match &args.out {
                None => output.out.write_all(text.as_bytes())?,
                Some(dir) => write_or_diff(dir, &text, output)?,
            }
            Ok(exit::OK)
        }
        Err(failure) => output.failure(failure, false),
    }
}

/// Writes `dir/main.hcl` into a directory without a config; with one, prints the change as a
/// unified diff and writes nothing.
fn write_or_diff(dir: &Path, text: &str, output: &mut Output<'_>) -> std::io::Result<()> {
    let main = dir.join("main.hcl");
    let has_config = crate::config::config_files(dir).is_ok_and(|files| !files.is_empty());
    if !has_config {
        std::fs::create_dir_all(dir)?;
        std::fs::write(&main, text)?;
        writeln!(output.err, "Wrote {}.", main.display())?;
        return Ok(());
    }
    let existing = std::fs::read_to_string(&main).unwrap_or_default();
    let shown = main.display().to_string();
    let diff = similar::TextDiff::from_lines(existing.as_str(), text);
    write!(
        output.out,
        "{}",
        diff.unified_diff().header(&shown, &format!("{shown} (imported)"))
    )?;
    writeln!(
        output.err,
        "{} holds a config already: nothing was written; the diff shows what the import would change.",
        crate::ops::orgs::config_dir(&main).display()
    )?;
    Ok(())
}
