//! Every output format, rendered from one evaluated report of a fixed inventory (captured from
//! the seeded emulated organization), checked against golden files and for its own structure.
//! The timestamp and the tool version are pinned on the report model before rendering.

use logwarden::finding::Status;
use logwarden::frameworks::Framework;
use logwarden::report::{render, Format};
use logwarden::report::{Report, ReportOptions};
mod support;

use support::{check_ids, fixture_inventory, golden, report_of, root};

fn report(framework: Option<Framework>) -> Report {
    support::fixture_report(framework)
}

#[test]
fn every_format_matches_its_golden_file() {
    let r = report(None);
    for f in [
        Format::Json,
        Format::Table,
        Format::Sarif,
        Format::Junit,
        Format::Csv,
        Format::Ocsf,
        Format::Asff,
        Format::Markdown,
        Format::Html,
    ] {
        golden(f.file_name(), &render(&r, f));
    }
}

#[test]
fn exceptions_mark_findings_excepted_and_expired_ones_stop_matching() {
    let r = report(None);
    let stopped = r
        .findings
        .iter()
        .find(|f| f.check_id == "cloudtrail.logging" && f.resource.ends_with("wb-stopped"))
        .unwrap();
    assert_eq!(stopped.status, Status::Excepted);
    assert_eq!(stopped.exception.as_ref().unwrap().expires, "2099-12-31");
    assert_eq!(r.summary.excepted, 1);
    let wa = r
        .findings
        .iter()
        .find(|f| f.check_id == "s3.access_logging" && f.resource.ends_with("wa-app-data"))
        .unwrap();
    assert_eq!(
        wa.status,
        Status::Fail,
        "an expired exception no longer applies"
    );
    let states: Vec<_> = r.exceptions.iter().map(|e| (e.state, e.matched)).collect();
    use logwarden::exceptions::ExceptionState::*;
    assert_eq!(states, vec![(Active, 1), (Expired, 0)]);
    // Excepted findings never fail the gate; the rest still does.
    use logwarden::finding::Severity;
    let critical: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail && f.severity == Severity::Critical)
        .map(|f| f.check_id.as_str())
        .collect();
    assert_eq!(
        critical,
        vec!["trail_bucket.public_access", "trail_bucket.public_access"]
    );
    use logwarden::report::{Gate, Unknowns};
    assert_eq!(
        r.gate(Severity::Critical, Unknowns::AtOrAbove),
        Gate::Failing
    );
    let inv = fixture_inventory();
    let b = logwarden::sources::load_baseline("recommended").unwrap();
    let mut exceptions = logwarden::exceptions::load(
        root()
            .join("tests/fixtures/exceptions.yaml")
            .to_str()
            .unwrap(),
        &check_ids(),
        None,
    )
    .unwrap();
    exceptions.extend(
        logwarden::exceptions::parse(
            "version: 1\nexceptions:\n  - check: trail_bucket.public_access\n    resource: '*'\n    organization_wide: true\n    reason: accepted for the test\n    expires: 2099-01-01\n",
            "extra.yaml",
            &check_ids(),
            None,
        )
        .unwrap(),
    );
    let opts = ReportOptions {
        framework: None,
        exceptions,
        now: time::macros::datetime!(2026-11-22 08:00:00 UTC),
    };
    let r2 = report_of(&inv, &b, &opts);
    assert_eq!(
        r2.gate(Severity::Critical, Unknowns::AtOrAbove),
        Gate::Pass,
        "every critical failure is excepted"
    );
    assert_eq!(r2.gate(Severity::Low, Unknowns::AtOrAbove), Gate::Failing);
    assert_eq!(r2.summary.excepted, 3);
}

