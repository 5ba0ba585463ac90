//! Amazon Redshift audit logs: who connected to a provisioned cluster, from where and how they
//! authenticated (the connection log), which database users were created or changed (the user
//! log) and, when the parameter group asks, each query before it runs (the user activity log).
//! Every cluster must write them to S3 or CloudWatch Logs (FSBP Redshift.4). `plan` turns
//! logging on to CloudWatch Logs for a cluster that writes none (its log groups created first
//! at the retention floor) and lists the parameter change the user activity log needs as a
//! manual step; `query` writes Logs Insights queries over the groups and Athena tables over the
//! files clusters write to S3.
//! Redshift Serverless namespaces are not read.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;
pub mod query;

use super::SourceDef;
use crate::report::Coverage;
use crate::rules::{DoubtScope, LogBuckets};
use crate::sources::Inventory;

pub static SOURCE: SourceDef = SourceDef {
    id: "redshift",
    title: "Amazon Redshift audit logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "redshift",
        checks: &["redshift.audit_logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    log_buckets,
    plan: Some(plan::plan),
    query: Some(query::query),
    ..SourceDef::NONE
};

/// The buckets clusters write their audit logs to (in the cluster's region): log buckets, whose
/// protection the other checks judge. Where the clusters, or a cluster's logging, could not be
/// read, any bucket of that region may be one.
fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        for r in &a.regions {
            let clusters = &r.data.redshift.clusters;
            let unread = clusters.error().into_iter().chain(
                clusters
                    .value()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.logging.error()),
            );
            for e in unread.filter(|e| e.code != "RegionNotEnabled") {
                out.doubt(
                    DoubtScope::Region(r.region.clone()),
                    format!(
                        "the Redshift clusters of account {} in {} (which may log to it) could not be read ({}: {})",
                        a.account_id, r.region, e.iam_action, e.code
                    ),
                );
            }
            for c in clusters.value().into_iter().flatten() {
                if let Some(l) = c
                    .logging
                    .value()
                    .filter(|l| l.enabled && !l.to_cloudwatch())
                {
                    out.names.extend(l.bucket.clone());
                }
            }
        }
    }
}

/// The log group Redshift writes a provisioned cluster's log type to (AWS fixes the name; an
/// existing group of that name is used as it is).
pub fn log_group(cluster: &str, log_type: &str) -> String {
    format!("/aws/redshift/cluster/{cluster}/{log_type}")
}

#[cfg(test)]
mod tests;
