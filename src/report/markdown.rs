//! Markdown for pull-request comments and CI job summaries: totals, coverage matrix, failing
//! findings by severity, framework scores, exceptions.

use super::{coverage_by_account, failing_by_severity, Report};
use crate::finding::{CoverageState, Severity};

/// Rows per severity before the list is cut (the JSON report has them all).
const MAX_ROWS: usize = 50;

use super::escape::markdown_cell as esc;

fn cell(s: CoverageState) -> &'static str {
    match s {
        CoverageState::Covered => "✅ covered",
        CoverageState::Partial => "🟡 partial",
        CoverageState::Missing => "❌ missing",
        CoverageState::Unknown => "❔ unknown",
        CoverageState::NotApplicable => "—",
    }
}

pub fn render_markdown(r: &Report) -> String {
    let mut s = String::new();
    let scope = match &r.scope.organization_id {
        Some(o) => format!("organization `{o}`"),
        None => format!("account `{}`", r.scope.caller_account_id),
    };
    s.push_str(&format!("## logwarden audit of {scope}\n\n"));
    // What could not be judged comes first: those findings may be failing.
    if let Some(line) = r.unjudged() {
        s.push_str(&format!("> [!CAUTION]\n> {}\n\n", esc(&line)));
    }
    for line in r.organization_wide_exceptions() {
        s.push_str(&format!("> [!WARNING]\n> {}\n\n", esc(&line)));
    }
    s.push_str(&format!(
        "Baseline **{}** · regions {} · **{}**\n\n",
        r.baseline.name,
        r.scope.regions_line(),
        r.summary_line()
    ));
    s.push_str(
        "| pass | fail | unknown | excepted | not applicable |\n|---:|---:|---:|---:|---:|\n",
    );
    s.push_str(&format!(
        "| {} | {} | {} | {} | {} |\n\n",
        r.summary.pass,
        r.summary.fail,
        r.summary.unknown,
        r.summary.excepted,
        r.summary.not_applicable
    ));
    if let Some(reason) = &r.scope.mode_reason {
        s.push_str(&format!("> {}\n\n", esc(reason)));
    }

    s.push_str("### Coverage\n\n| account |");
    let columns: Vec<&str> = r.catalog.coverage_columns().map(|(id, _)| id).collect();
    for src in &columns {
        s.push_str(&format!(" {src} |"));
    }
    s.push_str("\n|---|");
    s.push_str(&"---|".repeat(columns.len()));
    s.push('\n');
    for (a, row) in coverage_by_account(r) {
        s.push_str(&format!("| {} |", esc(&a)));
        for st in row {
            s.push_str(&format!(" {} |", cell(st)));
        }
        s.push('\n');
    }
    s.push('\n');

    let (sources, rows) = super::lookback_by_account(r);
    if !rows.is_empty() {
        s.push_str("### Lookback\n\nDays each source can answer today, the accounts that answer least first.\n\n| account |");
        for src in &sources {
            s.push_str(&format!(" {src} |"));
        }
        s.push_str("\n|---|");
        s.push_str(&"---:|".repeat(sources.len()));
        s.push('\n');
        for (a, row) in rows {
            s.push_str(&format!("| {} |", esc(&a)));
            for l in row {
                s.push_str(&format!(" {} |", esc(&super::lookback_cell(l))));
            }
            s.push('\n');
        }
        s.push('\n');
    }

    s.push_str("### Failing findings\n\n");
    if r.summary.fail == 0 {
        s.push_str("None.\n\n");
    }
    for (sev, rows) in failing_by_severity(r) {
        s.push_str(&format!(
            "<details{}><summary><b>{}</b> ({})</summary>\n\n| check | account | region | resource | finding |\n|---|---|---|---|---|\n",
            if sev <= Severity::High { " open" } else { "" },
            sev.as_str(),
            rows.len()
        ));
        for f in rows.iter().take(MAX_ROWS) {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                f.check_id,
                f.account_id.as_deref().unwrap_or("—"),
                f.region.as_deref().unwrap_or("—"),
                esc(&f.resource),
                esc(&f.message)
            ));
        }
        if rows.len() > MAX_ROWS {
            s.push_str(&format!(
                "\n{} more in the JSON report.\n",
                rows.len() - MAX_ROWS
            ));
        }
        s.push_str("\nNext steps:\n\n");
        for (check, step) in r.next_steps(&rows) {
            s.push_str(&format!("- `{check}`: {}\n", esc(&step)));
        }
        s.push_str("\n</details>\n\n");
    }

    s.push_str("### Framework scores\n\n| framework | score | controls passed | failed | unknown | not covered by logwarden |\n|---|---:|---:|---:|---:|---|\n");
    for fs in &r.framework_scores {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            fs.title,
            fs.score_percent
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "—".into()),
            fs.controls_passed,
            fs.controls_failed,
            fs.controls_unknown,
            if fs.controls_not_covered.is_empty() {
                "—".into()
            } else {
                fs.controls_not_covered.join(", ")
            }
        ));
    }
    s.push('\n');
    if !r.exceptions.is_empty() {
        s.push_str("### Exceptions\n\n| check | account | resource | reason | expires | state | matched |\n|---|---|---|---|---|---|---:|\n");
        for e in &r.exceptions {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} |\n",
                e.check_id,
                if e.organization_wide {
                    "**every account**".to_string()
                } else {
                    esc(e.account_id.as_deref().unwrap_or("—"))
                },
                esc(&e.resource),
                esc(&e.reason),
                e.expires,
                if e.state == crate::exceptions::ExceptionState::Expired {
                    "**expired**"
                } else {
                    "active"
                },
                e.matched
            ));
        }
        s.push('\n');
    }
    s
}
