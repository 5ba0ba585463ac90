//! Route 53 reads, once per account at the partition's global endpoint: the hosted zones
//! (`ListHostedZones`, paginated; the private ones dropped) and every query logging
//! configuration (`ListQueryLoggingConfigs`, paginated, all zones at once).

use super::model::*;
use crate::aws::collect::AccountCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let region = crate::arn::Partition(&ctx.org.partition).global_region();
    let client = crate::client!(aws_sdk_route53, ctx.session, region);
    let call = ctx.call.in_region(region);
    let (zones, configs) = tokio::join!(zones(&client, &call), configs(&client, &call));
    AccountData { zones, configs }
}

async fn zones(client: &aws_sdk_route53::Client, ctx: &CallCtx) -> Collected<Vec<HostedZone>> {
    ctx.pages(
        "route53:ListHostedZones",
        client.list_hosted_zones().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.hosted_zones())
            .filter(|z| !z.config().is_some_and(|c| c.private_zone()))
            .map(|z| HostedZone {
                id: z.id().trim_start_matches("/hostedzone/").to_string(),
                name: z.name().to_string(),
            })
            .collect()
    })
    .into()
}

async fn configs(
    client: &aws_sdk_route53::Client,
    ctx: &CallCtx,
) -> Collected<Vec<QueryLoggingConfig>> {
    ctx.pages(
        "route53:ListQueryLoggingConfigs",
        client.list_query_logging_configs().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.query_logging_configs())
            .map(|c| QueryLoggingConfig {
                id: c.id().to_string(),
                zone_id: c
                    .hosted_zone_id()
                    .trim_start_matches("/hostedzone/")
                    .to_string(),
                log_group_arn: c.cloud_watch_logs_log_group_arn().to_string(),
            })
            .collect()
    })
    .into()
}
