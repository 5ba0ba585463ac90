//! AWS Step Functions execution logs: each state machine logs its executions (state
//! transitions, errors, with or without each state's input and output) to CloudWatch Logs at a
//! level (`OFF`, `FATAL`, `ERROR`, `ALL`). A Standard workflow also keeps 90 days of execution
//! history in the service; an Express workflow keeps none, so its logs are its only record.
//! The audit reads `ListStateMachines` and each machine's `DescribeStateMachine` (the logging
//! configuration is only there); `plan` lists each machine that falls short as a manual step with
//! the exact command, since logging needs the machine's execution role to be allowed to deliver
//! logs, a role the workflow's owner holds; `query` writes Logs Insights queries over the groups
//! the machines log to.

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;
pub mod query;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "step_functions",
    title: "AWS Step Functions execution logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "sfn",
        checks: &["step_functions.logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    validate: profile::validate,
    plan: Some(plan::plan),
    query: Some(query::query),
    ..SourceDef::NONE
};

/// The log group AWS's console proposes for a state machine's logs.
pub fn default_log_group(state_machine: &str) -> String {
    format!("/aws/vendedlogs/states/{state_machine}-Logs")
}

#[cfg(test)]
mod tests;
