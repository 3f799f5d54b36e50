//! The config language's blocks and attributes: what the reader accepts, and their type,
//! default, meaning and an example. `docs/config.md` and `schemas/config.schema.json` are
//! generated from these tables ([`reference_markdown`], [`json_schema`]), and a test keeps
//! the committed files current.

use serde_json::{Map, Value, json};
use std::fmt::Write as _;

/// The value an attribute takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    String,
    /// A secret string: `env("NAME")` or `file("path")`, never shown.
    Secret,
    Bool,
    Integer,
    StringList,
    /// A map of string keys to string values (`{ eventType = "..." }`).
    StringMap,
    /// `connection.<name>`.
    ConnectionRef,
    /// One of the listed words.
    Choice(&'static [&'static str]),
    /// An RFC 3339 time, or a duration back from now (`-24h`, `-7d`).
    Time,
    /// Any value (a variable's default).
    Any,
}

impl Kind {
    fn describe(self) -> String {
        match self {
            Kind::String => "string".to_owned(),
            Kind::Secret => "secret string".to_owned(),
            Kind::Bool => "bool".to_owned(),
            Kind::Integer => "number (integer)".to_owned(),
            Kind::StringList => "list of strings".to_owned(),
            Kind::StringMap => "map of strings".to_owned(),
            Kind::ConnectionRef => "reference `connection.<name>`".to_owned(),
            Kind::Choice(words) => {
                let quoted: Vec<String> = words.iter().map(|w| format!("`\"{w}\"`")).collect();
                format!("one of {}", quoted.join(", "))
            }
            Kind::Time => "time (RFC 3339) or duration (`-24h`)".to_owned(),
            Kind::Any => "any".to_owned(),
        }
    }

    fn schema(self) -> Value {
        match self {
            Kind::String | Kind::Secret | Kind::Time => json!({"type": "string"}),
            Kind::ConnectionRef => {
                json!({"type": "string", "pattern": "^(\\$\\{)?connection\\.[A-Za-z_][A-Za-z0-9_-]*\\}?$"})
            }
            Kind::Bool => json!({"type": "boolean"}),
            Kind::Integer => json!({"type": "integer"}),
            Kind::StringList => json!({"type": "array", "items": {"type": "string"}}),
            Kind::StringMap => json!({"type": "object", "additionalProperties": {"type": "string"}}),
            Kind::Choice(words) => json!({"type": "string", "enum": words}),
            Kind::Any => json!({}),
        }
    }
}

/// One attribute of a block.
#[derive(Debug)]
pub struct AttributeSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The value when absent, in words; empty when there is none.
    pub default: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
}

/// The shape of a block type.
#[derive(Debug)]
pub struct BlockSpec {
    pub name: &'static str,
    /// Number of labels: 1 (named blocks) or 0.
    pub labels: usize,
    pub attributes: &'static [AttributeSpec],
    pub blocks: &'static [&'static str],
    pub doc: &'static str,
    pub example: &'static str,
}

impl BlockSpec {
    pub fn attribute_names(&self) -> Vec<&'static str> {
        self.attributes.iter().map(|a| a.name).collect()
    }

    pub fn attribute(&self, name: &str) -> Option<&AttributeSpec> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn required(&self) -> impl Iterator<Item = &'static str> {
        self.attributes.iter().filter(|a| a.required).map(|a| a.name)
    }
}

const fn attribute(name: &'static str, kind: Kind, doc: &'static str, example: &'static str) -> AttributeSpec {
    AttributeSpec {
        name,
        kind,
        required: false,
        default: "",
        doc,
        example,
    }
}

const fn required(name: &'static str, kind: Kind, doc: &'static str, example: &'static str) -> AttributeSpec {
    AttributeSpec {
        name,
        kind,
        required: true,
        default: "",
        doc,
        example,
    }
}

