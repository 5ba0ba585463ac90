//! `logwarden audit`: collect (or load) the inventory, evaluate it, render the report.

use crate::cli::Format;
use crate::config::{AuditConfig, InventorySource};
use crate::error::Error;
use crate::inventory::{Inventory, INVENTORY_SCHEMA_VERSION};
use crate::report::{self, render_table, Report, ReportOptions};
use crate::rules;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::Path;

pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
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

/// A multi-threaded async runtime for the AWS calls.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            action: "start",
            path: "the async runtime".into(),
            source,
        })
}

/// Collect the inventory, with a progress bar on stderr when asked.
pub fn collect_inventory(
    req: &crate::aws::CollectRequest,
    show_progress: bool,
    quiet: bool,
) -> Result<Inventory, Error> {
    let progress = if show_progress {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    } else {
        ProgressBar::hidden()
    };
    let (inv, calls) = runtime()?.block_on(crate::aws::collect(req, &progress))?;
    progress.finish_and_clear();
    tracing::info!(api_calls = calls, "collection finished");
    if !quiet {
        let n_units = inv.accounts.len() * inv.regions.len();
        tracing::info!("{calls} AWS calls for {n_units} account-regions");
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
            let data_on_stdout =
                cfg.output.is_none() && cfg.output_dir.is_none() && cfg.formats[0] != Format::Table;
            collect_inventory(req, show_progress && !data_on_stdout, quiet)?
        }
    };
    if let Some(p) = &cfg.save_inventory {
        let text = serde_json::to_string_pretty(&inventory).expect("the inventory serializes");
        write_file(p, &text)?;
    }
    let eval = rules::evaluate(&inventory, &cfg.baseline.baseline);
    let opts = ReportOptions {
        framework: cfg.framework,
        exceptions: cfg.exceptions.clone(),
        today: None,
    };
    let report = Report::build(&inventory, &cfg.baseline, eval, &opts);
    if let Some(dir) = &cfg.output_dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            action: "create",
            path: dir.display().to_string(),
            source,
        })?;
        for f in &cfg.formats {
            write_file(&dir.join(f.file_name()), &render(&report, *f))?;
        }
        if !quiet {
            eprintln!("{}", report.summary_line());
        }
    } else {
        let text = render(&report, cfg.formats[0]);
        match &cfg.output {
            Some(p) => {
                write_file(p, &text)?;
                if !quiet {
                    eprintln!("{}", report.summary_line());
                }
            }
            None => write_stdout(stdout, &text)?,
        }
    }
    Ok(report.exit_code(cfg.fail_on, cfg.fail_on_unknown))
}

/// Every format from the one evaluated report.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => report.to_json(),
        Format::Table => render_table(report),
        Format::Sarif => report::render_sarif(report),
        Format::Junit => report::render_junit(report),
        Format::Csv => report::render_csv(report),
        Format::Ocsf => report::render_ocsf(report),
        Format::Asff => report::render_asff(report),
        Format::Markdown => report::render_markdown(report),
        Format::Html => report::render_html(report),
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(stdout: &mut dyn Write, text: &str) -> Result<(), Error> {
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Io {
            action: "write",
            path: "stdout".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
