//! `logwarden audit`: collect (or load) the inventory, evaluate it, render the report.

use crate::cli::Format;
use crate::config::{AuditConfig, InventorySource};
use crate::error::Error;
use crate::inventory::{Inventory, INVENTORY_SCHEMA_VERSION};
use crate::report::{render_table, Report};
use crate::rules;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::Path;

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        action: "write",
        path: path.display().to_string(),
        source,
    })
}

pub fn load_inventory(path: &Path) -> Result<Inventory, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read",
        path: path.display().to_string(),
        source,
    })?;
    let inv: Inventory = serde_json::from_str(&text).map_err(|e| Error::Inventory {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    if inv.schema_version != INVENTORY_SCHEMA_VERSION {
        return Err(Error::Inventory {
            path: path.display().to_string(),
            message: format!(
                "inventory schema version {} is not supported (this logwarden reads {INVENTORY_SCHEMA_VERSION})",
                inv.schema_version
            ),
        });
    }
    Ok(inv)
}

pub fn run(
    cfg: AuditConfig,
    show_progress: bool,
    quiet: bool,
    stdout: &mut dyn Write,
) -> Result<i32, Error> {
    let inventory = match &cfg.source {
        InventorySource::File(p) => load_inventory(p)?,
        InventorySource::Aws(req) => {
            let progress = if show_progress && !(cfg.format == Format::Json && cfg.output.is_none())
            {
                let pb = ProgressBar::new(0);
                pb.set_style(
                    ProgressStyle::with_template(
                        "{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                pb.enable_steady_tick(std::time::Duration::from_millis(120));
                pb
            } else {
                ProgressBar::hidden()
            };
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|source| Error::Io {
                    action: "start",
                    path: "the async runtime".into(),
                    source,
                })?;
            let (inv, calls) = runtime.block_on(crate::aws::collect(req, &progress))?;
            progress.finish_and_clear();
            tracing::info!(api_calls = calls, "collection finished");
            if !quiet {
                let n_units = inv.accounts.len() * inv.regions.len();
                tracing::info!("{calls} AWS calls for {n_units} account-regions");
            }
            inv
        }
    };
    if let Some(p) = &cfg.save_inventory {
        let text = serde_json::to_string_pretty(&inventory).expect("the inventory serializes");
        write_file(p, &text)?;
    }
    let eval = rules::evaluate(&inventory, &cfg.baseline.baseline);
    let report = Report::build(&inventory, &cfg.baseline, eval);
    let text = match cfg.format {
        Format::Json => report.to_json(),
        Format::Table => render_table(&report),
    };
    match &cfg.output {
        Some(p) => {
            write_file(p, &text)?;
            if !quiet {
                eprintln!("{}", report.summary_line());
            }
        }
        None => {
            // A closed pipe (`| head`) is not an error.
            if let Err(e) = stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
            {
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    return Err(Error::Io {
                        action: "write",
                        path: "stdout".into(),
                        source: e,
                    });
                }
            }
        }
    }
    Ok(report.exit_code(cfg.fail_on))
}
