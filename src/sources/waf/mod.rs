//! AWS WAF web ACL logs: the requests each web ACL allowed, blocked or counted, the first place
//! an attack on a public endpoint shows. Every web ACL (REGIONAL ones in every region,
//! CLOUDFRONT ones in us-east-1) must have a logging configuration; its destination (S3,
//! CloudWatch Logs or Firehose, named `aws-waf-logs-...` as AWS requires), redacted fields and
//! logging filter are reported, and a filter that leaves out allowed or blocked requests is a
//! gap. Two listings per scope and region answer it, never a call per ACL. `plan` gives each
//! ACL without logging a log group of its account and region.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "waf",
    title: "AWS WAF web ACL logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "waf",
        checks: &["waf.logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
