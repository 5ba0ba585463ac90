//! The statements Route 53 Resolver query logging needs to deliver to the log archive: vended
//! logs delivery (`delivery.logs.amazonaws.com`) may check the bucket's ACL and write under each
//! account's `AWSLogs/ACCOUNT/vpcdnsquerylogs/`, and encrypt with the archive key, for the
//! organization's (or the account's) log deliveries only.

use crate::plan::policies::{bucket_arn, log_delivery_bucket, log_delivery_key};
use crate::sources::PlanCtx;
use serde_json::Value;

/// Query logs' statements in the log archive bucket policy, when the profile asks for them:
/// writes under each account's `AWSLogs/ACCOUNT/vpcdnsquerylogs/`.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if ctx.b.resolver_query_logs.is_none() {
        return vec![];
    }
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    log_delivery_bucket(
        "ResolverQueryLogs",
        &ctx.origin(),
        &arn,
        "vpcdnsquerylogs",
        &ctx.account_ids(),
    )
    .to_vec()
}

/// Query logs' statement in the log archive key policy.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    if ctx.b.resolver_query_logs.is_none() {
        return vec![];
    }
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    vec![log_delivery_key("ResolverQueryLogs", &ctx.origin(), &arn)]
}
