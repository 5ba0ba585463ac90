//! Command-line definition (clap derive only; validation lives in [`crate::config`]).

use crate::finding::Severity;
use crate::frameworks::Framework;
use crate::report::Format;
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes:
  0  no finding at or above --fail-on fails or could not be judged
  1  failing findings at or above --fail-on
  2  the audit could not run (bad arguments, bad profile, no credentials)
  3  nothing at or above --fail-on fails, but some of it could not be judged (unknown: it may be
     failing); --allow-unknown accepts that, --fail-on-unknown counts unknowns of any severity";

const PLAN_EXIT_CODES: &str = "Exit codes:
  0  the plan was made (with --detailed-exitcode: no changes)
  1  error (with --detailed-exitcode)
  2  with --detailed-exitcode: changes present; without it: the plan could not be made";

const APPLY_EXIT_CODES: &str = "Exit codes:
  0  every change was made (manual steps are listed, not made)
  1  a change failed or was skipped, the saved plan is stale, or the apply was not confirmed
  2  apply could not run (bad arguments, bad profile, no credentials)";

#[derive(Debug, Parser)]
#[command(
    name = "logwarden",
    version,
    about = "Audit and enforce the logging baseline of an AWS Organization: which logs exist, which are missing, and what it takes to fix them.",
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
    /// Show what apply would change to bring the organization to the baseline.
    #[command(after_help = PLAN_EXIT_CODES)]
    Plan(PlanArgs),
    /// Make the changes: create or complete trails, buckets, keys, Config, flow logs, access logs, budgets.
    #[command(after_help = APPLY_EXIT_CODES)]
    Apply(ApplyArgs),
    /// Write ready-to-run Athena tables (partition projection over the real key layout), starter
    /// incident-response queries, Parquet conversions and Logs Insights queries for the logs
    /// the inventory found.
    #[command(
        after_help = "Exit codes:\n  0  the files were written\n  2  the inventory could not be read or the files could not be written"
    )]
    Query(QueryArgs),
    /// Copy a window of logs out of their buckets with a chain-of-custody manifest, and prove
    /// CloudTrail's were not altered (digest signatures, log hashes, the digest chain).
    #[command(subcommand)]
    Evidence(EvidenceCommand),
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `logwarden man > logwarden.1`.
    Man,
    /// The IAM permissions a command needs, generated from the code: a ready IAM policy, a
    /// list, or a read-only audit role (CloudFormation StackSet template, Terraform).
    Permissions(PermissionsArgs),
}

/// `--format` values: the report formats, with their help text.
impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &Format::ALL
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.description()))
    }
}

/// `--fail-on` values.
impl ValueEnum for Severity {
    fn value_variants<'a>() -> &'a [Self] {
        &Severity::ALL
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.as_str()))
    }
}

/// `--framework` and `frameworks show` values.
impl ValueEnum for Framework {
    fn value_variants<'a>() -> &'a [Self] {
        &Framework::ALL
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.title()))
    }
}

/// How to reach AWS: caller credentials, role assumption, what to read, and how fast.
#[derive(Debug, Clone, Args)]
pub struct AwsArgs {
    /// AWS named profile of the caller (management account or delegated administrator).
    #[arg(long)]
    pub profile: Option<String>,
    /// The region to work on, as in the AWS CLI: only it is read (unless --regions lists
    /// others), and global calls are signed there (default: the profile's, else us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// Send every AWS call to this endpoint (an emulator); AWS_ENDPOINT_URL is honoured too.
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Role assumed in each member account to read (default: the profile's
    /// `access.audit_role`, else OrganizationAccountAccessRole). A read-only role is enough:
    /// `logwarden permissions audit --format cloudformation` makes one.
    #[arg(long, env = "LOGWARDEN_ROLE_NAME")]
    pub role_name: Option<String>,
    /// External id for the role assumption.
    #[arg(long, env = "LOGWARDEN_EXTERNAL_ID", hide_env_values = true)]
    pub external_id: Option<String>,
    /// Only these accounts (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub accounts: Option<Vec<String>>,
    /// Skip these accounts (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub exclude_accounts: Vec<String>,
    /// Regions to read (comma-separated; default: the --region given, else every region
    /// enabled for the caller).
    #[arg(long, value_delimiter = ',')]
    pub regions: Option<Vec<String>>,
    /// Most AWS calls in flight at once, across all accounts and regions (and at most 8 in
    /// one account and region, where AWS's rate limits apply); 1 to 2048. Each holds a
    /// connection, and more in flight take more memory and CPU.
    #[arg(
        long,
        default_value_t = crate::aws::call::DEFAULT_CONCURRENCY,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
            .range(1..=crate::aws::call::MAX_CONCURRENCY as u64)
    )]
    pub concurrency: usize,
    /// Seconds before one call attempt is abandoned (at least 1).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    pub call_timeout: u64,
    /// Attempts per call (standard retry with backoff on throttling; at least 1).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attempts: u32,
}

