//! EC2 reads in one region: the VPCs (read once, shared with other sources through [`vpcs`]) and
//! every flow log (one paginated DescribeFlowLogs per account and region).

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::memo::MemoKey;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_ec2, ctx.session, ctx.region);
    let (vpcs, flow_logs) = tokio::join!(vpcs(ctx), flow_logs(&client, &ctx.call));
    RegionData { vpcs, flow_logs }
}

/// A region's DescribeVpcs answer (shared with the sources that judge VPCs).
#[derive(Hash, PartialEq, Eq)]
struct DescribeVpcs(String);

impl MemoKey for DescribeVpcs {
    type Value = Collected<Vec<Vpc>>;
}

/// The region's VPCs, read once per account and region whichever source asks first.
pub async fn vpcs(ctx: &RegionCtx<'_>) -> Collected<Vec<Vpc>> {
    ctx.account
        .memo
        .get(DescribeVpcs(ctx.region.to_string()), || async {
            let client = crate::client!(aws_sdk_ec2, ctx.session, ctx.region);
            describe_vpcs(&client, &ctx.call).await
        })
        .await
}

pub async fn describe_vpcs(client: &aws_sdk_ec2::Client, ctx: &CallCtx) -> Collected<Vec<Vpc>> {
    ctx.pages(
        "ec2:DescribeVpcs",
        client.describe_vpcs().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.vpcs())
            .map(|v| Vpc {
                id: v.vpc_id().unwrap_or_default().to_string(),
                is_default: v.is_default().unwrap_or(false),
                owner_id: v.owner_id().map(String::from),
                tags: v
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string())))
                    .collect(),
            })
            .collect()
    })
    .into()
}

pub async fn flow_logs(client: &aws_sdk_ec2::Client, ctx: &CallCtx) -> Collected<Vec<FlowLog>> {
    ctx.pages(
        "ec2:DescribeFlowLogs",
        client.describe_flow_logs().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.flow_logs())
            .map(|f| FlowLog {
                id: f.flow_log_id().unwrap_or_default().to_string(),
                resource_id: f.resource_id().unwrap_or_default().to_string(),
                traffic_type: f.traffic_type().map(|t| FlowTraffic::from(t.as_str())),
                flow_log_status: f.flow_log_status().map(FlowLogStatus::from),
                deliver_logs_status: f.deliver_logs_status().map(DeliveryStatus::from),
                destination_type: f
                    .log_destination_type()
                    .map(|t| DestinationType::from(t.as_str()))
                    .or(f.log_group_name().map(|_| DestinationType::CloudWatchLogs)),
                destination: destination(
                    f.log_destination(),
                    f.log_group_name(),
                    &ctx.account_id,
                    ctx.region.as_deref().unwrap_or_default(),
                ),
                log_format: f.log_format().map(String::from),
                file_format: f
                    .destination_options()
                    .and_then(|o| o.file_format())
                    .map(|x| x.as_str().to_string()),
                hive_compatible: f
                    .destination_options()
                    .and_then(|o| o.hive_compatible_partitions())
                    .unwrap_or(false),
                per_hour: f
                    .destination_options()
                    .and_then(|o| o.per_hour_partition())
                    .unwrap_or(false),
                creation_time: f.creation_time().and_then(crate::aws::rfc3339),
            })
            .collect()
    })
    .into()
}

/// Where a flow log delivers: its `LogDestination` ARN, or, for a flow log made with
/// `LogGroupName` (which DescribeFlowLogs may answer without `LogDestination`), the ARN of that
/// group in the flow log's account and region, so every reader finds the group one way.
pub fn destination(
    log_destination: Option<&str>,
    log_group_name: Option<&str>,
    account: &str,
    region: &str,
) -> Option<String> {
    match (log_destination, log_group_name) {
        (Some(d), _) if !d.is_empty() => Some(d.to_string()),
        (_, Some(g)) if !g.is_empty() => Some(crate::arn::Partition::of_region(region).arn(
            "logs",
            region,
            account,
            &format!("log-group:{g}:*"),
        )),
        _ => None,
    }
}
