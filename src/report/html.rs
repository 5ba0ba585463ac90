//! One self-contained HTML page (no external scripts, fonts or network), readable offline and
//! printable, built for an organization of hundreds of accounts in every region:
//!
//! - severity tiles (failing findings per severity, unknown, passing, excepted);
//! - a compact heatmap of accounts × log sources, each cell folding its regions (open a cell to
//!   see the regions that are not covered), with an account filter and a "gaps only" switch
//!   (wider than the window, it scrolls sideways with the account column pinned);
//! - the incident-response lookback summarised per source;
//! - framework scores;
//! - findings to act on, sortable by any column and filterable by account, severity,
//!   framework, status and text (also from the URL hash, e.g. `#severity=critical`);
//! - a drill-down per account (its failing checks, its lookback);
//! - exceptions.
//!
//! Identifiers (account ids, check ids, regions) never wrap; resources break only after `:` and
//! `/`. Nothing is wider than the page.

use super::{coverage_by_account, Report};
use crate::finding::{CoverageState, Finding, Severity, Status};
use crate::frameworks::Framework;
use std::collections::{BTreeMap, HashMap};

use super::escape::html as esc;

fn state_class(s: CoverageState) -> (&'static str, &'static str) {
    match s {
        CoverageState::Covered => ("covered", "covered"),
        CoverageState::Partial => ("partial", "partial"),
        CoverageState::Missing => ("missing", "missing"),
        CoverageState::Unknown => ("unknown", "unknown"),
        CoverageState::NotApplicable => ("na", "—"),
    }
}

/// A resource (often an ARN) that may break after `:` and `/`, never inside a token.
fn breakable(s: &str) -> String {
    esc(s).replace(':', ":<wbr>").replace('/', "/<wbr>")
}

const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