const fn defaulted(
    name: &'static str,
    kind: Kind,
    default: &'static str,
    doc: &'static str,
    example: &'static str,
) -> AttributeSpec {
    AttributeSpec {
        name,
        kind,
        required: false,
        default,
        doc,
        example,
    }
}

/// The blocks a file may hold, in the order diagnostics list them.
pub const TOP_LEVEL: &[&BlockSpec] = &[&VARIABLE, &CONNECTION, &SCOPES, &LOG_QUERY, &FLOWS, &SAFETY];

pub const VARIABLE: BlockSpec = BlockSpec {
    name: "variable",
    labels: 1,
    attributes: &[
        attribute(
            "default",
            Kind::Any,
            "The value when no `--var`, `--var-file` or `OKTAFORM_VAR_<name>` sets one; without it the variable must be set.",
            r#"default = "acme.okta.com""#,
        ),
        attribute(
            "description",
            Kind::String,
            "What the variable is for, for people.",
            r#"description = "The org's domain""#,
        ),
        defaulted(
            "sensitive",
            Kind::Bool,
            "false",
            "The value is a secret: never shown, and recorded in a plan file only as a fingerprint.",
            "sensitive = true",
        ),
    ],
    blocks: &[],
    doc: "An input of the config, used as `var.<name>`.",
    example: "variable \"prod_domain\" {\n  default = \"acme.okta.com\"\n}",
};

pub const CONNECTION: BlockSpec = BlockSpec {
    name: "connection",
    labels: 1,
    attributes: &[
        required(
            "domain",
            Kind::String,
            "The org's domain, without scheme or path.",
            r#"domain = "acme.okta.com""#,
        ),
        required(
            "client_id",
            Kind::String,
            "The client ID of the Okta Workflows OAuth app (its Sign On tab), or of an OIDC app that connects Workflows to another org. Connections with the same domain and client ID share the app and its grants.",
            r#"client_id = "0oa1wf0example""#,
        ),
        attribute(
            "client_secret",
            Kind::Secret,
            "The app's client secret; when set, plan checks it against the app's active secrets without showing either.",
            r#"client_secret = env("WORKFLOWS_CLIENT_SECRET")"#,
        ),
        required(
            "service_account",
            Kind::String,
            "The login of the super admin that authorizes the connection; plan assigns it to the app and makes it a super admin when needed.",
            r#"service_account = "svc-workflows@acme.com""#,
        ),
        defaulted(
            "connector",
            Kind::String,
            r#""okta""#,
            "The Workflows connector whose automatically granted scopes apply to the app.",
            r#"connector = "okta""#,
        ),
        defaulted(
            "scope_policy",
            Kind::Choice(&["exact", "additive"]),
            r#""exact""#,
            "`exact`: grants no `scopes` block declares are revoked (never the automatic ones); `additive`: they are listed as unmanaged and kept. Connections sharing an app must agree.",
            r#"scope_policy = "additive""#,
        ),
        defaulted(
            "endpoint",
            Kind::String,
            r#""https://<domain>""#,
            "Where the org's API is reached (a proxy, say); plain http only to the loopback. `--endpoint` overrides it.",
            r#"endpoint = "https://okta-proxy.acme.internal""#,
        ),
        attribute(
            "nickname",
            Kind::String,
            "The connection's Connection Nickname in the Workflows Console: drift recognises the connection's reauthorization by it (Okta's `workflows.user.connection.reauthorize` events name it). Without it, by the service account.",
            r#"nickname = "Okta prod""#,
        ),
        defaulted(
            "retired",
            Kind::Bool,
            "false",
            "The connection is being removed: its grants beyond the automatic ones are revoked, its service account unassigned and, when no other connection of the org uses that account, its SUPER_ADMIN role removed (safety rule `retire`).",
            "retired = true",
        ),
    ],
    blocks: &["management"],
    doc: "A Workflows connection to an org: the app it uses and the super admin that authorizes it.",
    example: "connection \"prod\" {\n  domain          = \"acme.okta.com\"\n  client_id       = \"0oa1wf0example\"\n  service_account = \"svc-workflows@acme.com\"\n}",
};

