//! Amazon Security Lake: where an organization keeps normalized (OCSF) copies of CloudTrail,
//! VPC flow, Route 53, Security Hub, Lambda, S3 data, EKS audit and WAF logs, for as long as
//! its lifecycle says. Security Lake is optional and billed, so logwarden never asks for one;
//! where a data lake exists, each of its regions must collect the profile's sources from every
//! account in scope and keep them at least the profile's days. Data lakes live in the delegated
//! administrator's account: every account is asked once (`ListDataLakes` for its enabled
//! regions), and only an account holding lakes is asked for the sources (`ListLogSources`).
//! Moto has no Security Lake: the SDK-level tests use the shapes AWS documents.

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "security_lake",
    title: "Amazon Security Lake",
    checks: checks::CHECKS,
    coverage: None,
    lookback: Some(checks::lookback),
    short_label: Some("lake"),
    lookback_note: Some(
        "Security Lake: the region whose data lake keeps this account's logs least long (its expiration; 0 where a lake collects nothing from the account; a lake that never expires is not counted, its start being unknown)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