const STYLE: &str = r#"
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;padding:0 16px;color:#1f2328;max-width:1400px}
h1{font-size:24px;margin:0 0 4px;overflow-wrap:anywhere} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;margin-bottom:16px;overflow-wrap:anywhere}
.org-exception{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
.totals{display:flex;gap:10px;flex-wrap:wrap}
.total{border:1px solid #d0d7de;border-radius:8px;padding:8px 14px;min-width:104px}
.total .n{font-size:30px;font-weight:700} .total .l{color:#57606a}
.total.fail .n{color:#cf222e} .total.pass .n{color:#1a7f37} .total.unknown .n{color:#9a6700}
.total.critical .n{color:#cf222e} .total.high .n{color:#bc4c00} .total.medium .n{color:#9a6700} .total.low .n{color:#57606a}
table{border-collapse:collapse;margin:6px 0;font-size:13px;max-width:100%} th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.id{white-space:nowrap}
.acct{white-space:nowrap;max-width:300px;overflow:hidden;text-overflow:ellipsis}
.cell{text-align:center;font-weight:600;min-width:64px;padding:2px 4px}
#heatmap-sources{display:block;overflow-x:auto;max-width:100%} #heatmap-sources th.acct{position:sticky;left:0;z-index:1}
.cell details summary{cursor:pointer;list-style:none} .cell details summary::-webkit-details-marker{display:none}
.cell .regions{font-weight:400;text-align:left;font-size:12px;white-space:nowrap}
.c-covered{background:#2da44e;color:#fff} .c-partial{background:#d4a72c;color:#1f2328} .c-missing{background:#cf222e;color:#fff}
.c-unknown{background:#8c959f;color:#fff} .c-na{background:#fff;color:#8c959f}
.breakdown{display:block;overflow-x:auto;max-width:100%} .breakdown td{text-align:center;min-width:18px;padding:2px} .breakdown td.id{text-align:left}
.breakdown th.v{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:400;font-size:12px;padding:4px 2px}
.legend span{display:inline-block;padding:1px 8px;margin-right:6px;font-size:12px;border-radius:3px}
#findings{width:100%;table-layout:fixed}
#findings th{cursor:pointer;user-select:none} #findings th[aria-sort]::after{content:" ↕";color:#8c959f}
#findings td{overflow-wrap:anywhere}
#findings .w-sev{width:78px} #findings .w-status{width:72px} #findings .w-check{width:230px} #findings .w-acct{width:118px} #findings .w-region{width:112px}
.bar{background:#eaeef2;width:220px;max-width:40vw;height:12px;display:inline-block;vertical-align:middle}
.bar span{display:block;height:12px;background:#0969da} .bar span.history{background:#8c959f}
.sev-critical{color:#cf222e;font-weight:700} .sev-high{color:#bc4c00;font-weight:700}
.filters{margin:8px 0;display:flex;gap:12px;flex-wrap:wrap;align-items:center} .filters label{font-size:13px}
details.account{border:1px solid #d0d7de;border-radius:6px;margin:4px 0;padding:4px 10px}
details.account summary{cursor:pointer;overflow-wrap:anywhere}
.hidden{display:none}
@media print{.filters{display:none} body{margin:0} h2{break-after:avoid} tr{break-inside:avoid}}
"#;

const SCRIPT: &str = r#"
(function(){
  function $(id){return document.getElementById(id);}
  var rows=[].slice.call(document.querySelectorAll('#findings tbody tr'));
  var sel={account:$('f-account'),severity:$('f-severity'),framework:$('f-framework'),status:$('f-status'),text:$('f-text')};
  function apply(){
    var shown=0, q=sel.text.value.toLowerCase();
    rows.forEach(function(r){
      var ok=(!sel.account.value||r.dataset.account===sel.account.value)
        &&(!sel.severity.value||r.dataset.severity===sel.severity.value)
        &&(!sel.status.value||r.dataset.status===sel.status.value)
        &&(!sel.framework.value||(' '+r.dataset.frameworks+' ').indexOf(' '+sel.framework.value+' ')>=0)
        &&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
      r.classList.toggle('hidden',!ok); if(ok)shown++;
    });
    $('shown').textContent=shown;
  }
  var h=location.hash.replace(/^#/,'');
  h.split('&').forEach(function(kv){var p=kv.split('=');if(sel[p[0]])sel[p[0]].value=decodeURIComponent(p[1]||'');});
  Object.keys(sel).forEach(function(k){sel[k].addEventListener(k==='text'?'input':'change',apply);});
  // Sort by a column: click its header (again to reverse). Severity sorts by rank.
  var body=document.querySelector('#findings tbody');
  [].slice.call(document.querySelectorAll('#findings thead th')).forEach(function(th,i){
    th.addEventListener('click',function(){
      var dir=th.dataset.dir==='asc'?-1:1; th.dataset.dir=dir===1?'asc':'desc';
      var key=function(r){return i===0?r.dataset.rank:r.children[i].textContent;};
      rows.sort(function(a,b){var x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*dir;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  // The heatmap: filter accounts, or show only accounts with a gap.
  var acc=[].slice.call(document.querySelectorAll('#heatmap-sources tbody tr'));
  function heat(){
    var q=$('h-account').value.toLowerCase(), gaps=$('h-gaps').checked;
    acc.forEach(function(r){
      var ok=(!q||r.dataset.account.indexOf(q)>=0)&&(!gaps||r.dataset.gap==='1');
      r.classList.toggle('hidden',!ok);
    });
  }
  $('h-account').addEventListener('input',heat); $('h-gaps').addEventListener('change',heat);
  apply(); heat();
})();
"#;

/// Failing findings of one account, per severity.
fn severity_counts<'a>(findings: impl Iterator<Item = &'a Finding>) -> BTreeMap<Severity, usize> {
    let mut m = BTreeMap::new();
    for f in findings.filter(|f| f.status == Status::Fail) {
        *m.entry(f.severity).or_insert(0) += 1;
    }
    m
}

fn counts_text(m: &BTreeMap<Severity, usize>) -> String {
    let parts: Vec<String> = SEVERITIES
        .iter()
        .filter_map(|s| m.get(s).map(|n| format!("{n} {}", s.as_str())))
        .collect();
    if parts.is_empty() {
        "nothing failing".into()
    } else {
        parts.join(", ")
    }
}

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
        "<h1>Logging audit of {}</h1><div class=\"meta\">Baseline <b>{}</b> · {} account(s) · {} region(s): {} · generated {} by {} {}</div>\n",
        esc(&scope),
        esc(&r.baseline.name),
        r.scope.accounts.len(),
        r.scope.regions.len(),
        esc(&r.scope.regions.join(", ")),
        esc(&r.generated_at),
        esc(&r.tool.name),
        esc(&r.tool.version)
    ));
    // What could not be judged comes first: those findings may be failing.
    if let Some(line) = r.unjudged() {
        h.push_str(&format!(
            "<p class=\"org-exception\" id=\"unjudged\" role=\"alert\"><b>Not judged:</b> {}</p>\n",
            esc(&line)
        ));
    }
    if let Some(reason) = &r.scope.mode_reason {
        h.push_str(&format!("<p><b>Note:</b> {}</p>\n", esc(reason)));
    }
    for line in r.organization_wide_exceptions() {
        h.push_str(&format!(
            "<p class=\"org-exception\" role=\"alert\"><b>Warning:</b> {}</p>\n",
            esc(&line)
        ));
    }
    tiles(&mut h, r);
    heatmap(&mut h, r);
    lookback(&mut h, r);
    frameworks(&mut h, r);
    breakdowns(&mut h, r);
    findings(&mut h, r);
    accounts(&mut h, r);
    exceptions(&mut h, r);
    h.push_str(&format!(
        "<p class=\"meta\">{}</p>\n<script>{SCRIPT}</script>\n</body></html>\n",
        esc(&r.summary_line())
    ));
    h
}

/// The counts at a glance: failing (and per severity), unknown, passing, excepted.
fn tiles(h: &mut String, r: &Report) {
    let by_sev = severity_counts(r.findings.iter());
    h.push_str("<div class=\"totals\">");
    let tile = |h: &mut String, class: &str, id: &str, n: usize, label: &str| {
        h.push_str(&format!(
            "<div class=\"total {class}\"><div class=\"n\" id=\"{id}\">{n}</div><div class=\"l\">{label}</div></div>"
        ));
    };
    tile(h, "fail", "count-fail", r.summary.fail, "failing");
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        tile(
            h,
            s.as_str(),
            &format!("count-{}", s.as_str()),
            by_sev.get(&s).copied().unwrap_or(0),
            s.as_str(),
        );
    }
    tile(h, "unknown", "count-unknown", r.summary.unknown, "unknown");
    tile(h, "pass", "count-pass", r.summary.pass, "passing");
    tile(
        h,
        "excepted",
        "count-excepted",
        r.summary.excepted,
        "excepted",
    );
    h.push_str("</div>\n");
}

/// Most bytes of a breakdown cell's hover text.
const NOTE_BYTES: usize = 160;

/// For each check whose findings are made of parts (the actions an organization policy must
/// deny, for instance): findings × items, each cell the item's status, its reason on hover.
fn breakdowns(h: &mut String, r: &Report) {
    let mut checks: Vec<&str> = Vec::new();
    for f in r.findings.iter().filter(|f| !f.breakdown.is_empty()) {
        if !checks.contains(&f.check_id.as_str()) {
            checks.push(&f.check_id);
        }
    }
    for id in checks {
        let rows: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.check_id == id && !f.breakdown.is_empty())
            .collect();
        let mut items: Vec<&str> = Vec::new();
        for p in rows.iter().flat_map(|f| &f.breakdown) {
            if !items.contains(&p.item.as_str()) {
                items.push(&p.item);
            }
        }
        let title = r.catalog.check(id).map_or(id, |c| c.title);
        h.push_str(&format!(
            "<h2>{}: {} finding(s) × {} item(s)</h2><p class=\"meta\"><code>{}</code> · <span class=\"legend\"><span class=\"c-covered\">pass</span><span class=\"c-missing\">fail</span><span class=\"c-unknown\">unknown</span><span class=\"c-na\">n/a</span> · hover a cell for why</span></p>\
             <table class=\"breakdown\" id=\"breakdown-{}\"><thead><tr><th>resource</th>",
            esc(title),
            rows.len(),
            items.len(),
            esc(id),
            esc(&id.replace('.', "-"))
        ));
        for i in &items {
            h.push_str(&format!("<th class=\"v\" title=\"{0}\">{0}</th>", esc(i)));
        }
        h.push_str("</tr></thead><tbody>");
        for f in rows {
            h.push_str(&format!("<tr><td class=\"id\">{}</td>", esc(&f.resource)));
            for i in &items {
                match f.breakdown.iter().find(|p| p.item == *i) {
                    Some(p) => {
                        let (class, mark) = match p.status {
                            Status::Pass => ("c-covered", "✓"),
                            Status::Fail => ("c-missing", "✗"),
                            Status::Unknown => ("c-unknown", "?"),
                            _ => ("c-na", "–"),
                        };
                        // The why, on hover, kept short: the JSON report has it in full.
                        h.push_str(&format!(
                            "<td class=\"{class}\" title=\"{}: {}\">{mark}</td>",
                            esc(i),
                            esc(&super::security::truncate(&p.note, NOTE_BYTES))
                        ));
                    }
                    None => h.push_str("<td class=\"c-na\">–</td>"),
                }
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table>\n");
    }
}

/// Accounts × sources, each cell folding its regions.
fn heatmap(h: &mut String, r: &Report) {
    // (account, source) -> [(region, state)], built once.
    let mut cells: HashMap<(&str, &str), Vec<(&str, CoverageState)>> = HashMap::new();
    for c in &r.coverage {
        cells
            .entry((c.account_id.as_str(), c.source.as_str()))
            .or_default()
            .push((c.region.as_str(), c.state));
    }
    let columns: Vec<(&str, &str)> = r
        .catalog
        .coverage_columns()
        .map(|(s, c)| (s, c.label))
        .collect();
    h.push_str("<h2>Coverage: accounts × log sources</h2>\
        <div class=\"filters\"><label>account <input id=\"h-account\" type=\"search\" placeholder=\"id or name\"></label>\
        <label><input id=\"h-gaps\" type=\"checkbox\"> only accounts with a gap</label>\
        <span class=\"legend\"><span class=\"c-covered\">covered</span><span class=\"c-partial\">partial</span><span class=\"c-missing\">missing</span><span class=\"c-unknown\">unknown</span> · open a cell for its regions</span></div>\
        <table id=\"heatmap-sources\"><thead><tr><th>account</th>");
    for (s, label) in &columns {
        h.push_str(&format!("<th class=\"id\" title=\"{s}\">{label}</th>"));
    }
    h.push_str("</tr></thead><tbody>");
    for (a, (label, row)) in r.scope.accounts.iter().zip(coverage_by_account(r)) {
        let gap = row
            .iter()
            .any(|s| !matches!(s, CoverageState::Covered | CoverageState::NotApplicable));
        h.push_str(&format!(
            "<tr data-account=\"{}\" data-gap=\"{}\"><th class=\"acct\" title=\"{}\"><a href=\"#acct-{}\">{}</a></th>",
            esc(&label.to_lowercase()),
            u8::from(gap),
            esc(&label),
            esc(&a.id),
            esc(&label)
        ));
        for ((source, _), state) in columns.iter().zip(row) {
            let (class, text) = state_class(state);
            let regions = cells.get(&(a.id.as_str(), *source));
            let off: Vec<&(&str, CoverageState)> = regions
                .into_iter()
                .flatten()
                .filter(|(_, s)| {
                    !matches!(s, CoverageState::Covered | CoverageState::NotApplicable)
                })
                .collect();
            if off.is_empty() || r.scope.regions.len() < 2 {
                h.push_str(&format!("<td class=\"cell c-{class}\">{text}</td>"));
            } else {
                let list: String = off
                    .iter()
                    .map(|(reg, s)| format!("{}: {}<br>", esc(reg), state_class(*s).1))
                    .collect();
                h.push_str(&format!(
                    "<td class=\"cell c-{class}\"><details><summary>{text}</summary><div class=\"regions\">{list}</div></details></td>"
                ));
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
}

/// How far back each source can answer, summarised per source; per account in the drill-down.
fn lookback(h: &mut String, r: &Report) {
    let notes: Vec<&str> = r
        .catalog
        .sources
        .iter()
        .filter_map(|s| s.lookback_note)
        .collect();
    h.push_str(&format!("<h2>Incident-response lookback</h2><p class=\"meta\">How many days back each log source can answer across the accounts{}. Per account in the drill-down below.</p>", if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) }));
    h.push_str("\
                <table id=\"lookback\"><thead><tr><th>source</th><th>accounts</th><th>shortest</th><th>median</th><th>longest</th><th></th><th>accounts below 90 days</th></tr></thead><tbody>");
    let mut by_source: BTreeMap<&str, Vec<&crate::finding::Lookback>> = BTreeMap::new();
    for l in &r.lookback {
        by_source.entry(l.source.as_str()).or_default().push(l);
    }
    // The bars share one scale: a year, or the longest lookback if longer.
    let horizon = r
        .lookback
        .iter()
        .map(|l| l.days)
        .max()
        .unwrap_or(0)
        .max(365);
    // Gaps first: the source whose shortest lookback is least, then by median.
    let mut rows: Vec<(&str, Vec<&crate::finding::Lookback>)> = by_source
        .into_iter()
        .map(|(source, mut ls)| {
            ls.sort_by_key(|l| l.days);
            (source, ls)
        })
        .collect();
    rows.sort_by_key(|(source, ls)| (ls[0].days, ls[ls.len() / 2].days, *source));
    for (source, ls) in rows {
        let (min, max) = (ls[0].days, ls[ls.len() - 1].days);
        let median = ls[ls.len() / 2];
        let below = ls.iter().filter(|l| l.days < 90).count();
        // Only what the service keeps on its own: a grey bar, and said so.
        let floor = median.floor;
        h.push_str(&format!(
            "<tr><th class=\"id\">{}</th><td>{}</td><td class=\"days\">{min} days</td><td>{} days{}</td><td>{max} days</td><td><span class=\"bar\"><span{} style=\"width:{}%\"></span></span></td><td>{below}</td></tr>",
            esc(source),
            ls.len(),
            median.days,
            floor.map(|f| format!(" ({f})")).unwrap_or_default(),
            if floor.is_some() { " class=\"history\"" } else { "" },
            u64::from(median.days) * 100 / u64::from(horizon)
        ));
    }
    h.push_str("</tbody></table>\n");
}

fn frameworks(h: &mut String, r: &Report) {
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
}

/// Failing and unknown findings: sortable, filterable, most severe first.
fn findings(h: &mut String, r: &Report) {
    let mut acting: Vec<&Finding> = r
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unknown))
        .collect();
    // Most severe first; the report's own order (catalogue, account, region) within a severity.
    acting.sort_by_key(|f| f.severity);
    h.push_str(&format!(
        "<h2>Findings to act on</h2><div class=\"filters\"><label>account <select id=\"f-account\"><option value=\"\">all</option>{}</select></label>\
         <label>severity <select id=\"f-severity\"><option value=\"\">all</option>{}</select></label>\
         <label>framework <select id=\"f-framework\"><option value=\"\">all</option>{}</select></label>\
         <label>status <select id=\"f-status\"><option value=\"\">all</option><option>fail</option><option>unknown</option></select></label>\
         <label>text <input id=\"f-text\" type=\"search\" placeholder=\"check, resource, message\"></label>\
         <span><b id=\"shown\">{}</b> of {} shown · click a column to sort</span></div>\n",
        r.scope.accounts.iter().map(|a| format!("<option>{}</option>", esc(&a.id))).collect::<String>(),
        SEVERITIES.iter().map(|s| format!("<option>{}</option>", s.as_str())).collect::<String>(),
        Framework::ALL.iter().map(|f| format!("<option value=\"{}\">{}</option>", f.name(), esc(f.title()))).collect::<String>(),
        acting.len(),
        acting.len()
    ));
    h.push_str("<table id=\"findings\"><colgroup><col class=\"w-sev\"><col class=\"w-status\"><col class=\"w-check\"><col class=\"w-acct\"><col class=\"w-region\"><col><col><col></colgroup>\
        <thead><tr><th aria-sort=\"none\">severity</th><th aria-sort=\"none\">status</th><th aria-sort=\"none\">check</th><th aria-sort=\"none\">account</th><th aria-sort=\"none\">region</th><th aria-sort=\"none\">resource</th><th aria-sort=\"none\">finding</th><th aria-sort=\"none\">next step</th></tr></thead><tbody>");
    for f in acting {
        let fws: Vec<&str> = Framework::ALL
            .iter()
            .filter(|fw| !f.frameworks.of(**fw).is_empty())
            .map(|fw| fw.name())
            .collect();
        h.push_str(&format!(
            "<tr data-account=\"{}\" data-severity=\"{}\" data-status=\"{}\" data-rank=\"{}\" data-frameworks=\"{}\"><td class=\"sev-{} id\">{}</td><td class=\"id\">{}</td><td><code>{}</code></td><td class=\"id\">{}</td><td class=\"id\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(f.account_id.as_deref().unwrap_or("")),
            f.severity.as_str(),
            f.status.as_str(),
            f.severity as u8,
            fws.join(" "),
            f.severity.as_str(),
            f.severity.as_str(),
            f.status.as_str(),
            breakable(&f.check_id),
            esc(f.account_id.as_deref().unwrap_or("—")),
            esc(f.region.as_deref().unwrap_or("—")),
            breakable(&f.resource),
            esc(&f.message),
            esc(&r.next_step(f))
        ));
    }
    h.push_str("</tbody></table>\n");
}

/// One folded section per account: what fails there, by check, and its lookback.
fn accounts(h: &mut String, r: &Report) {
    let mut by_account: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &r.findings {
        if let Some(a) = &f.account_id {
            by_account.entry(a.as_str()).or_default().push(f);
        }
    }
    h.push_str("<h2>Accounts</h2>");
    for a in &r.scope.accounts {
        let fs = by_account.get(a.id.as_str()).cloned().unwrap_or_default();
        let counts = severity_counts(fs.iter().copied());
        let unknown = fs.iter().filter(|f| f.status == Status::Unknown).count();
        let label = match &a.name {
            Some(n) => format!("{} {n}", a.id),
            None => a.id.clone(),
        };
        h.push_str(&format!(
            "<details class=\"account\" id=\"acct-{}\"><summary><b>{}</b> · {}{}{}</summary>",
            esc(&a.id),
            esc(&label),
            counts_text(&counts),
            if unknown > 0 {
                format!(" · {unknown} unknown")
            } else {
                String::new()
            },
            if a.audited {
                ""
            } else {
                " · <b>not audited</b> (its role could not be assumed)"
            }
        ));
        let mut checks: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
        for f in fs.iter().filter(|f| f.status == Status::Fail) {
            checks
                .entry(f.check_id.as_str())
                .or_insert((f.severity, 0))
                .1 += 1;
        }
        if !checks.is_empty() {
            let mut rows: Vec<(&str, (Severity, usize))> = checks.into_iter().collect();
            rows.sort_by_key(|(id, (s, _))| (*s, *id));
            h.push_str("<table><thead><tr><th>failing check</th><th>severity</th><th>findings</th></tr></thead><tbody>");
            for (id, (s, n)) in rows {
                h.push_str(&format!(
                    "<tr><td><code>{}</code></td><td class=\"sev-{} id\">{}</td><td>{n}</td></tr>",
                    esc(id),
                    s.as_str(),
                    s.as_str()
                ));
            }
            h.push_str("</tbody></table>");
        }
        let lb: Vec<_> = r.lookback.iter().filter(|l| l.account_id == a.id).collect();
        if !lb.is_empty() {
            h.push_str("<table><thead><tr><th>source</th><th>lookback</th><th>basis</th></tr></thead><tbody>");
            for l in lb {
                h.push_str(&format!(
                    "<tr><td class=\"id\">{}</td><td class=\"id\">{} days</td><td>{}</td></tr>",
                    esc(&l.source),
                    l.days,
                    esc(&l.basis)
                ));
            }
            h.push_str("</tbody></table>");
        }
        h.push_str(&format!(
            "<p><a href=\"#account={}\" onclick=\"document.getElementById('f-account').value='{}';document.getElementById('f-account').dispatchEvent(new Event('change'));document.getElementById('findings').scrollIntoView();return false;\">its findings</a></p></details>\n",
            esc(&a.id),
            esc(&a.id)
        ));
    }
}

fn exceptions(h: &mut String, r: &Report) {
    if r.exceptions.is_empty() {
        return;
    }
    h.push_str("<h2>Exceptions</h2><table id=\"exceptions\"><thead><tr><th>check</th><th>account</th><th>resource</th><th>reason</th><th>expires</th><th>state</th><th>matched</th></tr></thead><tbody>");
    for e in &r.exceptions {
        h.push_str(&format!(
            "<tr><td><code>{}</code></td><td class=\"id\">{}</td><td>{}</td><td>{}</td><td class=\"id\">{}</td><td>{:?}</td><td>{}</td></tr>",
            esc(&e.check_id),
            if e.organization_wide {
                "<b>every account</b>".to_string()
            } else {
                esc(e.account_id.as_deref().unwrap_or("—"))
            },
            breakable(&e.resource),
            esc(&e.reason),
            esc(&e.expires),
            e.state,
            e.matched
        ));
    }
    h.push_str("</tbody></table>\n");
}
