//! S3 server access logs: every bucket logs its requests to a target bucket of its account and
//! region, except the targets themselves.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod policies;
pub mod profile;

use super::{Coverage, SourceDef};
use crate::inventory::Inventory;
use std::collections::BTreeSet;

pub static SOURCE: SourceDef = SourceDef {
    id: "s3_access_logs",
    title: "S3 server access logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        check: "s3.access_logging",
        region_matrix: false,
    }),
    log_buckets,
    validate: profile::validate,
    plan: Some(plan::plan),
    buckets: |b| vec![b.s3_access_logs.clone().unwrap_or_default().target_bucket],
    roles: |_| vec![],
    ..SourceDef::NONE
};

/// Access-log target buckets.
fn log_buckets(inv: &Inventory, out: &mut BTreeSet<String>) {
    for a in &inv.accounts {
        for b in a.data.s3_access_logs.buckets.value().into_iter().flatten() {
            if let Some(Some(t)) = b.logging.value() {
                out.insert(t.target_bucket.clone());
            }
        }
    }
}
