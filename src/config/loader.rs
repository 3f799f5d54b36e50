//! Finds the config files, reads and parses them, resolves variables and decodes every
//! block into the raw config.

use super::chunks::{self, Chunk};
use super::decoder::Decoder;
use super::raw::RawConfig;
use super::reader::Origin;
use super::value::{Spanned, Value};
use super::variables::VarInputs;
use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap, Span};
use crate::environment::Environment;
use hcl::edit::structure::Body;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A loaded config: its texts, its raw blocks and every problem found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub sources: SourceMap,
    pub config: RawConfig,
    pub diagnostics: Vec<Diagnostic>,
}

/// The `*.hcl` files of `path` (a directory, read in sorted order, or one file).
pub fn config_files(path: &Path) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let unreadable = |error: std::io::Error| {
        Box::new(
            Diagnostic::new(
                Code::ConfigUnreadable,
                format!("cannot read `{}`: {error}", path.display()),
            )
            .help("PATH is a directory of `*.hcl` files or one `.hcl` file"),
        )
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        // Every `*.hcl` entry: one that is not a readable file (a directory, a dangling
        // link) is reported when read, not skipped in silence.
        .filter(|p| p.extension().is_some_and(|e| e == "hcl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Box::new(
            Diagnostic::new(
                Code::ConfigNoFiles,
                format!("`{}` holds no `*.hcl` file", path.display()),
            )
            .help("point PATH at the directory of your config, or create one (see `examples/quickstart`)"),
        ));
    }
    Ok(files)
}

/// A parsed file (a var file: small, parsed whole).
pub(super) struct Parsed {
    pub origin: Origin,
    pub dir: PathBuf,
    pub body: Body,
}

/// A config file split into the chunks that the decoder parses one at a time.
pub(super) struct Split {
    pub file: FileId,
    pub dir: PathBuf,
    pub chunks: Vec<Chunk>,
}

