//! Security Hub reads in one region: `DescribeHub` (one call; "not subscribed" means not enabled).

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::inventory::Collected;

/// The error codes with which `DescribeHub` says Security Hub is not enabled.
pub const NOT_ENABLED: &[&str] = &["InvalidAccessException", "ResourceNotFoundException"];

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_securityhub, ctx.session, ctx.region);
    let hub = match ctx
        .call
        .call_opt(
            "securityhub:DescribeHub",
            NOT_ENABLED,
            client.describe_hub().send(),
        )
        .await
    {
        Ok(Some(h)) => Collected::ok(Some(Hub {
            arn: h.hub_arn().unwrap_or_default().to_string(),
            subscribed_at: h.subscribed_at().map(String::from),
            auto_enable_controls: h.auto_enable_controls(),
        })),
        Ok(None) => Collected::ok(None),
        Err(error) => Collected::Failed { error },
    };
    RegionData { hub }
}
