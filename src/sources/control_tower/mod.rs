//! AWS Control Tower: detected by its organization trail. Where it is deployed it owns
//! CloudTrail, the log archive and AWS Config (its SCPs deny changes), so `plan` leaves those to
//! it and reports its trail and buckets as not manageable.

pub mod plan;

#[cfg(test)]
mod tests;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "control_tower",
    title: "AWS Control Tower's logging baseline",
    plan: Some(plan::plan),
    ..SourceDef::NONE
};
