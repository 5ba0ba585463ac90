//! The export surface of the real binary, from the fixture inventory (no AWS, no emulator):
//! several formats at once, exceptions, framework filtering, `diff` and `frameworks`.

mod support;

use logwarden::diff::Diff;
use logwarden::report::Report;
use std::process::{Command, Output};
use support::root;

fn lw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_logwarden"))
        .args(args)
        .output()
        .unwrap()
}

fn fixture() -> String {
    root()
        .join("tests/fixtures/org-inventory.json")
        .display()
        .to_string()
}

#[test]
fn every_format_into_an_output_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--format",
        "json,sarif,junit,csv,ocsf,asff,markdown,html,table",
        "--output-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains("failing, 0 unknown across 4 accounts and 2 regions"),
        "{summary}"
    );
    for name in [
        "report.json",
        "report.sarif",
        "report.junit.xml",
        "report.csv",
        "report.ocsf.jsonl",
        "report.asff.json",
        "report.md",
        "report.html",
        "report.txt",
    ] {
        let text = std::fs::read_to_string(dir.path().join(name))
            .unwrap_or_else(|_| panic!("{name} missing"));
        assert!(text.len() > 500, "{name} is nearly empty");
    }
    let report: Report =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    let ocsf_lines = std::fs::read_to_string(dir.path().join("report.ocsf.jsonl"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(
        ocsf_lines,
        report.findings.len(),
        "every format renders the same findings"
    );

    let out = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--format",
        "json,sarif",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("several formats need --output-dir"));
}

#[test]
fn exceptions_and_gates_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let fixture_ex = root().join("tests/fixtures/exceptions.yaml");
    // The fixture's exception runs to 2099: past the profile's cap of a year, it is refused.
    let out = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--exceptions",
        fixture_ex.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("exceptions.yaml:8:14: expires 2099-12-31 is more than 365 days after today"),
        "{err}"
    );
    // Within the cap, and with an organization-wide exception, which every report shows first.
    let soon = (time::OffsetDateTime::now_utc().date() + time::Duration::days(30)).to_string();
    let text = std::fs::read_to_string(&fixture_ex).unwrap().replace("2099-12-31", &soon)
        + "  - check: trail_bucket.mfa_delete\n    resource: '*'\n    organization_wide: true\n    reason: Root MFA is held by the provider; SEC-7\n    expires: "
        + &soon
        + "\n";
    let ex_path = dir.path().join("exceptions.yaml");
    std::fs::write(&ex_path, text).unwrap();
    let ex = ex_path.display().to_string();
    let out = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--exceptions",
        &ex,
        "--format",
        "table",
        "--fail-on",
        "high",
    ]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(
            "warning: exception for s3.access_logging on arn:aws:s3:::wa-* expired on 2020-01-31"
        ),
        "{table}"
    );
    let first = table.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("warning: organization-wide exception: trail_bucket.mfa_delete on * in every account until"),
        "{table}"
    );
    assert!(table.contains("failing finding(s) excepted"), "{table}");
    let md = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--exceptions",
        &ex,
        "--format",
        "markdown",
    ]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("> [!WARNING]\n> organization-wide exception: trail_bucket.mfa_delete"),
        "{md}"
    );
    assert!(md.contains("**every account**"), "{md}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "critical public access failures remain"
    );

    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "version: 1\nexceptions:\n  - check: cloudtrail.logging\n    resource: '*'\n    reason: decommissioning\n    expires: 31/12/2030\n    account: '111111111111'\n").unwrap();
    let out = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--exceptions",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}:6:14: `31/12/2030` is not a date",
            bad.display()
        )),
        "{err}"
    );
}

#[test]
fn framework_filter_from_the_command_line() {
    let out = lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--framework",
        "nist-800-53",
        "--format",
        "json",
    ]);
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r.findings.iter().all(|f| !f
        .frameworks
        .of(logwarden::frameworks::Framework::Nist80053)
        .is_empty()));
    assert_eq!(r.framework_scores.len(), 1);
    assert_eq!(r.framework_scores[0].controls_not_covered, vec!["AU-4"]);

    let show = String::from_utf8(lw(&["frameworks", "show", "cis-aws-v3"]).stdout).unwrap();
    assert!(
        show.contains("3.7") && show.contains("vpc.flow_logs"),
        "{show}"
    );
    let list = String::from_utf8(lw(&["frameworks", "list"]).stdout).unwrap();
    assert_eq!(list.lines().count(), 4);
    assert!(list.contains("nist-800-53"));
}

/// `evidence verify` on a folder whose manifest is not one: the file, line and column, the
/// line with a caret, the hint; exit 2.
#[test]
fn evidence_verify_points_at_what_is_wrong_in_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("manifest.json");
    std::fs::write(&manifest, "{\n  \"files\": 3,\n}\n").unwrap();
    let out = lw(&["evidence", "verify", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{}:2:12: not a logwarden evidence manifest: invalid type: integer `3`, expected a sequence\n 2 |   \"files\": 3,\n   |            ^\n  hint: give the folder",
            manifest.display()
        )),
        "{err}"
    );
}

