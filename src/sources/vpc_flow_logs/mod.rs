//! VPC flow logs: every VPC (or the ones the profile selects by tag) has an active flow log
//! capturing the traffic the profile asks for; and how far back each account's flow logs can
//! answer.

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
    id: "vpc_flow_logs",
    title: "VPC flow logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "flow",
        checks: &["vpc.flow_logs"],
    }),
    log_buckets,
    lookback: Some(lookback::lookback),
    lookback_note: Some(lookback::NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    control_tower_managed: true,
    archive_bucket_statements: policies::archive_bucket,
    archive_key_statements: policies::archive_key,
    query: Some(query::query),
    ..SourceDef::NONE
};

/// Flow logs delivered to S3 (in any account and region).
fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        for r in &a.regions {
            if let Some(e) = r.data.vpc_flow_logs.flow_logs.error() {
                if e.code != "RegionNotEnabled" {
                    out.doubt(
                        DoubtScope::Anywhere,
                        format!(
                            "the flow logs of account {} in {} (which may deliver to it) could not be read ({}: {})",
                            a.account_id, r.region, e.iam_action, e.code
                        ),
                    );
                }
            }
            for fl in r.data.vpc_flow_logs.flow_logs.value().into_iter().flatten() {
                if fl.destination_type == Some(model::DestinationType::S3) {
                    if let Some(b) = fl
                        .destination
                        .as_deref()
                        .and_then(crate::arn::Arn::parse)
                        .and_then(|a| a.s3_bucket())
                    {
                        out.insert(b.to_string());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
