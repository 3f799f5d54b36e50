//! Every diagnostic code, its severity and the long explanation `oktaform explain` shows.
//!
//! Codes are stable: tools match on them. Add new ones; never rename or reuse one.

use super::Severity;

macro_rules! codes {
    ($( $variant:ident = $name:literal, $severity:ident, $phase:ident,
        what: $what:literal, why: $why:literal, example: $example:literal; )*) => {
        /// A stable diagnostic code, shown as `oktaform::<area>::<name>`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The full code, e.g. `oktaform::scope::unknown`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => concat!("oktaform::", $name), )* }
            }

            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// Whether `validate` can report this code: it needs no org, and no environment
            /// (offline, an unset `env()` or a variable without a value is an unknown value).
            pub fn is_offline(self) -> bool {
                match self { $( Code::$variant => Phase::$phase == Phase::Offline, )* }
            }

            /// What the code checks.
            pub fn what(self) -> &'static str {
                match self { $( Code::$variant => $what, )* }
            }

            /// Why it matters.
            pub fn why(self) -> &'static str {
                match self { $( Code::$variant => $why, )* }
            }

            /// A config that triggers it.
            pub fn example(self) -> &'static str {
                match self { $( Code::$variant => $example, )* }
            }
        }
    };
}

/// When a code can be reported: by `validate` alone, or only by a command that reads the
/// environment or an org.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Offline,
    Online,
}

