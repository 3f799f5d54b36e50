//! Decodes parsed files into the raw config: block shapes through the reader, values
//! through the evaluator, types and allowed values checked here at the value's span.

use super::chunks::{self, Head};
use super::evaluator::Evaluator;
use super::loader::{Parsed, Split};
use super::raw::{
    RawConfig, RawConnection, RawFlows, RawLogQuery, RawManagement, RawOauth, RawQueryOptions, RawSafety, RawScopes,
    RawVariable,
};
use super::reader::{self, BlockContents, Origin};
use super::spec::{MANAGEMENT, OAUTH, TOP_LEVEL};
use super::value::{Spanned, Value};
use super::variables::{VariableState, Variables};
use crate::catalog;
use crate::diagnostics::{Code, Diagnostic, SourceMap, Span, did_you_mean};
use crate::environment::Environment;
use crate::model::{Expectation, Records, ScopePolicy, SortOrder};
use crate::secret::Secret;
use crate::time_spec::TimeSpec;
use hcl::edit::structure::{Attribute, Block, Body};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub(super) struct Decoder<'a> {
    env: &'a Environment,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Environment variables whose values stay unknown offline.
    unknown: std::cell::RefCell<BTreeSet<String>>,
}

/// A top-level block read by its spec, and where it was written.
struct TopBlock<'p> {
    origin: Origin,
    /// The directory of its file: `file()` paths are relative to it.
    dir: &'p Path,
    block: &'p Block,
    contents: BlockContents<'p>,
}

/// What the values of a block may refer to.
struct Scope<'a> {
    variables: &'a Variables,
    connections: &'a BTreeSet<String>,
}

