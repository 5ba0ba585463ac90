//! The HTML report in a real browser: headless Chromium runs the page's script (filters preset
//! from the URL hash) and dumps the DOM; a screenshot is read back with Tesseract OCR to check
//! that the numbers a person sees are the report's. Needs Debian's `chromium` and
//! `tesseract-ocr` (scripts/test.sh installs them).

mod support;

use logwarden::report::{render, Format};
use logwarden::rules::{Severity, Status};
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

#[test]
fn html_report_renders_the_expected_numbers_in_chromium() {
    let report = support::fixture_report(None);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&report, Format::Html)).unwrap();
    let url = format!("file://{}", page.display());
    let profile = dir.path().join("profile");

    // The script applies filters from the hash: the count shown is the filtered one.
    let acting = |pred: &dyn Fn(&logwarden::rules::Finding) -> bool| {
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
    let shot = dir.path().join("top.png");
    chromium(
        &profile,
        &[
            "--window-size=1200,700",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
    );
    let ocr = Command::new(tool("tesseract"))
        .arg(&shot)
        .arg("stdout")
        .output()
        .expect("run tesseract");
    let text = String::from_utf8_lossy(&ocr.stdout).to_string();
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
    assert!(text.contains("Coverage"), "{text}");
}
