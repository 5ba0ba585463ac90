//! AWS Client VPN connection logs: who connected to the organization's remote-access VPN
//! endpoints, from where, when and with what result. Every endpoint must log its client
//! connections to CloudWatch Logs (FSBP EC2.51); one listing per account and region answers
//! it, never a call per endpoint. `plan` gives each endpoint that logs none a log group of its
//! account and region; `query` writes Logs Insights queries over the groups (who connected from
//! where, the failed attempts).

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;
pub mod query;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "client_vpn",
    title: "AWS Client VPN connection logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "vpn",
        checks: &["client_vpn.connection_logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    query: Some(query::query),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
