//! Transit Gateway flow logs: the traffic between every VPC, VPN and Direct Connect attachment
//! of a hub crosses its transit gateway, so one flow log there shows lateral movement the VPCs'
//! own flow logs split across accounts. Every transit gateway an account owns must have an
//! active flow log (the flow logs are read once, by the VPC flow-log source's listing: no
//! second `DescribeFlowLogs`); `plan` creates one delivering to the log archive bucket.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "transit_gateway",
    title: "Transit Gateway flow logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "tgw",
        checks: &["transit_gateway.flow_logs"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    archive_bucket_statements: plan::archive_bucket,
    archive_key_statements: plan::archive_key,
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
