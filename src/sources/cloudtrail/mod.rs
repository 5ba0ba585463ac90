//! CloudTrail: trails (organization, multi-region, shadow copies counted once), their event
//! selectors judged by what they capture, their status and delivery, their KMS key, insights,
//! and how far back management events can be read.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod lookback;
pub mod merge;
pub mod model;
pub mod plan;
pub mod policies;
pub mod profile;
pub mod selectors;

use super::{Coverage, SourceDef};
use crate::inventory::Inventory;
use std::collections::BTreeSet;

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudtrail",
    title: "CloudTrail management and data events",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        check: "cloudtrail.coverage",
        region_matrix: true,
    }),
    log_buckets,
    lookback: Some(lookback::lookback),
    organization: Some(|org| Box::pin(collect::organization(org))),
    validate: profile::validate,
    plan: Some(plan::plan),
    control_tower_managed: true,
    trusted_access: |_| Some("cloudtrail.amazonaws.com"),
    archive_bucket_statements: policies::archive_bucket,
    archive_key_statements: policies::archive_key,
    roles: |b| {
        b.cloudtrail
            .cloudwatch_logs
            .then(|| b.organization_trail.cloudwatch_logs.role_name.clone())
            .into_iter()
            .collect()
    },
    ..SourceDef::NONE
};

/// Every trail delivers to a bucket.
fn log_buckets(inv: &Inventory, out: &mut BTreeSet<String>) {
    for a in &inv.accounts {
        out.extend(a.data.cloudtrail.trails.iter().filter_map(|t| t.s3_bucket_name.clone()));
    }
}

#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;
