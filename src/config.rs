//! Validated settings: the command line checked without touching the network or credentials.

use crate::arn::valid_region;
use crate::aws::{AwsOptions, CollectRequest};
use crate::cli::{ApplyArgs, AuditArgs, AwsArgs, PlanArgs, PlanFormat, QueryArgs};
use crate::engine::Registry;
use crate::error::Error;
use crate::finding::Severity;
use crate::frameworks::Framework;
use crate::report::Format;
use crate::sources::{load_baseline, Baseline, LoadedBaseline, Sources};
use std::path::PathBuf;
use std::time::Duration;

/// Where the inventory comes from.
#[derive(Debug)]
pub enum InventorySource {
    Aws(Box<CollectRequest>),
    /// One saved inventory, or the shards of one organization.
    Files(Vec<PathBuf>),
}

#[derive(Debug)]
pub struct AuditConfig {
    pub source: InventorySource,
    pub baseline: LoadedBaseline,
    pub formats: Vec<Format>,
    pub output: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub save_inventory: Option<PathBuf>,
    pub fail_on: Severity,
    /// How the gate counts findings that could not be judged.
    pub unknowns: crate::report::Unknowns,
    pub framework: Option<Framework>,
    pub exceptions: Vec<crate::exceptions::Exception>,
}

fn valid_account(a: &str) -> bool {
    a.len() == 12 && a.chars().all(|c| c.is_ascii_digit())
}

/// Check the AWS options and turn them into a collection request (no network).
pub fn collect_request(
    aws: AwsArgs,
    baseline: &Baseline,
    plan: bool,
) -> Result<CollectRequest, Error> {
    if let Some(rs) = &aws.regions {
        if rs.is_empty() {
            return Err(Error::Usage("--regions needs at least one region".into()));
        }
        for r in rs {
            if !valid_region(r) {
                return Err(Error::Usage(format!(
                    "`{r}` is not a region name\n  hint: use region codes such as us-east-1,eu-west-1"
                )));
            }
        }
    }
    if let Some(r) = &aws.region {
        if !valid_region(r) {
            return Err(Error::Usage(format!("--region `{r}` is not a region name")));
        }
    }
    // As in the AWS CLI, --region is the region worked on: alone, it is the one region read
    // (and where global calls are signed); --regions lists several.
    let mut aws = aws;
    if aws.regions.is_none() {
        aws.regions = aws.region.clone().map(|r| vec![r]);
    }
    for a in aws.accounts.iter().flatten().chain(&aws.exclude_accounts) {
        if !valid_account(a) {
            return Err(Error::Usage(format!(
                "`{a}` is not an account id\n  hint: account ids are 12 digits"
            )));
        }
    }
    let (read_role, _) =
        crate::profile::access::resolve(&baseline.access, aws.role_name.as_deref(), None);
    for (flag, role) in [("--role-name", &aws.role_name)] {
        if let Some(r) = role {
            if !crate::profile::access::valid_role_name(r) {
                return Err(Error::Usage(format!(
                    "{flag} `{r}` is not an IAM role name\n  hint: give the role's name, not its ARN (1-64 letters, digits and +=,.@_-)"
                )));
            }
        }
    }
    let managed_buckets = if plan {
        crate::engine::plan::managed_bucket_templates::<Sources>(baseline)
    } else {
        vec![]
    };
    Ok(CollectRequest {
        aws: AwsOptions {
            profile: aws.profile,
            region: aws.region,
            endpoint_url: aws.endpoint_url,
            role_name: read_role.clone(),
            apply_role_name: read_role,
            session_name: if plan {
                "logwarden-plan"
            } else {
                "logwarden-audit"
            }
            .into(),
            external_id: aws.external_id,
            max_attempts: aws.max_attempts,
            call_timeout: Duration::from_secs(aws.call_timeout),
        },
        regions: aws.regions,
        accounts: aws.accounts,
        exclude_accounts: aws.exclude_accounts,
        shard: None,
        concurrency: aws.concurrency,
        scope: baseline.scope.clone(),
        managed_buckets,
        plan,
    })
}

