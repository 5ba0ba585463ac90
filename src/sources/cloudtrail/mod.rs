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
use crate::inventory::{AccountInventory, CallError, Inventory};
use crate::rules::{DoubtScope, LogBuckets};

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudtrail",
    title: "CloudTrail management and data events",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "trail",
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

/// Every trail delivers to a bucket, in any account and region: an account whose trails could
/// not all be listed may deliver to any bucket.
fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        for t in &a.data.cloudtrail.trails {
            out.names.extend(t.s3_bucket_name.clone());
        }
        if let Some(e) = listing_error(a) {
            out.doubt(
                DoubtScope::Anywhere,
                format!(
                    "the trails of account {} (which may deliver to it) could not be read ({}: {})",
                    a.account_id, e.iam_action, e.code
                ),
            );
        }
    }
}

#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;

/// Why the account's trails may be incomplete: the account was not reached, or a region that
/// may be enabled could not be listed (the first such error).
pub fn listing_error(a: &AccountInventory) -> Option<&CallError> {
    if let Some(e) = a.access.error() {
        return Some(e);
    }
    a.regions.iter().find_map(|r| match r.enabled.error() {
        Some(e) if e.code == "RegionNotEnabled" => None,
        Some(e) => Some(e),
        None => r.data.cloudtrail.trails.error(),
    })
}
