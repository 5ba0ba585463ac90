//! The central log archive: the bucket CloudTrail, AWS Config and VPC flow logs deliver to,
//! and its KMS key. `plan` creates or completes both, with the policy statements every
//! delivering source asks for; the audit judges the bucket through the `trail_bucket` checks.

pub mod apply;
pub mod collect;
pub mod plan;
pub mod policies;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "log_archive",
    title: "The central log archive",
    validate: profile::validate,
    plan: Some(plan::plan),
    control_tower_managed: true,
    buckets: |b| vec![b.log_archive.bucket_name.clone()],
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
