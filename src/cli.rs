//! Command-line definition (clap derive only; validation lives in [`crate::config`]).

use crate::frameworks::Framework;
use crate::rules::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes:
  0  no failing finding at or above --fail-on
  1  failing findings at or above --fail-on
  2  the audit could not run (bad arguments, bad profile, no credentials)";

#[derive(Debug, Parser)]
#[command(
    name = "logwarden",
    version,
    about = "Audit the logging baseline of an AWS Organization: which logs exist, and which are missing.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing on stderr but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail on stderr (-v: info, -vv: debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Never show a progress bar.
    #[arg(long, global = true)]
    pub no_progress: bool,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once; boxing buys nothing
pub enum Command {
    /// Inventory the logs of every account and region and report the gaps against a baseline.
    #[command(after_help = EXIT_CODES)]
    Audit(AuditArgs),
    /// List the check catalogue.
    Checks(ChecksArgs),
    /// What got better, worse or is new between two reports (or two saved inventories).
    #[command(
        after_help = "Exit codes:\n  0  nothing got worse\n  1  something got worse, or a new failing finding appeared\n  2  the files could not be read"
    )]
    Diff(DiffArgs),
    /// The compliance frameworks and how logwarden's checks map to their controls.
    Frameworks(FrameworksArgs),
    /// Print the JSON Schema of the JSON report (`docs/report.schema.json`).
    Schema,
    /// Baseline profiles: list the bundled ones, show, validate, and their JSON Schema.
    Profiles(ProfilesArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Coverage matrix and failing findings (default on a terminal).
    Table,
    /// The documented, versioned report (default otherwise).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML (CI test reports).
    Junit,
    /// One row per finding.
    Csv,
    /// OCSF Compliance Finding events, JSON Lines (Security Lake).
    Ocsf,
    /// AWS Security Finding Format (Security Hub).
    Asff,
    /// Pull-request comments and CI job summaries.
    Markdown,
    /// One self-contained, printable page.
    Html,
}

impl Format {
    /// The file name `--output-dir` writes this format to.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "report.txt",
            Format::Json => "report.json",
            Format::Sarif => "report.sarif",
            Format::Junit => "report.junit.xml",
            Format::Csv => "report.csv",
            Format::Ocsf => "report.ocsf.jsonl",
            Format::Asff => "report.asff.json",
            Format::Markdown => "report.md",
            Format::Html => "report.html",
        }
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Baseline profile: a bundled name (recommended, cis-aws-v3) or a YAML file.
    #[arg(long, short, default_value = "recommended")]
    pub baseline: String,
    /// AWS named profile of the caller (management account or delegated administrator).
    #[arg(long, conflicts_with = "from_inventory")]
    pub profile: Option<String>,
    /// Region where global calls are signed (default: the profile's, else us-east-1).
    #[arg(long, conflicts_with = "from_inventory")]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint (an emulator); AWS_ENDPOINT_URL is honoured too.
    #[arg(long, conflicts_with = "from_inventory")]
    pub endpoint_url: Option<String>,
    /// Role assumed in each member account.
    #[arg(long, default_value = "OrganizationAccountAccessRole")]
    pub role_name: String,
    /// External id for the role assumption.
    #[arg(long)]
    pub external_id: Option<String>,
    /// Only these accounts (comma-separated ids).
    #[arg(long, value_delimiter = ',', conflicts_with = "from_inventory")]
    pub accounts: Option<Vec<String>>,
    /// Skip these accounts (comma-separated ids).
    #[arg(long, value_delimiter = ',', conflicts_with = "from_inventory")]
    pub exclude_accounts: Vec<String>,
    /// Regions to audit (comma-separated; default: every region enabled for the caller).
    #[arg(long, value_delimiter = ',', conflicts_with = "from_inventory")]
    pub regions: Option<Vec<String>>,
    /// Most AWS calls in flight at once, across all accounts and regions.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Seconds before one call attempt is abandoned.
    #[arg(long, default_value_t = 20)]
    pub call_timeout: u64,
    /// Attempts per call (standard retry with backoff on throttling).
    #[arg(long, default_value_t = 5)]
    pub max_attempts: u32,
    /// Output format(s), comma-separated; several need --output-dir.
    #[arg(long, short, value_enum, value_delimiter = ',')]
    pub format: Vec<Format>,
    /// Write the report to this file instead of stdout.
    #[arg(long, short, conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Write one file per format into this directory (report.json, report.sarif, ...).
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
    /// Only the checks mapped to this framework, scored per control.
    #[arg(long, value_enum)]
    pub framework: Option<Framework>,
    /// Accepted risks (YAML: check, resource pattern, reason, expires); matches become `excepted`.
    #[arg(long)]
    pub exceptions: Option<PathBuf>,
    /// Also exit 1 when any finding is unknown.
    #[arg(long)]
    pub fail_on_unknown: bool,
    /// Also write the raw inventory to this file.
    #[arg(long)]
    pub save_inventory: Option<PathBuf>,
    /// Judge a saved inventory instead of calling AWS.
    #[arg(long)]
    pub from_inventory: Option<PathBuf>,
    /// Exit 1 when a finding of this severity or worse fails.
    #[arg(long, value_enum, default_value_t = Severity::Low)]
    pub fail_on: Severity,
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ChecksFormat::Table)]
    pub format: ChecksFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecksFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report or inventory (JSON).
    pub old: PathBuf,
    /// The later report or inventory (JSON).
    pub new: PathBuf,
    /// Baseline to judge inventories against (reports are already judged).
    #[arg(long, short, default_value = "recommended")]
    pub baseline: String,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct FrameworksArgs {
    #[command(subcommand)]
    pub command: FrameworksCommand,
}

#[derive(Debug, Subcommand)]
pub enum FrameworksCommand {
    /// The frameworks logwarden maps its checks to.
    List,
    /// Every control of a framework and the checks that judge it.
    Show {
        /// The framework (omit with --all).
        #[arg(value_enum, required_unless_present = "all")]
        name: Option<Framework>,
        /// All frameworks (the content of docs/frameworks.md with --format markdown).
        #[arg(long)]
        all: bool,
        #[arg(long, short, value_enum, default_value_t = ChecksFormat::Table)]
        format: ChecksFormat,
    },
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub command: ProfilesCommand,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// The bundled profiles.
    List,
    /// Print a profile (bundled name or file) with every default filled in, as YAML-compatible JSON.
    Show {
        /// Bundled name or file path.
        profile: String,
    },
    /// Check profiles; errors name file, line and column (exit 2 when one is invalid).
    Validate {
        /// Bundled names or file paths.
        #[arg(required = true)]
        profiles: Vec<String>,
    },
    /// The JSON Schema of profiles, for editors (`docs/profile.schema.json`).
    Schema,
}
