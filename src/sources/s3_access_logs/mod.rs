//! S3 server access logs: every bucket logs its requests to a target bucket of its account and
//! region, except the targets themselves.

pub mod apply;
pub mod buckets;
pub mod checks;
pub mod collect;
pub mod lookback;
pub mod model;
pub mod plan;
pub mod policies;
pub mod profile;
pub mod query;

use super::SourceDef;
use crate::report::Coverage;
use crate::rules::{DoubtScope, LogBuckets};
use crate::sources::Inventory;

pub static SOURCE: SourceDef = SourceDef {
    id: "s3_access_logs",
    title: "S3 server access logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "s3",
        checks: &["s3.access_logging"],
    }),
    log_buckets,
    lookback: Some(lookback::lookback),
    lookback_note: Some(lookback::NOTE),
    facts: Some(buckets::publish),
    validate: profile::validate,
    plan: Some(plan::plan),
    buckets: |b| vec![b.s3_access_logs.clone().unwrap_or_default().target_bucket],
    query: Some(query::query),
    ..SourceDef::NONE
};

/// Access-log target buckets. A target is in its source bucket's account and region, so a
/// bucket whose logging could not be read leaves the buckets of its account and region in
/// doubt, and an account whose bucket list could not be read, all of that account's.
pub fn access_log_targets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        let list = match a.data.s3_access_logs.buckets.as_result() {
            Ok(list) => list,
            Err(e) => {
                out.doubt(
                    DoubtScope::Account(a.account_id.clone(), None),
                    format!(
                        "the buckets of account {} (whose access logs may go to it) could not be listed ({}: {})",
                        a.account_id, e.iam_action, e.code
                    ),
                );
                continue;
            }
        };
        for b in list {
            match b.logging.as_result() {
                Ok(Some(t)) => out.insert(t.target_bucket.clone()),
                Ok(None) => {}
                Err(e) => out.doubt(
                    DoubtScope::Account(a.account_id.clone(), b.region.value().cloned()),
                    format!(
                        "the logging of bucket {} (whose access logs may go to it) could not be read ({}: {})",
                        b.name, e.iam_action, e.code
                    ),
                ),
            }
        }
    }
}

fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    access_log_targets(inv, out)
}

#[cfg(test)]
mod tests;
