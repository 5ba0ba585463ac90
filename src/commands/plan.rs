//! `logwarden plan`: read the organization, compute the changes, print them, save them.

use super::collect_inventory;
use crate::cli::PlanFormat;
use crate::config::{InventorySource, PlanConfig};
use crate::error::Error;
use crate::io::{write_file_with, write_json, write_stdout, write_stdout_with};
use crate::plan::{self, render};
use crate::sources::{LoadedBaseline, Plan, Sources};
use std::io::Write;

/// Exit code of `--detailed-exitcode` when there are changes to apply (manual steps alone are
/// not: apply cannot make them).
pub const CHANGES_PRESENT: i32 = 2;

/// Make the plan: from AWS, or from an inventory saved by `plan --save-inventory`.
pub fn make(
    source: &InventorySource,
    baseline: &LoadedBaseline,
    show_progress: bool,
    quiet: bool,
    save_inventory: Option<&std::path::Path>,
) -> Result<Plan, Error> {
    let inventory = match source {
        InventorySource::Files(p) => super::load_inventories(p)?,
        InventorySource::Aws(req) => {
            collect_inventory(req, &baseline.baseline, show_progress, quiet)?
        }
    };
    if let Some(p) = save_inventory {
        write_json(p, &inventory)?;
    }
    let scope = match source {
        InventorySource::Aws(req) => scope_of(req),
        InventorySource::Files(_) => plan::PlanScope::default(),
    };
    crate::engine::plan::plan::<Sources>(
        &baseline.baseline,
        &baseline.source,
        &inventory,
        time::OffsetDateTime::now_utc(),
    )
    .map(|p| p.with_scope(scope))
    .map_err(|e| Error::Usage(e.to_string()))
}

/// The accounts and regions a request reads, as a saved plan records them.
pub fn scope_of(req: &crate::aws::collect::CollectRequest) -> plan::PlanScope {
    plan::PlanScope {
        accounts: req.accounts.clone(),
        exclude_accounts: req.exclude_accounts.clone(),
        regions: req.regions.clone(),
    }
}

pub fn run(
    cfg: PlanConfig,
    show_progress: bool,
    quiet: bool,
    stdout: &mut dyn Write,
) -> Result<i32, Error> {
    for p in cfg.out.iter().chain(cfg.save_inventory.iter()) {
        crate::io::check_writable(p)?;
    }
    if let (InventorySource::Aws(req), Some(p)) = (&cfg.source, &cfg.save_inventory) {
        if let Some((k, n)) = req.shard {
            // One shard of N: read and saved; planned once every shard is in.
            let inventory = collect_inventory(req, &cfg.baseline.baseline, show_progress, quiet)?;
            write_json(p, &inventory)?;
            if !quiet {
                eprintln!(
                    "shard {k}/{n}: {} account(s) read and saved to {}; plan the organization with one --from-inventory per shard: logwarden plan --from-inventory shard-1.json ... --from-inventory shard-{n}.json",
                    inventory.accounts.len(),
                    p.display()
                );
            }
            return Ok(0);
        }
    }
    let plan = make(
        &cfg.source,
        &cfg.baseline,
        show_progress,
        quiet,
        cfg.save_inventory.as_deref(),
    )?;
    if !quiet {
        eprintln!("{}", super::identity(&plan));
    }
    // Written as it is serialized: a plan for a thousand accounts is tens of megabytes of JSON.
    let json = |w: &mut dyn Write| {
        serde_json::to_writer_pretty(&mut *w, &plan).map_err(std::io::Error::from)?;
        w.write_all(b"\n")
    };
    if let Some(p) = &cfg.out {
        write_file_with(p, json)?;
        if !quiet {
            eprintln!(
                "Saved the plan to {}. Apply exactly these changes (same profile, accounts and regions) with: logwarden apply {}",
                p.display(),
                p.display()
            );
        }
    }
    match cfg.format {
        PlanFormat::Text => {
            let text = render::text(&plan);
            let text = if render::color_wanted() {
                render::colored(&text)
            } else {
                text
            };
            write_stdout(stdout, &text)?
        }
        PlanFormat::Json => write_stdout_with(stdout, json)?,
    }
    Ok(match cfg.detailed_exitcode {
        // Something could not be read: the plan is incomplete, which a drift check must not
        // take for "no changes" (or for these changes only).
        true if !plan.unknown.is_empty() => 1,
        true if plan.actionable() > 0 => CHANGES_PRESENT,
        _ => 0,
    })
}
