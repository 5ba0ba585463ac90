//! AWS Config: recorders, global resource types recorded once, delivery channels, and the
//! organization aggregator; and how far back each account's configuration history can answer.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod lookback;
pub mod model;
pub mod plan;
pub mod policies;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "config",
    title: "AWS Config configuration history",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "config",
        checks: &["config.recorder"],
    }),
    lookback: Some(lookback::lookback),
    lookback_note: Some(lookback::NOTE),
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
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
