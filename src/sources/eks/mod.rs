//! Amazon EKS control-plane logs: the Kubernetes API server, audit and authenticator logs a
//! responder needs to answer "what did the attacker do inside the cluster?". Each cluster must
//! send the log types the profile names to CloudWatch Logs (`/aws/eks/<cluster>/cluster`);
//! `plan` enables the missing ones (additive: types already on stay on) and, when the profile
//! sets a log-group retention, creates the group first with that retention so the logs never
//! land in a group that never expires.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "eks",
    title: "Amazon EKS control-plane logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "eks",
        checks: &["eks.control_plane_logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(
        "EKS: the cluster whose control-plane logs reach back least (its log group's retention, or the group's age when younger; 0 for a cluster that logs nothing)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

/// The log group EKS writes a cluster's control-plane logs to (AWS fixes the name).
pub fn log_group(cluster: &str) -> String {
    format!("/aws/eks/{cluster}/cluster")
}

#[cfg(test)]
mod tests;
