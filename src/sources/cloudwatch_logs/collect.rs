//! CloudWatch Logs reads: every log group of an account and region (the audit), and a log
//! group by name, with its retention (`plan`).

use super::model::{LogGroup, ManagedLogGroup, RegionData};
use crate::aws::collect::RegionCtx;
use crate::aws::{AccountSession, CallCtx};
use crate::inventory::Collected;

/// The log group `name` in the account and region of `ctx`; `None` when it does not exist.
pub async fn log_group(
    s: &AccountSession,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Option<ManagedLogGroup>> {
    let region = ctx.region.as_deref().unwrap_or("us-east-1");
    ctx.call(
        "logs:DescribeLogGroups",
        crate::client!(aws_sdk_cloudwatchlogs, s, region)
            .describe_log_groups()
            .log_group_name_prefix(name)
            .send(),
    )
    .await
    .map(|o| {
        o.log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(name))
            .map(|g| ManagedLogGroup {
                arn: g.arn().unwrap_or_default().to_string(),
                retention_days: g.retention_in_days(),
            })
    })
    .into()
}

/// Every log group of the account and region (the audit's read).
pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_cloudwatchlogs, ctx.session, ctx.region);
    RegionData {
        groups: groups(&client, &ctx.call).await,
    }
}

/// Every log group `client` reaches: one `DescribeLogGroups` per page of 50, never a call per
/// group (its retention, key, class and deletion protection are all in the listing).
pub async fn groups(
    client: &aws_sdk_cloudwatchlogs::Client,
    ctx: &CallCtx,
) -> Collected<Vec<LogGroup>> {
    ctx.pages(
        "logs:DescribeLogGroups",
        client.describe_log_groups().into_paginator().send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.log_groups())
            .filter_map(|g| {
                Some(LogGroup {
                    class: g.log_group_class().map(|c| c.as_str().to_string()),
                    name: g.log_group_name()?.to_string(),
                    retention_days: g.retention_in_days(),
                    kms_key_id: g.kms_key_id().map(String::from),
                    deletion_protection: g.deletion_protection_enabled().unwrap_or(false),
                    created: g.creation_time().and_then(|ms| {
                        time::OffsetDateTime::from_unix_timestamp(ms / 1000)
                            .ok()
                            .map(crate::timefmt::rfc3339)
                    }),
                })
            })
            .collect()
    })
    .into()
}
