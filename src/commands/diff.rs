//! `logwarden diff OLD NEW`: drift between two reports or two saved inventories.

use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{diff, render_text};
use crate::engine::Registry;
use crate::error::Error;
use crate::finding::Finding;
use crate::report::BaselineRef;
use crate::report::{Report, ReportOptions};
use crate::sources::{LoadedBaseline, Sources};
use std::io::Write;
use std::path::Path;

/// The findings of a report file, or of an inventory file judged against `baseline`.
fn findings(path: &Path, baseline: &LoadedBaseline) -> Result<Vec<Finding>, Error> {
    // A report or an inventory: at most as large as an inventory may be.
    let text = crate::io::read_capped(path, crate::inventory::MAX_INVENTORY_BYTES)?;
    let unreadable = |e: serde_json::Error, what: &str| {
        let (at, message) = crate::io::json_error(&text, &e);
        Error::NotComparable {
            path: format!("{}{at}", path.display()),
            message: format!("{what}{message}"),
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| unreadable(e, ""))?;
    if value.get("findings").is_some() {
        // Read from the text again (not the value): a field of the wrong type is shown where it is.
        let report: Report = serde_json::from_str(&text)
            .map_err(|e| unreadable(e, "it has findings, but not a report's: "))?;
        return Ok(report.findings);
    }
    let inv = crate::inventory::load::<Sources>(path).map_err(|e| match e {
        crate::inventory::LoadError::Invalid { path, message } => {
            Error::NotComparable { path, message }
        }
        e => e.into(),
    })?;
    let eval = crate::engine::evaluate::<Sources>(&inv, &baseline.baseline);
    Ok(Report::build(
        &inv,
        BaselineRef::of(baseline),
        eval,
        &ReportOptions::at(time::OffsetDateTime::now_utc()),
        Sources::catalog(),
    )
    .findings)
}

pub fn run(args: &DiffArgs, out: &mut dyn Write) -> Result<i32, Error> {
    let baseline = crate::sources::load_baseline(&args.baseline)?;
    let old = findings(&args.old, &baseline)?;
    let new = findings(&args.new, &baseline)?;
    let d = diff(&old, &new);
    let text = match args.format {
        DiffFormat::Json => serde_json::to_string_pretty(&d).expect("serializes") + "\n",
        DiffFormat::Table => render_text(&d),
    };
    crate::io::write_stdout(out, &text)?;
    Ok(if d.regressed() { 1 } else { 0 })
}
