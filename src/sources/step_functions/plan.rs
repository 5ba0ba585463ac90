//! Step Functions' plan: for each state machine whose logging falls short of the profile, a
//! manual step with the exact command (`update-state-machine --logging-configuration`: the
//! level raised to the profile's, never lowered; execution data kept where it is included; the
//! machine's log group kept, or the console's `/aws/vendedlogs/states/<name>-Logs` created
//! first, at the profile's log-group retention). logwarden does not run it: logging needs the
//! machine's execution role to be allowed to deliver logs (`logs:CreateLogDelivery` and
//! related), and that role is the workflow owner's.

use super::model::{Logging, StateMachine};
use super::profile::{LogLevel, StepFunctionsLoggingBaseline};
use crate::plan::{shell_word, AttrChange};
use crate::sources::{AccountInventory, Change, PlanCtx, RegionInventory};
use serde_json::json;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.step_functions_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    let partition = ctx.inv.partition.clone();
    for row in ctx.regions_read("step_functions", "the Step Functions state machines", |r| {
        r.data.step_functions.state_machines.as_result()
    }) {
        let (a, r, machines) = (row.account, row.region, row.read);
        for m in machines {
            let address = format!(
                "step_functions_state_machine.{}.{}.{}",
                a.account_id, r.region, m.name
            );
            let l = match m.logging.as_result() {
                Ok(l) => l,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &address,
                        &a.account_id,
                        &r.region,
                        "the state machine's logging",
                        &e,
                    );
                    continue;
                }
            };
            if super::checks::gaps(&want, m, l).is_empty() {
                continue;
            }
            ctx.push(manual_step(address, &partition, (a, r), m, l, &want, floor));
        }
    }
}

/// Logging as the profile wants it for a machine that logs as `l`: never less than it has.
fn wanted(l: &Logging, want: &StepFunctionsLoggingBaseline) -> (LogLevel, bool) {
    let level = LogLevel::from_aws(&l.level).map_or(want.level, |x| x.max(want.level));
    (
        level,
        l.include_execution_data || want.include_execution_data,
    )
}

/// The command (the log group made first where the machine has none) as a manual step.
fn manual_step(
    address: String,
    partition: &str,
    (a, r): (&AccountInventory, &RegionInventory),
    m: &StateMachine,
    l: &Logging,
    want: &StepFunctionsLoggingBaseline,
    floor: Option<u32>,
) -> Change {
    let (level, data) = wanted(l, want);
    let mut commands = Vec::new();
    let group_arn = match l.destinations.first() {
        Some(d) => d.clone(),
        None => {
            let name = super::default_log_group(&m.name);
            let exists = r
                .data
                .cloudwatch_logs
                .groups
                .value()
                .is_some_and(|gs| gs.iter().any(|g| g.name == name));
            if !exists {
                commands.push(format!(
                    "aws logs create-log-group --region {} --log-group-name {}",
                    r.region,
                    shell_word(&name)
                ));
                if let Some(days) = floor {
                    commands.push(format!(
                        "aws logs put-retention-policy --region {} --log-group-name {} --retention-in-days {days}",
                        r.region,
                        shell_word(&name)
                    ));
                }
            }
            format!(
                "arn:{partition}:logs:{}:{}:log-group:{name}:*",
                r.region, a.account_id
            )
        }
    };
    let config = json!({
        "level": level.as_str(),
        "includeExecutionData": data,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": group_arn}}],
    });
    commands.push(format!(
        "aws stepfunctions update-state-machine --region {} --state-machine-arn {} --logging-configuration {}",
        r.region,
        shell_word(&m.arn),
        shell_word(&config.to_string())
    ));
    let describe = |level: &str, data: bool| {
        format!("{level}{}", if data { " with execution data" } else { "" })
    };
    Change::manual_step(
        address,
        a.account_id.clone(),
        r.region.clone(),
        AttrChange::new(
            "logging",
            Some(describe(&l.level, l.include_execution_data)),
            describe(level.as_str(), data),
        ),
        format!(
            "state machine {}: logging needs its execution role to be allowed to deliver logs (logs:CreateLogDelivery, logs:GetLogDelivery, logs:UpdateLogDelivery, logs:DeleteLogDelivery, logs:ListLogDeliveries, logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups), a role the workflow's owner holds",
            m.name
        ),
        format!("{}   # in account {}", commands.join(" && "), a.account_id),
    )
}
