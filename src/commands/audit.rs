//! `logwarden audit`: collect (or load) the inventory, evaluate it, render the report.

use super::collect_inventory;
use crate::config::{AuditConfig, InventorySource};
use crate::engine::Registry;
use crate::error::Error;
use crate::io::{write_file_with, write_json, write_stdout, write_stdout_with};
use crate::report::BaselineRef;
use crate::report::{render_to, Format, Report, ReportOptions};
use crate::sources::Sources;
use std::io::Write;

pub fn run(
    cfg: AuditConfig,
    show_progress: bool,
    quiet: bool,
    stdout: &mut dyn Write,
) -> Result<i32, Error> {
    // Every output can be written before the audit starts: a bad path never costs the run.
    for p in cfg.output.iter().chain(cfg.save_inventory.iter()) {
        crate::io::check_writable(p)?;
    }
    if let Some(dir) = &cfg.output_dir {
        crate::io::check_writable_dir(dir)?;
    }
    let inventory = match &cfg.source {
        InventorySource::Files(p) => super::load_inventories(p)?,
        InventorySource::Aws(req) => {
            let data_on_stdout =
                cfg.output.is_none() && cfg.output_dir.is_none() && cfg.formats[0] != Format::Table;
            let inv = collect_inventory(
                req,
                &cfg.baseline.baseline,
                show_progress && !data_on_stdout,
                quiet,
            )?;
            if let (Some((k, n)), false) = (req.shard, quiet) {
                eprintln!(
                    "shard {k}/{n}: {} account(s) read; this report judges them alone. Judge the organization with one --from-inventory per shard: logwarden audit --from-inventory shard-1.json ... --from-inventory shard-{n}.json",
                    inv.accounts.len()
                );
            }
            inv
        }
    };
    // Whatever can be written is: a failed inventory write still leaves the report.
    let mut failed_write = None;
    if let Some(p) = &cfg.save_inventory {
        if let Err(e) = write_json(p, &inventory) {
            eprintln!("error: {e}");
            failed_write = Some(e);
        }
    }
    let eval = crate::engine::evaluate::<Sources>(&inventory, &cfg.baseline.baseline);
    let opts = ReportOptions {
        framework: cfg.framework,
        exceptions: cfg.exceptions.clone(),
        now: time::OffsetDateTime::now_utc(),
    };
    let report = Report::build(
        &inventory,
        BaselineRef::of(&cfg.baseline),
        eval,
        &opts,
        Sources::catalog(),
    );
    // The report holds what is rendered; the inventory's memory goes back before rendering.
    drop(inventory);
    if let Some(dir) = &cfg.output_dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            action: "create",
            path: dir.display().to_string(),
            source,
        })?;
        for f in &cfg.formats {
            write_file_with(&dir.join(f.file_name()), |w| render_to(&report, *f, w))?;
        }
        if !quiet {
            eprintln!("{}", report.summary_line());
        }
    } else {
        let format = cfg.formats[0];
        match (&cfg.output, crate::io::terminal_width()) {
            (Some(p), _) => {
                write_file_with(p, |w| render_to(&report, format, w))?;
                if !quiet {
                    eprintln!("{}", report.summary_line());
                }
            }
            // On a terminal, the table is sized to it.
            (None, Some(width)) if format == Format::Table => {
                write_stdout(stdout, &crate::report::render_table_width(&report, width))?
            }
            (None, _) => write_stdout_with(stdout, |w| render_to(&report, format, w))?,
        }
    }
    if let Some(e) = failed_write {
        return Err(e.into());
    }
    Ok(crate::error::exit::of(
        report.gate(cfg.fail_on, cfg.unknowns),
    ))
}