#[test]
fn a_finding_that_could_not_be_judged_may_be_failing_and_the_gate_says_so() {
    use logwarden::finding::Severity;
    use logwarden::report::{Gate, Unknowns};
    let mut r = report(None);
    // Nothing fails at or above high, nothing is unknown: the gate passes.
    r.findings
        .retain(|f| !(f.status == Status::Fail && f.severity.at_least(Severity::High)));
    assert_eq!(r.gate(Severity::High, Unknowns::AtOrAbove), Gate::Pass);
    assert_eq!(r.unjudged(), None);
    // A high finding could not be judged: by default it may be failing (exit 3)...
    let high = r
        .findings
        .iter()
        .position(|f| f.severity == Severity::High)
        .unwrap();
    r.findings[high].status = Status::Unknown;
    r.summary.unknown += 1;
    assert_eq!(r.gate(Severity::High, Unknowns::AtOrAbove), Gate::Unjudged);
    // ...accepted with --allow-unknown, counted whatever the threshold with --fail-on-unknown,
    // and below the threshold it is not counted by default.
    assert_eq!(r.gate(Severity::High, Unknowns::Allowed), Gate::Pass);
    assert_eq!(r.gate(Severity::Critical, Unknowns::AtOrAbove), Gate::Pass);
    assert_eq!(r.gate(Severity::Critical, Unknowns::Any), Gate::Unjudged);
    // A failing finding at the threshold wins over an unknown one.
    assert_eq!(r.gate(Severity::Low, Unknowns::AtOrAbove), Gate::Failing);
    // Every human report says it first, with the failed calls by kind.
    r.errors = vec![serde_json::from_value(serde_json::json!({
        "account_id": "111111111111", "region": null, "service": "sts",
        "operation": "AssumeRole", "code": "Throttling", "message": "Rate exceeded",
        "iam_action": "sts:AssumeRole", "attempts": 3, "throttled_attempts": 3
    }))
    .unwrap()];
    let line = r.unjudged().unwrap();
    assert!(
        line.starts_with(&format!(
            "1 of {} finding(s) could not be judged",
            r.summary.total
        )) && line.ends_with("1 AWS call(s) failed: 1 throttled (sts:AssumeRole)"),
        "{line}"
    );
    let table = render(&r, Format::Table);
    assert!(
        table.lines().nth(1).unwrap().starts_with("warning: 1 of "),
        "{table}"
    );
    let md = render(&r, Format::Markdown);
    assert!(md.contains("> [!CAUTION]\n> 1 of "), "{md}");
    let html = render(&r, Format::Html);
    assert!(html.contains("id=\"unjudged\""), "no banner");
}

#[test]
fn framework_filter_keeps_only_mapped_checks_and_scores_each_control() {
    let r = report(Some(Framework::CisAwsV3));
    assert!(r
        .findings
        .iter()
        .all(|f| !f.frameworks.of(Framework::CisAwsV3).is_empty()));
    assert!(!r
        .findings
        .iter()
        .any(|f| f.check_id == "budgets.logging_cost"));
    assert_eq!(r.framework_scores.len(), 1);
    let s = &r.framework_scores[0];
    let ctl = |id: &str| s.controls.iter().find(|c| c.control == id).unwrap();
    use logwarden::report::crosswalk::ControlStatus;
    assert_eq!(
        ctl("3.2").status,
        ControlStatus::Fail,
        "wa-local-trail has no validation"
    );
    assert_eq!(ctl("3.2").checks, vec!["cloudtrail.log_file_validation"]);
    assert_eq!(
        ctl("2.1.2").status,
        ControlStatus::NotApplicable,
        "MFA delete not required by the baseline"
    );
    assert_eq!((ctl("3.4").pass, ctl("3.4").fail), (1, 2));
}