/// Saved inventories (`--from-inventory`, once or once per shard, no AWS option beside it),
/// or a collection request.
fn inventory_source(
    from_inventory: Vec<PathBuf>,
    aws: AwsArgs,
    baseline: &Baseline,
    plan: bool,
) -> Result<InventorySource, Error> {
    Ok(if from_inventory.is_empty() {
        InventorySource::Aws(Box::new(collect_request(aws, baseline, plan)?))
    } else {
        no_aws_with_inventory(&aws)?;
        InventorySource::Files(from_inventory)
    })
}

/// `--shard K/N`: 1 ≤ K ≤ N.
fn shard_arg(v: &str) -> Result<(u32, u32), Error> {
    let parsed = v
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u32>().ok()?, n.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err(Error::Usage(format!(
            "--shard `{v}` is not K/N with 1 <= K <= N\n  hint: run N jobs with --shard 1/N ... --shard N/N, each with --save-inventory, then judge them together with one --from-inventory per shard"
        ))),
    }
}

fn no_aws_with_inventory(aws: &AwsArgs) -> Result<(), Error> {
    if aws.any_set() {
        return Err(Error::Usage(
            "--from-inventory reads a saved inventory: --profile, --region, --endpoint-url, --accounts, --exclude-accounts and --regions do not apply".into(),
        ));
    }
    Ok(())
}

impl AuditConfig {
    /// `stdout_is_terminal` picks the default format.
    pub fn from_args(args: AuditArgs, stdout_is_terminal: bool) -> Result<Self, Error> {
        // AWS CLI habit: `--output json` names a format there, a file here.
        if let Some(o) = &args.output {
            let name = o.to_string_lossy();
            let formats: Vec<&str> = Format::ALL
                .iter()
                .map(|f| f.name())
                .chain(["text", "yaml"])
                .collect();
            if formats.contains(&name.as_ref()) {
                return Err(Error::Usage(format!(
                    "--output takes a file path, and `{name}` looks like a format (as in the AWS CLI's --output)\n  hint: use --format {}, or --output ./{name} to write a file named {name}",
                    if name == "text" || name == "yaml" { "table" } else { &name }
                )));
            }
        }
        let baseline = load_baseline(&args.baseline)?;
        let mut formats = args.format.clone();
        formats.dedup();
        if formats.is_empty() {
            let terminal = stdout_is_terminal && args.output.is_none() && args.output_dir.is_none();
            formats.push(if terminal {
                Format::Table
            } else {
                Format::Json
            });
        }
        if formats.len() > 1 && args.output_dir.is_none() {
            return Err(Error::Usage(
                "several formats need --output-dir DIR (one file per format)".into(),
            ));
        }
        let exceptions = match &args.exceptions {
            Some(p) => crate::exceptions::load(
                &p.display().to_string(),
                &Sources::checks().map(|c| c.id).collect::<Vec<_>>(),
                Some(crate::exceptions::Limits {
                    today: time::OffsetDateTime::now_utc().date(),
                    max_days: baseline.baseline.exceptions.max_days,
                }),
            )
            .map_err(|e| Error::Exceptions(Box::new(e)))?,
            None => vec![],
        };
        let mut source =
            inventory_source(args.from_inventory, args.aws, &baseline.baseline, false)?;
        if let (Some(v), InventorySource::Aws(req)) = (&args.shard, &mut source) {
            req.shard = Some(shard_arg(v)?);
        }
        Ok(AuditConfig {
            source,
            baseline,
            formats,
            output: args.output,
            output_dir: args.output_dir,
            save_inventory: args.save_inventory,
            fail_on: args.fail_on,
            unknowns: match (args.fail_on_unknown, args.allow_unknown) {
                (true, _) => crate::report::Unknowns::Any,
                (false, true) => crate::report::Unknowns::Allowed,
                (false, false) => crate::report::Unknowns::AtOrAbove,
            },
            framework: args.framework,
            exceptions,
        })
    }
}

/// Validated `plan` settings.
#[derive(Debug)]
pub struct PlanConfig {
    pub source: InventorySource,
    pub baseline: LoadedBaseline,
    pub out: Option<PathBuf>,
    pub detailed_exitcode: bool,
    pub format: PlanFormat,
    pub save_inventory: Option<PathBuf>,
}

