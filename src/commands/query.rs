//! `logwarden query`: read (or load) the inventory, let every source turn its logs into Athena
//! tables and queries, write them into the output folder.

use super::collect_inventory;
use crate::config::{InventorySource, QueryConfig};
use crate::error::Error;
use crate::io::write_file;
use crate::query::QueryCtx;
use crate::sources::Sources;

pub fn run(cfg: QueryConfig, show_progress: bool, quiet: bool) -> Result<i32, Error> {
    crate::io::check_writable_dir(&cfg.out)?;
    let inventory = match &cfg.source {
        InventorySource::File(p) => crate::inventory::load::<Sources>(p)?,
        InventorySource::Aws(req) => {
            collect_inventory(req, &cfg.baseline.baseline, show_progress, quiet)?
        }
    };
    let ctx = QueryCtx {
        database: cfg.database.clone(),
        org_id: inventory.organization.as_ref().map(|o| o.id.clone()),
        accounts: inventory
            .accounts
            .iter()
            .map(|a| a.account_id.clone())
            .collect(),
        regions: inventory.regions.clone(),
        since: cfg.since,
        until: cfg.until,
        only_accounts: cfg.query_accounts.clone(),
        parquet_location: cfg.parquet_location.clone(),
    };
    let found = crate::engine::query::<Sources>(&inventory, &ctx);
    let files = crate::query::render(&ctx, &found);
    for (rel, text) in &files {
        let path = cfg.out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                action: "create",
                path: dir.display().to_string(),
                source,
            })?;
        }
        write_file(&path, text)?;
    }
    if !quiet {
        eprintln!(
            "wrote {} table(s), {} starter quer{}, {} Logs Insights quer{} into {} (start with {})",
            found.tables.len(),
            found.tables.iter().map(|t| t.queries.len()).sum::<usize>(),
            if found.tables.iter().map(|t| t.queries.len()).sum::<usize>() == 1 {
                "y"
            } else {
                "ies"
            },
            found.insights.len(),
            if found.insights.len() == 1 {
                "y"
            } else {
                "ies"
            },
            cfg.out.display(),
            cfg.out.join("index.md").display()
        );
        for n in &found.notes {
            eprintln!("note: {n}");
        }
    }
    Ok(0)
}
