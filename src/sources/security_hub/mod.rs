//! AWS Security Hub: where the findings of GuardDuty, Config, Inspector, Macie and the security
//! standards meet, per account and region. Every account and region in scope must have it
//! enabled (`DescribeHub` answers); `plan` enables it where it is not.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "security_hub",
    title: "AWS Security Hub",
    checks: checks::CHECKS,
    lookback: Some(checks::lookback),
    short_label: Some("sechub"),
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
