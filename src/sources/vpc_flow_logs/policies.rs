//! The statements VPC Flow Logs needs: to deliver to the log archive bucket and encrypt with its
//! key (through `delivery.logs.amazonaws.com`), and the role it assumes for CloudWatch Logs.

use super::profile::FlowLogDestination;
use crate::plan::policies::{bucket_arn, log_delivery_bucket, log_delivery_key};
use crate::sources::PlanCtx;
use serde_json::{json, Value};

/// Whether VPC flow logs deliver to the log archive (then they add the delivery statements).
pub fn to_archive(ctx: &PlanCtx) -> bool {
    ctx.b
        .vpc_flow_logs
        .as_ref()
        .is_some_and(|f| f.destination == FlowLogDestination::LogArchive)
}

/// Flow logs' statements in the log archive bucket policy, when flow logs go there: the ACL
/// check on the bucket, and writes under each account's `AWSLogs/ACCOUNT/vpcflowlogs/` (a bucket
/// destination without a prefix), never the rest of `AWSLogs/` (CloudTrail and Config deliver
/// there), by log deliveries of the organization only.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if !to_archive(ctx) {
        return vec![];
    }
    archive_bucket_statements(ctx)
}

/// The flow-log delivery statements of the log archive bucket (VPC and Transit Gateway flow
/// logs deliver the same way, under `vpcflowlogs/`).
pub fn archive_bucket_statements(ctx: &PlanCtx) -> Vec<Value> {
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    log_delivery_bucket(
        "FlowLogs",
        &ctx.origin(),
        &arn,
        "vpcflowlogs",
        &ctx.account_ids(),
    )
    .to_vec()
}

/// Flow logs' statement in the log archive key policy: data keys for objects of the archive
/// bucket only (the S3 encryption context), for the organization's log deliveries.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    if !to_archive(ctx) {
        return vec![];
    }
    vec![archive_key_statement(ctx)]
}

/// The flow-log delivery statement of the log archive key.
pub fn archive_key_statement(ctx: &PlanCtx) -> Value {
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    log_delivery_key("FlowLogs", &ctx.origin(), &arn)
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
