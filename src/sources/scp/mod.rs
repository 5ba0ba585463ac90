//! Service control policies that stop the logging from being turned off: whether an SCP in
//! force on each member account denies the actions that would stop or delete its logs
//! (`cloudtrail:StopLogging`, `cloudtrail:DeleteTrail`, `config:StopConfigurationRecorder`...).
//! This is the "would tampering be stopped" half of the baseline: the organization trail shows
//! a `StopLogging` afterwards, an SCP refuses it. Read in the management account (policies,
//! their targets, the organizational tree); `plan` gives the policy to attach as a manual step
//! (an SCP can lock people out: a person attaches it).

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod policy;
pub mod profile;
pub mod resources;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "scp",
    title: "Service control policies that protect the logging",
    checks: checks::CHECKS,
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
