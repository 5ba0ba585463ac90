//! AWS Client VPN reads in one region: `DescribeClientVpnEndpoints` (paginated), which carries
//! each endpoint's connection-logging options: one call per account and region, none per
//! endpoint.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_ec2, ctx.session, ctx.region);
    RegionData {
        endpoints: endpoints(&client, &ctx.call).await,
    }
}

/// Every endpoint of the region, with its connection-logging options.
pub async fn endpoints(client: &aws_sdk_ec2::Client, ctx: &CallCtx) -> Collected<Vec<Endpoint>> {
    ctx.pages(
        "ec2:DescribeClientVpnEndpoints",
        client
            .describe_client_vpn_endpoints()
            .max_results(1000)
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.client_vpn_endpoints())
            .filter(|e| {
                // An endpoint being deleted (or gone) takes no connections.
                !matches!(
                    e.status().and_then(|s| s.code()).map(|c| c.as_str()),
                    Some("deleting" | "deleted")
                )
            })
            .map(|e| {
                let log = e.connection_log_options();
                Endpoint {
                    id: e.client_vpn_endpoint_id().unwrap_or_default().to_string(),
                    description: e.description().map(String::from),
                    status: e
                        .status()
                        .and_then(|s| s.code())
                        .map(|c| c.as_str().to_string()),
                    connection_logging: log.and_then(|l| l.enabled()).unwrap_or(false),
                    log_group: log
                        .and_then(|l| l.cloudwatch_log_group())
                        .filter(|g| !g.is_empty())
                        .map(String::from),
                    log_stream: log
                        .and_then(|l| l.cloudwatch_log_stream())
                        .filter(|s| !s.is_empty())
                        .map(String::from),
                }
            })
            .collect()
    })
    .into()
}
