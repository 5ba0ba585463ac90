//! Logs Insights queries over the state machines' log groups (JSON records, one per execution
//! history event: `type`, `execution_arn`, `details`): which executions started under which
//! role, and what failed, was aborted or timed out.

use crate::query::{Contribution, LogGroupRef, QueryCtx};
use crate::sources::cloudwatch_logs::checks::group_of;
use crate::sources::{read_for_query, Inventory};

/// Executions started, per state machine and execution role, first and last: a workflow run
/// at an odd hour, or by a role it is not normally run as.
const EXECUTIONS: &str = "fields @timestamp, execution_arn, details.roleArn\n| filter type = \"ExecutionStarted\"\n| parse execution_arn \"*:execution:*:*\" as prefix, state_machine, execution\n| stats count(*) as executions, min(@timestamp) as first_seen, max(@timestamp) as last_seen by state_machine, details.roleArn\n| sort last_seen desc\n| limit 200";

/// Executions that failed, were aborted or timed out, and the steps that failed, newest first,
/// with the error and its cause.
const FAILURES: &str = "fields @timestamp, type, execution_arn, details.error, details.cause\n| filter type like /(Failed|Aborted|TimedOut)$/\n| sort @timestamp desc\n| limit 200";

pub fn query(inv: &Inventory, _: &QueryCtx) -> Contribution {
    let mut out = Contribution::default();
    let mut groups: Vec<LogGroupRef> = Vec::new();
    for a in &inv.accounts {
        for r in &a.regions {
            let machines = &r.data.step_functions.state_machines;
            let what = "the Step Functions state machines";
            let at = (a.account_id.as_str(), r.region.as_str());
            let Some(machines) = read_for_query(&mut out, machines, at, what) else {
                continue;
            };
            for m in machines {
                let Some(l) = m.logging.value() else { continue };
                if super::profile::LogLevel::from_aws(&l.level).is_none() {
                    continue;
                }
                for (account, region, name) in l.destinations.iter().filter_map(|d| group_of(d)) {
                    groups.push(LogGroupRef {
                        account,
                        region,
                        name,
                    });
                }
            }
        }
    }
    out.insights_over(
        super::SOURCE.id,
        groups,
        &[
            (
                "step_functions_executions",
                "Step Functions executions started, by state machine and execution role",
                EXECUTIONS,
            ),
            (
                "step_functions_failures",
                "Step Functions executions that failed, were aborted or timed out, and failed steps",
                FAILURES,
            ),
        ],
    );
    out
}