/// Reads `paths`, adding each to `sources`.
fn read_files(paths: &[PathBuf], sources: &mut SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Vec<FileId> {
    paths
        .iter()
        .filter_map(|path| match crate::input::read_text(path, crate::input::CONFIG_LIMIT) {
            Ok(text) => Some(sources.add(path.clone(), text)),
            Err(error) => {
                diagnostics.push(Diagnostic::new(
                    Code::ConfigUnreadable,
                    format!("cannot read `{}`: {error}", path.display()),
                ));
                None
            }
        })
        .collect()
}

/// The directory of a file: what its relative paths start from.
fn dir_of(sources: &SourceMap, file: FileId) -> PathBuf {
    sources
        .file(file)
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Parses var files whole, reporting those that do not parse.
fn parse_whole(files: &[FileId], sources: &SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Vec<Parsed> {
    files
        .iter()
        .filter_map(|&file| match hcl::edit::parser::parse_body(&sources.file(file).text) {
            Ok(body) => Some(Parsed {
                origin: Origin::start_of(file),
                dir: dir_of(sources, file),
                body,
            }),
            Err(error) => {
                diagnostics.push(syntax_error(sources, file, &error));
                None
            }
        })
        .collect()
}

fn syntax_error(sources: &SourceMap, file: FileId, error: &hcl::edit::parser::Error) -> Diagnostic {
    super::syntax::diagnose(
        file,
        &sources.file(file).text,
        error.location().offset(),
        error.message(),
    )
}

/// Loads the config at `path` with the given variable inputs and environment.
pub fn load(path: &Path, inputs: &VarInputs, env: &Environment) -> Loaded {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let paths = match config_files(path) {
        Ok(paths) => paths,
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            return Loaded {
                sources,
                config: RawConfig::default(),
                diagnostics,
            };
        }
    };
    let files = read_files(&paths, &mut sources, &mut diagnostics);
    decode(&files, &paths, sources, diagnostics, inputs, env, chunks::split)
}

/// Loads a config of one file whose text is `text`, as if read from `path` (for tools that
/// hold the text already, such as the fuzz targets).
pub fn load_text(path: &Path, text: String, inputs: &VarInputs, env: &Environment) -> Loaded {
    let mut sources = SourceMap::default();
    let paths = vec![path.to_owned()];
    let files = vec![sources.add(path.to_owned(), text)];
    decode(&files, &paths, sources, Vec::new(), inputs, env, chunks::split)
}

/// Decodes config files, each split into chunks by `split`, with the variable inputs, and
/// masks what is secret.
fn decode(
    files: &[FileId],
    paths: &[PathBuf],
    mut sources: SourceMap,
    mut diagnostics: Vec<Diagnostic>,
    inputs: &VarInputs,
    env: &Environment,
    split: fn(&str) -> Vec<Chunk>,
) -> Loaded {
    let var_files = read_files(&inputs.files, &mut sources, &mut diagnostics);
    let var_files = parse_whole(&var_files, &sources, &mut diagnostics);
    let cli_vars: Vec<(String, Value)> = inputs
        .recorded
        .iter()
        .map(|(k, v)| (k.clone(), Value::from_json(v)))
        .chain(inputs.vars.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))))
        .collect();
    let mut splits: Vec<Split> = files
        .iter()
        .map(|&file| Split {
            file,
            dir: dir_of(&sources, file),
            chunks: split(&sources.file(file).text),
        })
        .collect();
    // A file with a chunk that does not parse is parsed whole: that tells the real syntax
    // error (reported, and the file left out), or that the split was wrong (the file is
    // then decoded as one piece). Either way the decoding starts again, since the first
    // one read the file's variables and connections. Each round settles at least one file.
    let mut syntax_errors: BTreeMap<FileId, Diagnostic> = BTreeMap::new();
    let config = loop {
        let mut round = diagnostics.clone();
        round.extend(syntax_errors.values().cloned());
        match Decoder::new(env, &mut round).decode(&splits, &sources, &var_files, &cli_vars) {
            Ok(config) => {
                diagnostics = round;
                break config;
            }
            Err(failed) => {
                for index in failed.into_iter().rev() {
                    let file = splits[index].file;
                    let text = &sources.file(file).text;
                    match hcl::edit::parser::parse_body(text) {
                        // A file of one chunk was parsed whole already, so this is a file
                        // of several, which now becomes one.
                        Ok(_) => splits[index].chunks = vec![Chunk::whole(text)],
                        Err(error) => {
                            syntax_errors.insert(file, syntax_error(&sources, file, &error));
                            splits.remove(index);
                        }
                    }
                }
            }
        }
    };
    mask_secrets(&mut sources, &config, paths, &inputs.files);
    let secrets = secret_values(&config, env);
    diagnostics.extend(misplaced_secrets(&config, &secrets));
    for value in &secrets {
        sources.add_secret(value);
    }
    Loaded {
        sources,
        config,
        diagnostics,
    }
}

/// Masks every secret the decoded config knows of, and the values of sensitive variables in
/// var files, found by name in the raw text (also when the config did not parse).
fn mask_secrets(sources: &mut SourceMap, config: &RawConfig, config_paths: &[PathBuf], var_files: &[PathBuf]) {
    for span in literal_secret_spans(config) {
        sources.mask(span.sub(1, span.len().saturating_sub(1)));
    }
    let mut sensitive: std::collections::BTreeSet<String> = config
        .variables
        .iter()
        .filter(|v| v.sensitive)
        .map(|v| v.name.value.clone())
        .collect();
    let config_files: Vec<FileId> = sources
        .files()
        .filter(|(_, f)| config_paths.contains(&f.path))
        .map(|(id, _)| id)
        .collect();
    for file in config_files {
        sensitive.extend(crate::diagnostics::sensitive_variables(&sources.file(file).text));
    }
    for variable in config.variables.iter().filter(|v| sensitive.contains(&v.name.value)) {
        if let Some(span) = variable.literal_default {
            sources.mask(span.sub(1, span.len().saturating_sub(1)));
        }
    }
    let names: Vec<&str> = sensitive.iter().map(String::as_str).collect();
    let var_file_ids: Vec<FileId> = sources
        .files()
        .filter(|(_, f)| var_files.contains(&f.path))
        .map(|(id, _)| id)
        .collect();
    for file in var_file_ids {
        sources.mask_attributes(file, &names);
    }
}

