//! The organization's trusted access for the services that deliver logs organization-wide:
//! read for `plan`, enabled by `apply` for every source that asks for it.

pub mod apply;
pub mod collect;
pub mod model;
pub mod plan;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "organization",
    title: "Trusted access for organization-wide logging",
    plan: Some(plan::plan),
    ..SourceDef::NONE
};
