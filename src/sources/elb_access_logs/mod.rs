//! Load balancer access logs (ALB, CLB; NLB when the profile asks).

pub mod apply;
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
    id: "elb_access_logs",
    title: "Load balancer access logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "elb",
        checks: &["elb.access_logs"],
    }),
    log_buckets,
    lookback: Some(lookback::lookback),
    lookback_note: Some(lookback::NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    buckets: |b| vec![b.elb_access_logs.bucket.clone()],
    query: Some(query::query),
    ..SourceDef::NONE
};

/// The buckets load balancers write their access logs to (in the load balancer's region).
fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        for r in &a.regions {
            let lbs = &r.data.elb_access_logs.load_balancers;
            if let Some(e) = lbs.error().filter(|e| e.code != "RegionNotEnabled") {
                out.doubt(
                    DoubtScope::Region(r.region.clone()),
                    format!(
                        "the load balancers of account {} in {} (which may log to it) could not be read ({}: {})",
                        a.account_id, r.region, e.iam_action, e.code
                    ),
                );
            }
            for lb in lbs.value().into_iter().flatten() {
                out.names.extend(lb.access_logs_bucket.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