impl Code {
    /// The area, e.g. `scope` of `oktaform::scope::unknown`.
    pub fn area(self) -> &'static str {
        self.as_str().split("::").nth(1).unwrap_or_default()
    }

    /// The code named `name`, with or without the `oktaform::` prefix.
    pub fn from_name(name: &str) -> Option<Code> {
        let full = if name.starts_with("oktaform::") {
            name.to_owned()
        } else {
            format!("oktaform::{name}")
        };
        Code::ALL.iter().copied().find(|code| code.as_str() == full)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    ConfigUnreadable = "config::unreadable", Error, Offline,
        what: "A config file or directory could not be read.",
        why: "oktaform reads every `*.hcl` file of the config directory; a file it cannot read would silently change the desired state.",
        example: "oktaform validate ./does-not-exist";
    ConfigNoFiles = "config::no_files", Error, Offline,
        what: "The config directory holds no `*.hcl` file.",
        why: "An empty config would declare that nothing is wanted, which `apply` would turn into revoking every grant.",
        example: "oktaform validate ./empty-directory";
    ConfigNoConnections = "config::no_connections", Warning, Offline,
        what: "The config declares no `connection` block.",
        why: "Without a connection there is nothing to plan or apply; a config that only holds `scopes` or `log_query` blocks has lost its connections, or is the wrong directory.",
        example: "# a directory with only scopes.hcl";
    SyntaxInvalid = "syntax::invalid", Error, Offline,
        what: "The file is not valid HCL.",
        why: "Nothing in a file that does not parse can be checked or applied.",
        example: "connection \"prod\" {\n  domain = \n}";
    SyntaxUnclosedBlock = "syntax::unclosed_block", Error, Offline,
        what: "A block opened with `{` is not closed before the end of the file.",
        why: "Everything after the opening brace would belong to the block; the report points at the block left open, not at the end of the file.",
        example: "connection \"prod\" {\n  domain = \"acme.okta.com\"\n# no closing brace";
    SyntaxMissingEquals = "syntax::missing_equals", Error, Offline,
        what: "An attribute is followed by its value without `=`.",
        why: "Without `=` the parser reads `domain \"x\"` as the header of a block named `domain` and asks for `{`.",
        example: "connection \"prod\" {\n  domain \"acme.okta.com\"\n}";
    SyntaxUnterminatedString = "syntax::unterminated_string", Error, Offline,
        what: "A string is not closed on the line where it opens.",
        why: "HCL strings end on their line; the parser notices only on a later line. The report points at the opening quote.",
        example: "connection \"prod\" {\n  domain = \"acme.okta.com\n}";
    SchemaUnknownBlock = "schema::unknown_block", Error, Offline,
        what: "A block type that oktaform does not know: only `variable`, `connection`, `scopes`, `log_query` and `safety` exist at the top level, and `management` (with `oauth`) inside `connection`.",
        why: "A misspelt block would be ignored, and what it declares would never be applied.",
        example: "scope \"hr\" {\n  connection = connection.prod\n  grant      = [\"okta.users.read\"]\n}";
    SchemaUnknownAttribute = "schema::unknown_attribute", Error, Offline,
        what: "An attribute that the block does not have.",
        why: "A misspelt attribute would be ignored and its default used instead, which is rarely what was meant.",
        example: "connection \"prod\" {\n  domian = \"acme.okta.com\"\n}";
    SchemaMissingAttribute = "schema::missing_attribute", Error, Offline,
        what: "A required attribute is missing from a block.",
        why: "oktaform cannot find the app, the account or the connection without it.",
        example: "connection \"prod\" {\n  domain = \"acme.okta.com\"\n}";
    SchemaWrongType = "schema::wrong_type", Error, Offline,
        what: "An attribute has a value of the wrong type, such as a number where a string is expected.",
        why: "oktaform never converts types behind your back: `limit = \"100\"` is as likely a mistake as a wish.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  limit      = \"100\"\n}";
    SchemaDuplicateBlock = "schema::duplicate_block", Error, Offline,
        what: "Two blocks of the same type have the same name (or a second `safety` block).",
        why: "Names are the identity of everything oktaform plans; two blocks with one name cannot both be meant.",
        example: "connection \"prod\" { ... }\nconnection \"prod\" { ... }";
    SchemaBadReference = "schema::bad_reference", Error, Offline,
        what: "A reference to a connection that is not declared, or a reference of an unknown kind.",
        why: "The block would belong to no connection, so nothing it declares could be planned.",
        example: "scopes \"hr\" {\n  connection = connection.prd\n  grant      = [\"okta.users.read\"]\n}";
    SchemaBlockLabels = "schema::block_labels", Error, Offline,
        what: "A block has the wrong number of labels: `connection`, `scopes`, `log_query` and `variable` take one name, `safety` and `management` none.",
        why: "The label is the block's name and identity.",
        example: "connection {\n  domain = \"acme.okta.com\"\n}";
    SchemaInvalidValue = "schema::invalid_value", Error, Offline,
        what: "An attribute has a value outside the allowed set, such as `scope_policy = \"strict\"`.",
        why: "These values select behaviour; a value oktaform does not know has no behaviour.",
        example: "connection \"prod\" {\n  scope_policy = \"strict\"\n}";
    SchemaUnsupportedExpression = "schema::unsupported_expression", Error, Offline,
        what: "An expression oktaform does not evaluate: conditionals, `for` expressions, operators and template directives.",
        why: "The config is meant to be read in review; values are literals, variables, references and the functions `env` and `file`.",
        example: "connection \"prod\" {\n  domain = var.prod ? \"a.okta.com\" : \"b.okta.com\"\n}";
    SchemaUnknownFunction = "schema::unknown_function", Error, Offline,
        what: "A call to a function other than `env(name[, default])` and `file(path)`, or with the wrong arguments.",
        why: "Only these two functions exist; anything else cannot be evaluated.",
        example: "connection \"prod\" {\n  client_secret = getenv(\"SECRET\")\n}";
    VariableUndefined = "variable::undefined", Error, Offline,
        what: "A `var.<name>` reference to a variable that no `variable` block declares.",
        why: "Undeclared variables are usually typos.",
        example: "variable \"domain\" {}\nconnection \"prod\" {\n  domain = var.domian\n}";
    VariableNoValue = "variable::no_value", Error, Online,
        what: "A variable that is used has no value: no default, no `--var`, no `--var-file` entry and no `OKTAFORM_VAR_<name>`.",
        why: "Values come, in order of precedence, from `--var name=value`, `--var-file FILE`, the environment variable `OKTAFORM_VAR_<name>`, then the block's `default`.",
        example: "variable \"domain\" {}\nconnection \"prod\" {\n  domain = var.domain\n}";
    VariableUnsetEnv = "variable::unset_env", Error, Online,
        what: "`env(name)` names an environment variable that is not set, and gives no default.",
        why: "An empty value in its place would be a different config. Give a default with `env(name, default)` when one makes sense.",
        example: "connection \"prod\" {\n  client_secret = env(\"WORKFLOWS_CLIENT_SECRET\")\n}";
    VariableUndeclared = "variable::undeclared", Error, Offline,
        what: "`--var` or a `--var-file` sets a variable that no `variable` block declares.",
        why: "A misspelled name would be ignored and the variable's default (often production) used instead.",
        example: "oktaform plan --var prod_domian=acme.oktapreview.com";
    VariableUndeclaredEnv = "variable::undeclared_env", Warning, Offline,
        what: "An `OKTAFORM_VAR_<name>` environment variable names no declared variable.",
        why: "A misspelled name is ignored and the variable's default (often production) used instead; the environment may also hold variables of another config, so this is a warning.",
        example: "OKTAFORM_VAR_prod_domian=acme.oktapreview.com oktaform plan";
    VariableUnreadableFile = "variable::unreadable_file", Error, Offline,
        what: "`file(path)` names a file that cannot be read. Paths are relative to the file that calls `file`.",
        why: "The attribute would have no value.",
        example: "connection \"prod\" {\n  management {\n    oauth {\n      private_key = file(\"missing.pem\")\n    }\n  }\n}";
    ConnectionEmptyValue = "connection::empty_value", Error, Offline,
        what: "`client_id` or `service_account` is empty, written so or from an empty environment variable.",
        why: "No app or user has an empty name; the plan could not be made.",
        example: "connection \"prod\" {\n  client_id = \"\"\n}";
    ConnectionLoginWhitespace = "connection::login_whitespace", Error, Offline,
        what: "The `service_account` login holds whitespace.",
        why: "Okta logins have none, so no user would be found (usually a stray space from copying).",
        example: "connection \"prod\" {\n  service_account = \"svc workflows@acme.com\"\n}";
    ConnectionNoScopes = "connection::no_scopes", Warning, Offline,
        what: "No `scopes` block declares grants for an app whose policy is `exact`.",
        why: "Under `exact` every non-default grant of the app would be revoked: usually a forgotten or misplaced file. The plan marks it `mass_revoke`.",
        example: "connection \"prod\" {\n  # ... and no scopes block with connection = connection.prod\n}";
    ConnectionDomainScheme = "connection::domain_scheme", Error, Offline,
        what: "The domain starts with a scheme such as `https://`.",
        why: "The Okta connector asks for the bare domain; the scheme belongs to `endpoint`.",
        example: "connection \"prod\" {\n  domain = \"https://acme.okta.com\"\n}";
    ConnectionDomainPath = "connection::domain_path", Error, Offline,
        what: "The domain holds a path, query or fragment.",
        why: "A domain is a host name only; an org is reached at its root.",
        example: "connection \"prod\" {\n  domain = \"acme.okta.com/admin\"\n}";
    ConnectionDomainPort = "connection::domain_port", Error, Offline,
        what: "The domain holds a port.",
        why: "Okta orgs are served on the standard port; to reach a test server on another port, set `endpoint` (or `--endpoint`).",
        example: "connection \"prod\" {\n  domain = \"acme.okta.com:8443\"\n}";
    ConnectionDomainAdmin = "connection::domain_admin", Error, Offline,
        what: "The domain is the Admin Console's (`acme-admin.okta.com`).",
        why: "The connector and the API use the org domain without the `-admin` part.",
        example: "connection \"prod\" {\n  domain = \"acme-admin.okta.com\"\n}";
    ConnectionDomainNotHostname = "connection::domain_not_hostname", Error, Offline,
        what: "The domain is not a valid host name.",
        why: "Only letters, digits and hyphens in dot-separated labels make a host name.",
        example: "connection \"prod\" {\n  domain = \"acme okta com\"\n}";
    ConnectionPolicyConflict = "connection::policy_conflict", Error, Offline,
        what: "Two connections use the same app (same domain and client ID) with different `scope_policy`.",
        why: "Grants belong to the app, not the connection: one app cannot both revoke undeclared grants (`exact`) and keep them (`additive`).",
        example: "connection \"a\" { scope_policy = \"exact\" ... }\nconnection \"b\" { scope_policy = \"additive\" ... }  # same domain and client_id";
    ConnectionInsecureEndpoint = "connection::insecure_endpoint", Error, Offline,
        what: "An `http://` endpoint to a host other than the loopback.",
        why: "oktaform sends API tokens on every request; plain HTTP is allowed only to a local test server.",
        example: "connection \"prod\" {\n  endpoint = \"http://acme.okta.com\"\n}";
    ConnectionInvalidEndpoint = "connection::invalid_endpoint", Error, Offline,
        what: "The endpoint is not an absolute `https://` (or loopback `http://`) URL without a path.",
        why: "Requests are sent to `<endpoint>/api/v1/...`.",
        example: "connection \"prod\" {\n  endpoint = \"acme.okta.com\"\n}";
    ConnectionLiteralSecret = "connection::literal_secret", Warning, Offline,
        what: "A sensitive attribute (`client_secret`, `api_token`, `private_key`) holds a literal value.",
        why: "Config files are committed and reviewed; secrets belong in the environment (`env(\"NAME\")`) or a file outside the repository (`file(path)`).",
        example: "connection \"prod\" {\n  client_secret = \"s3cr3t\"\n}";
    ConnectionTwoCredentials = "connection::two_credentials", Error, Offline,
        what: "A `management` block holds both `api_token` and `oauth`.",
        why: "oktaform uses one credential per org; with both, the API token would win and the service app would silently go unused.",
        example: "management {\n  api_token = env(\"OKTA_API_TOKEN\")\n  oauth { ... }\n}";
    ConnectionPrivateKey = "connection::private_key", Error, Offline,
        what: "The `private_key` of an `oauth` block does not parse: neither PEM (PKCS#1 or PKCS#8) nor a JWK, or a key of a kind oktaform cannot sign with (RSA and EC P-256 are supported).",
        why: "The key signs the `private_key_jwt` assertion that gets the service app its token; the diagnostic says why it was refused and never shows it.",
        example: "oauth {\n  client_id   = \"0oa1ci\"\n  private_key = file(\"ci-key.txt\")   # holds a certificate, not a key\n}";
    ScopeUnknown = "scope::unknown", Warning, Offline,
        what: "A scope that is not in oktaform's catalog of Okta scopes, and not close to any scope in it.",
        why: "Okta adds scopes over time, so a scope far from every known one may be new: the grant will be attempted. Accept it explicitly with `accept_unknown` to say it is intended.",
        example: "scopes \"agents\" {\n  connection = connection.prod\n  grant      = [\"okta.agentPlatform.manage\"]\n}";
    ScopeMisspelled = "scope::misspelled", Error, Offline,
        what: "A scope that is not in the catalog but is a small edit away from one that is.",
        why: "Almost always a typo; under `scope_policy = \"exact\"` the plan would revoke the real scope and grant one that does not exist. If Okta really added a scope of that name, list it in the block's `accept_unknown`.",
        example: "scopes \"hr\" {\n  connection = connection.prod\n  grant      = [\"okta.users.mange\"]\n}";
    ScopeAcceptUnneeded = "scope::accept_unneeded", Warning, Offline,
        what: "`accept_unknown` names a scope the catalog knows, or one the block does not grant.",
        why: "An acceptance that is not needed could later hide a typo; remove it.",
        example: "scopes \"hr\" {\n  connection     = connection.prod\n  grant          = [\"okta.users.read\"]\n  accept_unknown = [\"okta.users.read\"]\n}";
    ScopeEmptyGrant = "scope::empty_grant", Warning, Offline,
        what: "A `scopes` block whose `grant` list is empty.",
        why: "It grants nothing; under `scope_policy = \"exact\"` it does not keep any grant either. Remove the block or list its scopes.",
        example: "scopes \"hr\" {\n  connection = connection.prod\n  grant      = []\n}";
    ScopeAutoGranted = "scope::auto_granted", Advice, Offline,
        what: "A scope that Okta grants automatically to the Workflows OAuth app (`openid profile email phone address groups offline_access`).",
        why: "Listing it is redundant: oktaform never revokes these scopes and re-grants them when the org lists some but not all.",
        example: "scopes \"base\" {\n  connection = connection.prod\n  grant      = [\"openid\"]\n}";
    ScopeLimitedEarlyAccess = "scope::limited_early_access", Warning, Offline,
        what: "A Limited Early Access scope, such as `okta.workflows.invoke.manage`.",
        why: "It can be granted only where the feature is enabled for the org; elsewhere the grant fails.",
        example: "scopes \"invoke\" {\n  connection = connection.prod\n  grant      = [\"okta.workflows.invoke.manage\"]\n}";
    ScopeDuplicate = "scope::duplicate", Advice, Offline,
        what: "The same scope is declared more than once for one app.",
        why: "Harmless, but the grant will only be revoked when every declaration is removed.",
        example: "scopes \"a\" { grant = [\"okta.users.read\"] ... }\nscopes \"b\" { grant = [\"okta.users.read\"] ... }";
    LogQueryFilterSyntax = "log_query::filter_syntax", Error, Offline,
        what: "The custom filter is not a valid System Log filter.",
        why: "Okta would reject the query with `E0000053`. Filters are `attribute op \"value\"` (ops `eq ne gt ge lt le sw ew co`, or `attribute pr`), combined with `and`, `or`, `not` and parentheses; strings are JSON strings.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  filter     = \"eventType eqq \\\"user.session.start\\\"\"\n}";
    LogQueryUnknownAttribute = "log_query::unknown_attribute", Error, Offline,
        what: "A filter or `match` names an attribute that the LogEvent object does not have.",
        why: "Okta rejects unknown fields (`E0000053 field is not valid`). `debugContext.debugData.*` and `*.detailEntry.*` are free-form and always accepted.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  match      = { event_type = \"user.session.start\" }\n}";
    LogQueryValueType = "log_query::value_type", Error, Offline,
        what: "A filter compares an attribute with a value of another type: a string attribute with a number or a bool, a number attribute with a string.",
        why: "The System Log compares values by type: `outcome.result eq 5` matches nothing, and Okta may refuse it.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  filter     = \"outcome.result eq 5\"\n}";
    LogQueryPublishedFilter = "log_query::published_filter", Error, Offline,
        what: "The filter uses `published`.",
        why: "The System Log does not filter on `published`; use `since` and `until` instead.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  filter     = \"published gt \\\"2026-01-01T00:00:00Z\\\"\"\n}";
    LogQueryUnsupportedOperator = "log_query::unsupported_operator", Error, Offline,
        what: "`co` on `debugContext.debugData.url` or `debugContext.debugData.requestUri`.",
        why: "Okta rejects this combination with `E0000031`; use `sw` or `eq`.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  filter     = \"debugContext.debugData.url co \\\"/api/v1\\\"\"\n}";
    LogQueryUnknownEventType = "log_query::unknown_event_type", Warning, Offline,
        what: "An `eventType` value that is not in Okta's event-type catalog.",
        why: "Usually a typo, and the query would match nothing. Okta adds event types over time, so this is a warning.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  match      = { eventType = \"user.session.begin\" }\n}";
    LogQueryTooManyKeywords = "log_query::too_many_keywords", Error, Offline,
        what: "More than 10 keywords in `keyword`.",
        why: "The System Log accepts at most 10 keywords per query.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  keyword    = \"a b c d e f g h i j k\"\n}";
    LogQueryKeywordTooLong = "log_query::keyword_too_long", Error, Offline,
        what: "A keyword longer than 40 characters.",
        why: "The System Log rejects it (`E0000001 Freeform search cannot contain items longer than 40 characters`).",
        example: "log_query \"q\" {\n  connection = connection.prod\n  keyword    = \"averyveryveryveryveryveryverylongkeyword01\"\n}";
    LogQueryLimitRange = "log_query::limit_range", Error, Offline,
        what: "`limit` outside 1..1000.",
        why: "The System Log returns at most 1000 events a page, and a limit of 0 returns none.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  limit      = 5000\n}";
    LogQueryInvalidTime = "log_query::invalid_time", Error, Offline,
        what: "`since` or `until` is neither a duration (`-?<integer>(s|m|h|d|w)`, from now) nor an RFC 3339 time.",
        why: "oktaform has one time grammar for the config and flags: `-24h`, `-7d`, `2026-11-01T00:00:00Z`.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  since      = \"yesterday\"\n}";
    LogQuerySinceAfterUntil = "log_query::since_after_until", Error, Offline,
        what: "`since` is later than `until`.",
        why: "The window would be empty.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  since      = \"-1h\"\n  until      = \"-2h\"\n}";
    LogQuerySinceTooOld = "log_query::since_too_old", Error, Offline,
        what: "`since` is more than 180 days back.",
        why: "Okta rejects it (`E0000053 The since parameter is over 180 days prior to the current day`).",
        example: "log_query \"q\" {\n  connection = connection.prod\n  since      = \"-200d\"\n}";
    LogQueryRetention = "log_query::retention", Warning, Offline,
        what: "`since` is more than 90 days back.",
        why: "The System Log keeps 90 days: the query succeeds, but older events are not returned.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  since      = \"-120d\"\n}";
    LogQueryOrPrecedence = "log_query::or_precedence", Warning, Offline,
        what: "A custom filter whose top level is an `or`, combined with `match` pairs.",
        why: "`and` binds tighter than `or`. oktaform wraps the custom filter in parentheses, so the query means what it says; the Workflows card joins the fields with `and` as written and may not. Put the `or` in parentheses yourself.",
        example: "log_query \"q\" {\n  connection = connection.prod\n  match      = { eventType = \"user.session.start\" }\n  filter     = \"outcome.result eq \\\"FAILURE\\\" or outcome.result eq \\\"DENY\\\"\"\n}";
    LogQueryMissingLogsScope = "log_query::missing_logs_scope", Warning, Offline,
        what: "The query's connection does not declare the `okta.logs.read` grant.",
        why: "The Search System Log card needs `okta.logs.read` on the Workflows OAuth app.",
        example: "log_query \"q\" {\n  connection = connection.prod  # no scopes block grants okta.logs.read\n}";
    CliUsage = "cli::usage", Error, Online,
        what: "The command line is wrong: an unknown or misspelled flag, a flag that means nothing for the command, or a value that does not fit.",
        why: "A flag that is silently ignored (or misread, like Terraform's `-out=FILE`) could make a command do something else than intended.",
        example: "oktaform plan -out=plan.json   # oktaform spells it -o plan.json or --out plan.json";
    CredentialsMissing = "credentials::missing", Error, Online,
        what: "No Management API credentials for an org: no `management` block, no `OKTA_CLIENT_TOKEN`, no `OKTA_API_TOKEN`.",
        why: "oktaform reads the org with its own credentials (an API token of a super admin), never with the connection's.",
        example: "connection \"prod\" {\n  # ...\n  management {\n    api_token = env(\"OKTA_API_TOKEN\")\n  }\n}";
    CredentialsSecretMisplaced = "credentials::secret_misplaced", Error, Online,
        what: "An attribute that is shown (a grant, a keyword, a filter, a domain...) holds the value of a credential or of a sensitive variable.",
        why: "Plans, plan files, pull-request comments and logs show these attributes; a secret there would be published.",
        example: "log_query \"x\" {\n  keyword = env(\"OKTA_API_TOKEN\")\n}";
    CredentialsOriginMismatch = "credentials::origin_mismatch", Error, Online,
        what: "OKTA_CLIENT_ORGURL is set and a connection's requests would go to another origin.",
        why: "The config is edited in pull requests, so it never decides where a credential is sent: with OKTA_CLIENT_ORGURL set, credentials go to that org (or to origins named by --endpoint or OKTAFORM_ALLOWED_ORIGINS).",
        example: "OKTA_CLIENT_ORGURL=https://acme.okta.com oktaform plan   # a connection's domain is evil.okta.com";
    CredentialsOriginNotAllowed = "credentials::origin_not_allowed", Error, Online,
        what: "A connection's requests would go to an origin that is neither an Okta org domain nor named by --endpoint, --sim or OKTAFORM_ALLOWED_ORIGINS, or to an IP address outside the loopback.",
        why: "The config is edited in pull requests, so it never decides where a credential is sent: a typo (`acme.okta.co`) or a hostile endpoint would hand the token to someone else.",
        example: "connection \"prod\" {\n  domain = \"acme.okta.co\"\n}";
    CredentialsAmbiguous = "credentials::ambiguous", Error, Online,
        what: "Credentials from the environment, but the config has several orgs and `OKTA_CLIENT_ORGURL` does not say which one they are for.",
        why: "Sending one org's token to another org would fail at best; give each org a `management` block, or set `OKTA_CLIENT_ORGURL`.",
        example: "OKTA_API_TOKEN=... oktaform plan   # with connections to acme.okta.com and acme.oktapreview.com";
    CredentialsServiceApp = "credentials::service_app", Error, Online,
        what: "An OAuth service app's settings cannot be used: an empty client id, or a private key that is neither PEM (PKCS#1 or PKCS#8) nor a JWK, or that does not parse.",
        why: "oktaform signs a `private_key_jwt` assertion with the key to get a token; the diagnostic says which setting is wrong and never shows the key.",
        example: "connection \"prod\" {\n  management {\n    oauth {\n      client_id   = \"0oa1ci\"\n      private_key = env(\"OKTAFORM_PRIVATE_KEY\")\n    }\n  }\n}";
    CredentialsMissingScope = "credentials::missing_scope", Error, Online,
        what: "The service app's token lacks an Okta API scope the command needs (403 `insufficient_scope`), or the org granted it none of the requested scopes.",
        why: "A service app holds only the scopes granted to it (Okta API Scopes tab) and requested in its token. Grant the scope, and list it in `oauth { scopes }` or leave `scopes` out: each command then asks for exactly what it needs.",
        example: "oktaform apply plan.json   # with a service app granted only okta.apps.read";
    CredentialsRejected = "credentials::rejected", Error, Online,
        what: "The org refused oktaform's credentials: 401 (not a valid, active token) or 403 (the token's user may not read or change what oktaform needs).",
        why: "oktaform reads and changes the org as a super admin. The diagnostic names where the credentials came from; retrying would not help.",
        example: "OKTA_API_TOKEN=revoked-token oktaform plan";
    LiveRequestFailed = "live::request_failed", Error, Online,
        what: "A request to the org failed after retries: an error answer, a timeout or a connection failure.",
        why: "Without the live state no plan can be made. 429s, 5xx, timeouts and resets were retried with backoff before giving up.",
        example: "oktaform plan   # while the org answers 503 to every request";
    DriftLogUnreadable = "drift::log_unreadable", Error, Online,
        what: "`drift` could not read an org's System Log, so it cannot tell who changed what.",
        why: "A drift check that cannot see the log is blind: reporting \"No drift.\" would make a nightly job green exactly when it checks nothing. It fails instead, with exit 1.",
        example: "oktaform drift --out-of-band-only   # with a credential that lacks okta.logs.read";
    LiveAppNotFound = "live::app_not_found", Error, Online,
        what: "No app of the org has the connection's `client_id`, neither by id nor among the apps named `flow`.",
        why: "The client ID is on the Sign On tab of the Okta Workflows OAuth app; a typo or another org's ID finds nothing.",
        example: "connection \"prod\" {\n  client_id = \"0oa-not-in-this-org\"\n}";
    LiveNotWorkflowsApp = "live::not_workflows_app", Error, Online,
        what: "The app with the connection's `client_id` is not the Okta Workflows OAuth app (name `flow`, label \"Okta Workflows OAuth\").",
        why: "oktaform changes grants of the Workflows OAuth app only; granting scopes to another app would widen its access.",
        example: "connection \"prod\" {\n  client_id = \"0oa1ci\"   # the CI service app, not the Workflows app\n}";
    LiveAccountNotFound = "live::account_not_found", Error, Online,
        what: "The connection's `service_account` is not a user of the org.",
        why: "oktaform assigns the account and makes it super admin, but never creates users.",
        example: "connection \"prod\" {\n  service_account = \"nobody@acme.com\"\n}";
    PreflightNotSuperAdmin = "preflight::not_super_admin", Error, Online,
        what: "The credentials' user is not a super admin of the org.",
        why: "Only super admins may grant scopes to an app; a plan that could never be applied is refused up front.",
        example: "management {\n  api_token = env(\"READ_ONLY_ADMIN_TOKEN\")\n}";
    PreflightAppInactive = "preflight::app_inactive", Error, Online,
        what: "The Okta Workflows OAuth app is not ACTIVE.",
        why: "An inactive app cannot authorize the connection; activate it in the Admin Console first.",
        example: "# the app's status is INACTIVE";
    PreflightAccountInactive = "preflight::account_inactive", Error, Online,
        what: "The service account is not ACTIVE.",
        why: "A suspended or deprovisioned user cannot authorize the connection.",
        example: "# the service account's status is SUSPENDED";
    PlanGroupAssignment = "plan::group_assignment", Warning, Online,
        what: "A retired connection's service account has the app through a group, so oktaform does not unassign it.",
        why: "Okta refuses to unassign a user whose group memberships give them the app (403 `E0000046`); the group keeps the account assigned until an admin changes the group.",
        example: "connection \"old\" {\n  retired = true   # its account is in a group assigned to the app\n}";
    PlanSuperAdminKept = "plan::super_admin_kept", Advice, Online,
        what: "A retired connection's service account stays a super admin: another connection of the org uses it, or a group gives it the role.",
        why: "oktaform removes the SUPER_ADMIN role it gave only when no active connection of the org needs the account; a role held through a group is the group's to remove.",
        example: "connection \"old\" {\n  retired = true   # its account also serves connection \"new\"\n}";
    LiveClientIdUnverified = "live::client_id_unverified", Warning, Online,
        what: "The app shows no client id (Okta's own Workflows OAuth app may not), so the org's only `flow` app was taken for the connection's.",
        why: "With a single Workflows OAuth app in the org it is the connection's; check the client ID on its Sign On tab if in doubt.",
        example: "# GET /api/v1/apps/{client_id} answers 404 and the one `flow` app has no credentials.oauthClient";
    PlanClientSecretMismatch = "plan::client_secret_mismatch", Error, Online,
        what: "The configured `client_secret` is not one of the app's ACTIVE client secrets.",
        why: "The connection would fail to authorize with it; copy the secret from the app's Sign On tab.",
        example: "connection \"prod\" {\n  client_secret = env(\"OLD_SECRET\")\n}";
    PlanClientSecretUnverified = "plan::client_secret_unverified", Warning, Online,
        what: "The configured `client_secret` could not be checked: the org shows no secret of the app.",
        why: "Okta does not return the secrets of every app; the value is used as it is.",
        example: "# the app authenticates without a client secret";
    SimNoSeed = "sim::no_seed", Error, Online,
        what: "`--sim` found no seed: no `--sim-seed FILE` and no `sim-org.json` beside the config.",
        why: "The simulated org starts from a seed that lists its orgs, users, apps and tokens.",
        example: "oktaform plan ./config --sim   # without config/sim-org.json";
    FlowsNotAnExport = "flows::not_an_export", Error, Offline,
        what: "A file given to `oktaform flows` is not a Workflows export (a `.flopack` or a folder's JSON export, format 1.2.0 to 1.5.0).",
        why: "Only an export says which cards the flows use; nothing in a file is ever run or sent anywhere.",
        example: "oktaform flows inspect notes.json";
    FlowsMissingScope = "flows::missing_scope", Error, Offline,
        what: "A card of a flow in a `flows` export needs a scope that the connection's app is not granted by any `scopes` block.",
        why: "The card would fail with 403 when the flow runs; Okta's table of card scopes (or the operation the card calls) says what it needs.",
        example: "flows \"onboarding\" {\n  connection = connection.prod\n  export     = \"onboarding.flopack\"   # a Read User card, okta.users.read not granted\n}";
    FlowsUnknownCard = "flows::unknown_card", Warning, Offline,
        what: "A card of the export is in no source of oktaform's card catalog, so what it needs is not known.",
        why: "Its scopes are not checked; `schemas/cards.json` says how to add the card from Okta's table.",
        example: "# a List Group Members card";
    FlowsDynamicRequest = "flows::dynamic_request", Warning, Offline,
        what: "A Custom API Action's URL is wired from another card, so the operation it calls (and its scopes) cannot be known offline.",
        why: "Its scopes are not checked; grant what the endpoints it may call need.",
        example: "# a Custom API Action whose Relative URL comes from a Compose card";
    FlowsUnusedScope = "flows::unused_scope", Advice, Offline,
        what: "Every connection of the app declares its flows, and no card of them needs this granted scope.",
        why: "A least-privilege revoke candidate: check that nothing else (another tool using the app) needs it, for instance with `oktaform query` on the scope's API calls.",
        example: "scopes \"old\" {\n  grant = [\"okta.apps.manage\"]   # no card needs it\n}";
    SimFailed = "sim::failed", Error, Online,
        what: "The simulated org could not start: its seed or state file is invalid or unreadable.",
        why: "Fix the file, or start over from the seed with `--sim-reset`.",
        example: "oktaform plan --sim --sim-seed broken.json";
    ApplyNotAPlan = "apply::not_a_plan", Error, Online,
        what: "The plan file cannot be used: unreadable, not an oktaform plan, or changed after it was written (checksum mismatch).",
        why: "`apply` runs exactly what was reviewed; a plan edited by hand was not reviewed.",
        example: "oktaform apply plan.json   # after editing plan.json";
    ApplyConfigChanged = "apply::config_changed", Error, Online,
        what: "The config no longer resolves to what the plan was made from (its digest differs).",
        why: "The plan was reviewed for another config; plan again. Formatting alone never changes the digest.",
        example: "oktaform plan -o plan.json && edit main.hcl && oktaform apply plan.json";
    ApplyVariablesChanged = "apply::variables_changed", Error, Online,
        what: "The variables of this apply (--var, --var-file, OKTAFORM_VAR_<name>, defaults) differ from those the plan was made with.",
        why: "A plan file never chooses a value: a plan made with another service account or domain and swapped in after review would change what nobody reviewed, or send a token elsewhere.",
        example: "oktaform plan --var service_account=mallory@acme.com -o plan.json && oktaform apply plan.json";
    ApplyTargetChanged = "apply::target_changed", Error, Online,
        what: "The plan was made against another target than this apply would talk to: the simulated org instead of a real one, or other endpoints (checked before any request).",
        why: "A plan is applied where it was made, or not at all.",
        example: "oktaform plan --sim -o plan.json && oktaform apply plan.json   # without --sim";
    ApplyPlanMismatch = "apply::plan_mismatch", Error, Online,
        what: "The plan file holds a change that the config and the org do not require now.",
        why: "A plan file is untrusted input: anyone can edit it and recompute its checksum. apply derives the changes anew and runs only those the file holds and the config requires.",
        example: "# a grant added to plan.json by hand";
    ApplyStalePlan = "apply::stale_plan", Error, Online,
        what: "The org changed since the plan was made in a way the plan does not cover: an object is in neither its planned before nor after state, or a new change is needed.",
        why: "Applying a plan over changes nobody reviewed could undo them; plan again and review.",
        example: "oktaform plan -o plan.json; (someone grants a scope in the console); oktaform apply plan.json";
    ApplyNeedsForce = "apply::needs_force", Error, Online,
        what: "The plan holds changes under a safety rule (`privileged`, `mass_revoke`, `retire`) that were not acknowledged.",
        why: "These changes widen access or remove a lot at once; acknowledge each rule with `--force=<rule>`, or all with `--force`.",
        example: "oktaform apply plan.json --force=privileged";
    ApplyRefused = "apply::refused", Error, Online,
        what: "`apply` with a config (not a plan file) needs confirmation: on a terminal it asks; elsewhere it needs `--auto-approve`.",
        why: "A pipeline should apply a reviewed plan file; `--auto-approve` says that skipping review is intended.",
        example: "oktaform apply ./config < /dev/null";
    ApplyStepFailed = "apply::step_failed", Error, Online,
        what: "A step of the apply failed for good (after retries and a read-back).",
        why: "New steps stop, running ones finish, and the report lists what was applied, what failed and what was skipped; a rerun continues from there.",
        example: "# the org refuses a grant of a scope that needs a feature it lacks";
    ApplyVerifyFailed = "apply::verify_failed", Error, Online,
        what: "After the last step, reading the org back shows an object not in its planned state.",
        why: "Something changed it during the apply, or a step did not take effect; plan again to see.",
        example: "# a grant revoked in the console while apply ran";
    SafetyOutOfRange = "safety::out_of_range", Error, Offline,
        what: "`max_revoke_percent` outside 0..100 or `min_grants` below 0.",
        why: "These thresholds decide when `apply` needs `--force=mass_revoke`.",
        example: "safety {\n  max_revoke_percent = 150\n}";
}

#[cfg(test)]
mod tests {
    use super::Code;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_well_formed_and_explained() {
        let mut seen = BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "duplicate code {name}");
            let parts: Vec<_> = name.split("::").collect();
            assert_eq!(parts.len(), 3, "{name}");
            assert!(
                parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            );
            assert!(!code.what().is_empty() && !code.why().is_empty() && !code.example().is_empty());
            assert_eq!(Code::from_name(name), Some(*code));
        }
        assert_eq!(Code::from_name("scope::unknown"), Some(Code::ScopeUnknown));
        assert_eq!(Code::from_name("scope::nope"), None);
    }
}