impl AwsArgs {
    /// Whether any option that only matters when calling AWS was given.
    pub fn any_set(&self) -> bool {
        self.profile.is_some()
            || self.region.is_some()
            || self.endpoint_url.is_some()
            || self.accounts.is_some()
            || !self.exclude_accounts.is_empty()
            || self.regions.is_some()
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Baseline profile: a bundled name (recommended, cis-aws-v3, minimal) or a YAML file.
    #[arg(long, short, default_value = "recommended")]
    pub baseline: String,
    #[command(flatten)]
    pub aws: AwsArgs,
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
    /// Exit 3 when any finding could not be judged, whatever its severity (by default only
    /// unknowns at or above --fail-on count).
    #[arg(long, conflicts_with = "allow_unknown")]
    pub fail_on_unknown: bool,
    /// Accept findings that could not be judged: they never fail the gate (exit 3 is not
    /// used). For pipelines that knowingly accept partial reads.
    #[arg(long, env = "LOGWARDEN_ALLOW_UNKNOWN")]
    pub allow_unknown: bool,
    /// Also write the raw inventory to this file.
    #[arg(long)]
    pub save_inventory: Option<PathBuf>,
    /// Judge a saved inventory instead of calling AWS; repeat it to judge the shards of one
    /// organization together (`--shard`).
    #[arg(long)]
    pub from_inventory: Vec<PathBuf>,
    /// Read only shard K of N of the organization's accounts (a stable split by account id),
    /// for N parallel jobs; save each with --save-inventory and judge them together with one
    /// --from-inventory per shard. The organization's trail lists are read whole in each.
    #[arg(
        long,
        value_name = "K/N",
        requires = "save_inventory",
        conflicts_with = "from_inventory"
    )]
    pub shard: Option<String>,
    /// Exit 1 when a finding of this severity or worse fails (and 3 when one could not be
    /// judged).
    #[arg(long, value_enum, default_value_t = Severity::Low)]
    pub fail_on: Severity,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Baseline profile (its scope limits the accounts and regions read, as for audit).
    #[arg(long, short, default_value = "recommended")]
    pub baseline: String,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Read a saved inventory (`audit --save-inventory`) instead of calling AWS (repeat it for
    /// the shards of one organization).
    #[arg(long)]
    pub from_inventory: Vec<PathBuf>,
    /// The folder to write into: tables/, queries/, parquet/, insights/, index.md, index.json.
    #[arg(long)]
    pub out: PathBuf,
    /// The Glue database the tables are created in.
    #[arg(long, default_value = "logwarden")]
    pub database: String,
    /// First day the starter queries and the Parquet copy cover (YYYY-MM-DD; default: 7 days
    /// before --until).
    #[arg(long)]
    pub since: Option<String>,
    /// Last day they cover (YYYY-MM-DD; default: today, UTC).
    #[arg(long)]
    pub until: Option<String>,
    /// Only these accounts in the starter queries (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub query_accounts: Vec<String>,
    /// Where the Parquet copies go (s3://bucket/prefix).
    #[arg(long)]
    pub parquet_location: Option<String>,
    /// Also create the database and the tables: run the DDL through Athena (after showing
    /// what will run and asking, unless --auto-approve). Never changes a log bucket.
    #[arg(long, conflicts_with = "from_inventory")]
    pub apply: bool,
    /// With --apply: run without asking.
    #[arg(long, requires = "apply")]
    pub auto_approve: bool,
    /// With --apply: the account Athena runs in (default: the account that holds most of the
    /// log buckets, the log archive usually), entered with the apply role.
    #[arg(long, requires = "apply")]
    pub athena_account: Option<String>,
    /// With --apply: the region Athena runs in (default: that of most of the log buckets).
    #[arg(long, requires = "apply")]
    pub athena_region: Option<String>,
    /// With --apply: the Athena work group.
    #[arg(long, default_value = "primary", requires = "apply")]
    pub workgroup: String,
    /// With --apply: where Athena writes query results (s3://bucket/prefix), when the work
    /// group does not set it.
    #[arg(long, requires = "apply")]
    pub results: Option<String>,
}

