//! The HTML report in a real browser: headless Chromium runs the page's script (filters preset
//! from the URL hash) and dumps the DOM; a screenshot is read back with Tesseract OCR to check
//! that the numbers a person sees are the report's. Needs Debian's `chromium` and
//! `tesseract-ocr` (scripts/test.sh installs them).

mod support;

use logwarden::finding::{Severity, Status};
use logwarden::report::{render, Format};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str) -> PathBuf {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join(name))
        .find(|p| p.exists());
    found.unwrap_or_else(|| panic!("`{name}` is not installed: run scripts/test.sh, which installs chromium and tesseract-ocr"))
}

fn chromium(profile: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(tool("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// What a person sees of the page at the top of a window of `size`: a screenshot (at `shot`)
/// read back with Tesseract OCR.
fn screenshot_text(profile: &Path, url: &str, size: &str, shot: &Path) -> String {
    chromium(
        profile,
        &[
            &format!("--window-size={size}"),
            &format!("--screenshot={}", shot.display()),
            url,
        ],
    );
    let ocr = Command::new(tool("tesseract"))
        .arg(shot)
        .arg("stdout")
        .output()
        .expect("run tesseract");
    String::from_utf8_lossy(&ocr.stdout).to_string()
}

#[test]
fn html_report_renders_the_expected_numbers_in_chromium() {
    let report = support::fixture_report(None);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&report, Format::Html)).unwrap();
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");

    // The script applies filters from the hash: the count shown is the filtered one.
    let acting = |pred: &dyn Fn(&logwarden::finding::Finding) -> bool| {
        report
            .findings
            .iter()
            .filter(|f| matches!(f.status, Status::Fail | Status::Unknown) && pred(f))
            .count()
    };
    let critical = acting(&|f| f.severity == Severity::Critical);
    let wa = "763116566701";
    let in_wa = acting(&|f| f.account_id.as_deref() == Some(wa));
    assert!(critical > 0 && in_wa > critical);
    for (hash, expected) in [
        ("severity=critical", critical),
        (&format!("account={wa}") as &str, in_wa),
    ] {
        let dom = chromium(&profile, &["--dump-dom", &format!("{url}#{hash}")]);
        let dom = String::from_utf8_lossy(&dom.stdout);
        assert!(
            dom.contains(&format!("<b id=\"shown\">{expected}</b>")),
            "#{hash}: expected {expected} shown"
        );
        let hidden = dom.matches("class=\"hidden\"").count();
        assert_eq!(hidden, acting(&|_| true) - expected, "#{hash}");
    }

    // What a person sees: the totals at the top of the page.
    let text = screenshot_text(&profile, &url, "1200,700", &dir.path().join("top.png"));
    let words: Vec<&str> = text.split_whitespace().collect();
    for (n, label) in [
        (report.summary.fail, "failing"),
        (report.summary.pass, "passing"),
    ] {
        assert!(
            words.contains(&n.to_string().as_str()),
            "OCR did not read {n} ({label}) in:\n{text}"
        );
        assert!(
            words.contains(&label),
            "OCR did not read `{label}` in:\n{text}"
        );
    }
    // The coverage heading (OCR may split "Coverage: accounts × log sources" into blocks).
    assert!(
        text.contains("Coverag") && text.contains("log sources"),
        "{text}"
    );
    assert!(text.contains("Incident-response lookback"), "{text}");
}

/// The fixture report grown to an organization of `accounts` accounts in `regions` regions:
/// every account a copy of one of the fixture's, with its findings, coverage and lookback.
fn at_scale(accounts: usize, regions: usize) -> logwarden::report::Report {
    const REGIONS: [&str; 17] = [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "ca-central-1",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "eu-central-1",
        "eu-north-1",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-southeast-1",
        "ap-southeast-2",
        "sa-east-1",
    ];
    let base = support::fixture_report(None);
    let mut r = base.clone();
    let regions: Vec<String> = REGIONS
        .iter()
        .take(regions)
        .map(|s| s.to_string())
        .collect();
    r.scope.regions = regions.clone();
    r.scope.accounts.clear();
    r.findings.clear();
    r.coverage.clear();
    r.lookback.clear();
    for i in 0..accounts {
        let model = &base.scope.accounts[i % base.scope.accounts.len()];
        let id = format!("{:012}", 100_000_000_000u64 + i as u64 * 7919);
        let mut a = model.clone();
        a.id = id.clone();
        a.name = Some(format!(
            "workload-{i:03}-{}",
            model.name.as_deref().unwrap_or("x")
        ));
        r.scope.accounts.push(a);
        for f in base
            .findings
            .iter()
            .filter(|f| f.account_id.as_deref() == Some(&model.id))
        {
            let mut f = f.clone();
            f.account_id = Some(id.clone());
            f.resource = f.resource.replace(&model.id, &id);
            if let Some(reg) = &f.region {
                // Spread the regional findings over the regions.
                let k = (i + reg.len()) % regions.len();
                f.region = Some(regions[k].clone());
            }
            r.findings.push(f);
        }
        for reg in &regions {
            for c in base
                .coverage
                .iter()
                .filter(|c| c.account_id == model.id && c.region == base.scope.regions[0])
            {
                let mut c = c.clone();
                c.account_id = id.clone();
                c.region = reg.clone();
                r.coverage.push(c);
            }
        }
        for l in base.lookback.iter().filter(|l| l.account_id == model.id) {
            let mut l = l.clone();
            l.account_id = id.clone();
            r.lookback.push(l);
        }
    }
    r.summary.fail = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .count();
    r.summary.unknown = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Unknown)
        .count();
    r.summary.pass = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Pass)
        .count();
    r
}