#[test]
fn sarif_has_rule_metadata_for_the_catalogue_and_stable_fingerprints() {
    let r = report(None);
    let v: serde_json::Value = serde_json::from_str(&render(&r, Format::Sarif)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), r.catalog.checks.len());
    for rule in rules {
        assert!(rule["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        assert!(rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(rule["properties"]["security-severity"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    let attention = r
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unknown | Status::Excepted))
        .count();
    assert_eq!(results.len(), attention);
    let mut prints = std::collections::HashSet::new();
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        assert!(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
        assert!(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
        assert!(prints.insert(
            res["partialFingerprints"]["logwardenFinding/v1"]
                .as_str()
                .unwrap()
                .to_string()
        ));
    }
    let suppressed = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .count();
    assert_eq!(suppressed, 1);
    // The same finding gets the same fingerprint in another run.
    let again: serde_json::Value =
        serde_json::from_str(&render(&report(None), Format::Sarif)).unwrap();
    assert_eq!(again["runs"][0]["results"], run["results"]);
}

#[test]
fn junit_has_a_suite_per_check_and_a_case_per_resource() {
    let r = report(None);
    let xml = render(&r, Format::Junit);
    let suites = r
        .catalog
        .checks
        .iter()
        .filter(|c| r.findings.iter().any(|f| f.check_id == c.id))
        .count();
    assert_eq!(xml.matches("<testsuite ").count(), suites);
    assert_eq!(xml.matches("<testcase ").count(), r.findings.len());
    assert_eq!(xml.matches("<failure").count(), r.summary.fail);
    assert_eq!(xml.matches("<error").count(), r.summary.unknown);
    assert_eq!(
        xml.matches("<skipped").count(),
        r.summary.not_applicable + r.summary.excepted
    );
}

#[test]
fn csv_has_one_row_per_finding_and_one_column_per_framework() {
    let r = report(None);
    let text = render(&r, Format::Csv);
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    let headers = rd.headers().unwrap().clone();
    for col in [
        "check_id",
        "status",
        "severity",
        "account_id",
        "region",
        "resource",
        "message",
        "remediation",
        "cis_aws_v3",
        "cis_aws_v7",
        "aws_fsbp",
        "nist_800_53",
    ] {
        assert!(headers.iter().any(|h| h == col), "{col}");
    }
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), r.findings.len());
    assert_eq!(&rows[0][0], r.findings[0].check_id.as_str());
}

#[test]
fn ocsf_events_are_compliance_findings_of_the_documented_schema() {
    let r = report(None);
    let text = render(&r, Format::Ocsf);
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), r.findings.len());
    for (e, f) in events.iter().zip(&r.findings) {
        assert_eq!(
            (
                e["class_uid"].as_u64(),
                e["category_uid"].as_u64(),
                e["type_uid"].as_u64()
            ),
            (Some(2003), Some(2), Some(200301))
        );
        assert_eq!(e["metadata"]["version"], "1.3.0");
        assert!((1..=5).contains(&e["severity_id"].as_u64().unwrap()));
        let cs = e["compliance"]["status_id"].as_u64().unwrap();
        let expected = match f.status {
            Status::Pass => 1,
            Status::Unknown => 2,
            Status::Fail | Status::Excepted => 3,
            Status::NotApplicable => 99,
        };
        assert_eq!(cs, expected);
        assert!(e["finding_info"]["uid"].is_string());
        assert_eq!(e["time"].as_i64(), Some(1_795_334_400_000));
    }
}

#[test]
fn asff_findings_have_the_fields_security_hub_requires() {
    let r = report(None);
    let v: serde_json::Value = serde_json::from_str(&render(&r, Format::Asff)).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), r.findings.len());
    for f in list {
        for k in [
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources",
        ] {
            assert!(!f[k].is_null(), "{k} missing in {f}");
        }
        assert!(f["Title"].as_str().unwrap().len() <= 256);
        assert!(f["Description"].as_str().unwrap().len() <= 1024);
        assert!(["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"]
            .contains(&f["Compliance"]["Status"].as_str().unwrap()));
    }
}

#[test]
fn html_is_self_contained() {
    let html = render(&report(None), Format::Html);
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network references"
    );
    assert!(
        !html.contains("<link") && !html.contains("src="),
        "no external resources"
    );
    assert!(html.contains("<div class=\"n\" id=\"count-fail\">"));
}

