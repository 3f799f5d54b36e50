//! The command line: every subcommand and flag, with the help text users read.
//!
//! Doc comments here are `--help` text, so they hold no markdown.
#![allow(clippy::doc_markdown)]

use crate::time_spec::TimeSpec;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

/// Okta Workflows connector setup as reviewed code: validate, plan and apply the
/// Okta Workflows OAuth app's scopes, its service account and System Log queries.
#[derive(Debug, Parser)]
#[command(name = "oktaform", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every subcommand takes, before or after its name.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Print more about what happens (-v: every request with its Okta request id)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

/// The values of the config's `variable` blocks (validate, plan, apply, query, drift).
#[derive(Clone, Debug, Default, Args)]
pub struct VarArgs {
    /// Set a variable: `--var domain=acme.okta.com` (beats --var-file, OKTAFORM_VAR_<name> and defaults)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Read variables from an HCL file of `name = value` lines (beats OKTAFORM_VAR_<name> and defaults)
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

/// Where requests go (plan, apply, query, drift, import).
#[derive(Clone, Debug, Default, Args)]
pub struct TargetArgs {
    /// Send every request to URL instead of each connection's endpoint (plain http only to loopback)
    #[arg(long, value_name = "URL", conflicts_with = "sim")]
    pub endpoint: Option<String>,
    /// Use the simulated org that ships in the binary instead of a real one
    #[arg(long)]
    pub sim: bool,
    /// Seed of the simulated org (default: sim-org.json beside the config)
    #[arg(long, value_name = "FILE", requires = "sim")]
    pub sim_seed: Option<PathBuf>,
    /// Start the simulated org over from its seed (its state is in .oktaform/ beside the config)
    #[arg(long, requires = "sim")]
    pub sim_reset: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a config offline, with precise diagnostics (exit 0 valid, 1 errors)
    Validate(ValidateArgs),
    /// Read the live org (read-only) and print what apply would change (exit 0; with --detailed-exitcode 0 no changes, 2 changes; 1 error)
    Plan(PlanArgs),
    /// Apply a saved plan file, or plan a config and apply it after confirmation (exit 0 applied, 1 error or refused)
    Apply(ApplyArgs),
    /// Render a saved plan file without contacting any org (exit 0; 1 not a plan file)
    Show(ShowArgs),
    /// Run a log query against its org and stream the events to stdout (exit 0; 1 error)
    Query(QueryArgs),
    /// Read the orgs and the System Log (read-only): what changed out of band, by whom and when, and whether log queries' `expect` holds (exit 0 no finding, 2 findings, 1 error)
    Drift(DriftArgs),
    /// Write HCL for an org's live setup: its Workflows OAuth app, grants and service accounts (exit 0; 1 error)
    Import(ImportArgs),
    /// Rewrite HCL files in canonical form (exit 0; 1 invalid HCL; with --check, 3 when a file is not formatted)
    Fmt(FmtArgs),
    /// Explain a diagnostic code: what it checks, why, and an example; without CODE, list every code (exit 0; 1 unknown code)
    Explain(ExplainArgs),
    /// Read Workflows exports offline: which Okta connector cards the flows use and which scopes they need (exit 0; 1 a file that is not an export)
    #[command(subcommand)]
    Flows(FlowsCommand),
    /// Print shell completions for bash, zsh, fish, elvish or powershell (exit 0)
    Completions(CompletionsArgs),
    /// The simulated Okta org that ships in the binary (exit 0 when stopped; 1 bad seed or address)
    Sim(SimArgs),
    /// Print oktaform's version (exit 0)
    Version,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    #[command(subcommand)]
    pub command: SimCommand,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve simulated orgs over HTTP until Ctrl-C; the first line of stdout is `listening on http://HOST:PORT` (exit 0 when stopped; 1 bad seed or address)
    Serve(SimServeArgs),
}

#[derive(Debug, Args)]
pub struct SimServeArgs {
    /// The orgs to start from (JSON seed; see examples/quickstart/sim-org.json)
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Load the state from FILE when it exists, and save every change to it
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8089")]
    pub listen: std::net::SocketAddr,
    /// Leave out the null members of the System Log events that changes write (real orgs keep them; for clients whose models refuse nulls)
    #[arg(long)]
    pub prune_nulls: bool,
    /// Requests per window allowed in every rate-limit bucket (default: Okta's per-bucket limits)
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<u32>,
    /// Length of the rate-limit window, such as 60s or 1m
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_window)]
    pub rate_window: std::time::Duration,
    /// Latency added to every API request, in milliseconds (more faults: POST /__sim/faults)
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(..=600_000))]
    pub latency: u64,
    /// Share of API requests answered with a 5xx (500, 502, 503 or 504), from 0 to 1
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_rate: f64,
    /// Seed of the fault draws: the same seed and requests give the same faults
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
    /// Lifetime of the service apps' access tokens, such as 30s (default 1h, as Okta's)
    #[arg(long, value_name = "DUR", value_parser = parse_window)]
    pub token_lifetime: Option<std::time::Duration>,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("`{text}` is not a share between 0 and 1")),
    }
}

