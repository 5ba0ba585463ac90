//! `logwarden query`: read (or load) the inventory, let every source turn its logs into Athena
//! tables and queries, write them into the output folder.

use super::collect_inventory;
use crate::aws::apply::Executor;
use crate::aws::athena::{self, Ended, Target};
use crate::aws::CallCtx;
use crate::config::{AthenaApply, InventorySource, QueryConfig};
use crate::error::Error;
use crate::io::write_file;
use crate::query::{Contribution, QueryCtx, Reader};
use crate::sources::{Inventory, Sources};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

pub fn run(cfg: QueryConfig, show_progress: bool, quiet: bool) -> Result<i32, Error> {
    crate::io::check_writable_dir(&cfg.out)?;
    let inventory = match &cfg.source {
        InventorySource::Files(p) => super::load_inventories(p)?,
        InventorySource::Aws(req) => {
            collect_inventory(req, &cfg.baseline.baseline, show_progress, quiet)?
        }
    };
    let ctx = QueryCtx {
        reader: None,
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
    let ctx = QueryCtx {
        reader: Some(reader(&cfg, &inventory, &found)),
        ..ctx
    };
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
    match (&cfg.apply, &cfg.source) {
        (Some(a), InventorySource::Aws(req)) => {
            create_tables(a, &req.aws, req.concurrency, &ctx, &found)
        }
        _ => Ok(0),
    }
}

/// Who will query the logs: `--athena-account` / `--athena-region`, else the account and
/// region holding most of the tables' buckets (the log archive, usually: where Athena reads
/// them without crossing accounts), else the caller; and who owns each bucket.
fn reader(cfg: &QueryConfig, inv: &Inventory, found: &Contribution) -> Reader {
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for a in &inv.accounts {
        for b in a.data.s3_access_logs.buckets.value().into_iter().flatten() {
            owners.insert(b.name.clone(), a.account_id.clone());
            let tables = found.tables.iter().filter(|t| t.bucket == b.name).count();
            if let (Some(r), true) = (b.region.value(), tables > 0) {
                *count.entry((a.account_id.clone(), r.clone())).or_default() += tables;
            }
        }
    }
    let home = count.into_iter().max_by_key(|(_, n)| *n).map(|(k, _)| k);
    let flag = |f: fn(&AthenaApply) -> Option<String>| cfg.apply.as_ref().and_then(f);
    Reader {
        partition: inv.partition.clone(),
        account: flag(|a| a.account.clone())
            .or_else(|| home.as_ref().map(|h| h.0.clone()))
            .unwrap_or_else(|| inv.caller_account_id.clone()),
        region: flag(|a| a.region.clone())
            .or_else(|| home.as_ref().map(|h| h.1.clone()))
            .unwrap_or_else(|| "us-east-1".into()),
        bucket_owners: owners,
    }
}

/// `--apply`: show what Athena will run, ask, then run the database's and each table's DDL.
fn create_tables(
    a: &AthenaApply,
    aws: &crate::aws::AwsOptions,
    concurrency: usize,
    ctx: &QueryCtx,
    found: &Contribution,
) -> Result<i32, Error> {
    let Some(r) = &ctx.reader else {
        return Ok(0);
    };
    let (account, region) = (r.account.clone(), r.region.clone());
    let mut statements: Vec<(String, String)> = vec![(
        format!("database `{}`", ctx.database),
        format!("CREATE DATABASE IF NOT EXISTS `{}`", ctx.database),
    )];
    for t in &found.tables {
        statements.push((
            format!("table `{}`.`{}`", ctx.database, t.name),
            t.ddl(&ctx.database),
        ));
    }
    eprintln!(
        "\nAthena in account {account}, region {region}, work group {} will create:",
        a.workgroup
    );
    for (what, _) in &statements {
        eprintln!("  + {what}");
    }
    eprintln!("(IF NOT EXISTS: what exists is kept; no log bucket is changed)");
    if !a.auto_approve {
        if !std::io::stdin().is_terminal() {
            eprintln!("error: refusing to create the tables without confirmation: stdin is not a terminal.\n  hint: review the list above and pass --auto-approve");
            return Ok(1);
        }
        eprint!("\nCreate them? Only 'yes' will be accepted: ");
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if answer.trim() != "yes" {
            eprintln!("Cancelled.");
            return Ok(1);
        }
    }
    let rt = crate::aws::runtime()?;
    let exec = rt.block_on(Executor::connect(
        aws,
        std::slice::from_ref(&account),
        concurrency,
    ))?;
    let session = match exec.session(&account) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "error: cannot enter account {account} to run Athena: {} returned {} ({}); {}",
                e.iam_action,
                e.code,
                e.message,
                e.advice()
            );
            return Ok(1);
        }
    };
    let target = Target {
        session,
        region: &region,
        workgroup: &a.workgroup,
        output: a.results.as_deref(),
    };
    let call = CallCtx::new(&account, Some(&region), &exec.writes);
    let mut failed = 0;
    for (what, sql) in &statements {
        let ended = rt.block_on(athena::run(&target, &call, sql, Duration::from_secs(120)));
        match ended {
            Ok(Ended::Succeeded) => eprintln!("  created {what}"),
            Ok(Ended::Failed(why)) => {
                failed += 1;
                eprintln!("  failed {what}: {why}");
            }
            Err(e) => {
                failed += 1;
                eprintln!(
                    "  failed {what}: {} returned {} ({}); {}",
                    e.iam_action,
                    e.code,
                    e.message,
                    e.advice()
                );
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} statement(s) failed", statements.len());
        return Ok(1);
    }
    eprintln!("{} statement(s) ran in Athena", statements.len());
    let steps = crate::query::access_steps(r, found);
    if !steps.is_empty() {
        eprintln!(
            "manual step(s): {} bucket or key policy statement(s) in other accounts let account {account} read the logs (listed in index.md, under \"Access from account {account}\"): {}",
            steps.len(),
            steps.iter().map(|s| s.resource.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(0)
}