impl PlanConfig {
    pub fn from_args(args: PlanArgs) -> Result<Self, Error> {
        let baseline = load_baseline(&args.baseline)?;
        let mut source = inventory_source(args.from_inventory, args.aws, &baseline.baseline, true)?;
        if let (Some(v), InventorySource::Aws(req)) = (&args.shard, &mut source) {
            req.shard = Some(shard_arg(v)?);
        }
        Ok(PlanConfig {
            source,
            baseline,
            out: args.out,
            detailed_exitcode: args.detailed_exitcode,
            format: args.format,
            save_inventory: args.save_inventory,
        })
    }
}

/// Validated `apply` settings.
#[derive(Debug)]
pub struct ApplyConfig {
    pub request: CollectRequest,
    pub baseline: LoadedBaseline,
    /// The saved plan, when one is applied.
    pub saved: Option<crate::sources::Plan>,
    pub saved_path: Option<PathBuf>,
    pub auto_approve: bool,
    pub allow_irreversible: bool,
    /// Write organization policies (SCPs, RCPs) the plan holds.
    pub allow_scp: bool,
}

impl ApplyConfig {
    pub fn from_args(args: ApplyArgs) -> Result<Self, Error> {
        let mut aws = args.aws;
        let (baseline, saved) = match &args.plan {
            None => (load_baseline(&args.baseline)?, None),
            Some(p) => {
                let plan: crate::sources::Plan = crate::plan::load(p, Sources::validate)?;
                // The saved plan's accounts and regions, never others: a plan is applied
                // exactly where it was made.
                if aws.accounts.is_some()
                    || !aws.exclude_accounts.is_empty()
                    || aws.regions.is_some()
                {
                    return Err(Error::Usage(format!(
                        "{} was made for its own accounts and regions; --accounts, --exclude-accounts and --regions do not apply to it\n  hint: run `logwarden apply {}` alone, or make a new plan for another scope",
                        p.display(),
                        p.display()
                    )));
                }
                aws.accounts = plan.scope.accounts.clone();
                aws.exclude_accounts = plan.scope.exclude_accounts.clone();
                aws.regions = plan.scope.regions.clone();
                (
                    LoadedBaseline {
                        baseline: plan.baseline.clone(),
                        source: plan.baseline_source.clone(),
                    },
                    Some(plan),
                )
            }
        };
        if let Some(r) = &args.apply_role_name {
            if !crate::profile::access::valid_role_name(r) {
                return Err(Error::Usage(format!(
                    "--apply-role-name `{r}` is not an IAM role name\n  hint: give the role's name, not its ARN (1-64 letters, digits and +=,.@_-)"
                )));
            }
        }
        let (_, write_role) = crate::profile::access::resolve(
            &baseline.baseline.access,
            aws.role_name.as_deref(),
            args.apply_role_name.as_deref(),
        );
        let mut request = collect_request(aws, &baseline.baseline, true)?;
        request.aws.apply_role_name = write_role;
        Ok(ApplyConfig {
            request,
            baseline,
            saved,
            saved_path: args.plan,
            auto_approve: args.auto_approve,
            allow_irreversible: args.allow_irreversible,
            allow_scp: args.allow_scp,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn audit(args: &[&str]) -> Result<AuditConfig, Error> {
        let mut v = vec!["logwarden", "audit"];
        v.extend_from_slice(args);
        match crate::cli::Cli::try_parse_from(v).unwrap().command {
            crate::cli::Command::Audit(a) => AuditConfig::from_args(a, false),
            _ => unreachable!(),
        }
    }

    fn regions(cfg: &AuditConfig) -> Option<Vec<String>> {
        match &cfg.source {
            InventorySource::Aws(req) => req.regions.clone(),
            InventorySource::Files(_) => unreachable!(),
        }
    }

    #[test]
    fn region_is_the_region_worked_on_as_in_the_aws_cli() {
        let cfg = audit(&["--region", "eu-west-1"]).unwrap();
        assert_eq!(regions(&cfg), Some(vec!["eu-west-1".to_string()]));
        // --regions still lists several; --region then only signs global calls.
        let cfg = audit(&["--region", "eu-west-1", "--regions", "us-east-1,eu-west-1"]).unwrap();
        assert_eq!(
            regions(&cfg),
            Some(vec!["us-east-1".to_string(), "eu-west-1".to_string()])
        );
        // Neither: every enabled region.
        assert_eq!(regions(&audit(&[]).unwrap()), None);
    }
}

/// Validated `query` settings.
#[derive(Debug)]
pub struct QueryConfig {
    pub source: InventorySource,
    pub baseline: LoadedBaseline,
    pub out: PathBuf,
    pub database: String,
    pub since: time::Date,
    pub until: time::Date,
    pub query_accounts: Vec<String>,
    pub parquet_location: Option<String>,
    /// `--apply`: where and how to run the DDL.
    pub apply: Option<AthenaApply>,
}

/// Validated `query --apply` settings.
#[derive(Debug)]
pub struct AthenaApply {
    pub auto_approve: bool,
    pub account: Option<String>,
    pub region: Option<String>,
    pub workgroup: String,
    pub results: Option<String>,
}

/// A `YYYY-MM-DD` date given as `flag`.
fn date_arg(flag: &str, v: &str) -> Result<time::Date, Error> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(v, f).map_err(|_| {
        Error::Usage(format!(
            "{flag} `{v}` is not a date\n  hint: write it as YYYY-MM-DD, e.g. 2026-11-01"
        ))
    })
}

/// A 12-digit account id given to `query`.
fn account_arg(a: &str) -> Result<(), Error> {
    if valid_account(a) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "`{a}` is not a 12-digit account id\n  hint: --query-accounts and --athena-account take account ids"
    )))
}

