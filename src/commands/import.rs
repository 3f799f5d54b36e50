//! `oktaform import`: HCL for an org's live setup, printed or written to `--out DIR`.

use super::{Output, exit};
use crate::cli::{GlobalArgs, ImportArgs};
use crate::config::Environment;
use crate::ops::import::{ImportRequest, Imported, import};
use crate::view::paint::Palette;
use std::io::Write as _;
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
    match super::reading(super::runtime()?, import(&ctx, &request)) {
        None => super::interrupted(output),
        Some(Ok(imported)) => {
            match &args.out {
                None => output.out.write_all(imported.text.as_bytes())?,
                Some(dir) => write_or_diff(dir, &imported, &environment, output)?,
            }
            Ok(exit::OK)
        }
        Some(Err(failure)) => output.failure(failure, false),
    }
}

/// Writes `dir/main.hcl` into a directory without a config; with one, compares the whole
/// config with the org, prints what differs as a unified diff and writes nothing.
fn write_or_diff(
    dir: &Path,
    imported: &Imported,
    environment: &Environment,
    output: &mut Output<'_>,
) -> std::io::Result<()> {
    let main = dir.join("main.hcl");
    let has_config = crate::config::config_files(dir).is_ok_and(|files| !files.is_empty());
    if !has_config {
        std::fs::create_dir_all(dir)?;
        std::fs::write(&main, &imported.text)?;
        writeln!(output.err, "Wrote {}.", main.display())?;
        return Ok(());
    }
    let diff = imported.compare(dir, environment);
    write!(output.painted(Palette::Diff), "{diff}")?;
    let shown = crate::ops::orgs::config_dir(&main).display().to_string();
    if diff.is_empty() {
        writeln!(output.err, "{shown} declares what the org has: nothing was written.")?;
    } else {
        writeln!(
            output.err,
            "{shown} holds a config already: nothing was written; the diff shows how the org differs from it, both written as import writes a config."
        )?;
    }
    Ok(())
}
