//! Amazon RDS and Aurora database logs: the audit, error, slow-query and engine logs a
//! responder needs to answer "what did the attacker do in the database?". A database keeps
//! these on its own disk for days at most; only the log types exported to CloudWatch Logs
//! (`/aws/rds/instance/<id>/<type>`, `/aws/rds/cluster/<id>/<type>`) outlive it. Each DB
//! instance, and each Aurora or Multi-AZ DB cluster (whose members follow the cluster), must
//! export the types the profile names for its engine. Turning an export on can need a
//! parameter group or option group change and a restart, so `plan` lists it as a manual step
//! with the exact command; when the profile sets a log-group retention it first creates the
//! missing groups at that retention, so the logs never land in a group that never expires.

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "rds",
    title: "Amazon RDS and Aurora database logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "rds",
        checks: &["rds.instance_log_exports", "rds.cluster_log_exports"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(
        "RDS: the database whose exported logs reach back least (the retention of its log groups, or their age when younger; 0 for a database that exports none of the baseline's types)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

/// The log group RDS exports a database's log type to (AWS fixes the name): `cluster` for an
/// Aurora or Multi-AZ DB cluster, `instance` for a DB instance.
pub fn log_group(kind: model::Kind, id: &str, log_type: &str) -> String {
    format!("/aws/rds/{}/{id}/{log_type}", kind.as_str())
}

#[cfg(test)]
mod tests;
