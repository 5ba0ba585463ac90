//! Detective controls: would anyone notice? The CIS monitoring controls (metric filters and
//! alarms, 4.1 to 4.15) and the tampering actions, judged organization-first (the organization
//! trail's log group and its alarms cover every member) by evaluating each filter pattern and
//! EventBridge rule against the events it must notice. The "would tampering be noticed" half of
//! the baseline, beside `scp` (would it be stopped).

pub mod apply;
pub mod checks;
pub mod collect;
pub mod controls;
pub mod event_pattern;
pub mod filter_pattern;
pub mod model;
pub mod plan;
pub mod profile;
pub mod watch;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "monitoring",
    title: "Detective controls: metric filters, alarms and rules that reach a person",
    checks: checks::CHECKS,
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
