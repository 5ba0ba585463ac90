//! Security data lakes and hubs: OCSF Compliance Finding events (JSON Lines, the schema Amazon
//! Security Lake uses) and the AWS Security Finding Format (for `securityhub batch-import-findings`).

use super::Report;
use crate::finding::{Finding, Severity, Status};
use crate::frameworks::Framework;
use crate::rules::Subject;
use serde_json::{json, Value};

/// The OCSF schema version these events follow.
pub const OCSF_VERSION: &str = "1.3.0";
/// OCSF category "Findings" (uid 2), class "Compliance Finding" (uid 3 in it: class_uid 2003).
const OCSF_CATEGORY_UID: u32 = 2;
const OCSF_CLASS_UID: u32 = 2003;
/// Activity "Create" (1): type_uid = class_uid * 100 + activity_id.
const OCSF_ACTIVITY_CREATE: u32 = 1;

fn epoch_ms(rfc3339: &str) -> i64 {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .unwrap_or(0)
}

/// A stable identifier of a finding across runs.
pub fn fingerprint(f: &Finding) -> String {
    // FNV-1a 64: small, stable across versions and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!(
        "{}|{}|{}|{}",
        f.check_id,
        f.account_id.as_deref().unwrap_or(""),
        f.region.as_deref().unwrap_or(""),
        f.resource
    );
    for b in key.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn title(r: &Report, check_id: &str) -> &'static str {
    r.catalog.check(check_id).map(|c| c.title).unwrap_or("")
}

fn subject(r: &Report, check_id: &str) -> Option<Subject> {
    r.catalog.check(check_id).map(|c| c.scope)
}

/// "CIS AWS Foundations Benchmark v3.0/3.1" for each control the finding maps to.
fn requirements(f: &Finding) -> Vec<String> {
    Framework::ALL
        .iter()
        .flat_map(|fw| {
            f.frameworks
                .of(*fw)
                .iter()
                .map(move |c| format!("{}/{c}", fw.title()))
        })
        .collect()
}

