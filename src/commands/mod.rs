//! Subcommand orchestration: settings in, output written, exit code out.

pub mod apply;
pub mod audit;
pub mod checks;
pub mod diff;
pub mod evidence;
pub mod frameworks;
pub mod plan;
pub mod profiles;
pub mod query;

use crate::cli::{Cli, Command};
use crate::engine::Registry;
use crate::error::Error;
use crate::sources::{Inventory, Plan, Sources};
use indicatif::ProgressBar;
use std::io::{IsTerminal, Write};

/// Run the parsed command line; returns the exit code for a successful run. The IAM actions
/// the run called are logged at debug level (`-vv`), as `logwarden permissions` lists them.
pub fn run(cli: Cli, stdout: &mut dyn Write) -> Result<i32, Error> {
    let result = run_command(cli, stdout);
    let called = crate::aws::call::called_actions();
    if !called.is_empty() {
        tracing::debug!("IAM actions called: {}", called.join(" "));
    }
    result
}

fn run_command(cli: Cli, stdout: &mut dyn Write) -> Result<i32, Error> {
    let show_progress = progress_wanted(cli.quiet, cli.no_progress, cli.verbose);
    let quiet = cli.quiet;
    match cli.command {
        Command::Checks(args) => checks::run(&args, stdout),
        Command::Diff(args) => diff::run(&args, stdout),
        Command::Frameworks(args) => frameworks::run(&args, stdout),
        Command::Profiles(args) => profiles::run(&args, stdout),
        Command::Schema => {
            let catalog = Sources::catalog();
            let coverage: Vec<&str> = catalog.coverage_columns().map(|(id, _)| id).collect();
            let schema = crate::report::json_schema(&coverage, &catalog.lookback_sources());
            crate::io::write_stdout(stdout, &schema)?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "logwarden",
                &mut buf,
            );
            crate::io::write_stdout(stdout, &String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut buf)
                .map_err(|source| Error::Io {
                    action: "render",
                    path: "the man page".into(),
                    source,
                })?;
            crate::io::write_stdout(stdout, &String::from_utf8_lossy(&buf))?;
            Ok(0)
        }
        Command::Permissions(args) => permissions(&args, stdout),
        Command::Plan(args) => {
            let detailed = args.detailed_exitcode;
            let result = crate::config::PlanConfig::from_args(args)
                .and_then(|cfg| plan::run(cfg, show_progress, quiet, stdout));
            match result {
                // --detailed-exitcode reserves 2 for "changes present": errors are 1.
                Err(e) if detailed => {
                    eprintln!("error: {e}");
                    Ok(1)
                }
                other => other,
            }
        }
        Command::Apply(args) => {
            let cfg = crate::config::ApplyConfig::from_args(args)?;
            apply::run(cfg, show_progress, quiet, stdout)
        }
        Command::Query(args) => {
            let today = time::OffsetDateTime::now_utc().date();
            let cfg = crate::config::QueryConfig::from_args(args, today)?;
            query::run(cfg, show_progress, quiet)
        }
        Command::Evidence(crate::cli::EvidenceCommand::Pull(args)) => {
            let now = time::OffsetDateTime::now_utc();
            let cfg = crate::config::EvidencePullConfig::from_args(args, now)?;
            evidence::pull(cfg, show_progress, quiet, stdout)
        }
        Command::Evidence(crate::cli::EvidenceCommand::Verify(args)) => {
            let cfg = crate::config::EvidenceVerifyConfig::from_args(args)?;
            evidence::verify(cfg, stdout)
        }
        Command::Audit(args) => {
            let cfg = crate::config::AuditConfig::from_args(args, std::io::stdout().is_terminal())?;
            audit::run(cfg, show_progress, quiet, stdout)
        }
    }
}

/// `logwarden permissions`.
fn permissions(args: &crate::cli::PermissionsArgs, stdout: &mut dyn Write) -> Result<i32, Error> {
    use crate::cli::{PermissionsFormat as F, PermissionsPhase as P};
    use crate::permissions::{self as perm, Phase};
    let phase = match args.phase {
        P::Audit => Phase::Audit,
        P::Plan => Phase::Plan,
        P::Apply => Phase::Apply,
        P::Query => Phase::Query,
        P::Evidence => Phase::Evidence,
    };
    let text = match args.format {
        F::Json => {
            let mut s = serde_json::to_string_pretty(&perm::policy(phase, &args.role_name, args.partition.name()))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        F::List => perm::list(phase),
        F::Markdown => perm::markdown(),
        F::Cloudformation | F::Terraform if phase != Phase::Audit => {
            return Err(Error::Usage(format!(
                "the templates make the read-only audit role; for {} print the policy: `logwarden permissions {}`",
                phase.name(),
                phase.name()
            )))
        }
        F::Cloudformation => perm::cloudformation(&args.role_name),
        F::Terraform => perm::terraform(&args.role_name),
    };
    crate::io::write_stdout(stdout, &text)?;
    Ok(0)
}

fn progress_wanted(quiet: bool, no_progress: bool, verbose: u8) -> bool {
    !quiet && !no_progress && verbose == 0 && std::io::stderr().is_terminal()
}

/// Saved inventories as one: a single file, or the shards of one organization merged.
pub fn load_inventories(paths: &[std::path::PathBuf]) -> Result<Inventory, Error> {
    let mut parts = Vec::new();
    for p in paths {
        parts.push((
            p.display().to_string(),
            crate::inventory::load::<Sources>(p)?,
        ));
    }
    crate::inventory::merge(parts).map_err(|e| {
        Error::Usage(format!(
            "{e}\n  hint: pass one --from-inventory per shard of the same `audit --shard K/N` run"
        ))
    })
}

/// Collect the inventory, with a progress bar on stderr when asked.
pub fn collect_inventory(
    req: &crate::aws::CollectRequest,
    baseline: &crate::sources::Baseline,
    show_progress: bool,
    quiet: bool,
) -> Result<Inventory, Error> {
    let progress = if show_progress {
        let pb = ProgressBar::new(0);
        pb.set_style(crate::io::progress_waiting());
        pb.set_message("starting");
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    } else {
        ProgressBar::hidden()
    };
    let (inv, calls) = crate::aws::runtime()?.block_on(
        crate::engine::collect::collect::<Sources>(req, baseline, &progress),
    )?;
    progress.finish_and_clear();
    tracing::info!(api_calls = calls, "collection finished");
    if !quiet {
        let n_units = inv.accounts.len() * inv.regions.len();
        tracing::info!("{calls} AWS calls for {n_units} account-regions");
    }
    Ok(inv)
}

/// Who plans or applies, and where: said before anything is written, since apply writes with
/// these credentials.
pub fn identity(plan: &Plan) -> String {
    match &plan.organization_id {
        Some(org) => format!(
            "Caller: account {} (the management account of organization {org}).",
            plan.caller_account_id
        ),
        None => format!(
            "Caller: account {} (outside an organization: only this account).",
            plan.caller_account_id
        ),
    }
}