/// The first site of each block by type and name, to report duplicates (looked up once per
/// block: hashed, since names of one type share long prefixes).
type Seen = std::collections::HashMap<(&'static str, String), Span>;

/// Chunks parsed in pass 1, by file and chunk index.
type Kept = BTreeMap<(usize, usize), Body>;

/// Pass 1 of [`Decoder::decode`]: what the values of every block may depend on. Connection
/// names come from the chunks' headers; `variable` blocks, and chunks the scan could not
/// tell, are parsed here and kept for pass 2.
fn first_pass(files: &[Split], sources: &SourceMap) -> Result<(Kept, BTreeSet<String>), Vec<usize>> {
    let mut failed = Vec::new();
    let mut kept = Kept::new();
    let mut connections = BTreeSet::new();
    for (index, split) in files.iter().enumerate() {
        let text = &sources.file(split.file).text;
        for (at, chunk) in split.chunks.iter().enumerate() {
            match &chunk.head {
                Head::Connection(name) => {
                    connections.insert(name.clone());
                }
                Head::LogQuery | Head::Other => {}
                Head::Variable | Head::Unknown => {
                    let Ok(body) = chunks::parse(text, chunk) else {
                        failed.push(index);
                        break;
                    };
                    connections.extend(
                        body.blocks()
                            .filter(|b| b.ident.as_str() == "connection")
                            .filter_map(|b| match b.labels.as_slice() {
                                [label] => Some(label.as_str().to_owned()),
                                _ => None,
                            }),
                    );
                    kept.insert((index, at), body);
                }
            }
        }
    }
    if failed.is_empty() {
        Ok((kept, connections))
    } else {
        Err(failed)
    }
}

/// The `variable` blocks of the pieces parsed in pass 1 (see [`Decoder::decode`]), in file
/// order, the first of each name. Their problems are reported when pass 2 reads them again.
fn declared_variables<'p>(files: &'p [Split], kept: &'p Kept) -> Vec<TopBlock<'p>> {
    let spec = TOP_LEVEL
        .iter()
        .find(|s| s.name == "variable")
        .expect("the language has variables");
    let mut scratch = Vec::new();
    let mut names = BTreeSet::new();
    let mut declared = Vec::new();
    for ((index, at), body) in kept {
        let split = &files[*index];
        let origin = Origin {
            file: split.file,
            offset: split.chunks[*at].range.start,
        };
        for block in body.blocks().filter(|b| b.ident.as_str() == "variable") {
            let Some(contents) = reader::read(origin, block, spec, &mut scratch) else {
                continue;
            };
            if contents
                .label
                .as_ref()
                .is_some_and(|(name, _)| names.insert(name.clone()))
            {
                declared.push(TopBlock {
                    origin,
                    dir: &split.dir,
                    block,
                    contents,
                });
            }
        }
    }
    declared
}

/// The variables of the `env("NAME", ...)` calls in `expr`.
fn env_uses(expr: &hcl::edit::expr::Expression) -> Vec<String> {
    use hcl::edit::expr::Expression;
    use hcl::edit::template::Element;
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "env" => call
            .args
            .iter()
            .next()
            .and_then(|arg| match arg {
                Expression::String(name) => Some(vec![name.value().clone()]),
                _ => None,
            })
            .unwrap_or_default(),
        Expression::FuncCall(call) => call.args.iter().flat_map(env_uses).collect(),
        Expression::Parenthesis(inner) => env_uses(inner.inner()),
        Expression::StringTemplate(template) => template
            .iter()
            .filter_map(|element| match element {
                Element::Interpolation(interpolation) => Some(env_uses(&interpolation.expr)),
                _ => None,
            })
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

/// The evaluator of one file plus the diagnostics sink: what value helpers need.
struct Values<'e, 'd> {
    evaluator: Evaluator<'e>,
    diagnostics: &'d mut Vec<Diagnostic>,
    /// Variables used in sensitive attributes, with the attribute.
    sensitive_uses: &'d mut BTreeMap<String, &'static str>,
}

/// The attributes whose values are secrets.
const SENSITIVE: [&str; 3] = ["client_secret", "api_token", "private_key"];

/// The names of the variables `expr` uses (`var.<name>`, also inside templates).
fn variable_uses(expr: &hcl::edit::expr::Expression) -> Vec<String> {
    use hcl::edit::expr::{Expression, TraversalOperator};
    use hcl::edit::template::Element;
    match expr {
        Expression::Traversal(traversal) if traversal.expr.as_variable().is_some_and(|v| v.as_str() == "var") => {
            match traversal.operators.first().map(hcl::edit::Decorated::value) {
                Some(TraversalOperator::GetAttr(name)) => vec![name.as_str().to_owned()],
                _ => Vec::new(),
            }
        }
        Expression::StringTemplate(template) => template
            .iter()
            .filter_map(|element| match element {
                Element::Interpolation(interpolation) => Some(variable_uses(&interpolation.expr)),
                _ => None,
            })
            .flatten()
            .collect(),
        Expression::Parenthesis(inner) => variable_uses(inner.inner()),
        Expression::FuncCall(call) => call.args.iter().flat_map(variable_uses).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Decoder<'a> {
    pub fn new(env: &'a Environment, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            env,
            diagnostics,
            unknown: std::cell::RefCell::default(),
        }
    }

    /// Decodes the config files one chunk at a time (see [`super::chunks`]), so that only
    /// one block's syntax tree is alive at once, and the var files. `Err` names the files
    /// (by index) with a chunk that does not parse: the loader deals with them and decodes
    /// again, so that a file that does not parse adds nothing, as if it were absent.
    pub fn decode(
        mut self,
        files: &[Split],
        sources: &SourceMap,
        var_files: &[Parsed],
        cli_vars: &[(String, Value)],
    ) -> Result<RawConfig, Vec<usize>> {
        let (mut kept, connections) = first_pass(files, sources)?;
        let variables = self.resolve_variables(&declared_variables(files, &kept), var_files, cli_vars);

        // Pass 2: every block in file order, decoded and dropped.
        let mut failed = Vec::new();
        let mut config = RawConfig::default();
        let queries = files
            .iter()
            .flat_map(|f| &f.chunks)
            .filter(|c| c.head == Head::LogQuery);
        config.log_queries.reserve_exact(queries.count());
        let mut seen = Seen::new();
        let mut sensitive_uses = BTreeMap::new();
        let mut declared_variables = Vec::new();
        for (index, split) in files.iter().enumerate() {
            let text = &sources.file(split.file).text;
            // The parser refuses an attribute set twice in one body, which chunks parsed
            // apart cannot see: such a file is parsed whole, for the parser's error.
            let mut attribute_keys = BTreeSet::new();
            for (at, chunk) in split.chunks.iter().enumerate() {
                let body = match kept.remove(&(index, at)) {
                    Some(body) => body,
                    None => {
                        let Ok(body) = chunks::parse(text, chunk) else {
                            failed.push(index);
                            break;
                        };
                        body
                    }
                };
                if body
                    .attributes()
                    .any(|a| !attribute_keys.insert(a.key.as_str().to_owned()))
                {
                    failed.push(index);
                    break;
                }
                let origin = Origin {
                    file: split.file,
                    offset: chunk.range.start,
                };
                for (block, contents) in self.blocks(origin, &body, &mut seen) {
                    let read = TopBlock {
                        origin,
                        dir: &split.dir,
                        block,
                        contents,
                    };
                    self.block(
                        &read,
                        &mut config,
                        &Scope {
                            variables: &variables,
                            connections: &connections,
                        },
                        &mut sensitive_uses,
                        &mut declared_variables,
                    );
                }
            }
        }
        if !failed.is_empty() {
            return Err(failed);
        }
        for (name, declared_sensitive, literal_default) in declared_variables {
            let used_in = sensitive_uses.get(&name.value).copied();
            if let (Some(attribute), Some(span)) = (used_in, literal_default) {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ConnectionLiteralSecret,
                        format!(
                            "the default of variable `{}` flows into `{attribute}`: a secret written in the config",
                            name.value
                        ),
                    )
                    .at(span, "literal secret")
                    .help(format!(
                        "remove the default and set the value from the environment (`OKTAFORM_VAR_{}`), or use `{attribute} = env(\"...\")`; rotate the one committed",
                        name.value
                    )),
                );
            }
            config.variables.push(RawVariable {
                sensitive: declared_sensitive || used_in.is_some(),
                value: variables.get(&name.value),
                literal_default,
                name,
            });
        }
        config.unknown_variables = self.unknown.take();
        Ok(config)
    }

    /// Decodes one top-level block into `config`.
    fn block(
        &mut self,
        read: &TopBlock<'_>,
        config: &mut RawConfig,
        scope: &Scope<'_>,
        sensitive_uses: &mut BTreeMap<String, &'static str>,
        declared_variables: &mut Vec<(Spanned<String>, bool, Option<Span>)>,
    ) {
        let contents = &read.contents;
        let mut values = Values {
            evaluator: Evaluator {
                origin: read.origin,
                dir: read.dir,
                variables: scope.variables,
                connections: scope.connections,
                env: self.env,
                unknown: &self.unknown,
            },
            diagnostics: self.diagnostics,
            sensitive_uses,
        };
        let name = contents
            .label
            .clone()
            .map(|(name, span)| Spanned::new(name, span, true));
        match (read.block.ident.as_str(), name) {
            ("variable", Some(name)) => {
                let sensitive = values.bool(contents, "sensitive").is_some_and(|s| s.value);
                let literal_default = contents
                    .attribute("default")
                    .filter(|a| matches!(a.value, hcl::edit::expr::Expression::String(_)))
                    .map(|a| reader::span_of(read.origin, &a.value));
                declared_variables.push((name, sensitive, literal_default));
            }
            ("connection", Some(name)) => {
                config.connections.push(values.connection(name, contents));
            }
            ("scopes", Some(name)) => config.scopes.push(values.scopes(name, contents)),
            ("log_query", Some(name)) => {
                config.log_queries.push(values.log_query(name, contents));
            }
            ("flows", Some(name)) => config.flows.push(RawFlows {
                header: contents.header,
                connection: values.connection_ref(contents),
                export: values.string(contents, "export"),
                export_connection: values.string(contents, "export_connection"),
                dir: read.dir.to_path_buf(),
                name,
            }),
            ("safety", None) => config.safety = Some(values.safety(contents)),
            _ => {}
        }
    }

    /// The known top-level blocks of one parsed piece, each read by its spec; unknown and
    /// duplicate blocks (by `seen`, across pieces) are reported and left out.
    fn blocks<'p>(&mut self, origin: Origin, body: &'p Body, seen: &mut Seen) -> Vec<(&'p Block, BlockContents<'p>)> {
        for attribute in body.attributes() {
            self.diagnostics.push(
                reader::unknown_attribute(origin, attribute, "", &[])
                    .help(format!("attributes belong inside blocks: {}", block_names())),
            );
        }
        let mut blocks = Vec::new();
        for block in body.blocks() {
            let Some(spec) = TOP_LEVEL.iter().copied().find(|s| s.name == block.ident.as_str()) else {
                let known: Vec<&str> = TOP_LEVEL.iter().map(|s| s.name).collect();
                self.diagnostics
                    .push(reader::unknown_block(origin, block, None, &known));
                continue;
            };
            let Some(contents) = reader::read(origin, block, spec, self.diagnostics) else {
                continue;
            };
            let (name, site) = contents
                .label
                .clone()
                .unwrap_or_else(|| (String::new(), contents.header));
            let first = match seen.entry((spec.name, name)) {
                Entry::Vacant(vacant) => {
                    vacant.insert(site);
                    None
                }
                Entry::Occupied(occupied) => Some((occupied.key().1.clone(), *occupied.get())),
            };
            if let Some((name, first)) = first {
                let what = if name.is_empty() {
                    format!("a second `{}` block", spec.name)
                } else {
                    format!("duplicate {} `{name}`", spec.name)
                };
                self.diagnostics.push(
                    Diagnostic::new(Code::SchemaDuplicateBlock, what)
                        .at(site, "defined again here")
                        .also(first, "first defined here")
                        .help("names must be unique per block type; rename or merge the blocks"),
                );
                continue;
            }
            blocks.push((block, contents));
        }
        blocks
    }

    fn resolve_variables(
        &mut self,
        declared: &[TopBlock<'_>],
        var_files: &[Parsed],
        cli_vars: &[(String, Value)],
    ) -> Variables {
        let empty = Variables::unreferenceable();
        let none = BTreeSet::new();
        let mut from_files: BTreeMap<String, Value> = BTreeMap::new();
        for parsed in var_files {
            let evaluator = Evaluator {
                origin: parsed.origin,
                dir: &parsed.dir,
                variables: &empty,
                connections: &none,
                env: self.env,
                unknown: &self.unknown,
            };
            for block in parsed.body.blocks() {
                self.diagnostics
                    .push(reader::unknown_block(parsed.origin, block, Some("a var file"), &[]));
            }
            for attribute in parsed.body.attributes() {
                if let Some(value) = evaluator.eval(&attribute.value, self.diagnostics) {
                    from_files.insert(attribute.key.as_str().to_owned(), value.value);
                }
            }
        }
        let names: BTreeSet<&str> = declared
            .iter()
            .filter_map(|read| read.contents.label.as_ref().map(|(name, _)| name.as_str()))
            .collect();
        self.undeclared(&names, var_files, cli_vars);
        let mut variables = Variables::default();
        for read in declared {
            let Some((name, _)) = &read.contents.label else {
                continue;
            };
            let from_cli = cli_vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let from_env = self
                .env
                .get(&format!("OKTAFORM_VAR_{name}"))
                .map(|v| Value::String(v.to_owned()));
            let default = || {
                let attribute = read.contents.attribute("default")?;
                let evaluator = Evaluator {
                    origin: read.origin,
                    dir: read.dir,
                    variables: &empty,
                    connections: &none,
                    env: self.env,
                    unknown: &self.unknown,
                };
                evaluator.eval(&attribute.value, self.diagnostics).map(|v| v.value)
            };
            let value = from_cli
                .or_else(|| from_files.get(name).cloned())
                .or(from_env)
                .or_else(default);
            let state = match value {
                Some(value) => VariableState::Set(value),
                None if self.env.is_offline() => {
                    self.unknown
                        .borrow_mut()
                        .insert(format!("var.{name} (OKTAFORM_VAR_{name})"));
                    VariableState::Set(Value::Unknown)
                }
                None => VariableState::Unset {
                    declared: reader::header_span(read.origin, read.block),
                },
            };
            variables.insert(name.clone(), state);
        }
        variables
    }
}

