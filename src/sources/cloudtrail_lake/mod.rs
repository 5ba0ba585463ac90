//! CloudTrail Lake event data stores: the events an organization already keeps in Lake, how
//! long, and whether they can be deleted. Lake is closed to new customers (since 31 May 2026),
//! so logwarden never proposes creating a store: it reports the existing ones (organization,
//! multi-region, retention, termination protection, ingestion, KMS), counts them in the
//! lookback, and lists the changes an owner makes by hand (termination protection, restarting
//! ingestion).

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudtrail_lake",
    title: "CloudTrail Lake event data stores",
    checks: checks::CHECKS,
    lookback: Some(checks::lookback),
    lookback_note: Some(
        "CloudTrail Lake: the event data store covering the account that reaches back furthest (its retention, or its age when younger); accounts no store covers have no row",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
