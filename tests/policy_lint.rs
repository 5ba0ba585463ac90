//! Every policy logwarden writes (the golden files of `src/plan/policy_goldens.rs`) passes
//! parliament, the offline IAM policy linter (PyPI, installed by scripts/test.sh), but for
//! findings that come from what parliament cannot know, each allowed by name below.

mod support;

use serde_json::Value;
use std::process::Command;
use support::{python, root};

/// Run the linter over these files: its findings.
fn lint(files: &[std::path::PathBuf]) -> Vec<Value> {
    let out = Command::new(python())
        .arg(root().join("tests/support/lint_policies.py"))
        .args(files)
        .output()
        .expect("run parliament");
    assert!(
        out.status.success(),
        "parliament failed (scripts/test.sh installs it into .venv): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Why a finding is not a defect, or `None`.
fn allowed(f: &Value) -> Option<&'static str> {
    let file = f["file"].as_str().unwrap_or("");
    let issue = f["issue"].as_str().unwrap_or("");
    let detail = f["detail"].as_str().unwrap_or("");
    let key_policy = file.contains(".kms_key.");
    let trust_policy = file.contains(".trust_policy.");
    match issue {
        // A global condition key (2023) newer than parliament's IAM database.
        "UNKNOWN_CONDITION_FOR_ACTION"
            if detail.starts_with("Unknown condition aws:SourceOrgID ") =>
        {
            Some("aws:SourceOrgID is a global condition key parliament's database predates")
        }
        // In a key policy "Resource": "*" is the key itself, and the account root's kms:* is
        // the key's default statement (without it the key could be locked out).
        "RESOURCE_STAR" | "PERMISSIONS_MANAGEMENT_ACTIONS" if key_policy => {
            Some("a key policy's resource is the key")
        }
        // A role's trust policy has no Resource.
        "MALFORMED" if trust_policy && detail.contains("neither Resource nor NotResource") => {
            Some("trust policies name no resource")
        }
        _ => None,
    }
}

#[test]
fn every_policy_logwarden_writes_passes_the_linter() {
    let dir = root().join("tests/golden/policies");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    let findings = lint(&files);
    let defects: Vec<&Value> = findings.iter().filter(|f| allowed(f).is_none()).collect();
    assert!(
        defects.is_empty(),
        "parliament findings:\n{}",
        defects
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_linter_catches_what_it_should() {
    // The allowances are narrow: the same findings in a bucket policy are defects.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir
        .path()
        .join("x.s3_bucket.bad.merge_bucket_policy.statements.json");
    std::fs::write(
        &bad,
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"},
             "Action": ["s3:PutObjectz", "logs:DescribeLogGroups"], "Resource": "arn:aws:logs:*:1:log-group:x"}]}"#,
    )
    .unwrap();
    let findings = lint(&[bad]);
    let issues: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["issue"].as_str())
        .collect();
    assert!(issues.contains(&"UNKNOWN_ACTION"), "{findings:?}");
    assert!(
        findings.iter().all(|f| allowed(f).is_none()),
        "{findings:?}"
    );
}
