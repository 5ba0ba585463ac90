//! CloudWatch Logs log groups that logs are delivered to (the organization trail's, flow logs'):
//! `apply` creates them and sets their retention.

pub mod apply;
pub mod collect;
pub mod model;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudwatch_logs",
    title: "CloudWatch Logs groups logs are delivered to",
    ..SourceDef::NONE
};
