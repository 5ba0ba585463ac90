//! CloudTrail: trails (organization, multi-region, shadow copies counted once), their event
//! selectors judged by what they capture, their status and delivery, their KMS key, insights,
//! and how far back management events can be read.

pub mod checks;
pub mod collect;
pub mod model;
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
    lookback: Some(checks::lookback),
    organization: Some(|org| Box::pin(collect::organization(org))),
    validate: profile::validate,
};

/// Every trail delivers to a bucket.
fn log_buckets(inv: &Inventory, out: &mut BTreeSet<String>) {
    for a in &inv.accounts {
        out.extend(a.data.cloudtrail.trails.iter().filter_map(|t| t.s3_bucket_name.clone()));
    }
}

#[cfg(test)]
mod tests;
