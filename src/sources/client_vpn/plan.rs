//! AWS Client VPN's plan: in each account and region with endpoints that log no connections,
//! the profile's log group (made when missing, at log_group_retention's days) and connection
//! logging on for each of them. An endpoint that logs already keeps its log group.

use super::apply::Op;
use crate::plan::{Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::{Change, PlanCtx};

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.client_vpn_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    for row in ctx.regions_read("client_vpn_logging", "the Client VPN endpoints", |r| {
        r.data.client_vpn.endpoints.as_result()
    }) {
        let (a, r, endpoints) = (row.account, row.region, row.read);
        let todo: Vec<_> = endpoints
            .iter()
            .filter(|e| super::checks::judge(e).0 != crate::finding::Status::Pass)
            .collect();
        if todo.is_empty() {
            continue;
        }
        let kept = LogsOp::kept_at_floor(floor);
        let mut attributes = vec![AttrChange::new(
            "log_group",
            None::<String>,
            format!("{} ({kept}; created only if missing)", want.log_group),
        )];
        attributes.extend(todo.iter().map(|e| {
            AttrChange::new(
                &e.id,
                Some("connection logging off"),
                format!("client connections logged to {}", want.log_group),
            )
        }));
        ctx.push(Change::new(
            row.address,
            Action::Update,
            a.account_id.clone(),
            r.region.clone(),
            attributes,
            vec![
                LogsOp::group_at_floor(&want.log_group, floor).into(),
                Op::EnableConnectionLogging {
                    endpoint_ids: todo.iter().map(|e| e.id.clone()).collect(),
                    log_group: want.log_group.clone(),
                }
                .into(),
            ],
        ));
    }
}
