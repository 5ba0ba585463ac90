//! AWS Network Firewall logs: the alerts its stateful rules raise and the flows it inspects,
//! the network's own record of what crossed a VPC boundary. Every firewall must send the log
//! types the profile names (ALERT and FLOW by default; TLS where TLS inspection is configured)
//! to a destination; `plan` adds the missing types, delivering to the log archive bucket under
//! `AWSLogs/ACCOUNT/network-firewall/` (existing destinations are kept).

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "network_firewall",
    title: "AWS Network Firewall logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "nfw",
        checks: &["network_firewall.logging"],
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