const EVIDENCE_EXIT_CODES: &str = "Exit codes:
  0  every file of the window is valid (or, for sources without digests, copied)
  1  a file is modified, missing, not covered by a digest, or a digest does not verify
  2  the pull or the verification could not run";

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once; boxing buys nothing
pub enum EvidenceCommand {
    /// Download the log files (and CloudTrail's digest files) of a window from where the
    /// inventory says they land, validate them, and write DIR/manifest.json.
    #[command(after_help = EVIDENCE_EXIT_CODES)]
    Pull(EvidencePullArgs),
    /// Validate a pulled copy again, offline, with the manifest's public keys: whoever receives
    /// the evidence can check it.
    #[command(after_help = EVIDENCE_EXIT_CODES)]
    Verify(EvidenceVerifyArgs),
}

/// The logs `evidence pull` copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceSource {
    /// CloudTrail log files and digest files, validated.
    Cloudtrail,
    /// VPC flow logs delivered to S3.
    FlowLogs,
    /// Load balancer access logs.
    Elb,
    /// S3 server access logs.
    S3Access,
    /// Route 53 Resolver query logs delivered to S3.
    Resolver,
}

impl EvidenceSource {
    /// The source id whose query tables say where its logs land.
    pub fn source_id(self) -> &'static str {
        match self {
            EvidenceSource::Cloudtrail => "cloudtrail",
            EvidenceSource::FlowLogs => "vpc_flow_logs",
            EvidenceSource::Elb => "elb_access_logs",
            EvidenceSource::S3Access => "s3_access_logs",
            EvidenceSource::Resolver => "resolver_query_logs",
        }
    }
}

#[derive(Debug, Args)]
pub struct EvidencePullArgs {
    /// Whose logs to pull.
    #[arg(long, value_enum, default_value_t = EvidenceSource::Cloudtrail)]
    pub source: EvidenceSource,
    /// Start of the window: RFC 3339 (2026-11-27T08:00:00Z) or a day (2026-11-27, from 00:00 UTC).
    #[arg(long)]
    pub since: String,
    /// End of the window: RFC 3339 or a day (to 23:59:59 UTC); default: now.
    #[arg(long)]
    pub until: Option<String>,
    /// The evidence folder: files/<bucket>/<key>, manifest.json, parquet/. A folder holding an
    /// earlier pull resumes it: files already downloaded and unchanged are not fetched again.
    #[arg(long)]
    pub out: PathBuf,
    /// CloudTrail's public keys as `aws cloudtrail list-public-keys` prints them (JSON), instead
    /// of calling ListPublicKeys.
    #[arg(long)]
    pub public_keys: Option<PathBuf>,
    /// Also write the records as Parquet (CloudTrail), partitioned by source, account, region
    /// and date.
    #[arg(long, value_enum)]
    pub format: Option<EvidenceFormat>,
    /// Baseline profile (its scope limits the accounts and regions read, as for audit).
    #[arg(long, short, default_value = "recommended")]
    pub baseline: String,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Where the logs land, from a saved inventory (`audit --save-inventory`) instead of reading
    /// the organization first; the logs themselves are still read from S3.
    #[arg(long)]
    pub from_inventory: Option<PathBuf>,
}

/// Extra output of `evidence pull`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceFormat {
    Parquet,
}