/// A time flag: an RFC 3339 time, or a duration back from now (`24h` or `-24h`).
fn parse_time_back(text: &str) -> Result<TimeSpec, String> {
    match TimeSpec::parse(text) {
        Ok(TimeSpec::Relative(seconds)) => Ok(TimeSpec::Relative(-seconds.abs())),
        Ok(absolute) => Ok(absolute),
        Err(error) => Err(error.to_string()),
    }
}

fn parse_window(text: &str) -> Result<std::time::Duration, String> {
    match crate::time_spec::parse_duration(text) {
        Some(seconds) if seconds > 0 => Ok(std::time::Duration::from_secs(seconds.unsigned_abs())),
        _ => Err(format!("`{text}` is not a positive duration like 60s or 1m")),
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Config directory (every *.hcl file in it) or one file
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,
    #[command(flatten)]
    pub vars: VarArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// Reports with source excerpts, on stderr
    Human,
    /// One JSON object on stdout: {"valid", "diagnostics": [...]}
    Json,
    /// GitHub Actions annotations, plus the step summary when GITHUB_STEP_SUMMARY is set
    Github,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Config directory (every *.hcl file in it) or one file
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Also write the plan to FILE, for `oktaform apply FILE`
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// Exit 2 when there are changes, 0 when there are none
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Read and show only these connections (the desired grants of shared apps still come from every connection)
    #[arg(long = "connection", value_name = "NAME")]
    pub connections: Vec<String>,
    #[command(flatten)]
    pub vars: VarArgs,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan file from `oktaform plan -o FILE` (recognised by its content), or a config directory or file
    #[arg(default_value = ".")]
    pub target: PathBuf,
    /// With a plan file: the config it was made from (default: the current directory; the path written in the plan file is never used)
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// With a config: apply without asking (needed where there is no terminal)
    #[arg(long)]
    pub auto_approve: bool,
    /// Acknowledge a safety rule: --force=privileged, --force=mass_revoke, --force=retire; --force alone acknowledges every rule
    #[arg(long, value_name = "RULE", value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "all")]
    pub force: Vec<ForceRule>,
    /// At most this many requests in flight across the whole apply
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    pub parallelism: u16,
    /// Output format
    #[arg(long, value_enum, default_value_t = ApplyFormat::Human)]
    pub format: ApplyFormat,
    #[command(flatten)]
    pub vars: VarArgs,
    #[command(flatten)]
    pub target_args: TargetArgs,
}

/// A safety rule to acknowledge, or all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ForceRule {
    /// Every rule
    All,
    /// Granting SUPER_ADMIN to a service account
    Privileged,
    /// Revoking more than the safety threshold of an app's grants, or every one
    #[value(name = "mass_revoke")]
    MassRevoke,
    /// Changes made because a connection is retired
    Retire,
}

