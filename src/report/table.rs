//! The terminal view: coverage matrix (accounts × log sources), failing findings by severity,
//! what could not be read, and the one-line summary.

use super::{coverage_by_account, failing_by_severity, Report};
use crate::rules::{CoverageState, Status};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, ContentArrangement, Table};

fn cell(state: CoverageState) -> &'static str {
    match state {
        CoverageState::Covered => "covered",
        CoverageState::Partial => "partial",
        CoverageState::Missing => "MISSING",
        CoverageState::Unknown => "unknown",
        CoverageState::NotApplicable => "-",
    }
}

pub fn render_table(r: &Report) -> String {
    let mut out = String::new();
    let scope = match (&r.scope.organization_id, r.scope.mode) {
        (Some(org), crate::inventory::ScopeMode::Organization) => format!("organization {org}"),
        _ => format!("single account {}", r.scope.caller_account_id),
    };
    out.push_str(&format!(
        "logwarden audit of {scope}, baseline '{}', regions {}\n",
        r.baseline.name,
        r.scope.regions.join(", ")
    ));
    if let Some(reason) = &r.scope.mode_reason {
        out.push_str(&format!("note: {reason}\n"));
    }
    for line in r.organization_wide_exceptions() {
        out.push_str(&format!("warning: {line}\n"));
    }
    out.push('\n');

    let mut matrix = Table::new();
    matrix
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    let mut header = vec![Cell::new("account")];
    header.extend(crate::sources::coverage_columns().map(|(s, _)| Cell::new(s)));
    matrix.set_header(header);
    for (label, states) in coverage_by_account(r) {
        let mut row = vec![Cell::new(label)];
        row.extend(states.into_iter().map(|s| Cell::new(cell(s))));
        matrix.add_row(row);
    }
    out.push_str("Coverage (all audited regions):\n");
    out.push_str(&matrix.to_string());
    out.push_str("\n\n");

    for (sev, failing) in failing_by_severity(r) {
        out.push_str(&format!(
            "{} ({}):\n",
            sev.as_str().to_uppercase(),
            failing.len()
        ));
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(160)
            .set_header(vec!["check", "account", "region", "resource", "finding"]);
        for f in failing {
            t.add_row(vec![
                f.check_id.as_str(),
                f.account_id.as_deref().unwrap_or("-"),
                f.region.as_deref().unwrap_or("-"),
                f.resource.as_str(),
                f.message.as_str(),
            ]);
        }
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }
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