pub const MANAGEMENT: BlockSpec = BlockSpec {
    name: "management",
    labels: 0,
    attributes: &[attribute(
        "api_token",
        Kind::Secret,
        "An API token of a super admin (sent as `SSWS`).",
        r#"api_token = env("OKTA_API_TOKEN")"#,
    )],
    blocks: &["oauth"],
    doc: "Inside `connection`: oktaform's own credentials for the connection's org (first found wins over the environment). One of `api_token` or `oauth`.",
    example: "management {\n  api_token = env(\"PROD_OKTA_API_TOKEN\")\n}",
};

pub const OAUTH: BlockSpec = BlockSpec {
    name: "oauth",
    labels: 0,
    attributes: &[
        required(
            "client_id",
            Kind::String,
            "The client ID of the API Services app.",
            r#"client_id = "0oa1ci""#,
        ),
        required(
            "private_key",
            Kind::Secret,
            "The app's private key, PEM (PKCS#1 or PKCS#8) or a JWK, RSA or EC P-256; signs the `private_key_jwt` assertion.",
            r#"private_key = env("OKTAFORM_PRIVATE_KEY")"#,
        ),
        attribute(
            "key_id",
            Kind::String,
            "The `kid` of the key's public half in the app's JWKS.",
            r#"key_id = "ci-key-1""#,
        ),
        defaulted(
            "scopes",
            Kind::StringList,
            "what each command needs",
            "The Okta API scopes to ask for; without it, each command asks for exactly what it needs.",
            r#"scopes = ["okta.apps.read", "okta.appGrants.manage"]"#,
        ),
    ],
    blocks: &[],
    doc: "Inside `management`: an OAuth service app (`private_key_jwt`, with DPoP when the app requires it).",
    example: "oauth {\n  client_id   = \"0oa1ci\"\n  private_key = env(\"OKTAFORM_PRIVATE_KEY\")\n  key_id      = \"ci-key-1\"\n}",
};

pub const SCOPES: BlockSpec = BlockSpec {
    name: "scopes",
    labels: 1,
    attributes: &[
        required(
            "connection",
            Kind::ConnectionRef,
            "The connection whose app gets the grants.",
            "connection = connection.prod",
        ),
        attribute(
            "reason",
            Kind::String,
            "Why the flows need these scopes, shown in the plan.",
            r#"reason = "Joiner/mover/leaver flows manage users""#,
        ),
        required(
            "grant",
            Kind::StringList,
            "Okta API scopes to grant to the app. Automatic scopes are never declared; a misspelling is an error.",
            r#"grant = ["okta.users.manage", "okta.groups.manage"]"#,
        ),
        attribute(
            "accept_unknown",
            Kind::StringList,
            "Scopes of `grant` that are not in oktaform's catalog (added by Okta recently), accepted as written.",
            r#"accept_unknown = ["okta.brandNewThing.read"]"#,
        ),
    ],
    blocks: &[],
    doc: "Scopes a connection's app should be granted, with the reason.",
    example: "scopes \"lifecycle\" {\n  connection = connection.prod\n  reason     = \"Joiner/mover/leaver flows\"\n  grant      = [\"okta.users.manage\"]\n}",
};