impl Decoder<'_> {
    /// `--var` and `--var-file` names that no `variable` block declares: a typo there would
    /// otherwise leave the default (often production) in place.
    fn undeclared(&mut self, declared: &BTreeSet<&str>, var_files: &[Parsed], cli_vars: &[(String, Value)]) {
        let mut reported = BTreeSet::new();
        for (name, _) in cli_vars {
            if declared.contains(name.as_str()) || !reported.insert(name.as_str()) {
                continue;
            }
            self.diagnostics.push(
                Diagnostic::new(
                    Code::VariableUndeclared,
                    format!("`--var {name}=...` sets a variable that no `variable` block declares"),
                )
                .suggest(did_you_mean(name, declared.iter().copied()))
                .help("fix the name, or declare the variable in a `variable` block"),
            );
        }
        for variable in self.env.names_starting_with("OKTAFORM_VAR_") {
            let name = &variable["OKTAFORM_VAR_".len()..];
            if declared.contains(name) {
                continue;
            }
            self.diagnostics.push(
                Diagnostic::new(
                    Code::VariableUndeclaredEnv,
                    format!("`{variable}` is set, but no `variable` block declares `{name}`"),
                )
                .suggest(did_you_mean(name, declared.iter().copied()).map(|d| format!("OKTAFORM_VAR_{d}")).as_deref())
                .help("fix the name, or declare the variable in a `variable` block; ignore this when the environment also serves another config"),
            );
        }
        for parsed in var_files {
            for attribute in parsed.body.attributes() {
                let name = attribute.key.as_str();
                if declared.contains(name) {
                    continue;
                }
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::VariableUndeclared,
                        format!("the var file sets `{name}`, which no `variable` block declares"),
                    )
                    .at(reader::span_of(parsed.origin, &attribute.key), "undeclared variable")
                    .suggest(did_you_mean(name, declared.iter().copied()))
                    .help("fix the name, or declare the variable in a `variable` block"),
                );
            }
        }
    }
}