#[derive(Debug, Args)]
pub struct EvidenceVerifyArgs {
    /// The evidence folder `evidence pull` wrote.
    pub dir: PathBuf,
    /// Check against these public keys (`aws cloudtrail list-public-keys` output) instead of
    /// the ones the manifest recorded.
    #[arg(long)]
    pub public_keys: Option<PathBuf>,
    /// Print every file's verdict as JSON (the manifest's `files`, judged again).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Explain one check (its id, as in reports): what it reads, why, how to fix it.
    pub id: Option<String>,
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
pub struct PermissionsArgs {
    /// The command whose permissions to print (each includes the ones before it).
    #[arg(value_enum, default_value_t = PermissionsPhase::Audit)]
    pub phase: PermissionsPhase,
    /// Output format: an IAM policy document, one action per line, the Markdown of
    /// docs/permissions.md (every phase), or the read-only audit role for every member account.
    #[arg(long, short, value_enum, default_value_t = PermissionsFormat::Json)]
    pub format: PermissionsFormat,
    /// The role logwarden assumes in each account (sts:AssumeRole is granted on it alone; the
    /// role the templates create).
    #[arg(
        long,
        env = "LOGWARDEN_ROLE_NAME",
        default_value = "OrganizationAccountAccessRole"
    )]
    pub role_name: String,
    /// The AWS partition the policy's ARNs name (GovCloud and China regions have their own).
    #[arg(long, value_enum, default_value_t = PartitionName::Aws)]
    pub partition: PartitionName,
}

/// An AWS partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PartitionName {
    Aws,
    #[value(name = "aws-us-gov")]
    AwsUsGov,
    #[value(name = "aws-cn")]
    AwsCn,
}

impl PartitionName {
    /// The partition as ARNs write it.
    pub fn name(self) -> &'static str {
        match self {
            PartitionName::Aws => "aws",
            PartitionName::AwsUsGov => "aws-us-gov",
            PartitionName::AwsCn => "aws-cn",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PermissionsPhase {
    Audit,
    Plan,
    Apply,
    /// `query --apply`: the audit's reads, and Athena creating the tables.
    Query,
    /// `evidence pull`: the audit's reads, the log objects and CloudTrail's public keys.
    Evidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PermissionsFormat {
    Json,
    List,
    Markdown,
    Cloudformation,
    Terraform,
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
        /// The framework (or --all).
        #[arg(value_enum)]
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

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Baseline profile: a bundled name (recommended, cis-aws-v3, minimal) or a YAML file.
    #[arg(long, short, default_value = "recommended")]
    pub baseline: String,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Save the plan (JSON) for `logwarden apply FILE`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Output format on stdout.
    #[arg(long, short, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Also write the inventory read for the plan to this file.
    #[arg(long)]
    pub save_inventory: Option<PathBuf>,
    /// Plan from an inventory saved by `plan --save-inventory` instead of calling AWS (repeat
    /// it for the shards of one organization).
    #[arg(long)]
    pub from_inventory: Vec<PathBuf>,
    /// Only read shard K of N of the organization's accounts and save them (--save-inventory),
    /// for N parallel jobs; no plan is made until the shards are planned together with one
    /// --from-inventory per shard.
    #[arg(long, value_name = "K/N", requires = "save_inventory", conflicts_with_all = ["from_inventory", "out"])]
    pub shard: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// `+ create`, `~ update` with old → new values, `! manual`, and the summary line.
    Text,
    /// The plan document (the same as `--out`).
    Json,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved by `logwarden plan --out FILE` (applied without a prompt, refused if stale).
    pub plan: Option<PathBuf>,
    /// Baseline profile, when no saved plan is given.
    #[arg(long, short, default_value = "recommended", conflicts_with = "plan")]
    pub baseline: String,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Apply without asking (required when stdin is not a terminal and no saved plan is given).
    #[arg(long)]
    pub auto_approve: bool,
    /// Also make irreversible changes (enabling Object Lock, COMPLIANCE retention).
    #[arg(long)]
    pub allow_irreversible: bool,
    /// Also write the organization policies the plan shows (the SCP, and the RCP on the log
    /// archive, that stop the logging from being turned off).
    #[arg(long)]
    pub allow_scp: bool,
    /// Role apply makes its changes with in each member account (default: the profile's
    /// `access.apply_role`, else the role it reads with).
    #[arg(long, env = "LOGWARDEN_APPLY_ROLE_NAME")]
    pub apply_role_name: Option<String>,
}
