//! The statements VPC Flow Logs needs: to deliver to the log archive bucket and encrypt with its
//! key (through `delivery.logs.amazonaws.com`), and the role it assumes for CloudWatch Logs.

use super::profile::FlowLogDestination;
use crate::plan::engine::PlanCtx;
use crate::plan::policies::bucket_arn;
use serde_json::{json, Value};

/// Above this many accounts the write statement names the flow-log prefix of every account
/// with one wildcard, so the bucket policy stays far below S3's 20 KB.
pub const MAX_LISTED_ACCOUNTS: usize = 100;

/// The condition every flow-log statement carries (AWS's documented flow-log bucket policy):
/// the organization (or the account), and a log delivery as the source.
fn delivered_by_logs(ctx: &PlanCtx) -> Value {
    let (key, value) = ctx.origin().source_condition();
    let logs = crate::arn::Partition(&ctx.inv.partition).arn("logs", "*", "*", "*");
    json!({
        "StringEquals": {key: value},
        "ArnLike": {"aws:SourceArn": logs}
    })
}

/// Where flow logs may write: the `AWSLogs/ACCOUNT/vpcflowlogs/` prefix of each account
/// audited (a bucket destination without a prefix), never the rest of `AWSLogs/` (CloudTrail
/// and Config deliver there).
fn write_resources(ctx: &PlanCtx, bucket_arn: &str) -> Value {
    let accounts: std::collections::BTreeSet<&str> =
        ctx.inv.accounts.iter().map(|a| a.account_id.as_str()).collect();
    if accounts.is_empty() || accounts.len() > MAX_LISTED_ACCOUNTS {
        return json!(format!("{bucket_arn}/AWSLogs/*/vpcflowlogs/*"));
    }
    let list: Vec<String> = accounts
        .iter()
        .map(|a| format!("{bucket_arn}/AWSLogs/{a}/vpcflowlogs/*"))
        .collect();
    match list.as_slice() {
        [one] => json!(one),
        _ => json!(list),
    }
}

/// Flow logs' statements in the log archive bucket policy, when flow logs go there: the ACL
/// check on the bucket, and writes under each account's flow-log prefix, by log deliveries of
/// the organization only.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    let to_archive = ctx
        .b
        .vpc_flow_logs
        .as_ref()
        .is_some_and(|f| f.destination == FlowLogDestination::LogArchive);
    if !to_archive {
        return vec![];
    }
    let arn = bucket_arn(&ctx.inv.partition, &ctx.archive_bucket);
    let condition = delivered_by_logs(ctx);
    let mut write = condition.clone();
    write["StringEquals"]["s3:x-amz-acl"] = json!("bucket-owner-full-control");
    vec![
        json!({
            "Sid": "LogwardenFlowLogsAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": arn,
            "Condition": condition
        }),
        json!({
            "Sid": "LogwardenFlowLogsWrite",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": write_resources(ctx, &arn),
            "Condition": write
        }),
    ]
}

/// Flow logs' statement in the log archive key policy: data keys for objects of the archive
/// bucket only (the S3 encryption context), for the organization's log deliveries.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    let to_archive = ctx
        .b
        .vpc_flow_logs
        .as_ref()
        .is_some_and(|f| f.destination == FlowLogDestination::LogArchive);
    if !to_archive {
        return vec![];
    }
    let arn = bucket_arn(&ctx.inv.partition, &ctx.archive_bucket);
    let mut condition = delivered_by_logs(ctx);
    condition["StringLike"] =
        json!({"kms:EncryptionContext:aws:s3:arn": [arn.clone(), format!("{arn}/*")]});
    vec![json!({
        "Sid": "LogwardenFlowLogsEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": "kms:GenerateDataKey*",
        "Resource": "*",
        "Condition": condition
    })]
}

/// The role VPC Flow Logs assumes in an account to write to its log groups.
pub fn flow_logs_role(partition: &str, account: &str, log_group: &str) -> (Value, Value) {
    let p = crate::arn::Partition(partition);
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenFlowLogsAssume",
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": p.arn("ec2", "*", account, "vpc-flow-log/*")}
            }
        }]
    });
    // DescribeLogGroups takes no resource (it lists): "*" is the only resource it accepts.
    let permissions = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenFlowLogsDelivery",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": [
                p.arn("logs", "*", account, &format!("log-group:{log_group}")),
                p.arn("logs", "*", account, &format!("log-group:{log_group}:*"))
            ]
        }, {
            "Sid": "LogwardenFlowLogsFindGroup",
            "Effect": "Allow",
            "Action": "logs:DescribeLogGroups",
            "Resource": "*"
        }]
    });
    (trust, permissions)
}