/// An `s3://bucket/prefix` location given to `query`.
fn s3_location_arg(l: &str) -> Result<(), Error> {
    if l.starts_with("s3://") && l.len() > 5 {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "`{l}` is not an S3 location\n  hint: --parquet-location and --results take s3://bucket/prefix"
    )))
}

impl QueryConfig {
    /// `today` ends the default window.
    pub fn from_args(args: QueryArgs, today: time::Date) -> Result<Self, Error> {
        let db = &args.database;
        if db.is_empty()
            || db.len() > 255
            || !db
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(Error::Usage(format!(
                "--database `{db}` is not a Glue database name Athena accepts\n  hint: use lower-case letters, digits and underscores, e.g. logwarden"
            )));
        }
        let until = match &args.until {
            Some(v) => date_arg("--until", v)?,
            None => today,
        };
        let since = match &args.since {
            Some(v) => date_arg("--since", v)?,
            None => until.saturating_sub(time::Duration::days(7)),
        };
        if since > until {
            return Err(Error::Usage(format!(
                "--since {since} is after --until {until}\n  hint: give the window's first day first"
            )));
        }
        if (until - since).whole_days() > 366 {
            return Err(Error::Usage(format!(
                "the window {since} to {until} is over a year: the Parquet copy writes one statement per day\n  hint: convert a year or less at a time"
            )));
        }
        for a in args.query_accounts.iter().chain(&args.athena_account) {
            account_arg(a)?;
        }
        for l in args.parquet_location.iter().chain(&args.results) {
            s3_location_arg(l)?;
        }
        if let Some(r) = &args.athena_region {
            if !valid_region(r) {
                return Err(Error::Usage(format!(
                    "--athena-region: `{r}` is not a region name\n  hint: use a region code such as us-east-1"
                )));
            }
        }
        let apply = args.apply.then(|| AthenaApply {
            auto_approve: args.auto_approve,
            account: args.athena_account.clone(),
            region: args.athena_region.clone(),
            workgroup: args.workgroup.clone(),
            results: args.results.clone(),
        });
        let baseline = load_baseline(&args.baseline)?;
        let source = inventory_source(args.from_inventory, args.aws, &baseline.baseline, false)?;
        Ok(QueryConfig {
            apply,
            source,
            baseline,
            out: args.out,
            database: args.database,
            since,
            until,
            query_accounts: args.query_accounts,
            parquet_location: args.parquet_location,
        })
    }
}

