//! CloudFront logging's plan: in each account with distributions that log nowhere, one change
//! giving each a standard logging v2 delivery to the log archive bucket (under
//! `AWSLogs/ACCOUNT/CloudFront/`, with the vended-logs statements every delivery there gets).
//! Distributions that log (legacy or v2) are kept as they are; a disabled one only when the
//! profile asks. Where AWS Control Tower owns the log archive, a manual step.

use super::apply::{Dist, Op};
use super::checks::{logged, Logged};
use crate::inventory::CallError;
use crate::inventory::Collected;
use crate::plan::policies::{bucket_arn, log_delivery_bucket, log_delivery_key};
use crate::plan::{Action, AttrChange};
use crate::sources::cloudfront::model::{Distribution, V2Delivery};
use crate::sources::{Change, PlanCtx};
use serde_json::Value;

/// The read whose failure leaves a distribution's logging undecided.
fn blocker<'a>(d: &'a Distribution, v2: &'a Collected<Vec<V2Delivery>>) -> Option<&'a CallError> {
    d.legacy.as_ref().and_then(|l| l.error()).or(v2.error())
}

/// Where v2 deliveries of `account` land in the archive bucket.
pub fn suffix(account: &str) -> String {
    format!("AWSLogs/{account}/CloudFront/")
}

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.cloudfront_logging.clone() else {
        return;
    };
    let bucket = crate::sources::log_archive::archive(ctx).bucket.clone();
    let depends_on = ctx.dep(&format!("s3_bucket.{bucket}"));
    let region = crate::arn::Partition(&ctx.inv.partition)
        .global_region()
        .to_string();
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        let address = format!("cloudfront_logging.{}", a.account_id);
        let data = &a.data.cloudfront;
        let dists = match data.distributions.as_result() {
            Ok(d) => d,
            Err(e) => {
                let e = e.clone();
                ctx.unknown(
                    &address,
                    &a.account_id,
                    &region,
                    "the CloudFront distributions",
                    &e,
                );
                continue;
            }
        };
        let mut todo: Vec<Dist> = Vec::new();
        for d in dists {
            match logged(d, &data.deliveries) {
                Ok(Logged::No) if d.enabled || want.include_disabled => todo.push(Dist {
                    id: d.id.clone(),
                    arn: d.arn.clone(),
                }),
                Ok(_) => {}
                Err(_) => {
                    if let Some(e) = blocker(d, &data.deliveries) {
                        let e = e.clone();
                        ctx.unknown(
                            &format!("cloudfront_logging.{}", d.arn),
                            &a.account_id,
                            &region,
                            "the distribution's logging",
                            &e,
                        );
                    }
                }
            }
        }
        if todo.is_empty() {
            continue;
        }
        let ids: Vec<&str> = todo.iter().map(|d| d.id.as_str()).collect();
        if ctx.control_tower {
            ctx.push(Change::manual_step(
                address,
                a.account_id.clone(),
                region.clone(),
                AttrChange::new("access_logs", None::<String>, ids.join(", ")),
                "AWS Control Tower owns the log archive bucket; deliver these distributions' access logs to a bucket whose policy lets delivery.logs.amazonaws.com write under AWSLogs/",
                format!(
                    "aws logs put-delivery-source --region {region} --name cf-{} --resource-arn {} --log-type ACCESS_LOGS; aws logs put-delivery-destination --region {region} --name cf-logs --delivery-destination-configuration destinationResourceArn=arn:aws:s3:::BUCKET; aws logs create-delivery --region {region} --delivery-source-name cf-{} --delivery-destination-arn DESTINATION_ARN   # in account {}, per distribution",
                    todo[0].id, todo[0].arn, todo[0].id, a.account_id
                ),
            ));
            continue;
        }
        let to = format!("s3://{bucket}/{}", suffix(&a.account_id));
        ctx.push(
            Change::new(
                address,
                Action::Create,
                a.account_id.clone(),
                region.clone(),
                todo.iter()
                    .map(|d| {
                        AttrChange::new(
                            &d.id,
                            None::<String>,
                            format!("standard logging v2 to {to}"),
                        )
                    })
                    .collect(),
                vec![Op::DeliverToArchive {
                    distributions: todo,
                    bucket: bucket.clone(),
                    suffix: suffix(&a.account_id),
                }
                .into()],
            )
            .depending_on(depends_on.clone()),
        );
    }
}

/// Whether distributions deliver to the log archive (not under Control Tower).
fn to_archive(ctx: &PlanCtx) -> bool {
    ctx.b.cloudfront_logging.is_some() && !ctx.control_tower
}

/// The archive bucket statements CloudFront's v2 delivery needs: the ACL check, and writes
/// under each account's `AWSLogs/ACCOUNT/CloudFront/` only, by the organization's deliveries.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if !to_archive(ctx) {
        return vec![];
    }
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    log_delivery_bucket(
        "CloudFront",
        &ctx.origin(),
        &arn,
        "CloudFront",
        &ctx.account_ids(),
    )
    .to_vec()
}

/// The archive key statement the delivery needs, unless another vended-logs source already
/// adds the same one.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    let others = crate::sources::vpc_flow_logs::policies::to_archive(ctx)
        || ctx.b.transit_gateway_flow_logs.is_some()
        || (ctx.b.network_firewall_logging.is_some() && !ctx.control_tower);
    if !to_archive(ctx) || others {
        return vec![];
    }
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    vec![log_delivery_key("CloudFront", &ctx.origin(), &arn)]
}