fn ocsf_severity(s: Severity) -> (u32, &'static str) {
    match s {
        Severity::Info => (1, "Informational"),
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

fn resource_type(r: &Report, check_id: &str) -> &'static str {
    subject(r, check_id).map_or("AWS::Account", Subject::cloudformation_type)
}

pub fn render_ocsf(r: &Report) -> String {
    let time = epoch_ms(&r.generated_at);
    let mut out = String::new();
    for f in &r.findings {
        let (sev_id, sev) = ocsf_severity(f.severity);
        // compliance.status_id: 1 Pass, 2 Warning (no result: missing information), 3 Fail, 99 Other.
        let (cstatus_id, cstatus) = match f.status {
            Status::Pass => (1, "Pass"),
            Status::Unknown => (2, "Warning"),
            Status::Fail | Status::Excepted => (3, "Fail"),
            Status::NotApplicable => (99, "Not Applicable"),
        };
        // Finding status_id: 1 New, 3 Suppressed (an accepted exception).
        let (status_id, status) = if f.status == Status::Excepted {
            (3, "Suppressed")
        } else {
            (1, "New")
        };
        let standards: Vec<&str> = Framework::ALL
            .iter()
            .filter(|fw| !f.frameworks.of(**fw).is_empty())
            .map(|fw| fw.title())
            .collect();
        let mut ev = json!({
            "activity_id": OCSF_ACTIVITY_CREATE,
            "activity_name": "Create",
            "category_uid": OCSF_CATEGORY_UID,
            "category_name": "Findings",
            "class_uid": OCSF_CLASS_UID,
            "class_name": "Compliance Finding",
            "type_uid": OCSF_CLASS_UID * 100 + OCSF_ACTIVITY_CREATE,
            "type_name": "Compliance Finding: Create",
            "severity_id": sev_id,
            "severity": sev,
            "status_id": status_id,
            "status": status,
            "time": time,
            "message": f.message,
            "metadata": {
                "version": OCSF_VERSION,
                "uid": fingerprint(f),
                "product": {"name": r.tool.name, "vendor_name": r.tool.name, "version": r.tool.version},
            },
            "finding_info": {
                "uid": fingerprint(f),
                "title": title(r, &f.check_id),
                "desc": f.message,
                "types": [f.check_id],
                "created_time": time,
            },
            "compliance": {
                "control": f.check_id,
                "standards": standards,
                "requirements": requirements(f),
                "status_id": cstatus_id,
                "status": cstatus,
            },
            "cloud": {"provider": "AWS"},
            "resources": [{
                "uid": f.resource,
                "type": resource_type(r, &f.check_id),
            }],
            "remediation": {"desc": f.remediation},
        });
        if let Some(a) = &f.account_id {
            ev["cloud"]["account"] = json!({"uid": a, "type": "AWS Account", "type_id": 10});
        }
        if let Some(region) = &f.region {
            ev["cloud"]["region"] = json!(region);
            ev["resources"][0]["region"] = json!(region);
        }
        if let Some(e) = &f.exception {
            ev["finding_info"]["desc"] = json!(format!("{} ({})", f.message, e.describe()));
        }
        out.push_str(&serde_json::to_string(&ev).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// At most `max` bytes (so at most `max` characters, however ASFF counts), cut on a character
/// boundary and marked with an ellipsis.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn asff_resource_type(r: &Report, check_id: &str) -> &'static str {
    subject(r, check_id).map_or("Other", Subject::asff_type)
}

/// One ASFF finding per logwarden finding, as a JSON array (`--findings file://report.asff.json`;
/// Security Hub takes at most 100 per call).
pub fn render_asff(r: &Report) -> String {
    let default_region = r
        .scope
        .regions
        .first()
        .cloned()
        .unwrap_or_else(|| "us-east-1".into());
    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let account = f.account_id.clone().unwrap_or_else(|| r.scope.caller_account_id.clone());
            let region = f.region.clone().unwrap_or_else(|| default_region.clone());
            let partition = crate::arn::Partition::of_region(&region);
            let label = match f.severity {
                Severity::Critical => "CRITICAL",
                Severity::High => "HIGH",
                Severity::Medium => "MEDIUM",
                Severity::Low => "LOW",
                Severity::Info => "INFORMATIONAL",
            };
            let compliance = match f.status {
                Status::Pass => "PASSED",
                Status::Fail | Status::Excepted => "FAILED",
                Status::Unknown => "WARNING",
                Status::NotApplicable => "NOT_AVAILABLE",
            };
            let workflow = if f.status == Status::Excepted { "SUPPRESSED" } else { "NEW" };
            let mut related: Vec<String> = requirements(f);
            related.truncate(32);
            json!({
                "SchemaVersion": "2018-10-08",
                "Id": format!("logwarden/{}/{}", f.check_id, fingerprint(f)),
                "ProductArn": partition.arn("securityhub", &region, &account, &format!("product/{account}/default")),
                "GeneratorId": format!("logwarden/{}", f.check_id),
                "AwsAccountId": account,
                "Region": region,
                "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
                "CreatedAt": r.generated_at,
                "UpdatedAt": r.generated_at,
                "Severity": {"Label": label},
                "Title": truncate(title(r, &f.check_id), 256),
                "Description": truncate(&f.message, 1024),
                "Remediation": {"Recommendation": {"Text": truncate(&f.remediation, 512)}},
                "Resources": [{
                    "Type": asff_resource_type(r, &f.check_id),
                    "Id": f.resource,
                    "Partition": partition.name(),
                    "Region": region,
                }],
                "Compliance": {"Status": compliance, "RelatedRequirements": related},
                "Workflow": {"Status": workflow},
                "RecordState": "ACTIVE",
                "ProductFields": {
                    "logwarden/check_id": f.check_id,
                    "logwarden/status": f.status.as_str(),
                    "logwarden/version": r.tool.version,
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&findings).unwrap_or_default() + "\n"
}
