//! Route 53 public DNS query logs: every query a public hosted zone answers (who resolved which
//! name, from which resolver), the record of reconnaissance against an organization's domains
//! and of the names its own phishing or command-and-control lookalikes used. Each public zone
//! must have a query logging configuration (its log group in us-east-1, as AWS requires);
//! private zones are left out (Route 53 Resolver query logs cover them). Read once per account:
//! `ListHostedZones` and `ListQueryLoggingConfigs`, never a call per zone. `plan` gives the zones
//! that log nothing the profile's log group, the resource policy AWS requires (narrowed to the
//! zones by `aws:SourceArn`) and a configuration each.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "route53_public_zones",
    title: "Route 53 public DNS query logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "r53",
        checks: &["route53.query_logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

/// The zone's ARN (`aws:SourceArn` of Route 53's deliveries).
pub fn zone_arn(partition: &str, zone_id: &str) -> String {
    format!("arn:{partition}:route53:::hostedzone/{zone_id}")
}

#[cfg(test)]
mod tests;
