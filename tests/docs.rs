//! Generated documentation stays in sync with the code, and the published report schema
//! accepts what the tool actually writes.

mod support;

use logwarden::cli::Format;
use logwarden::commands::audit::render;
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
