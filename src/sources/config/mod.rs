//! AWS Config: recorders, global resource types recorded once, delivery channels, and the
//! organization aggregator.

pub mod apply;
pub mod checks;
pub mod plan;
pub mod policies;
pub mod collect;
pub mod model;
pub mod profile;

use super::{Coverage, SourceDef};

pub static SOURCE: SourceDef = SourceDef {
    id: "config",
    title: "AWS Config configuration history",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        check: "config.recorder",
        region_matrix: true,
    }),
    log_buckets: super::no_log_buckets,
    lookback: None,
    organization: None,
    validate: profile::validate,
    plan: Some(plan::plan),
    control_tower_managed: true,
    trusted_access: |b| {
        b.config
            .organization_aggregator
            .then_some("config.amazonaws.com")
    },
    archive_bucket_statements: policies::archive_bucket,
    archive_key_statements: policies::archive_key,
    buckets: |_| vec![],
    roles: |b| {
        b.config
            .organization_aggregator
            .then(|| plan::AGGREGATOR_ROLE.to_string())
            .into_iter()
            .collect()
    },
};

#[cfg(test)]
mod tests;
