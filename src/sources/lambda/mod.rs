//! AWS Lambda function logs: each function writes to a CloudWatch Logs group (its logging
//! config's custom group, or `/aws/lambda/<function>`), which AWS creates lazily at the first
//! invocation, and only when the execution role may. A function without its group has never
//! run, or its logs are being dropped. The audit reads every function's logging config from
//! `ListFunctions` (no per-function call) and looks the group up in the CloudWatch Logs listing;
//! `plan` creates the missing groups (with the profile's log-group retention), so the logs land
//! somewhere kept from the first invocation. The retention of existing groups is
//! `cloudwatch_logs.retention`'s.

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "lambda",
    title: "AWS Lambda function logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "lambda",
        checks: &["lambda.log_group"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(
        "Lambda: the function whose log group reaches back least (its retention, or its age when younger; 0 for a function without a group)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
