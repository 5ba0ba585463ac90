//! A cost budget that notices a runaway logging bill.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "budgets",
    title: "A budget on the logging bill",
    checks: checks::CHECKS,
    validate: profile::validate,
    plan: Some(plan::plan),
    roles: |_| vec![],
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
