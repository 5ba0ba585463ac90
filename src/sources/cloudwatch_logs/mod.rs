//! CloudWatch Logs: the retention of every log group, or of each that holds a source's logs (the audit:
//! one `DescribeLogGroups` listing per account and region), and the log groups logs are
//! delivered to (`apply` creates them and sets their retention; `plan` raises a retention that
//! is shorter than the profile's, never shortening one).

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudwatch_logs",
    title: "CloudWatch Logs log-group retention",
    checks: checks::CHECKS,
    lookback: Some(checks::lookback),
    short_label: Some("cwl"),
    lookback_note: Some(
        "CloudWatch Logs: the log group in the baseline's scope (every group, or each holding a source's logs) that reaches back least (its retention, or its age when younger)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