/// The environment variables that hold credentials oktaform itself uses.
pub const CREDENTIAL_VARIABLES: &[&str] = &["OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN", "OKTA_CLIENT_PRIVATEKEY"];

/// Every secret value the config and the environment know of: the credentials oktaform
/// uses, the values of the config's secret attributes and of its sensitive variables.
pub fn secret_values(config: &RawConfig, env: &Environment) -> Vec<String> {
    let mut values: Vec<String> = CREDENTIAL_VARIABLES
        .iter()
        .filter_map(|name| env.get(name))
        .map(str::to_owned)
        .collect();
    for connection in &config.connections {
        let management = connection.management.as_ref();
        let secrets = [
            connection.client_secret.as_ref(),
            management.and_then(|m| m.api_token.as_ref()),
            management
                .and_then(|m| m.oauth.as_ref())
                .and_then(|o| o.private_key.as_ref()),
        ];
        values.extend(secrets.into_iter().flatten().map(|s| s.value.expose().to_owned()));
    }
    for variable in config.variables.iter().filter(|v| v.sensitive) {
        if let Some(super::value::Value::String(value)) = &variable.value {
            values.push(value.clone());
        }
    }
    values.retain(|v| !v.is_empty());
    values
}

/// A secret value in an attribute that is not secret (`keyword = var.token`, `grant =
/// [env("OKTA_API_TOKEN")]`) would be shown in plans, plan files and logs: an error at the
/// attribute, which never names the value.
fn misplaced_secrets(config: &RawConfig, secrets: &[String]) -> Vec<Diagnostic> {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.len() >= crate::diagnostics::SHORTEST_SECRET)
        .collect();
    if secrets.is_empty() {
        return Vec::new();
    }
    let mut fields: Vec<(&'static str, &Spanned<String>)> = Vec::new();
    for connection in &config.connections {
        let plain = [
            ("domain", &connection.domain),
            ("client_id", &connection.client_id),
            ("service_account", &connection.service_account),
            ("connector", &connection.connector),
            ("endpoint", &connection.endpoint),
        ];
        fields.extend(
            plain
                .into_iter()
                .filter_map(|(name, value)| Some((name, value.as_ref()?))),
        );
        if let Some(oauth) = connection.management.as_ref().and_then(|m| m.oauth.as_ref()) {
            fields.extend(oauth.client_id.iter().map(|v| ("client_id", v)));
            fields.extend(oauth.key_id.iter().map(|v| ("key_id", v)));
            fields.extend(oauth.scopes.iter().flatten().map(|v| ("scopes", v)));
        }
    }
    for scopes in &config.scopes {
        fields.extend(scopes.reason.iter().map(|v| ("reason", v)));
        fields.extend(scopes.grant.iter().map(|v| ("grant", v)));
        fields.extend(scopes.accept_unknown.iter().map(|v| ("accept_unknown", v)));
    }
    for query in &config.log_queries {
        fields.extend(query.keyword.iter().map(|v| ("keyword", v)));
        fields.extend(query.filter.iter().map(|v| ("filter", v)));
        for (field, value) in &query.matches {
            fields.push(("match", field));
            fields.push(("match", value));
        }
    }
    fields
        .into_iter()
        .filter(|(_, value)| secrets.iter().any(|secret| value.value.contains(secret)))
        .map(|(attribute, value)| {
            Diagnostic::new(
                Code::CredentialsSecretMisplaced,
                format!("`{attribute}` holds a secret: the value of a credential or of a sensitive variable"),
            )
            .at(value.span, "a secret in an attribute that is shown")
            .help("secrets belong in `client_secret`, `api_token` or `private_key`; this value would be shown in plans, plan files and logs")
        })
        .collect()
}

