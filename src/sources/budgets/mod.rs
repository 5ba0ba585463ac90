//! A cost budget that notices a runaway logging bill.

pub mod apply;
pub mod checks;
pub mod plan;
pub mod collect;
pub mod model;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "budgets",
    title: "A budget on the logging bill",
    checks: checks::CHECKS,
    coverage: None,
    log_buckets: super::no_log_buckets,
    lookback: None,
    organization: None,
    validate: profile::validate,
    plan: Some(plan::plan),
    control_tower_managed: false,
    trusted_access: |_| None,
    archive_bucket_statements: |_| vec![],
    archive_key_statements: |_| vec![],
    buckets: |_| vec![],
    roles: |_| vec![],
};

#[cfg(test)]
mod tests;