pub const LOG_QUERY: BlockSpec = BlockSpec {
    name: "log_query",
    labels: 1,
    attributes: &[
        required(
            "connection",
            Kind::ConnectionRef,
            "The connection whose org's System Log is searched.",
            "connection = connection.prod",
        ),
        attribute(
            "keyword",
            Kind::String,
            "Words all of which an event must contain (the card's Keyword; the API's `q`): at most 10, each at most 40 characters.",
            r#"keyword = "admin""#,
        ),
        attribute(
            "match",
            Kind::StringMap,
            "Fields that must equal values (the card's event fields), joined with `and`.",
            r#"match = { eventType = "user.session.start" }"#,
        ),
        attribute(
            "filter",
            Kind::String,
            "A System Log filter expression (the card's Custom Filter), checked offline.",
            r#"filter = "client.geographicalContext.country ne \"US\"""#,
        ),
        attribute("since", Kind::Time, "The start of the search.", r#"since = "-24h""#),
        attribute(
            "until",
            Kind::Time,
            "The end of the search (a bounded query).",
            r#"until = "2026-11-01T00:00:00Z""#,
        ),
        defaulted(
            "order",
            Kind::Choice(&["ASCENDING", "DESCENDING"]),
            r#""ASCENDING""#,
            "The order of events (the API's `sortOrder`).",
            r#"order = "DESCENDING""#,
        ),
        defaulted(
            "records",
            Kind::Choice(&["first", "all"]),
            r#""first""#,
            "`first`: the first page, as the card returns it; `all`: every page.",
            r#"records = "all""#,
        ),
        defaulted(
            "limit",
            Kind::Integer,
            "100",
            "Events per page, 1 to 1000.",
            "limit = 500",
        ),
        attribute(
            "expect",
            Kind::Choice(&["empty", "nonempty"]),
            "An assertion `drift` checks: the query finds no event, or at least one.",
            r#"expect = "empty""#,
        ),
        defaulted(
            "exclude_own",
            Kind::Bool,
            "true",
            "For `expect`: events oktaform made itself (its User-Agent, as the identity it acts as) do not count, so that an apply does not fail the assertion.",
            "exclude_own = false",
        ),
    ],
    blocks: &[],
    doc: "A System Log search, as the Workflows \"Search System Log\" card takes it; run by `query`, checked by `drift`.",
    example: "log_query \"failed_admin_logins\" {\n  connection = connection.prod\n  keyword    = \"admin\"\n  match      = { eventType = \"user.session.start\" }\n  since      = \"-24h\"\n}",
};

pub const FLOWS: BlockSpec = BlockSpec {
    name: "flows",
    labels: 1,
    attributes: &[
        required(
            "connection",
            Kind::ConnectionRef,
            "The connection the flows of the export run with.",
            "connection = connection.prod",
        ),
        required(
            "export",
            Kind::String,
            "A Workflows export: a `.flopack` file or a folder's JSON export, or a glob of them (`flows/*.flopack`), relative to this file.",
            r#"export = "flows/onboarding.flopack""#,
        ),
        attribute(
            "export_connection",
            Kind::String,
            "The connection's name (nickname) in the export, when the export holds several Okta connections (default: every Okta connection in it).",
            r#"export_connection = "HR org""#,
        ),
    ],
    blocks: &[],
    doc: "Ties Workflows exports to a connection: `validate` checks that the connection's app is granted every scope the flows' Okta cards need.",
    example: "flows \"onboarding\" {\n  connection = connection.prod\n  export     = \"flows/onboarding.flopack\"\n}",
};

pub const SAFETY: BlockSpec = BlockSpec {
    name: "safety",
    labels: 0,
    attributes: &[
        defaulted(
            "max_revoke_percent",
            Kind::Integer,
            "30",
            "Revoking more than this share of an app's grants needs `--force=mass_revoke`.",
            "max_revoke_percent = 20",
        ),
        defaulted(
            "min_grants",
            Kind::Integer,
            "10",
            "The percentage rule applies to apps with at least this many grants; revoking every grant always needs the force.",
            "min_grants = 5",
        ),
    ],
    blocks: &[],
    doc: "Thresholds of the `mass_revoke` safety rule.",
    example: "safety {\n  max_revoke_percent = 20\n}",
};

/// Every block type, top-level ones first, then nested ones.
pub fn all_blocks() -> [&'static BlockSpec; 8] {
    [
        &CONNECTION,
        &MANAGEMENT,
        &OAUTH,
        &SCOPES,
        &LOG_QUERY,
        &FLOWS,
        &SAFETY,
        &VARIABLE,
    ]
}

/// `docs/config.md`.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Configuration reference\n\n<!-- Generated from src/config/spec.rs by `cargo test`; edit the tables there. -->\n\n\
         A config is every `.hcl` file of a directory. Values may use `var.<name>`, `env(\"NAME\")`, \
         `env(\"NAME\", \"default\")` and `file(\"path\")` (relative to the file that calls it). Secret attributes should come from \
         `env()` or `file()`; one final newline of a secret's value is dropped, as a file saved by an editor ends with one. \
         `validate` runs offline: an unset `env()` variable, or a missing `file()` outside the config's directory (a secret \
         mounted where `plan` runs), is not checked and is named in its output; a missing file inside the directory is an error.\n",
    );
    for block in all_blocks() {
        let header = if block.labels == 1 {
            format!("{} \"<name>\"", block.name)
        } else {
            block.name.to_owned()
        };
        let _ = write!(
            out,
            "\n## `{header}`\n\n{}\n\n```hcl\n{}\n```\n",
            block.doc, block.example
        );
        if !block.blocks.is_empty() {
            let nested: Vec<String> = block.blocks.iter().map(|b| format!("`{b}`")).collect();
            let _ = write!(out, "\nNested blocks: {}.\n", nested.join(", "));
        }
        out.push_str("\n| attribute | type | required | default | meaning | example |\n|---|---|---|---|---|---|\n");
        for a in block.attributes {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | `{}` |",
                a.name,
                a.kind.describe(),
                if a.required { "yes" } else { "no" },
                if a.default.is_empty() {
                    "—".to_owned()
                } else {
                    a.default.to_owned()
                },
                a.doc,
                a.example.replace('|', "\\|"),
            );
        }
    }
    out
}