impl Values<'_, '_> {
    /// The attribute's value; `None` when it is absent, null, unknown (offline) or invalid
    /// (already reported).
    fn eval(&mut self, attribute: Option<&Attribute>) -> Option<Spanned<Value>> {
        let value = self.evaluator.eval(&attribute?.value, self.diagnostics)?;
        (!matches!(value.value, Value::Null | Value::Unknown)).then_some(value)
    }

    fn wrong_type(&mut self, value: &Spanned<Value>, attribute: &str, expected: &str) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::SchemaWrongType,
                format!("`{attribute}` must be {expected}, found {}", value.value.type_name()),
            )
            .at(value.span, format!("{} here", value.value.type_name()))
            .help(format!("write {expected}")),
        );
    }

    /// The attribute `name` converted by `convert`, or a wrong-type diagnostic naming
    /// `expected`.
    fn typed<T>(
        &mut self,
        contents: &BlockContents<'_>,
        name: &str,
        expected: &str,
        convert: impl FnOnce(Value) -> Option<T>,
    ) -> Option<Spanned<T>> {
        let value = self.eval(contents.attribute(name))?;
        let (span, literal) = (value.span, value.literal);
        match convert(value.value.clone()) {
            Some(converted) => Some(Spanned::new(converted, span, literal)),
            None => {
                self.wrong_type(&value, name, expected);
                None
            }
        }
    }

    fn string(&mut self, contents: &BlockContents<'_>, name: &str) -> Option<Spanned<String>> {
        self.typed(contents, name, "a string", |v| match v {
            Value::String(s) => Some(s),
            _ => None,
        })
    }

    /// A secret; one trailing newline is dropped (a secret never ends with one, but a file
    /// saved by an editor does).
    fn secret(&mut self, contents: &BlockContents<'_>, name: &str) -> Option<Spanned<Secret>> {
        if let (Some(attribute), Some(sensitive)) = (contents.attribute(name), SENSITIVE.iter().find(|s| **s == name)) {
            for variable in variable_uses(&attribute.value) {
                self.sensitive_uses.entry(variable).or_insert(sensitive);
            }
        }
        self.string(contents, name).map(|s| {
            s.map(|mut text| {
                if text.ends_with('\n') {
                    text.pop();
                    if text.ends_with('\r') {
                        text.pop();
                    }
                }
                Secret::new(text)
            })
        })
    }

    fn bool(&mut self, contents: &BlockContents<'_>, name: &str) -> Option<Spanned<bool>> {
        self.typed(contents, name, "`true` or `false`", |v| match v {
            Value::Bool(b) => Some(b),
            _ => None,
        })
    }

    fn integer(&mut self, contents: &BlockContents<'_>, name: &str) -> Option<Spanned<i64>> {
        self.typed(contents, name, "a whole number", |v| match v {
            // Exact: the guard keeps the value integral and within i64's exact range.
            #[allow(clippy::cast_possible_truncation)]
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Some(n as i64),
            _ => None,
        })
    }

    fn string_list(&mut self, contents: &BlockContents<'_>, name: &str) -> Option<Vec<Spanned<String>>> {
        let value = self.eval(contents.attribute(name))?;
        let Value::List(items) = value.value else {
            self.wrong_type(&value, name, "a list of strings");
            return None;
        };
        let mut strings = Vec::new();
        for item in items {
            match item.value {
                Value::String(s) => strings.push(Spanned::new(s, item.span, item.literal)),
                Value::Unknown => {}
                _ => self.wrong_type(&item, name, "a list of strings"),
            }
        }
        Some(strings)
    }

    fn string_map(&mut self, contents: &BlockContents<'_>, name: &str) -> Vec<(Spanned<String>, Spanned<String>)> {
        let Some(value) = self.eval(contents.attribute(name)) else {
            return Vec::new();
        };
        let Value::Map(entries) = value.value else {
            self.wrong_type(&value, name, "a map of strings");
            return Vec::new();
        };
        let mut pairs = Vec::with_capacity(entries.len());
        for (key, item) in entries {
            match item.value {
                Value::String(s) => pairs.push((key, Spanned::new(s, item.span, item.literal))),
                Value::Unknown => {}
                _ => self.wrong_type(&item, name, "a map of strings"),
            }
        }
        pairs
    }

    fn connection_ref(&mut self, contents: &BlockContents<'_>) -> Option<Spanned<String>> {
        let value = self.eval(contents.attribute("connection"))?;
        match value.value {
            Value::Connection(name) => Some(Spanned::new(name, value.span, false)),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::SchemaWrongType,
                        format!("`connection` must be a reference, found {}", value.value.type_name()),
                    )
                    .at(value.span, "not a reference")
                    .help("write `connection = connection.<name>`"),
                );
                None
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        contents: &BlockContents<'_>,
        name: &str,
        choices: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        let value = self.string(contents, name)?;
        if let Some((_, choice)) = choices.iter().find(|(spelling, _)| *spelling == value.value) {
            return Some(Spanned::new(*choice, value.span, value.literal));
        }
        let list = choices
            .iter()
            .map(|(s, _)| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.diagnostics.push(
            Diagnostic::new(
                Code::SchemaInvalidValue,
                format!("`{}` is not a valid `{name}`", value.value),
            )
            .at(value.span, "not allowed")
            .suggest(did_you_mean(&value.value, choices.iter().map(|(s, _)| *s)))
            .help(format!("`{name}` is one of {list}")),
        );
        None
    }

    fn time(&mut self, contents: &BlockContents<'_>, name: &str) -> Option<Spanned<TimeSpec>> {
        let value = self.string(contents, name)?;
        match TimeSpec::parse(&value.value) {
            Ok(spec) => Some(Spanned::new(spec, value.span, value.literal)),
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::new(Code::LogQueryInvalidTime, format!("`{name}`: {error}"))
                        .at(value.span, "not a time")
                        .help("write a duration from now such as `-24h` or `-7d`, or an RFC 3339 time such as `2026-11-01T00:00:00Z`"),
                );
                None
            }
        }
    }

    fn connection(&mut self, name: Spanned<String>, contents: &BlockContents<'_>) -> RawConnection {
        let connectors: Vec<(&str, &str)> = catalog::connectors().into_iter().map(|c| (c, c)).collect();
        let management = contents.blocks.iter().find(|b| b.ident.as_str() == "management");
        let extra = contents
            .blocks
            .iter()
            .filter(|b| b.ident.as_str() == "management")
            .nth(1);
        if let (Some(first), Some(second)) = (management, extra) {
            self.diagnostics.push(
                Diagnostic::new(Code::SchemaDuplicateBlock, "a second `management` block")
                    .at(reader::header_span(self.evaluator.origin, second), "defined again here")
                    .also(reader::header_span(self.evaluator.origin, first), "first defined here")
                    .help("a connection has one `management` block"),
            );
        }
        let management = management.and_then(|block| self.management(block));
        let mut credential_spans: Vec<Span> = contents
            .attribute("client_secret")
            .map(|a| reader::span_of(self.evaluator.origin, &a.value))
            .into_iter()
            .collect();
        credential_spans.extend(
            contents
                .blocks
                .iter()
                .filter(|b| b.ident.as_str() == "management")
                .map(|b| reader::span_of(self.evaluator.origin, *b)),
        );
        RawConnection {
            credential_spans,
            header: contents.header,
            domain: self.string(contents, "domain"),
            client_id: self.string(contents, "client_id"),
            client_secret: self.secret(contents, "client_secret"),
            service_account: self.string(contents, "service_account"),
            connector: self
                .choice(contents, "connector", &connectors)
                .map(|c| c.map(str::to_owned)),
            scope_policy: self.choice(
                contents,
                "scope_policy",
                &[("exact", ScopePolicy::Exact), ("additive", ScopePolicy::Additive)],
            ),
            endpoint: self.string(contents, "endpoint"),
            nickname: self.string(contents, "nickname"),
            retired: self.bool(contents, "retired"),
            management,
            name,
        }
    }

    fn management(&mut self, block: &Block) -> Option<RawManagement> {
        let origin = self.evaluator.origin;
        let contents = reader::read(origin, block, &MANAGEMENT, self.diagnostics)?;
        let oauth = contents
            .blocks
            .first()
            .and_then(|block| reader::read(origin, block, &OAUTH, self.diagnostics))
            .map(|oauth| RawOauth {
                header: oauth.header,
                client_id: self.string(&oauth, "client_id"),
                private_key: self.secret(&oauth, "private_key"),
                key_id: self.string(&oauth, "key_id"),
                scopes: self.string_list(&oauth, "scopes"),
            });
        Some(RawManagement {
            header: contents.header,
            api_token: self.secret(&contents, "api_token"),
            api_token_env: contents
                .attribute("api_token")
                .map(|a| env_uses(&a.value))
                .unwrap_or_default(),
            oauth,
        })
    }

    fn scopes(&mut self, name: Spanned<String>, contents: &BlockContents<'_>) -> RawScopes {
        RawScopes {
            header: contents.header,
            connection: self.connection_ref(contents),
            reason: self.string(contents, "reason"),
            grant: self.string_list(contents, "grant").unwrap_or_default(),
            grant_span: contents
                .attribute("grant")
                .map(|a| reader::span_of(self.evaluator.origin, &a.value)),
            accept_unknown: self.string_list(contents, "accept_unknown").unwrap_or_default(),
            name,
        }
    }

    fn log_query(&mut self, name: Spanned<String>, contents: &BlockContents<'_>) -> RawLogQuery {
        let options = RawQueryOptions {
            since: self.time(contents, "since"),
            until: self.time(contents, "until"),
            order: self.choice(
                contents,
                "order",
                &[
                    ("ASCENDING", SortOrder::Ascending),
                    ("DESCENDING", SortOrder::Descending),
                ],
            ),
            records: self.choice(contents, "records", &[("first", Records::First), ("all", Records::All)]),
            limit: self.integer(contents, "limit"),
            expect: self.choice(
                contents,
                "expect",
                &[("empty", Expectation::Empty), ("nonempty", Expectation::Nonempty)],
            ),
            exclude_own: self.bool(contents, "exclude_own"),
        };
        RawLogQuery {
            header: contents.header,
            connection: self.connection_ref(contents),
            keyword: self.string(contents, "keyword"),
            matches: self.string_map(contents, "match"),
            filter: self.string(contents, "filter"),
            options: (!options.is_empty()).then(|| Box::new(options)),
            name,
        }
    }

    fn safety(&mut self, contents: &BlockContents<'_>) -> RawSafety {
        RawSafety {
            header: contents.header,
            max_revoke_percent: self.integer(contents, "max_revoke_percent"),
            min_grants: self.integer(contents, "min_grants"),
        }
    }
}

/// The top-level block names, as a hint lists them: "`variable`, ... or `safety`".
fn block_names() -> String {
    let names: Vec<String> = TOP_LEVEL.iter().map(|s| format!("`{}`", s.name)).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
