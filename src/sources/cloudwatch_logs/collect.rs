//! CloudWatch Logs reads for `plan`: a log group by name, with its retention.

use super::model::ManagedLogGroup;
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