/// Measurements the browser makes of its own layout, appended to the page under test: whether
/// anything is wider than the window, and whether an identifier broke across lines.
const MEASURE: &str = r#"<script>
(function(){
  var w=document.documentElement.clientWidth, out=[];
  if(document.documentElement.scrollWidth>w) out.push('page '+document.documentElement.scrollWidth+'>'+w);
  [].slice.call(document.querySelectorAll('h1,h2,table,.totals,.filters,details.account')).forEach(function(e){
    var r=e.getBoundingClientRect(); if(r.right>w+1) out.push((e.id||e.tagName)+' right '+Math.round(r.right)+'>'+w);
  });
  var wrapped=0;
  [].slice.call(document.querySelectorAll('#findings td.id,#heatmap-sources th.acct')).slice(0,3000).forEach(function(e){
    if(e.offsetParent && e.getClientRects().length && e.firstChild && e.firstChild.nodeType===3){
      var range=document.createRange(); range.selectNodeContents(e);
      if(range.getClientRects().length>1) wrapped++;
    }
  });
  if(wrapped) out.push(wrapped+' identifiers wrapped');
  var pre=document.createElement('pre'); pre.id='layout'; pre.textContent=out.length?out.join('; '):'OK';
  document.body.appendChild(pre);
})();
</script>"#;

#[test]
fn html_report_holds_at_200_accounts_and_17_regions() {
    let report = at_scale(200, 17);
    assert_eq!(report.scope.accounts.len(), 200);
    let html = render(&report, Format::Html);
    assert!(html.len() < 20 * 1024 * 1024, "{} bytes", html.len());
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "self-contained"
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html.replace("</body>", &format!("{MEASURE}</body>"))).unwrap();
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");

    // Laid out at a laptop's width and a narrow one: nothing wider than the window, no
    // identifier broken across lines.
    for width in [1400, 1024] {
        let dom = chromium(
            &profile,
            &[&format!("--window-size={width},900"), "--dump-dom", &url],
        );
        let dom = String::from_utf8_lossy(&dom.stdout);
        assert!(
            dom.contains("<pre id=\"layout\">OK</pre>"),
            "at {width}px: {}",
            dom.split("<pre id=\"layout\">")
                .nth(1)
                .unwrap_or("no measurement")
                .split("</pre>")
                .next()
                .unwrap_or("")
        );
        // One heatmap row per account, 6 source columns, regions folded into the cells.
        assert_eq!(
            dom.matches("<tr data-account=").count() - count_findings_rows(&dom),
            200
        );
        assert_eq!(dom.matches("<details class=\"account\"").count(), 200);
    }

    // What a security lead sees first: the severity tiles, read back from a screenshot.
    let text = screenshot_text(&profile, &url, "1400,900", &dir.path().join("top.png"));
    let words: Vec<&str> = text.split_whitespace().collect();
    let critical = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail && f.severity == Severity::Critical)
        .count();
    for (n, label) in [(report.summary.fail, "failing"), (critical, "critical")] {
        assert!(
            words.contains(&n.to_string().as_str()),
            "OCR did not read {n} ({label}) in:\n{text}"
        );
        assert!(
            words.contains(&label),
            "OCR did not read `{label}` in:\n{text}"
        );
    }
    // The coverage heading (OCR may split "Coverage: accounts × log sources" into blocks).
    assert!(
        text.contains("Coverag") && text.contains("log sources"),
        "{text}"
    );

    // Filters and sorting work at this size: the critical findings of one account.
    let one = &report.scope.accounts[7].id;
    let expected = report
        .findings
        .iter()
        .filter(|f| {
            matches!(f.status, Status::Fail | Status::Unknown)
                && f.account_id.as_deref() == Some(one)
                && f.severity == Severity::Critical
        })
        .count();
    let dom = chromium(
        &profile,
        &[
            "--dump-dom",
            &format!("{url}#account={one}&severity=critical"),
        ],
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains(&format!("<b id=\"shown\">{expected}</b>")),
        "expected {expected}"
    );
}

/// The findings table's rows (they carry `data-account` too).
fn count_findings_rows(dom: &str) -> usize {
    dom.matches("<tr data-account=").count()
        - dom
            .split("<table id=\"findings\"")
            .next()
            .unwrap_or("")
            .matches("<tr data-account=")
            .count()
}
