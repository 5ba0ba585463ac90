//! Lambda's plan: the log group of each function that lacks one, created (at the profile's
//! log-group retention when it sets one), so the logs land somewhere kept from the first
//! invocation. Several functions sharing a custom group make one change. Nothing else is
//! touched: an existing group's retention is `cloudwatch_logs`'.

use crate::plan::{Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::Change;
use crate::sources::PlanCtx;
use std::collections::BTreeMap;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.lambda.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    for row in ctx.regions_read("lambda", "the Lambda functions or their log groups", |r| {
        Ok((
            r.data.lambda.functions.as_result()?,
            r.data.cloudwatch_logs.groups.as_result()?,
        ))
    }) {
        let (a, r, (functions, groups)) = (row.account, row.region, row.read);
        // Missing group → the functions writing to it.
        let mut missing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in functions.iter().filter(|f| want.selects(&f.name)) {
            if !groups.iter().any(|g| g.name == f.log_group) {
                missing.entry(&f.log_group).or_default().push(&f.name);
            }
        }
        for (group, fns) in missing {
            let kept = LogsOp::kept_at_floor(floor);
            ctx.push(Change::new(
                format!("cloudwatch_log_group.{}.{}.{group}", a.account_id, r.region),
                Action::Create,
                a.account_id.clone(),
                r.region.clone(),
                vec![
                    AttrChange::new("log_group", None::<String>, format!("{group} ({kept})")),
                    AttrChange::new(
                        "for",
                        None::<String>,
                        format!("Lambda function {}", fns.join(", ")),
                    ),
                ],
                vec![LogsOp::group_at_floor(group, floor).into()],
            ));
        }
    }
}