fn block_schema(block: &BlockSpec) -> Value {
    let mut properties = Map::new();
    for a in block.attributes {
        let mut schema = a.kind.schema();
        if let Value::Object(map) = &mut schema {
            map.insert("description".to_owned(), Value::from(a.doc));
        }
        properties.insert(a.name.to_owned(), schema);
    }
    for nested in block.blocks {
        if let Some(spec) = all_blocks().into_iter().find(|b| b.name == *nested) {
            properties.insert((*nested).to_owned(), one_or_many(&block_schema(spec)));
        }
    }
    let required: Vec<&str> = block.required().collect();
    json!({
        "type": "object",
        "description": block.doc,
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// HCL-to-JSON converters write a block as an object or as a list of objects.
fn one_or_many(schema: &Value) -> Value {
    json!({"oneOf": [schema, {"type": "array", "items": schema}]})
}

/// `schemas/config.schema.json`: a config converted from HCL to JSON (blocks by type, then
/// by label).
pub fn json_schema() -> Value {
    let mut properties = Map::new();
    for block in TOP_LEVEL {
        let body = one_or_many(&block_schema(block));
        let schema = if block.labels == 1 {
            json!({"type": "object", "additionalProperties": body})
        } else {
            body
        };
        properties.insert(block.name.to_owned(), schema);
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://oktaform.dev/schemas/config.schema.json",
        "title": "oktaform configuration (HCL converted to JSON)",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The attributes whose values are secrets (of kind [`Kind::Secret`]), in every block: their
/// literal values are masked wherever config text is shown.
pub fn secret_attributes() -> &'static [&'static str] {
    static NAMES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut names: Vec<&'static str> = all_blocks()
            .iter()
            .flat_map(|block| block.attributes)
            .filter(|attribute| attribute.kind == Kind::Secret)
            .map(|attribute| attribute.name)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    });
    &NAMES
}

#[cfg(test)]
mod secret_tests {
    #[test]
    fn the_secret_attributes_are_those_of_kind_secret() {
        assert_eq!(
            super::secret_attributes(),
            ["api_token", "client_secret", "private_key"]
        );
    }
}
