//! Load balancer access logs (ALB, CLB; NLB when the profile asks).

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
    id: "elb_access_logs",
    title: "Load balancer access logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        check: "elb.access_logs",
        region_matrix: false,
    }),
    log_buckets,
    validate: profile::validate,
    plan: Some(plan::plan),
    buckets: |b| vec![b.elb_access_logs.bucket.clone()],
    roles: |_| vec![],
    ..SourceDef::NONE
};

/// The buckets load balancers write their access logs to.
fn log_buckets(inv: &Inventory, out: &mut BTreeSet<String>) {
    for a in &inv.accounts {
        for r in &a.regions {
            for lb in r.data.elb_access_logs.load_balancers.value().into_iter().flatten() {
                out.extend(lb.access_logs_bucket.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests;
