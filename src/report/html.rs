//! One self-contained HTML page (no external scripts, fonts or network), readable offline and
//! printable: coverage heatmaps, incident-response lookback per account, failing findings with
//! remediation and filters (account, severity, framework; also from the URL hash, e.g.
//! `#severity=critical`), framework scores and exceptions.

use super::{coverage_by_account, Report};
use crate::frameworks::Framework;
use crate::rules::{CoverageState, Status};

use super::escape::html as esc;

fn state_cell(s: CoverageState) -> String {
    let (class, label) = match s {
        CoverageState::Covered => ("covered", "covered"),
        CoverageState::Partial => ("partial", "partial"),
        CoverageState::Missing => ("missing", "missing"),
        CoverageState::Unknown => ("unknown", "unknown"),
        CoverageState::NotApplicable => ("na", "—"),
    };
    format!("<td class=\"cell c-{class}\">{label}</td>")
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1f2328;max-width:1400px}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;margin-bottom:16px}
.org-exception{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
.totals{display:flex;gap:12px;flex-wrap:wrap}
.total{border:1px solid #d0d7de;border-radius:8px;padding:10px 16px;min-width:110px}
.total .n{font-size:32px;font-weight:700} .total .l{color:#57606a}
.total.fail .n{color:#cf222e} .total.pass .n{color:#1a7f37} .total.unknown .n{color:#9a6700}
table{border-collapse:collapse;margin:6px 0;font-size:13px} th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.cell{text-align:center;font-weight:600;min-width:90px}
.c-covered{background:#2da44e;color:#fff} .c-partial{background:#d4a72c;color:#1f2328} .c-missing{background:#cf222e;color:#fff}
.c-unknown{background:#8c959f;color:#fff} .c-na{background:#fff;color:#8c959f}
#findings td{max-width:380px;overflow-wrap:anywhere}
.bar{background:#eaeef2;width:220px;height:12px;display:inline-block;vertical-align:middle}
.bar span{display:block;height:12px;background:#0969da}
.sev-critical{color:#cf222e;font-weight:700} .sev-high{color:#bc4c00;font-weight:700}
.filters{margin:8px 0;display:flex;gap:12px;flex-wrap:wrap} .filters label{font-size:13px}
.hidden{display:none}
@media print{.filters{display:none} body{margin:0} h2{break-after:avoid} tr{break-inside:avoid}}
"#;

const SCRIPT: &str = r#"
(function(){
  var rows=[].slice.call(document.querySelectorAll('#findings tbody tr'));
  var sel={account:document.getElementById('f-account'),severity:document.getElementById('f-severity'),framework:document.getElementById('f-framework')};
  function apply(){
    var shown=0;
    rows.forEach(function(r){
      var ok=(!sel.account.value||r.dataset.account===sel.account.value)
        &&(!sel.severity.value||r.dataset.severity===sel.severity.value)
        &&(!sel.framework.value||(' '+r.dataset.frameworks+' ').indexOf(' '+sel.framework.value+' ')>=0);
      r.classList.toggle('hidden',!ok); if(ok)shown++;
    });
    document.getElementById('shown').textContent=shown;
  }
  var h=location.hash.replace(/^#/,'');
  h.split('&').forEach(function(kv){var p=kv.split('=');if(sel[p[0]])sel[p[0]].value=decodeURIComponent(p[1]||'');});
  Object.keys(sel).forEach(function(k){sel[k].addEventListener('change',apply);});
  apply();
})();
"#;

pub fn render_html(r: &Report) -> String {
    let mut h = String::new();
    let scope = match &r.scope.organization_id {
        Some(o) => format!("organization {o}"),
        None => format!("account {}", r.scope.caller_account_id),
    };
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>logwarden: {}</title><style>{STYLE}</style></head><body>\n",
        esc(&scope)
    ));
    h.push_str(&format!(
        "<h1>Logging audit of {}</h1><div class=\"meta\">Baseline <b>{}</b> · {} account(s) · regions {} · generated {} by {} {}</div>\n",
        esc(&scope),
        esc(&r.baseline.name),
        r.scope.accounts.len(),
        esc(&r.scope.regions.join(", ")),
        esc(&r.generated_at),
        esc(&r.tool.name),
        esc(&r.tool.version)
    ));
    if let Some(reason) = &r.scope.mode_reason {
        h.push_str(&format!("<p><b>Note:</b> {}</p>\n", esc(reason)));
    }
    for line in r.organization_wide_exceptions() {
        h.push_str(&format!(
            "<p class=\"org-exception\" role=\"alert\"><b>Warning:</b> {}</p>\n",
            esc(&line)
        ));
    }
    h.push_str("<div class=\"totals\">");
    for (class, id, n, label) in [
        ("fail", "count-fail", r.summary.fail, "failing"),
        ("unknown", "count-unknown", r.summary.unknown, "unknown"),
        ("pass", "count-pass", r.summary.pass, "passing"),
        ("excepted", "count-excepted", r.summary.excepted, "excepted"),
        ("na", "count-na", r.summary.not_applicable, "not applicable"),
    ] {
        h.push_str(&format!(
            "<div class=\"total {class}\"><div class=\"n\" id=\"{id}\">{n}</div><div class=\"l\">{label}</div></div>"
        ));
    }
    h.push_str("</div>\n");

    h.push_str("<h2>Coverage: accounts × log sources</h2><table id=\"heatmap-sources\"><thead><tr><th>account</th>");
    for (s, _) in crate::sources::coverage_columns() {
        h.push_str(&format!("<th>{s}</th>"));
    }
    h.push_str("</tr></thead><tbody>");
    for (a, row) in coverage_by_account(r) {
        h.push_str(&format!("<tr><th>{}</th>", esc(&a)));
        for st in row {
            h.push_str(&state_cell(st));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");

    for (source, _) in crate::sources::coverage_columns().filter(|(_, c)| c.region_matrix) {
        h.push_str(&format!(
            "<h2>{source}: accounts × regions</h2><table id=\"heatmap-{source}\"><thead><tr><th>account</th>"
        ));
        for reg in &r.scope.regions {
            h.push_str(&format!("<th>{}</th>", esc(reg)));
        }
        h.push_str("</tr></thead><tbody>");
        for a in &r.scope.accounts {
            h.push_str(&format!("<tr><th>{}</th>", esc(&a.id)));
            for reg in &r.scope.regions {
                let st = r
                    .coverage
                    .iter()
                    .find(|c| c.account_id == a.id && &c.region == reg && c.source == source)
                    .map(|c| c.state)
                    .unwrap_or(CoverageState::Unknown);
                h.push_str(&state_cell(st));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>\n");
    }

    h.push_str("<h2>Incident-response lookback</h2><p class=\"meta\">How many days back each log source can answer, per account (CloudTrail: management events).</p>\
                <table id=\"lookback\"><thead><tr><th>account</th><th>source</th><th>days</th><th></th><th>basis</th></tr></thead><tbody>");
    let max_days = r.lookback.iter().map(|l| l.days).max().unwrap_or(1).max(1);
    for l in &r.lookback {
        h.push_str(&format!(
            "<tr><th>{}</th><td>{}</td><td class=\"days\">{}</td><td><span class=\"bar\"><span style=\"width:{}%\"></span></span></td><td>{}</td></tr>",
            esc(&l.account_id),
            esc(&l.source),
            l.days,
            (l.days as u64 * 100 / max_days as u64),
            esc(&l.basis)
        ));
    }
    h.push_str("</tbody></table>\n");

    h.push_str("<h2>Framework scores</h2><table id=\"frameworks\"><thead><tr><th>framework</th><th>score</th><th></th><th>passed</th><th>failed</th><th>unknown</th><th>not covered by logwarden</th></tr></thead><tbody>");
    for fs in &r.framework_scores {
        let pct = fs.score_percent.unwrap_or(0);
        h.push_str(&format!(
            "<tr><th>{}</th><td class=\"score\">{}</td><td><span class=\"bar\"><span style=\"width:{pct}%\"></span></span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&fs.title),
            fs.score_percent.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
            fs.controls_passed,
            fs.controls_failed,
            fs.controls_unknown,
            esc(&fs.controls_not_covered.join(", "))
        ));
    }
    h.push_str("</tbody></table>\n");

    let mut failing: Vec<_> = r
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unknown))
        .collect();
    // Most severe first; the report's own order (catalogue, account, region) within a severity.
    failing.sort_by_key(|f| f.severity);
    h.push_str(&format!(
        "<h2>Findings to act on</h2><div class=\"filters\"><label>account <select id=\"f-account\"><option value=\"\">all</option>{}</select></label>\
         <label>severity <select id=\"f-severity\"><option value=\"\">all</option>{}</select></label>\
         <label>framework <select id=\"f-framework\"><option value=\"\">all</option>{}</select></label>\
         <span><b id=\"shown\">{}</b> of {} shown</span></div>\n",
        r.scope.accounts.iter().map(|a| format!("<option>{}</option>", esc(&a.id))).collect::<String>(),
        ["critical", "high", "medium", "low", "info"].iter().map(|s| format!("<option>{s}</option>")).collect::<String>(),
        Framework::ALL.iter().map(|f| format!("<option value=\"{}\">{}</option>", f.name(), esc(f.title()))).collect::<String>(),
        failing.len(),
        failing.len()
    ));
    h.push_str("<table id=\"findings\"><thead><tr><th>severity</th><th>status</th><th>check</th><th>account</th><th>region</th><th>resource</th><th>finding</th><th>remediation</th></tr></thead><tbody>");
    for f in failing {
        let fws: Vec<&str> = Framework::ALL
            .iter()
            .filter(|fw| !f.frameworks.of(**fw).is_empty())
            .map(|fw| fw.name())
            .collect();
        h.push_str(&format!(
            "<tr data-account=\"{}\" data-severity=\"{}\" data-frameworks=\"{}\"><td class=\"sev-{}\">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(f.account_id.as_deref().unwrap_or("")),
            f.severity.as_str(),
            fws.join(" "),
            f.severity.as_str(),
            f.severity.as_str(),
            f.status.as_str(),
            esc(&f.check_id),
            esc(f.account_id.as_deref().unwrap_or("—")),
            esc(f.region.as_deref().unwrap_or("—")),
            esc(&f.resource),
            esc(&f.message),
            esc(&f.remediation)
        ));
    }
    h.push_str("</tbody></table>\n");
    if !r.exceptions.is_empty() {
        h.push_str("<h2>Exceptions</h2><table id=\"exceptions\"><thead><tr><th>check</th><th>account</th><th>resource</th><th>reason</th><th>expires</th><th>state</th><th>matched</th></tr></thead><tbody>");
        for e in &r.exceptions {
            h.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:?}</td><td>{}</td></tr>",
                esc(&e.check_id),
                if e.organization_wide {
                    "<b>every account</b>".to_string()
                } else {
                    esc(e.account_id.as_deref().unwrap_or("—"))
                },
                esc(&e.resource),
                esc(&e.reason),
                esc(&e.expires),
                e.state,
                e.matched
            ));
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str(&format!(
        "<p class=\"meta\">{}</p>\n<script>{SCRIPT}</script>\n</body></html>\n",
        esc(&r.summary_line())
    ));
    h
}
