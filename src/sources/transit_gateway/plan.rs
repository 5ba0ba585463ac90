//! Transit Gateway flow logs' plan: in each account and region, one change creating a flow log
//! for every available gateway the account owns that has none active, delivering to the log
//! archive bucket (under `AWSLogs/ACCOUNT/vpcflowlogs/`, where VPC flow logs go, with the same
//! bucket and key statements). Where AWS Control Tower owns the log archive, a manual step.

use super::apply::Op;
use super::checks::{active, owned};
use crate::plan::note;
use crate::plan::{Action, AttrChange};
use crate::sources::vpc_flow_logs::policies::{
    archive_bucket_statements, archive_key_statement, to_archive,
};
use crate::sources::{Change, PlanCtx};
use serde_json::Value;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.transit_gateway_flow_logs.clone() else {
        return;
    };
    let bucket = crate::sources::log_archive::archive(ctx).bucket.clone();
    let destination = crate::arn::Partition(&ctx.inv.partition).s3_bucket(&bucket);
    let depends_on = ctx.dep(&format!("s3_bucket.{bucket}"));
    for row in ctx.regions_read(
        "transit_gateway_flow_logs",
        "the transit gateways or their flow logs",
        |r| {
            Ok((
                r.data.transit_gateway.gateways.as_result()?,
                r.data.vpc_flow_logs.flow_logs.as_result()?,
            ))
        },
    ) {
        let (a, r, (gateways, logs)) = (row.account, row.region, row.read);
        let address = row.address;
        let mut todo = Vec::new();
        for g in owned(&a.account_id, gateways) {
            if active(&g.id, logs).is_some() {
                continue;
            }
            if g.state != "available" {
                ctx.kept.push(note(
                    &address,
                    &a.account_id,
                    &r.region,
                    format!(
                        "transit gateway {} is {}: its flow log is planned once it is available",
                        g.id, g.state
                    ),
                ));
                continue;
            }
            todo.push(g.id.clone());
        }
        if todo.is_empty() {
            continue;
        }
        if ctx.control_tower {
            // The log archive bucket is Control Tower's: its policy is not logwarden's to
            // extend. The owner picks a bucket that accepts the delivery.
            ctx.push(Change::manual_step(
                address,
                a.account_id.clone(),
                r.region.clone(),
                AttrChange::new("flow_logs", None::<String>, todo.join(", ")),
                "AWS Control Tower owns the log archive bucket; deliver these transit gateways' flow logs to a bucket whose policy lets delivery.logs.amazonaws.com write under AWSLogs/",
                format!(
                    "aws ec2 create-flow-logs --region {} --resource-type TransitGateway --resource-ids {} --log-destination-type s3 --log-destination arn:aws:s3:::BUCKET --max-aggregation-interval 60   # in account {}",
                    r.region,
                    todo.join(" "),
                    a.account_id
                ),
            ));
            continue;
        }
        ctx.push(
            Change::new(
                address,
                Action::Create,
                a.account_id.clone(),
                r.region.clone(),
                todo.iter()
                    .map(|g| {
                        AttrChange::new(g, None::<String>, format!("flow log to {destination}"))
                    })
                    .collect(),
                vec![Op::CreateTransitGatewayFlowLogs {
                    gateway_ids: todo,
                    bucket: bucket.clone(),
                    log_format: want.log_format.clone(),
                }
                .into()],
            )
            .depending_on(depends_on.clone()),
        );
    }
}

/// The archive bucket statements flow-log delivery needs, when VPC flow logs do not already
/// add them (the same statements: one delivery path, `vpcflowlogs`).
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if ctx.b.transit_gateway_flow_logs.is_none() || to_archive(ctx) {
        return vec![];
    }
    archive_bucket_statements(ctx)
}

/// The archive key statement flow-log delivery needs, on the same terms.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    if ctx.b.transit_gateway_flow_logs.is_none() || to_archive(ctx) {
        return vec![];
    }
    vec![archive_key_statement(ctx)]
}
