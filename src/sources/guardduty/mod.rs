//! Amazon GuardDuty: the organization's threat detection, which reads CloudTrail, VPC flow logs
//! and DNS logs on its own and keeps its findings for 90 days. Every account and region in scope
//! must have an enabled detector (with the protection plans the profile names), and a member
//! account should administer GuardDuty for the organization in each region. `plan` creates or
//! enables the detectors; the delegated administrator is a manual step (choosing the security
//! account is a person's decision).

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "guardduty",
    title: "Amazon GuardDuty threat detection",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "gd",
        checks: &["guardduty.enabled"],
    }),
    lookback: Some(checks::lookback),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
