//! The statements Route 53 Resolver query logging needs to deliver to the log archive: vended
//! logs delivery (`delivery.logs.amazonaws.com`) may check the bucket's ACL and write under
//! `AWSLogs/`, and encrypt with the archive key, for the organization's (or the account's)
//! log deliveries only.

use crate::plan::engine::PlanCtx;
use crate::plan::policies::bucket_arn;
use serde_json::{json, Value};

/// The condition every statement carries: the organization (or the account), and a log
/// delivery as the source.
fn delivered_by_logs(ctx: &PlanCtx) -> Value {
    let (key, value) = ctx.origin().source_condition();
    let logs = crate::arn::Partition(&ctx.inv.partition).arn("logs", "*", "*", "*");
    json!({
        "StringEquals": {key: value},
        "ArnLike": {"aws:SourceArn": logs}
    })
}

/// Query logs' statements in the log archive bucket policy, when the profile asks for them.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if ctx.b.resolver_query_logs.is_none() {
        return vec![];
    }
    let arn = bucket_arn(&ctx.inv.partition, &ctx.archive_bucket);
    let condition = delivered_by_logs(ctx);
    let mut write = condition.clone();
    write["StringEquals"]["s3:x-amz-acl"] = json!("bucket-owner-full-control");
    vec![
        json!({
            "Sid": "LogwardenResolverQueryLogsAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": condition
        }),
        json!({
            "Sid": "LogwardenResolverQueryLogsWrite",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": format!("{arn}/AWSLogs/*"),
            "Condition": write
        }),
    ]
}

/// Query logs' statement in the log archive key policy: data keys for objects of the archive
/// bucket only (the S3 encryption context).
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    if ctx.b.resolver_query_logs.is_none() {
        return vec![];
    }
    let arn = bucket_arn(&ctx.inv.partition, &ctx.archive_bucket);
    let mut condition = delivered_by_logs(ctx);
    condition["StringLike"] = json!({"kms:EncryptionContext:aws:s3:arn": [arn.clone(), format!("{arn}/*")]});
    vec![json!({
        "Sid": "LogwardenResolverQueryLogsEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": condition
    })]
}