impl ForceRule {
    pub fn covers(self, rule: crate::model::SafetyRule) -> bool {
        use crate::model::SafetyRule;
        matches!(
            (self, rule),
            (ForceRule::All, _)
                | (ForceRule::Privileged, SafetyRule::Privileged)
                | (ForceRule::MassRevoke, SafetyRule::MassRevoke)
                | (ForceRule::Retire, SafetyRule::Retire)
        )
    }
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The name of a `log_query` block
    pub name: String,
    /// Config directory (every *.hcl file in it) or one file
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Start of the window instead of the query's `since`: a duration back such as 24h, or an RFC 3339 time
    #[arg(long, value_name = "TIME", value_parser = parse_time_back, allow_hyphen_values = true)]
    pub since: Option<TimeSpec>,
    /// End of the window instead of the query's `until` (default: when the query starts)
    #[arg(long, value_name = "TIME", conflicts_with = "follow", value_parser = parse_time_back, allow_hyphen_values = true)]
    pub until: Option<TimeSpec>,
    /// At most N events
    #[arg(long, value_name = "N")]
    pub max: Option<u64>,
    /// Keep polling for new events, oldest first, until --max, --follow-for or Ctrl-C
    #[arg(long)]
    pub follow: bool,
    /// With --follow: stop after this long, such as 10m
    #[arg(long, value_name = "DUR", requires = "follow", value_parser = parse_window)]
    pub follow_for: Option<std::time::Duration>,
    /// With --follow: wait this long after an empty page
    #[arg(long, value_name = "DUR", default_value = "5s", requires = "follow", value_parser = parse_window)]
    pub poll: std::time::Duration,
    /// Output format
    #[arg(long, value_enum, default_value_t = QueryFormat::Ndjson)]
    pub format: QueryFormat,
    #[command(flatten)]
    pub vars: VarArgs,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// One JSON event per line, as it arrives
    Ndjson,
    /// One JSON array
    Json,
    /// Comma-separated: published, eventType, outcome, actor, client, target, displayMessage
    Csv,
    /// Aligned columns for reading
    Table,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Config directory (every *.hcl file in it) or one file
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// How far back the System Log is read to tell who changed what, such as 7d
    /// (`-7d` and `7d` alike, or an RFC 3339 time)
    #[arg(long, value_name = "TIME", default_value = "7d", value_parser = parse_time_back, allow_hyphen_values = true)]
    pub since: TimeSpec,
    /// Count (and show) only out-of-band changes and failed `expect` assertions
    #[arg(long)]
    pub out_of_band_only: bool,
    /// Read only these connections
    #[arg(long = "connection", value_name = "NAME")]
    pub connections: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    #[command(flatten)]
    pub vars: VarArgs,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan file from `oktaform plan -o FILE`
    pub plan: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ApplyFormat {
    /// Progress and a report for people
    Human,
    /// A JSON report: every step with its action and status (applied, already_in_place, failed, skipped, manual)
    Json,
    /// GitHub Actions groups and annotations
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Changes with symbols and reasons, and a summary line
    Human,
    /// The plan document (the same as the plan file)
    Json,
    /// A pull-request comment
    Markdown,
    /// GitHub Actions annotations, plus the step summary when GITHUB_STEP_SUMMARY is set
    Github,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Config directory or one file; `-` formats standard input to standard output
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Change nothing; list the files that are not formatted and exit 3 if there are any
    #[arg(long)]
    pub check: bool,
    /// Change nothing; print a unified diff of what formatting would change
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code such as `oktaform::scope::unknown` (the `oktaform::` prefix may be left out); without it, every code
    pub code: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Debug, Subcommand)]
pub enum FlowsCommand {
    /// Every flow of the exports, its Okta cards, their connection and the scopes each needs, with where that answer comes from; then what each connection needs (exit 0; 1 a file that is not an export)
    Inspect(FlowsInspectArgs),
    /// HCL for what the exports use: a `scopes` and a `flows` block per export, a `log_query` per Search System Logs card (exit 0; 1 a file that is not an export, or DIR/flows.hcl exists)
    Import(FlowsImportArgs),
}

