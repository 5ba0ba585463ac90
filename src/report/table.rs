//! The terminal view: coverage matrix (accounts × log sources), failing findings by severity
//! with the next step for each check, what could not be read, and the one-line summary.
//!
//! Sized to a width: the terminal's on a terminal, [`FILE_WIDTH`] in files. Below
//! [`COMPACT_BELOW`] columns the findings are a list (one finding per few lines, nothing split
//! mid-ARN) instead of a table.

use super::{coverage_by_account, failing_by_severity, Report};
use crate::finding::{CoverageState, Status};
use comfy_table::{
    presets::UTF8_FULL_CONDENSED, Cell, ColumnConstraint, ContentArrangement, Table, Width,
};

/// A cell in a narrow terminal.
fn short_cell(state: CoverageState) -> &'static str {
    match state {
        CoverageState::Covered => "ok",
        CoverageState::Partial => "part",
        CoverageState::Missing => "MISS",
        CoverageState::Unknown => "?",
        CoverageState::NotApplicable => "-",
    }
}

fn cell(state: CoverageState) -> &'static str {
    match state {
        CoverageState::Covered => "covered",
        CoverageState::Partial => "partial",
        CoverageState::Missing => "MISSING",
        CoverageState::Unknown => "unknown",
        CoverageState::NotApplicable => "-",
    }
}

/// The width of the table view in files and pipes.
pub const FILE_WIDTH: u16 = 160;
/// Narrower than this, findings are listed rather than tabled.
pub const COMPACT_BELOW: u16 = 120;

/// The table view at [`FILE_WIDTH`].
pub fn render_table(r: &Report) -> String {
    render_table_width(r, FILE_WIDTH)
}

/// `text` wrapped at spaces to `width` columns: the first line after `first`, the others after
/// `rest`. A word longer than the line (a command, an ARN) stays whole.
fn wrap(text: &str, width: u16, first: &str, rest: &str) -> String {
    let width = width as usize;
    let mut out = String::new();
    let mut line = String::from(first);
    let mut empty = true;
    for word in text.split(' ') {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The table view sized to `width` columns (a compact list below [`COMPACT_BELOW`]).
pub fn render_table_width(r: &Report, width: u16) -> String {
    let width = width.max(40);
    let compact = width < COMPACT_BELOW;
    let mut out = String::new();
    let scope = match (&r.scope.organization_id, r.scope.mode) {
        (Some(org), crate::inventory::ScopeMode::Organization) => format!("organization {org}"),
        _ => format!("single account {}", r.scope.caller_account_id),
    };
    out.push_str(&format!(
        "logwarden audit of {scope}, baseline '{}', regions {}\n",
        r.baseline.name,
        r.scope.regions_line()
    ));
    // What could not be judged comes first: those findings may be failing.
    if let Some(line) = r.unjudged() {
        out.push_str(&format!("warning: {line}\n"));
    }
    if let Some(reason) = &r.scope.mode_reason {
        out.push_str(&format!("note: {reason}\n"));
    }
    for line in r.organization_wide_exceptions() {
        out.push_str(&format!("warning: {line}\n"));
    }
    out.push('\n');

    coverage_matrix(r, width, compact, &mut out);
    lookback_matrix(r, width, &mut out);
    failing_findings(r, width, compact, &mut out);
    let unknown: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Unknown)
        .collect();
    if !unknown.is_empty() {
        out.push_str(&format!(
            "UNKNOWN ({}): could not be judged\n",
            unknown.len()
        ));
        for f in unknown.iter().take(20) {
            out.push_str(&format!(
                "  {} {} {}: {}\n",
                f.check_id,
                f.account_id.as_deref().unwrap_or("-"),
                f.region.as_deref().unwrap_or("-"),
                f.message
            ));
        }
        if unknown.len() > 20 {
            out.push_str(&format!(
                "  ... and {} more (see --format json)\n",
                unknown.len() - 20
            ));
        }
        out.push('\n');
    }
    if !r.errors.is_empty() {
        out.push_str(&format!("{} AWS call(s) failed:\n", r.errors.len()));
        for e in r.errors.iter().take(10) {
            out.push_str(&format!("  {}\n", e.summary()));
        }
        if r.errors.len() > 10 {
            out.push_str(&format!(
                "  ... and {} more (see --format json)\n",
                r.errors.len() - 10
            ));
        }
        out.push('\n');
    }
    for e in r
        .exceptions
        .iter()
        .filter(|e| e.state == crate::exceptions::ExceptionState::Expired)
    {
        out.push_str(&format!(
            "warning: exception for {} on {} expired on {}; it no longer applies\n",
            e.check_id, e.resource, e.expires
        ));
    }
    if r.summary.excepted > 0 {
        out.push_str(&format!(
            "{} failing finding(s) excepted (see the exceptions file)\n",
            r.summary.excepted
        ));
    }
    out.push_str(&r.summary_line());
    out.push('\n');
    out
}

/// The accounts × sources matrix, every region folded into one cell; in its compact form
/// (short labels and cells) when the terminal is narrow or the full form would not fit, so an
/// account id is never broken across lines.
fn coverage_matrix(r: &Report, width: u16, compact: bool, out: &mut String) {
    let accounts = coverage_by_account(r);
    let account_width = accounts
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    // Each column's widest text ("covered", "unknown": 7) plus its borders and padding.
    let full: usize = 1
        + account_width
        + 3
        + r.catalog
            .coverage_columns()
            .map(|(s, _)| s.len().max(7) + 3)
            .sum::<usize>();
    let compact = compact || full > usize::from(width);
    let header: Vec<String> = r
        .catalog
        .coverage_columns()
        .map(|(s, c)| (if compact { c.label } else { s }).to_string())
        .collect();
    let rows: Vec<(String, Vec<String>)> = accounts
        .into_iter()
        .map(|(label, states)| {
            let cells = states
                .into_iter()
                .map(|s| (if compact { short_cell(s) } else { cell(s) }).to_string())
                .collect();
            (label, cells)
        })
        .collect();
    let matrix = stacked(width, &header, &rows);
    out.push_str("Coverage (all audited regions):\n");
    if compact {
        out.push_str("  ok covered · part partial · MISS missing · ? unknown · - not applicable\n");
    }
    out.push_str(&matrix);
    out.push_str("\n\n");
}

/// A matrix (accounts down the first column, one column per source) as one table, or, when its
/// columns do not fit `width` side by side, as tables stacked one under the other, each with as
/// many columns as fit and the accounts again, so no cell is squeezed to a letter per line.
fn stacked(width: u16, header: &[String], rows: &[(String, Vec<String>)]) -> String {
    let widest = |i: usize| {
        rows.iter()
            .filter_map(|(_, cells)| cells.get(i))
            .chain(header.get(i))
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(1)
    };
    let labels: Vec<&str> = rows.iter().map(|(l, _)| l.as_str()).collect();
    let first = 1
        + labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(7)
            .clamp(7, 26)
        + 3;
    let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    let mut used = first;
    for i in 0..header.len() {
        let need = widest(i) + 3;
        if i > start && used + need > usize::from(width) {
            chunks.push(start..i);
            start = i;
            used = first;
        }
        used += need;
    }
    chunks.push(start..header.len());
    let mut out = Vec::new();
    for range in chunks {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
        let mut head = vec![Cell::new("account")];
        head.extend(header[range.clone()].iter().map(Cell::new));
        t.set_header(head);
        keep_account_ids_whole(&mut t, width, &labels, range.len());
        for (label, cells) in rows {
            let mut row = vec![Cell::new(label)];
            row.extend(cells[range.clone()].iter().map(Cell::new));
            t.add_row(row);
        }
        out.push(t.to_string());
    }
    out.join("\n")
}

/// An account id (12 digits) is never broken across lines: the first column holds the longest
/// "id name" label (up to 26 characters), or at least an id, when the window leaves room for
/// the other `columns` at their narrowest (one character each, with padding and border).
fn keep_account_ids_whole(t: &mut Table, width: u16, labels: &[&str], columns: usize) {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(12);
    // Each boundary counts the cell's padding (one space each side).
    let want = longest.clamp(12, 26) + 2;
    let room = usize::from(width).saturating_sub(columns * 4 + 2);
    let boundary = want.min(room);
    if boundary >= 14 {
        if let Some(col) = t.column_mut(0) {
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                u16::try_from(boundary).unwrap_or(14),
            )));
        }
    }
}

