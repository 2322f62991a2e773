//! Command-line definitions (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Parser, Debug)]
#[command(
    name = "bridgelint",
    version,
    about = "Lint integration and service-account declarations (Jira, Azure DevOps, ServiceNow, GitLab, GitHub, ...) for security and good practice.",
    long_about = "bridgelint reads the YAML and JSON files in which a team declares its integrations \
and the service accounts they log in with, and reports, with exact line and column, where they \
break good practice: personal accounts, missing or excess permissions, plaintext secrets, \
credentials without rotation or expiry, undocumented or unreviewed accounts. It never opens a \
network connection.",
    after_help = "Examples:\n  bridgelint check examples/\n  bridgelint check --format sarif -o bridgelint.sarif .\n  bridgelint explain plaintext-secret\n  bridgelint inventory --format markdown accounts/"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint files and folders (default: the current folder).
    #[command(
        after_help = "Examples:\n  bridgelint check\n  bridgelint check --format compact integrations/jira-ado.yaml\n  bridgelint check --format sarif -o bridgelint.sarif --fail-on-empty .\n  bridgelint check --write-baseline .bridgelint-baseline.json ."
    )]
    Check(CheckArgs),
    /// List every rule: name, default severity, summary.
    #[command(
        after_help = "Examples:\n  bridgelint rules\n  bridgelint rules --format json --rules policy/rules"
    )]
    Rules(RulesArgs),
    /// Print a rule's full explanation, with a bad and a good example.
    #[command(
        after_help = "Examples:\n  bridgelint explain plaintext-secret\n  bridgelint explain owner-is-a-team --rules policy/rules"
    )]
    Explain(ExplainArgs),
    /// Print a JSON Schema: integration, service-accounts, rule, system, config, output.
    #[command(
        after_help = "Examples:\n  bridgelint schema integration\n  bridgelint schema config > bridgelint-config.schema.json"
    )]
    Schema(SchemaArgs),
    /// List the systems of the catalog, or what one system's grants are and each capability needs.
    #[command(
        after_help = "Examples:\n  bridgelint systems\n  bridgelint systems jira-cloud\n  bridgelint systems --catalog policy/systems servicenow"
    )]
    Systems(SystemsArgs),
    /// Print the review sheet of every service account and the connections that use it.
    #[command(
        after_help = "Examples:\n  bridgelint inventory\n  bridgelint inventory --wide accounts/\n  bridgelint inventory --format html -o access-review.html ."
    )]
    Inventory(InventoryArgs),
    /// Write a commented .bridgelint.yaml into the current folder.
    #[command(after_help = "Examples:\n  bridgelint init\n  bridgelint init --force")]
    Init(InitArgs),
    /// Run rule fixtures (built-in rules when no folder is given).
    #[command(
        after_help = "Examples:\n  bridgelint test-rules\n  bridgelint test-rules --rules policy/rules policy/fixtures"
    )]
    TestRules(TestRulesArgs),
    /// Run the language server (LSP 3.17 over standard input and output).
    #[command(
        after_help = "Editors start it; see the README's \"Editors (language server)\".\n\nExamples:\n  bridgelint lsp\n  bridgelint lsp --verbose"
    )]
    Lsp(LspArgs),
}

#[derive(Args, Debug)]
pub struct LspArgs {
    /// The date time-based rules take as today (YYYY-MM-DD); default: the current UTC date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub now: Option<i32>,
    /// Also write the server's log to standard error.
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options shared by the commands that read files.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Use this config file instead of the discovered .bridgelint.yaml.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore config files.
    #[arg(long)]
    pub no_config: bool,
    /// The date time-based rules take as today (YYYY-MM-DD); default: the current UTC date.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub now: Option<i32>,
    /// Check only the named files: no project context.
    #[arg(long)]
    pub no_context: bool,
    /// Add rule files from DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
    /// Add or override systems from DIR (repeatable).
    #[arg(long = "catalog", value_name = "DIR")]
    pub catalog_dirs: Vec<PathBuf>,
    /// Worker threads (default: available cores).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub jobs: Option<u32>,
    /// Largest file read in full, in bytes, from 1024 to 1073741824 (default 10485760).
    // The range of `source::MAX_FILE_SIZE_RANGE` and of the config schema (the CLI sits beside
    // the library's layers and names no module of it; tests/untrusted_config.rs checks both).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1024..=1 << 30))]
    pub max_file_size: Option<u64>,
    /// Show skipped files and timings.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print only findings.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// Files and folders to lint.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit status 1 (default: warning).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Exit with status 1 when no bridgelint document is found (a CI job that must check
    /// something); default: say so on standard error and exit 0.
    #[arg(long)]
    pub fail_on_empty: bool,
    /// Run only these rules (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub select: Option<Vec<String>>,
    /// Skip these rules (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE,...")]
    pub ignore: Vec<String>,
    /// Read one file's text from standard input and treat it as PATH (editors).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Hide the findings recorded in FILE.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Apply the safe fixes in place, then report what remains (with --stdin-filename: print
    /// the fixed text, the report on standard error).
    #[arg(long, conflicts_with = "write_baseline")]
    pub fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too (they change access or behaviour);
    /// without, mark them as available.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change and write nothing; exit 1 when there
    /// is any.
    #[arg(long, conflicts_with_all = ["write_baseline", "add_suppression"])]
    pub diff: bool,
    /// Add a suppression comment with REASON for every current finding that can be
    /// suppressed (YAML only), merged into an existing one on that line.
    #[arg(long, value_name = "REASON", conflicts_with_all = ["write_baseline", "fix"])]
    pub add_suppression: Option<String>,
    /// Colours: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format: text (one line per rule) or json.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
    /// Add rule files from DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The rule name.
    pub rule: String,
    /// Add rule files from DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// integration | service-accounts | rule | system | config | output
    pub kind: String,
}

#[derive(Args, Debug)]
pub struct SystemsArgs {
    /// A system id (e.g. `jira-cloud`): per capability the alternatives per layer, every grant
    /// with its layer and tier, credential types with their lifecycle facts, sources.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Add or override systems from DIR (repeatable).
    #[arg(long = "catalog", value_name = "DIR")]
    pub catalog_dirs: Vec<PathBuf>,
    /// Output format: text or json.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    Table,
    Markdown,
    Csv,
    Json,
    Html,
    // The map of systems and flows alone (a Mermaid flowchart, a Graphviz digraph). No doc
    // comments on the values: they would turn `--help` into its long form.
    Mermaid,
    Dot,
}

#[derive(Args, Debug)]
pub struct InventoryArgs {
    /// Files and folders whose accounts and connections to list (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format (mermaid and dot: the map of systems and flows alone).
    #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
    /// Write the sheet to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Table: show every column, cells whole (default: fit 120 columns).
    #[arg(long)]
    pub wide: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Overwrite an existing .bridgelint.yaml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct TestRulesArgs {
    /// Fixture folders (each checked as one run); default: the built-in rules' fixtures.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Today's date for the fixtures (else their `# test-rules: now=` line, else today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub now: Option<i32>,
    /// Add rule files from DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
    /// Add or override systems from DIR (repeatable).
    #[arg(long = "catalog", value_name = "DIR")]
    pub catalog_dirs: Vec<PathBuf>,
}

fn parse_date(s: &str) -> Result<i32, String> {
    crate::model::date::parse(s).ok_or_else(|| format!("`{s}` is not a real date (YYYY-MM-DD)"))
}
