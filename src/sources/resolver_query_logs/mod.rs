//! Route 53 Resolver query logs: the DNS queries that originate in each VPC, a responder's
//! record of exfiltration and command-and-control lookups. Every VPC in scope (the tagged ones,
//! when the profile selects by tag) must have an ACTIVE association with a query-logging
//! configuration, its own or one shared with the account through AWS RAM. `plan` creates one
//! configuration per account and region delivering to the log archive bucket and associates the
//! VPCs that lack one.

pub mod apply;
pub mod checks;
pub mod collect;
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
    id: "resolver_query_logs",
    title: "Route 53 Resolver DNS query logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "dns",
        checks: &["route53_resolver.query_logs"],
    }),
    log_buckets,
    lookback: Some(checks::lookback),
    validate: profile::validate,
    plan: Some(plan::plan),
    archive_bucket_statements: policies::archive_bucket,
    archive_key_statements: policies::archive_key,
    query: Some(query::query),
    ..SourceDef::NONE
};

/// Query logs delivered to S3 (in the configuration's region).
fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        for r in &a.regions {
            let configs = &r.data.resolver_query_logs.configs;
            if let Some(e) = configs.error().filter(|e| e.code != "RegionNotEnabled") {
                out.doubt(
                    DoubtScope::Region(r.region.clone()),
                    format!(
                        "the DNS query-logging configurations of account {} in {} (which may deliver to it) could not be read ({}: {})",
                        a.account_id, r.region, e.iam_action, e.code
                    ),
                );
            }
            for c in configs.value().into_iter().flatten() {
                if let Some(b) =
                    crate::arn::Arn::parse(&c.destination_arn).and_then(|a| a.s3_bucket())
                {
                    out.insert(b.to_string());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
