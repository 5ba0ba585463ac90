//! Generated documentation stays in sync with the code, and the published report schema
//! accepts what the tool actually writes.

mod support;

use logwarden::report::{render, Format};
use std::process::Command;
use support::root;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_logwarden"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn in_sync(doc: &str, generated: String, command: &str) {
    let on_disk = std::fs::read_to_string(root().join(doc)).unwrap_or_default();
    pretty_assertions::assert_eq!(on_disk, generated, "{doc} is stale: {command} > {doc}");
}

#[test]
fn checks_md_is_generated_from_the_registry() {
    in_sync(
        "docs/checks.md",
        run(&["checks", "--format", "markdown"]),
        "logwarden checks --format markdown",
    );
}

#[test]
fn permissions_md_is_generated_from_the_call_sites() {
    in_sync(
        "docs/permissions.md",
        run(&["permissions", "--format", "markdown"]),
        "logwarden permissions --format markdown",
    );
}

#[test]
fn frameworks_md_is_generated_from_the_crosswalk() {
    in_sync(
        "docs/frameworks.md",
        run(&["frameworks", "show", "--all", "--format", "markdown"]),
        "logwarden frameworks show --all --format markdown",
    );
}

#[test]
fn report_schema_is_generated_from_the_report_types() {
    in_sync(
        "docs/report.schema.json",
        run(&["schema"]),
        "logwarden schema",
    );
}

#[test]
fn the_report_schema_accepts_real_reports_and_rejects_broken_ones() {
    let schema: serde_json::Value = serde_json::from_str(&run(&["schema"])).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for framework in [None, Some(logwarden::frameworks::Framework::AwsFsbp)] {
        let report: serde_json::Value =
            serde_json::from_str(&render(&support::fixture_report(framework), Format::Json))
                .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let mut broken = report.clone();
        broken["findings"][0]["status"] = serde_json::json!("maybe");
        assert!(!validator.is_valid(&broken));
        let mut broken = report.clone();
        broken.as_object_mut().unwrap().remove("summary");
        assert!(!validator.is_valid(&broken));
    }
}

#[test]
fn profile_schema_is_generated_and_accepts_every_bundled_profile() {
    let generated = run(&["profiles", "schema"]);
    in_sync(
        "docs/profile.schema.json",
        generated.clone(),
        "logwarden profiles schema",
    );
    let schema: serde_json::Value = serde_json::from_str(&generated).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for (name, _) in logwarden::baseline::BUNDLED {
        let shown: serde_json::Value =
            serde_json::from_str(&run(&["profiles", "show", name])).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&shown)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let mut broken = shown.clone();
        broken["cloudtrail"]["management_events"] = serde_json::json!("some");
        assert!(!validator.is_valid(&broken), "{name}");
    }
}

#[test]
fn profiles_validate_names_the_position_of_an_error() {
    let list = run(&["profiles", "list"]);
    assert_eq!(
        list.lines()
            .map(|l| l.split_whitespace().next().unwrap())
            .collect::<Vec<_>>(),
        vec!["recommended", "cis-aws-v3", "minimal"]
    );
    assert_eq!(
        run(&[
            "profiles",
            "validate",
            "recommended",
            "cis-aws-v3",
            "minimal"
        ])
        .lines()
        .count(),
        3
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "version: 1\nname: bad\ntrail_bucket:\n  lifecycle:\n    transitions:\n      - {after_days: 7, storage_class: ONEZONE_IA}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_logwarden"))
        .args(["profiles", "validate", "minimal", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "ok: minimal (minimal)\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:6:", bad.display())) && err.contains("30 days"),
        "{err}"
    );
}
