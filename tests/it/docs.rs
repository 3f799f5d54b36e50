//! Generated references stay current: `docs/config.md` and `schemas/config.schema.json` are
//! what the decoder's tables say (`OKTAFORM_UPDATE_DOCS=1 cargo test docs` rewrites them).

use crate::harness::repo;
use oktaform::config::spec;

fn check(path: &str, generated: &str) {
    let path = repo().join(path);
    if std::env::var_os("OKTAFORM_UPDATE_DOCS").is_some() {
        std::fs::write(&path, generated).expect("written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `OKTAFORM_UPDATE_DOCS=1 cargo test docs` and commit it",
        path.display()
    );
}

#[test]
fn the_config_reference_is_current() {
    check("docs/config.md", &spec::reference_markdown());
}

#[test]
fn the_config_schema_is_current() {
    let schema = serde_json::to_string_pretty(&spec::json_schema()).expect("json") + "\n";
    check("schemas/config.schema.json", &schema);
}

/// Every example config, converted from HCL to JSON, uses only blocks and attributes the
/// reference documents.
#[test]
fn the_examples_use_only_documented_attributes() {
    for example in ["examples/quickstart", "examples/multi-org"] {
        for entry in std::fs::read_dir(repo().join(example)).expect("example") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "hcl") {
                continue;
            }
            let body: hcl::Body = hcl::from_str(&std::fs::read_to_string(&path).unwrap()).expect("HCL");
            for block in body.blocks() {
                check_block(block, &path);
            }
        }
    }
}

fn check_block(block: &hcl::Block, path: &std::path::Path) {
    let spec = spec::all_blocks()
        .into_iter()
        .find(|s| s.name == block.identifier())
        .unwrap_or_else(|| panic!("{}: undocumented block `{}`", path.display(), block.identifier()));
    for attribute in block.body().attributes() {
        assert!(
            spec.attribute(attribute.key()).is_some(),
            "{}: undocumented attribute `{}.{}`",
            path.display(),
            spec.name,
            attribute.key()
        );
    }
    for nested in block.body().blocks() {
        assert!(spec.blocks.contains(&nested.identifier()), "{}", path.display());
        check_block(nested, path);
    }
}
