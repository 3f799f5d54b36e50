//! Finds the config files, reads and parses them, resolves variables and decodes every
//! block into the raw config.

use super::decoder::Decoder;
use super::raw::RawConfig;
use super::value::{Spanned, Value};
use super::variables::VarInputs;
use crate::diagnostics::{Code, Diagnostic, FileId, SourceMap, Span};
use crate::environment::Environment;
use hcl::edit::structure::Body;
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

/// A parsed file.
pub(super) struct Parsed {
    pub file: FileId,
    pub dir: PathBuf,
    pub body: Body,
}

/// Reads and parses `paths`, adding each to `sources`.
fn parse_files(paths: &[PathBuf], sources: &mut SourceMap, diagnostics: &mut Vec<Diagnostic>) -> Vec<Parsed> {
    let texts: Vec<(PathBuf, String)> = paths
        .iter()
        .filter_map(|path| match crate::input::read_text(path, crate::input::CONFIG_LIMIT) {
            Ok(text) => Some((path.clone(), text)),
            Err(error) => {
                diagnostics.push(Diagnostic::new(
                    Code::ConfigUnreadable,
                    format!("cannot read `{}`: {error}", path.display()),
                ));
                None
            }
        })
        .collect();
    parse_texts(texts, sources, diagnostics)
}

/// Parses the texts of files, adding each to `sources`.
fn parse_texts(
    texts: impl IntoIterator<Item = (PathBuf, String)>,
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Parsed> {
    let mut parsed = Vec::new();
    for (path, text) in texts {
        let file = sources.add(path.clone(), text);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        match hcl::edit::parser::parse_body(&sources.file(file).text) {
            Ok(body) => parsed.push(Parsed { file, dir, body }),
            Err(error) => {
                let text = &sources.file(file).text;
                diagnostics.push(super::syntax::diagnose(
                    file,
                    text,
                    error.location().offset(),
                    error.message(),
                ));
            }
        }
    }
    parsed
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
    let files = parse_files(&paths, &mut sources, &mut diagnostics);
    decode(&files, &paths, sources, diagnostics, inputs, env)
}

/// Loads a config of one file whose text is `text`, as if read from `path` (for tools that
/// hold the text already, such as the fuzz targets).
pub fn load_text(path: &Path, text: String, inputs: &VarInputs, env: &Environment) -> Loaded {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let paths = vec![path.to_owned()];
    let files = parse_texts([(path.to_owned(), text)], &mut sources, &mut diagnostics);
    decode(&files, &paths, sources, diagnostics, inputs, env)
}

/// Decodes parsed config files with the variable inputs, and masks what is secret.
fn decode(
    files: &[Parsed],
    paths: &[PathBuf],
    mut sources: SourceMap,
    mut diagnostics: Vec<Diagnostic>,
    inputs: &VarInputs,
    env: &Environment,
) -> Loaded {
    let var_files = parse_files(&inputs.files, &mut sources, &mut diagnostics);
    let cli_vars: Vec<(String, Value)> = inputs
        .recorded
        .iter()
        .map(|(k, v)| (k.clone(), Value::from_json(v)))
        .chain(inputs.vars.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))))
        .collect();
    let config = Decoder::new(env, &mut diagnostics).decode(files, &var_files, &cli_vars);
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