/// How far back each source can answer, per account, the accounts that answer least first.
fn lookback_matrix(r: &Report, width: u16, out: &mut String) {
    let (sources, rows) = super::lookback_by_account(r);
    if rows.is_empty() {
        return;
    }
    // Short column names (the sources' short labels) when their ids would not fit.
    let full: usize = 1 + 26 + sources.iter().map(|s| s.len().max(6) + 3).sum::<usize>();
    let short = |s: &str| {
        r.catalog
            .sources
            .iter()
            .find(|x| x.id == s)
            .and_then(|x| x.short_label)
            .unwrap_or(s)
            .to_string()
    };
    let header: Vec<String> = sources
        .iter()
        .map(|s| {
            if full > usize::from(width) {
                short(s)
            } else {
                s.to_string()
            }
        })
        .collect();
    let rows: Vec<(String, Vec<String>)> = rows
        .into_iter()
        .map(|(label, row)| {
            let cells = row.into_iter().map(super::lookback_cell).collect();
            (label, cells)
        })
        .collect();
    let matrix = stacked(width, &header, &rows);
    out.push_str(
        "Lookback (days each source can answer today; least first; `--format json` says why):\n",
    );
    out.push_str(&matrix.to_string());
    out.push_str("\n\n");
}

/// The failing findings, most severe first, each severity with its next steps.
fn failing_findings(r: &Report, width: u16, compact: bool, out: &mut String) {
    for (sev, failing) in failing_by_severity(r) {
        out.push_str(&format!(
            "{} ({}):\n",
            sev.as_str().to_uppercase(),
            failing.len()
        ));
        if compact {
            for f in &failing {
                out.push_str(&format!(
                    "  {} · {} · {}\n    {}\n    {}\n",
                    f.check_id,
                    f.account_id.as_deref().unwrap_or("-"),
                    f.region.as_deref().unwrap_or("-"),
                    f.resource,
                    f.message
                ));
            }
        } else {
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width)
                .set_header(vec!["check", "account", "region", "resource", "finding"]);
            // Resources (ARNs) keep their line when they fit a third of the width.
            let longest = failing.iter().map(|f| f.resource.len()).max().unwrap_or(8) as u16;
            if let Some(col) = t.column_mut(3) {
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                    longest.min(width / 3),
                )));
            }
            for f in &failing {
                t.add_row(vec![
                    f.check_id.as_str(),
                    f.account_id.as_deref().unwrap_or("-"),
                    f.region.as_deref().unwrap_or("-"),
                    f.resource.as_str(),
                    f.message.as_str(),
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        out.push_str("  next step:\n");
        for (check, step) in r.next_steps(&failing) {
            out.push_str(&wrap(&format!("{check}: {step}"), width, "    ", "      "));
        }
        out.push('\n');
    }
}