/// Spans of sensitive attributes written as literals: they are hidden in the source map.
fn literal_secret_spans(config: &RawConfig) -> Vec<Span> {
    let mut spans = Vec::new();
    for connection in &config.connections {
        let management = connection.management.as_ref();
        let secrets = [
            connection.client_secret.as_ref(),
            management.and_then(|m| m.api_token.as_ref()),
            management
                .and_then(|m| m.oauth.as_ref())
                .and_then(|o| o.private_key.as_ref()),
        ];
        spans.extend(secrets.into_iter().flatten().filter(|s| s.literal).map(|s| s.span));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `texts` as config files of one directory, loaded as oktaform loads them and parsed
    /// whole: the two must not differ in anything, spans included. Diagnostics are compared
    /// in the order validation gives them (sorted by place).
    fn load_both_ways(texts: &[String]) -> (String, String) {
        let env = Environment::default().offline();
        let load = |split: fn(&str) -> Vec<Chunk>| {
            let mut sources = SourceMap::default();
            let paths: Vec<PathBuf> = (0..texts.len()).map(|i| PathBuf::from(format!("c/{i}.hcl"))).collect();
            let files: Vec<FileId> = paths
                .iter()
                .zip(texts)
                .map(|(path, text)| sources.add(path.clone(), text.clone()))
                .collect();
            let mut loaded = decode(&files, &paths, sources, Vec::new(), &VarInputs::default(), &env, split);
            loaded.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            format!("{:#?}\n{:#?}", loaded.config, loaded.diagnostics)
        };
        (load(chunks::split), load(|text| vec![Chunk::whole(text)]))
    }

    #[test]
    fn every_config_of_the_repository_loads_as_if_parsed_whole() {
        let mut checked = 0;
        for root in ["examples", "tests"] {
            let pattern = format!("{}/{root}/**/*.hcl", env!("CARGO_MANIFEST_DIR"));
            for path in glob::glob(&pattern).expect("a valid pattern").flatten() {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let (chunked, whole) = load_both_ways(&[text]);
                assert_eq!(chunked, whole, "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} configs found");
    }

    /// Pieces of config, well-formed and not, whose concatenations the property draws.
    const PIECES: &[&str] = &[
        "variable \"org\" {\n  default = \"acme.okta.com\"\n}\n",
        "variable \"org\" {\n  default = \"other\"\n}\n",
        "connection \"prod\" {\n  domain = var.org\n  client_id = \"0oa1\"\n  service_account = \"svc@acme.com\"\n}\n",
        "connection \"p\\u0072od\" {\n  domain = \"b.okta.com\"\n}\n",
        "scopes \"s\" {\n  connection = connection.prod\n  grant = [\"okta.users.read\",\n  \"okta.logs.read\"]\n}\n",
        "log_query \"q\" {\n  connection = connection.prod\n  filter = \"a eq \\\"}\\\"\"\n  keyword = <<-EOT\n    } {\n    ${\"x\"}\n  EOT\n}\n",
        "# a comment }\n/* a block\ncomment { */\n",
        "x = 1\n",
        "unknown \"u\" {}\n",
        "connection \"broken\" {\n  domain = \n}\n",
        "log_query \"open\" {\n  keyword = \"not closed\n}\n",
        "}\n",
        "safety {\n  min_grants = 1\n}\n",
        "\n\n",
    ];

    proptest! {
        #[test]
        fn any_mix_of_blocks_loads_as_if_parsed_whole(
            files in prop::collection::vec(prop::collection::vec(0..PIECES.len(), 0..6), 1..3)
        ) {
            let texts: Vec<String> = files.iter().map(|pieces| pieces.iter().map(|&i| PIECES[i]).collect()).collect();
            let (chunked, whole) = load_both_ways(&texts);
            prop_assert_eq!(chunked, whole);
        }
    }
}