/// Validated `evidence pull` settings.
#[derive(Debug)]
pub struct EvidencePullConfig {
    /// How to reach AWS (always: the logs are read from S3), and what to read first when no
    /// saved inventory is given.
    pub request: CollectRequest,
    pub inventory: Option<PathBuf>,
    pub baseline: LoadedBaseline,
    /// The source id whose tables say where the logs land (`cloudtrail`...).
    pub source: &'static str,
    pub since: time::OffsetDateTime,
    pub until: time::OffsetDateTime,
    pub out: PathBuf,
    /// `--public-keys`, read and parsed.
    pub public_keys: Option<Vec<crate::evidence::PublicKey>>,
    pub parquet: bool,
}

/// A window bound: RFC 3339, or a day (its first second for `--since`, its last for `--until`).
fn instant_arg(flag: &str, v: &str, end_of_day: bool) -> Result<time::OffsetDateTime, Error> {
    if let Some(t) = crate::timefmt::parse(v) {
        return Ok(t);
    }
    let d = date_arg(flag, v).map_err(|_| {
        Error::Usage(format!(
            "{flag} `{v}` is neither a time nor a date\n  hint: write 2026-11-27T08:00:00Z, or 2026-11-27 for the whole day"
        ))
    })?;
    let t = if end_of_day {
        time::macros::time!(23:59:59)
    } else {
        time::Time::MIDNIGHT
    };
    Ok(d.with_time(t).assume_utc())
}

/// A `--public-keys` file, parsed.
fn public_keys_arg(p: &std::path::Path) -> Result<Vec<crate::evidence::PublicKey>, Error> {
    let text = crate::io::read_capped(p, 16 * 1024 * 1024)?;
    crate::evidence::parse_public_keys(&text).map_err(|e| {
        Error::Usage(format!(
            "{}: {e}\n  hint: save the output of `aws cloudtrail list-public-keys --start-time ... --end-time ...`",
            p.display()
        ))
    })
}

impl EvidencePullConfig {
    /// `now` ends the default window.
    pub fn from_args(
        args: crate::cli::EvidencePullArgs,
        now: time::OffsetDateTime,
    ) -> Result<Self, Error> {
        let since = instant_arg("--since", &args.since, false)?;
        let until = match &args.until {
            Some(v) => instant_arg("--until", v, true)?,
            None => now,
        };
        if since > until {
            return Err(Error::Usage(format!(
                "--since {} is after --until {}\n  hint: give the window's start first",
                crate::timefmt::rfc3339(since),
                crate::timefmt::rfc3339(until)
            )));
        }
        if (until - since).whole_days() > 366 {
            return Err(Error::Usage(
                "the window is over a year\n  hint: pull a year or less at a time (or query the logs where they lie: `logwarden query`)".into(),
            ));
        }
        let public_keys = args
            .public_keys
            .as_deref()
            .map(public_keys_arg)
            .transpose()?;
        let baseline = load_baseline(&args.baseline)?;
        let request = collect_request(args.aws, &baseline.baseline, false)?;
        Ok(EvidencePullConfig {
            request,
            inventory: args.from_inventory,
            baseline,
            source: args.source.source_id(),
            since,
            until,
            out: args.out,
            public_keys,
            parquet: args.format == Some(crate::cli::EvidenceFormat::Parquet),
        })
    }
}

/// Validated `evidence verify` settings.
#[derive(Debug)]
pub struct EvidenceVerifyConfig {
    pub dir: PathBuf,
    pub public_keys: Option<Vec<crate::evidence::PublicKey>>,
    pub json: bool,
}

impl EvidenceVerifyConfig {
    pub fn from_args(args: crate::cli::EvidenceVerifyArgs) -> Result<Self, Error> {
        Ok(EvidenceVerifyConfig {
            public_keys: args
                .public_keys
                .as_deref()
                .map(public_keys_arg)
                .transpose()?,
            dir: args.dir,
            json: args.json,
        })
    }
}