#[derive(Debug, Args)]
pub struct FlowsImportArgs {
    /// Workflows exports: `.flopack` files or folder exports (JSON)
    #[arg(required = true, value_name = "EXPORT")]
    pub exports: Vec<PathBuf>,
    /// The config's connection the flows run with (the name of its `connection` block)
    #[arg(long, value_name = "NAME")]
    pub connection: String,
    /// Write DIR/flows.hcl (refused when it exists) instead of printing the HCL
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FlowsInspectArgs {
    /// Workflows exports: `.flopack` files or folder exports (JSON)
    #[arg(required = true, value_name = "EXPORT")]
    pub exports: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Text for people
    Human,
    /// One JSON object (with CODE) or an array of every code: {"code", "severity", "offline", "what", "why", "example"}
    Json,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The org's domain, such as acme.okta.com (default: the seed's only org with --sim, or OKTA_CLIENT_ORGURL)
    #[arg(long, value_name = "DOMAIN")]
    pub domain: Option<String>,
    /// The client id of the app to import (default: the org's Okta Workflows OAuth app)
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The service account of the connection (default: each super admin assigned to the app)
    #[arg(long, value_name = "LOGIN")]
    pub service_account: Option<String>,
    /// The connection's name (default: the org's subdomain, such as `acme`)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Write DIR/main.hcl; when DIR holds a config already, compare the whole config with the org, print how they differ as a unified diff and write nothing
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub target: TargetArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(required_unless_present = "queries")]
    pub shell: Option<clap_complete::Shell>,
    /// Print the log query names of the config at PATH, one per line (what the completions
    /// offer after `oktaform query`)
    #[arg(long, value_name = "PATH", hide = true)]
    pub queries: Option<std::path::PathBuf>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{text}` has no variable name"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

impl VarArgs {
    /// The variables as the config loader takes them.
    pub fn inputs(&self) -> crate::config::VarInputs {
        crate::config::VarInputs {
            vars: self.vars.clone(),
            files: self.var_files.clone(),
            recorded: Vec::new(),
        }
    }
}

impl TargetArgs {
    /// Where the requests go.
    pub fn target(&self) -> crate::ops::Target {
        match (&self.endpoint, self.sim) {
            (_, true) => crate::ops::Target::Sim {
                seed: self.sim_seed.clone(),
                reset: self.sim_reset,
            },
            (Some(url), false) => crate::ops::Target::Endpoint(url.clone()),
            (None, false) => crate::ops::Target::Org,
        }
    }
}

/// The safety rules `--force` acknowledges.
pub fn acknowledged(force: &[ForceRule]) -> std::collections::BTreeSet<crate::model::SafetyRule> {
    crate::model::SafetyRule::ALL
        .into_iter()
        .filter(|rule| force.iter().any(|f| f.covers(*rule)))
        .collect()
}

/// `args` with the subcommand's own flags that were written before it (`oktaform --sim
/// plan`, as before they belonged to their subcommands) moved after its name. A flag the
/// subcommand does not take stays where it is, for clap to refuse.
pub fn hoisted(mut args: Vec<OsString>) -> Vec<OsString> {
    let command = <Cli as clap::CommandFactory>::command();
    let Some(at) = args.iter().skip(1).position(|a| {
        a.to_str()
            .is_some_and(|a| command.get_subcommands().any(|s| s.get_name() == a))
    }) else {
        return args;
    };
    let at = at + 1;
    let Some(subcommand) = args[at].to_str().and_then(|name| command.find_subcommand(name)) else {
        return args;
    };
    let takes_value = |long: &str| {
        subcommand
            .get_arguments()
            .find(|a| a.get_long() == Some(long))
            .map(|a| a.get_action().takes_values())
    };
    let mut moved = Vec::new();
    let mut kept = vec![args[0].clone()];
    let mut before = args[1..at].iter();
    while let Some(arg) = before.next() {
        let flag = arg.to_str().and_then(|a| a.strip_prefix("--"));
        match flag.map(|f| (f.contains('='), takes_value(f.split('=').next().unwrap_or(f)))) {
            Some((inline, Some(value))) => {
                moved.push(arg.clone());
                if value && !inline {
                    moved.extend(before.next().cloned());
                }
            }
            _ => kept.push(arg.clone()),
        }
    }
    let rest = args.split_off(at + 1);
    kept.push(args[at].clone());
    kept.extend(moved);
    kept.extend(rest);
    kept
}

/// Terraform's single-dash long flags, which clap would read as a short flag with a value
/// (`-out=p.json` as `-o ut=p.json`).
pub fn misspelled_flag(args: &[OsString]) -> Option<String> {
    args.iter().skip(1).filter_map(|a| a.to_str()).find_map(terraform_flag)
}

/// Terraform's single-dash flags, with what oktaform spells them.
const TERRAFORM_FLAGS: &[(&str, &str)] = &[
    ("auto-approve", "--auto-approve"),
    ("no-color", "--color never"),
    ("detailed-exitcode", "--detailed-exitcode"),
    ("json", "--format json"),
    ("var", "--var NAME=VALUE"),
    ("var-file", "--var-file FILE"),
    ("out", "-o FILE (or --out FILE)"),
    ("target", "--connection NAME"),
    ("lock", "nothing: oktaform keeps no state to lock"),
    (
        "input",
        "nothing: apply asks only on a terminal; --auto-approve skips the question",
    ),
    ("chdir", "the config path as an argument (`oktaform plan DIR`)"),
];

/// The hint for `arg` when it is one of Terraform's single-dash flags (`-auto-approve`,
/// `-out=plan`), which clap would take for a cluster of short flags.
fn terraform_flag(arg: &str) -> Option<String> {
    let flag = arg.strip_prefix('-').filter(|f| !f.starts_with('-'))?;
    let (name, value) = flag.split_once('=').map_or((flag, None), |(n, v)| (n, Some(v)));
    let (_, ours) = TERRAFORM_FLAGS.iter().find(|(theirs, _)| *theirs == name)?;
    let ours = match (name, value.filter(|v| !v.is_empty())) {
        ("out", Some(file)) => format!("-o {file} (or --out {file})"),
        ("var", Some(var)) => format!("--var {var}"),
        ("var-file", Some(file)) => format!("--var-file {file}"),
        _ => (*ours).to_owned(),
    };
    Some(format!("`{arg}` is Terraform's spelling; oktaform's is {ours}"))
}
