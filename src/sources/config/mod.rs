//! AWS Config: recorders, global resource types recorded once, delivery channels, and the
//! organization aggregator.

pub mod checks;
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
};

#[cfg(test)]
mod tests;
