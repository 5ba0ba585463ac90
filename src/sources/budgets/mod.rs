//! A cost budget that notices a runaway logging bill.

pub mod checks;
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
};

#[cfg(test)]
mod tests;