#[test]
fn html_shows_a_checks_breakdown_as_a_matrix() {
    let r = report(None);
    let with: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.check_id == "scp.protects_logging" && !f.breakdown.is_empty())
        .collect();
    assert!(
        !with.is_empty(),
        "the fixture's SCP findings have per-action parts"
    );
    let html = render(&r, Format::Html);
    let start = html
        .find("<table class=\"breakdown\" id=\"breakdown-scp-protects_logging\">")
        .expect("the account × action matrix");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    // One row per judged finding, one column per action, a failing action marked with its why.
    assert_eq!(table.matches("<tr><td class=\"id\">").count(), with.len());
    assert!(
        table.contains("<th class=\"v\" title=\"cloudtrail:StopLogging\">"),
        "{table}"
    );
    assert!(
        table.contains("<td class=\"c-missing\" title=\"cloudtrail:StopLogging: no policy in force denies it\">✗</td>"),
        "{table}"
    );
    assert!(table.contains("class=\"c-covered\""), "{table}");
}

#[test]
fn the_table_fits_the_terminal_and_lists_findings_on_a_narrow_one() {
    let r = report(None);
    let width = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    // Wide: tables at the width asked, never wider.
    let wide = logwarden::report::render_table_width(&r, 200);
    let boxed = |text: &str| -> String {
        text.lines()
            .filter(|l| l.starts_with(['│', '┌', '└', '╞']))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(width(&boxed(&wide)) <= 200);
    assert!(width(&boxed(&logwarden::report::render_table_width(&r, 130))) <= 130);
    assert!(wide.contains("┆ resource"), "findings are a table");
    // Narrow (80 columns): the coverage matrix fits; findings are a list with each resource
    // (an ARN) whole on its own line.
    let narrow = logwarden::report::render_table_width(&r, 80);
    let matrix: Vec<&str> = narrow
        .lines()
        .skip_while(|l| !l.starts_with("Coverage"))
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(matrix.len() > 3);
    assert!(
        matrix.iter().all(|l| l.chars().count() <= 80),
        "{}",
        matrix.join("\n")
    );
    assert!(
        !narrow.contains("┆ resource"),
        "no findings table at 80 columns"
    );
    assert!(
        narrow.contains("\n    arn:aws:cloudtrail:us-east-1:763116566701:trail/wa-local-trail\n"),
        "{narrow}"
    );
    // The next step, once per failing check: plan where apply fixes it, the manual step else.
    assert!(narrow.contains(
        "    trail_bucket.public_access: run `logwarden plan` (apply makes the fix), or:\n      `aws s3api"
    ), "{narrow}");
    // A check only a person can fix gets its manual step, without the plan hint.
    let dup = narrow
        .lines()
        .find(|l| l.starts_with("    cloudtrail.duplicate_management_events: "))
        .expect("a next step for duplicate_management_events");
    assert!(!dup.contains("logwarden plan"), "{dup}");
    // Files keep the fixed width.
    assert_eq!(
        render(&r, Format::Table),
        logwarden::report::render_table_width(&r, 160)
    );
}

#[test]
fn asff_names_the_partition_of_each_findings_region() {
    let mut r = report(None);
    r.findings.truncate(2);
    r.findings[0].region = Some("us-gov-west-1".into());
    r.findings[1].region = Some("cn-north-1".into());
    let v: serde_json::Value = serde_json::from_str(&render(&r, Format::Asff)).unwrap();
    for (i, partition) in [(0, "aws-us-gov"), (1, "aws-cn")] {
        assert_eq!(v[i]["Resources"][0]["Partition"], partition, "{}", v[i]);
        assert!(v[i]["ProductArn"]
            .as_str()
            .unwrap()
            .starts_with(&format!("arn:{partition}:securityhub:")));
    }
}
