//! The IAM roles log-delivery services assume (CloudTrail to CloudWatch Logs, the Config
//! aggregator, flow logs to CloudWatch Logs): `apply` makes them, each source says what they
//! trust and may do.

pub mod apply;
pub mod collect;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "delivery_roles",
    title: "Roles of the log-delivery services",
    ..SourceDef::NONE
};
