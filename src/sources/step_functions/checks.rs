//! Step Functions checks: every state machine logs its executions at the profile's level (with
//! their data where asked); and how far back each account's workflow records can answer.

use super::model::{Logging, StateMachine};
use super::profile::{LogLevel, StepFunctionsLoggingBaseline};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::cloudwatch_logs::checks::{group_of, reach_named};
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// Step Functions state machines, judged one by one.
pub static STATE_MACHINE: Resource = Resource {
    id: "step_functions_state_machine",
    label: "Step Functions state machine",
    cloudformation_type: "AWS::StepFunctions::StateMachine",
    asff_type: "AwsStepFunctionStateMachine",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "step_functions.logging",
        title: "Every Step Functions state machine logs its executions",
        severity: Severity::Medium,
        scope: Subject::Resource(&STATE_MACHINE),
        looks_at: "ListStateMachines (every page) and each state machine's DescribeStateMachine: the logging configuration's level, includeExecutionData and log group",
        rationale: "A workflow that moves data or changes resources is where an intruder's calls run under a trusted role; its execution logs say which steps ran with which input. An Express workflow keeps no execution history at all, and a Standard one keeps 90 days: logging is what answers beyond that.",
        remediation: "`aws stepfunctions update-state-machine --state-machine-arn ARN --logging-configuration '{\"level\":\"ERROR\",\"includeExecutionData\":false,\"destinations\":[{\"cloudWatchLogsLogGroup\":{\"logGroupArn\":\"LOG_GROUP_ARN:*\"}}]}'`; the execution role needs the log delivery permissions (`logs:CreateLogDelivery` and related). `logwarden plan` writes the command for each state machine.",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["StepFunctions.1"]), (Nist80053, &["AU-2", "AU-12"])],
    },
    eval: logging,
}];

pub fn logging(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(machines) = listed(
            a,
            r,
            &r.data.step_functions.state_machines,
            "Step Functions state machines",
            out,
        ) else {
            return;
        };
        for m in machines {
            let (status, msg) = match &ctx.b.step_functions_logging {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "Step Functions logging"),
                ),
                Some(want) => judge(want, m),
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                m.arn.clone(),
                msg,
            ));
        }
    })
}

/// What the machine's logging lacks against the profile (empty: nothing).
pub fn gaps(want: &StepFunctionsLoggingBaseline, m: &StateMachine, l: &Logging) -> Vec<String> {
    let Some(level) = LogLevel::from_aws(&l.level) else {
        return vec![if m.express() {
            "logs nothing (level OFF), and an Express workflow keeps no execution history: its executions leave no record".to_string()
        } else {
            "logs nothing (level OFF): only the 90 days of execution history the service keeps answer".to_string()
        }];
    };
    let mut out = Vec::new();
    if level < want.level {
        out.push(format!(
            "logs at {} only, not {}",
            level.as_str(),
            want.level.as_str()
        ));
    }
    if want.include_execution_data && !l.include_execution_data {
        out.push("leaves each state's input and output out of its logs".to_string());
    }
    if l.destinations.is_empty() {
        out.push("names no log group".to_string());
    }
    out
}

fn judge(want: &StepFunctionsLoggingBaseline, m: &StateMachine) -> (Status, String) {
    let kind = if m.express() { "Express" } else { "Standard" };
    let l = match m.logging.as_result() {
        Ok(l) => l,
        Err(e) => {
            return (
                Status::Unknown,
                format!(
                    "the logging configuration of state machine {} {}",
                    m.name,
                    unknown_because(e)
                ),
            )
        }
    };
    let gaps = gaps(want, m, l);
    if !gaps.is_empty() {
        return (
            Status::Fail,
            format!("{kind} state machine {} {}", m.name, gaps.join("; ")),
        );
    }
    let groups: Vec<String> = l
        .destinations
        .iter()
        .map(|d| group_of(d).map_or_else(|| d.clone(), |(_, _, g)| g))
        .collect();
    let data = if l.include_execution_data {
        "with"
    } else {
        "without"
    };
    (
        Status::Pass,
        format!(
            "{kind} state machine {} logs at {} to log group {} ({data} execution data)",
            m.name,
            l.level,
            groups.join(", ")
        ),
    )
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "Step Functions: the state machine whose records reach back least (a Standard workflow: its log group's reach, never less than the 90 days of execution history the service keeps; an Express workflow: its log group's reach, 0 when it logs nothing)";

/// How far back a state machine's logs (`l`) reach, from its log groups in region `r` (the
/// one reaching furthest); `None` when it logs nothing or no group is in the listing.
fn logs_reach(ctx: &Ctx, r: &RegionInventory, l: &Logging) -> Option<(u32, String)> {
    LogLevel::from_aws(&l.level)?;
    l.destinations
        .iter()
        .filter_map(|d| group_of(d))
        .filter_map(|(_, _, g)| reach_named(ctx, r, &g))
        .max_by_key(|(d, _)| *d)
}

/// How far back each account's workflow records can answer: the state machine that reaches
/// back least. Accounts whose state machines could not be read are left out (their findings
/// are `unknown`); a machine whose logging could not be read gives no figure.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.step_functions_logging.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let machines = r.data.step_functions.state_machines.value()?;
        let mut out = Vec::new();
        for m in machines {
            let Some(l) = m.logging.value() else { continue };
            let logs = logs_reach(ctx, r, l);
            if m.express() {
                match logs {
                    Some((d, why)) => out.push((d, format!("state machine {}: {why}", m.name))),
                    None if LogLevel::from_aws(&l.level).is_none() => out.push((
                        0,
                        format!(
                            "Express state machine {} in {} logs nothing and keeps no execution history",
                            m.name, r.region
                        ),
                    )),
                    None => {}
                }
                continue;
            }
            match logs {
                Some((d, why)) if d >= HISTORY_DAYS => {
                    out.push((d, format!("state machine {}: {why}", m.name)))
                }
                _ => out.push((
                    HISTORY_DAYS,
                    format!(
                        "state machine {} in {}: the service keeps {HISTORY_DAYS} days of execution history",
                        m.name, r.region
                    ),
                )),
            }
        }
        Some(out)
    })
}

/// How long Step Functions keeps a Standard workflow's execution history after it closes.
pub const HISTORY_DAYS: u32 = 90;
