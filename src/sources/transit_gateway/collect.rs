//! EC2 reads in one region: the transit gateways (one paginated `DescribeTransitGateways`).
//! Their flow logs come from the VPC flow-log source's `DescribeFlowLogs`, which lists every
//! flow log of the account and region whatever it logs.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_ec2, ctx.session, ctx.region);
    RegionData {
        gateways: gateways(&client, &ctx.call).await,
    }
}

pub async fn gateways(
    client: &aws_sdk_ec2::Client,
    ctx: &CallCtx,
) -> Collected<Vec<TransitGateway>> {
    ctx.pages(
        "ec2:DescribeTransitGateways",
        client.describe_transit_gateways().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.transit_gateways())
            .filter_map(|t| {
                Some(TransitGateway {
                    id: t.transit_gateway_id()?.to_string(),
                    arn: t.transit_gateway_arn().unwrap_or_default().to_string(),
                    owner_id: t.owner_id().unwrap_or_default().to_string(),
                    state: t
                        .state()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                })
            })
            .collect()
    })
    .into()
}
