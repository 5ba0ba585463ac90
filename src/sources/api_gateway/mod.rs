//! Amazon API Gateway access logs: who called which API, from where, with what result. Every
//! REST API stage and every HTTP or WebSocket API stage must write access logs to a destination
//! (a CloudWatch Logs group or a Firehose stream); REST and WebSocket execution logging's level
//! is reported beside it. Turning access logging on for a REST API needs the account's API
//! Gateway CloudWatch Logs role, an account-wide setting other teams may own, so `plan` lists
//! each stage as a manual step with the exact command (and, with a log-group retention, creates
//! the group the command names first, at that retention).

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "api_gateway",
    title: "Amazon API Gateway access logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "apigw",
        checks: &["api_gateway.rest_access_logging", "api_gateway.v2_access_logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(
        "API Gateway: the stage whose access logs reach back least (its log group's retention, or the group's age when younger; 0 for a stage without access logs; a Firehose destination is not counted)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