#[test]
fn diff_refuses_a_file_that_is_neither_report_nor_inventory() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("notes.txt", "not json at all"),
        ("other.json", r#"{"hello": "world"}"#),
        ("half.json", r#"{"findings": 3}"#),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = lw(&["diff", &fixture(), path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8(out.stderr).unwrap();
        // The file, the line and column, the line itself with a caret, the hint.
        let (column, message) = match name {
            "notes.txt" => (2, "expected ident"),
            "other.json" => (18, "missing field `schema_version`"),
            _ => (14, "it has findings, but not a report's: invalid type: integer `3`, expected a sequence"),
        };
        let caret = format!("\n 1 | {text}\n   | {}^\n", " ".repeat(column - 1));
        assert!(
            err.contains(&format!(
                "{}:1:{column} is neither a logwarden report nor a saved inventory: {message}{caret}",
                path.display()
            )),
            "{name}: {err}"
        );
        assert!(err.contains("hint: pass two JSON reports"), "{name}: {err}");
    }
}

#[test]
fn diff_reports_what_got_worse_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    // The later inventory: the organization trail has stopped logging.
    let mut inv: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    for a in inv["accounts"].as_array_mut().unwrap() {
        for t in a["data"]["cloudtrail"]["trails"].as_array_mut().unwrap() {
            if t["name"] == "org-trail" {
                t["status"]["value"]["is_logging"] = serde_json::json!(false);
            }
        }
    }
    let later = dir.path().join("later.json");
    std::fs::write(&later, serde_json::to_string(&inv).unwrap()).unwrap();

    let out = lw(&[
        "diff",
        &fixture(),
        later.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let d: Diff = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (d.worse, d.new_failing, d.better, d.new, d.gone),
        (15, 0, 2, 0, 0),
        "{d:?}"
    );
    // A stopped trail no longer carries events to the alarms on its log group: every account's
    // CloudTrail-change alarm (the fixture's one passing detective control) goes quiet too.
    assert_eq!(
        d.entries
            .iter()
            .filter(|e| e.check_id == "monitoring.cloudtrail_changes")
            .count(),
        4
    );
    // With the organization trail stopped, workload A's own trail is no longer a second copy.
    assert!(d
        .entries
        .iter()
        .filter(|e| e.change == logwarden::diff::Change::Better)
        .all(|e| e.check_id == "cloudtrail.duplicate_management_events"));
    assert!(d
        .entries
        .iter()
        .any(|e| e.check_id == "cloudtrail.logging" && e.resource.ends_with("trail/org-trail")));
    // The workload B member is no longer covered in either region; workload A still is (own trail).
    let worse_cov: Vec<_> = d
        .entries
        .iter()
        .filter(|e| e.check_id == "cloudtrail.coverage")
        .map(|e| e.resource.as_str())
        .collect();
    assert!(
        worse_cov.contains(&"009788208121:eu-west-1"),
        "{worse_cov:?}"
    );
    assert!(
        !worse_cov.iter().any(|r| r.starts_with("763116566701")),
        "{worse_cov:?}"
    );

    // Reports work too, and no change means exit 0.
    let report = dir.path().join("report.json");
    lw(&[
        "audit",
        "--from-inventory",
        &fixture(),
        "--output",
        report.to_str().unwrap(),
    ]);
    let out = lw(&["diff", report.to_str().unwrap(), &fixture()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .ends_with("0 worse, 0 new failing, 0 better, 0 new, 0 gone\n"));
    // Back again: coverage gets better, but workload A's trail is a billed duplicate once more.
    let out = lw(&[
        "diff",
        later.to_str().unwrap(),
        &fixture(),
        "--format",
        "json",
    ]);
    let back: Diff = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((back.worse, back.better), (2, 15));
    assert_eq!(out.status.code(), Some(1));
}

/// The binary with a clean environment: no credentials, nothing reachable.
fn lw_bare(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_logwarden"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(envs.iter().copied())
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn aws_cli_habits_do_what_their_users_expect() {
    // --output json: a format in the AWS CLI, refused here with the way to say it.
    let out = lw(&["audit", "--from-inventory", &fixture(), "--output", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("looks like a format") && err.contains("--format json"),
        "{err}"
    );
    assert!(!std::path::Path::new("json").exists());
}

#[test]
fn an_unwritable_output_fails_before_any_aws_call() {
    // No credentials at all: had the audit started, the error would be about credentials.
    let out = lw_bare(
        &[
            "audit",
            "--regions",
            "us-east-1",
            "--output",
            "/nonexistent-logwarden-dir/r.json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write /nonexistent-logwarden-dir/r.json"),
        "{err}"
    );
    assert!(!err.contains("credentials"), "{err}");
    let out = lw_bare(
        &[
            "plan",
            "--regions",
            "us-east-1",
            "--out",
            "/nonexistent-logwarden-dir/p.json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("cannot write /nonexistent-logwarden-dir/p.json"));
}

#[test]
fn one_check_is_explained_and_a_typo_gets_the_nearest_id() {
    let out = lw(&["checks", "cloudtrail.logging"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "cloudtrail.logging (critical",
        "What it reads: GetTrailStatus",
        "Why: ",
        "Fix: run `logwarden plan` (apply makes the fix), or: Start logging",
        "CIS v3.0: 3.1",
        "logwarden plan",
    ] {
        assert!(text.contains(needle), "{needle:?} not in {text}");
    }
    let out = lw(&["checks", "cloudtrail.loging"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `cloudtrail.logging`?"), "{err}");
}

#[test]
fn frameworks_show_without_a_name_points_at_all() {
    let out = lw(&["frameworks", "show"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("frameworks show --all"), "{err}");
}

#[test]
fn completions_and_a_man_page_come_from_the_command_line_definition() {
    for (shell, needle) in [
        ("bash", "_logwarden()"),
        ("zsh", "#compdef logwarden"),
        ("fish", "complete -c logwarden"),
    ] {
        let out = lw(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(needle) && text.contains("audit"),
            "{shell}: {text}"
        );
    }
    let out = lw(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(".ie") || text.contains(".TH logwarden"),
        "{text}"
    );
    assert!(text.contains("audit"), "{text}");
}

#[test]
fn rust_log_is_honoured_beside_logwarden_log() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let args = [
        "audit",
        "--regions",
        "us-east-1",
        "--max-attempts",
        "1",
        "--endpoint-url",
        &closed,
    ];
    let creds = [
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "x"),
        ("AWS_REGION", "us-east-1"),
    ];
    let quiet = lw_bare(&args, &creds);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("AWS call failed"));
    let mut env = creds.to_vec();
    env.push(("RUST_LOG", "logwarden=debug"));
    let loud = lw_bare(&args, &env);
    let err = String::from_utf8_lossy(&loud.stderr);
    assert!(err.contains("AWS call failed"), "{err}");
    // No secret, even at debug level.
    assert!(!err.contains("AKIAIOSFODNN7EXAMPLE"), "{err}");
}

#[test]
fn permissions_print_a_policy_a_list_and_the_audit_role() {
    let out = lw(&["permissions", "audit", "--role-name", "logwarden-audit"]);
    assert_eq!(out.status.code(), Some(0));
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(policy["Version"], "2012-10-17");
    let statements = policy["Statement"].as_array().unwrap();
    let assume = statements
        .iter()
        .find(|s| s["Action"] == "sts:AssumeRole")
        .unwrap();
    assert_eq!(assume["Resource"], "arn:aws:iam::*:role/logwarden-audit");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("cloudtrail:GetTrailStatus"), "{text}");
    assert!(
        !text.contains("cloudtrail:CreateTrail"),
        "audit is read-only: {text}"
    );

    let apply = lw(&["permissions", "apply", "--format", "list"]);
    let apply = String::from_utf8_lossy(&apply.stdout);
    assert!(apply.contains("cloudtrail:CreateTrail\tapply\tsrc/sources/cloudtrail/apply.rs"));
    assert!(apply.contains("iam:GetRole\tplan\t"), "{apply}");

    let cfn = lw(&["permissions", "audit", "--format", "cloudformation"]);
    let cfn = String::from_utf8_lossy(&cfn.stdout);
    assert!(cfn.contains("Type: AWS::IAM::Role") && cfn.contains("\"s3:GetBucketPolicy\""));
    assert!(
        cfn.contains("RoleName: OrganizationAccountAccessRole"),
        "{cfn}"
    );

    // The templates make the read-only role only.
    let out = lw(&["permissions", "apply", "--format", "terraform"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`logwarden permissions apply`"), "{err}");
}

#[test]
fn a_role_given_as_an_arn_is_refused_before_any_call() {
    let out = lw(&[
        "audit",
        "--role-name",
        "arn:aws:iam::111111111111:role/audit",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is not an IAM role name") && err.contains("not its ARN"),
        "{err}"
    );
    let out = lw(&[
        "apply",
        "--apply-role-name",
        "role/path/x",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--apply-role-name `role/path/x`"));
}

#[test]
fn concurrency_out_of_range_is_a_usage_error_before_any_aws_call() {
    // Refused by the command line itself, whatever else is asked (a saved inventory too, where
    // it would otherwise pass unnoticed).
    let fixture = fixture();
    for args in [
        vec!["audit", "--regions", "us-east-1", "--concurrency", "0"],
        vec!["audit", "--regions", "us-east-1", "--concurrency", "2049"],
        vec![
            "audit",
            "--from-inventory",
            fixture.as_str(),
            "--concurrency",
            "0",
        ],
        vec![
            "plan",
            "--from-inventory",
            fixture.as_str(),
            "--concurrency",
            "0",
        ],
    ] {
        let out = lw_bare(&args, &[]);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--concurrency") && err.contains("is not in 1..=2048"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("credentials"), "{args:?}: {err}");
    }
    for flag in ["--call-timeout", "--max-attempts"] {
        let out = lw_bare(&["audit", "--regions", "us-east-1", flag, "0"], &[]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(flag) && err.contains("is not in 1.."),
            "{flag}: {err}"
        );
    }
}
