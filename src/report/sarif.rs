//! SARIF 2.1.0 for GitHub code scanning (through the `serde-sarif` crate): rule metadata for the
//! whole catalogue, and a result per finding that needs attention (fail, unknown, excepted),
//! with a logical location (account/region/resource) and a stable partial fingerprint.

use super::security::fingerprint;
use super::Report;
use crate::finding::{Severity, Status};
use crate::frameworks::Framework;
use crate::rules::CheckInfo;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Location, LogicalLocation, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultKind, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};
use std::collections::BTreeMap;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (0.0–10.0) drives the alert's severity label.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn props(tags: Vec<String>, extra: BTreeMap<String, serde_json::Value>) -> PropertyBag {
    PropertyBag::builder()
        .tags(tags)
        .additional_properties(extra)
        .build()
}

/// Alerts need a file location: the baseline profile the findings are judged against (a file in
/// the repository that runs the audit), or `logwarden.yaml` for a bundled baseline.
fn artifact_uri(r: &Report) -> String {
    if r.baseline.source.starts_with("bundled:") {
        "logwarden.yaml".into()
    } else {
        r.baseline.source.trim_start_matches("./").to_string()
    }
}

/// A check as a SARIF rule: its title, why, how to fix, severity, and the framework controls as
/// tags.
fn rule(c: &CheckInfo) -> ReportingDescriptor {
    let fw = c.to_frameworks();
    let mut tags = vec!["logging".to_string(), "security".to_string()];
    for f in Framework::ALL {
        tags.extend(fw.of(f).iter().map(|ctl| format!("{}:{ctl}", f.name())));
    }
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".into(),
        json!(security_severity(c.severity)),
    );
    ReportingDescriptor::builder()
        .id(c.id)
        .name(
            c.id.split(['.', '_'])
                .map(|w| {
                    let mut cs = w.chars();
                    cs.next()
                        .map(|f| f.to_uppercase().collect::<String>() + cs.as_str())
                        .unwrap_or_default()
                })
                .collect::<String>(),
        )
        .short_description(MultiformatMessageString::builder().text(c.title).build())
        .full_description(
            MultiformatMessageString::builder()
                .text(format!("{} Looks at: {}.", c.rationale, c.looks_at))
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(c.remediation)
                .markdown(format!(
                    "**Why:** {}\n\n**Fix:** {}",
                    c.rationale, c.remediation
                ))
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(c.severity)))
                .build(),
        )
        .properties(props(tags, extra))
        .build()
}

pub fn render_sarif(r: &Report) -> String {
    let rules: Vec<ReportingDescriptor> = r.catalog.checks.iter().map(rule).collect();
    let uri = artifact_uri(r);
    let results: Vec<SarifResult> = r
        .findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unknown | Status::Excepted))
        .map(|f| {
            let index = r
                .catalog
                .checks
                .iter()
                .position(|c| c.id == f.check_id)
                .unwrap_or(0) as i64;
            let fqn = format!(
                "{}/{}/{}",
                f.account_id.as_deref().unwrap_or("-"),
                f.region.as_deref().unwrap_or("global"),
                f.resource
            );
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri.clone()).build())
                        .region(Region::builder().start_line(1).build())
                        .build(),
                )
                .logical_locations(vec![LogicalLocation::builder()
                    .fully_qualified_name(fqn)
                    .name(f.resource.clone())
                    .kind("resource")
                    .build()])
                .build();
            let mut fp = BTreeMap::new();
            fp.insert("logwardenFinding/v1".to_string(), fingerprint(f));
            let text = match f.status {
                Status::Unknown => format!("Could not be judged: {}", f.message),
                _ => f.message.clone(),
            };
            let mut extra = BTreeMap::new();
            extra.insert("status".into(), json!(f.status.as_str()));
            let base = SarifResult::builder()
                .rule_id(f.check_id.clone())
                .rule_index(index)
                .message(
                    Message::builder()
                        .text(format!("{text} [{fqn}]", fqn = f.resource))
                        .build(),
                )
                .locations(vec![location])
                .partial_fingerprints(fp)
                .properties(props(vec![], extra));
            match f.status {
                Status::Unknown => base
                    .kind(ResultKind::Review)
                    .level(ResultLevel::Warning)
                    .build(),
                Status::Excepted => {
                    let e = f.exception.as_ref();
                    base.kind(ResultKind::Fail)
                        .level(match level(f.severity) {
                            "error" => ResultLevel::Error,
                            "warning" => ResultLevel::Warning,
                            _ => ResultLevel::Note,
                        })
                        .suppressions(vec![Suppression::builder()
                            .kind(json!("external"))
                            .justification(format!(
                                "{} ({}until {})",
                                e.map(|e| e.reason.as_str()).unwrap_or(""),
                                if e.is_some_and(|e| e.organization_wide) {
                                    "organization-wide, "
                                } else {
                                    ""
                                },
                                e.map(|e| e.expires.as_str()).unwrap_or("")
                            ))
                            .build()])
                        .build()
                }
                _ => base
                    .kind(ResultKind::Fail)
                    .level(match level(f.severity) {
                        "error" => ResultLevel::Error,
                        "warning" => ResultLevel::Warning,
                        _ => ResultLevel::Note,
                    })
                    .build(),
            }
        })
        .collect();
    let run = Run::builder()
        .tool(
            Tool::builder()
                .driver(
                    ToolComponent::builder()
                        .name(r.tool.name.clone())
                        .semantic_version(r.tool.version.clone())
                        .information_uri("https://github.com/logwarden/logwarden")
                        .rules(rules)
                        .build(),
                )
                .build(),
        )
        .results(results)
        .build();
    let sarif = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n"
}
