//! The statements VPC Flow Logs needs: to deliver to the log archive bucket and encrypt with its
//! key (through `delivery.logs.amazonaws.com`), and the role it assumes for CloudWatch Logs.

use super::profile::FlowLogDestination;
use crate::plan::engine::PlanCtx;
use crate::plan::policies::{bucket_arn, service_delivery};
use serde_json::{json, Value};

/// Flow logs' statements in the log archive bucket policy, when flow logs go there.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    let to_archive = ctx
        .b
        .vpc_flow_logs
        .as_ref()
        .is_some_and(|f| f.destination == FlowLogDestination::LogArchive);
    if !to_archive {
        return vec![];
    }
    let o = ctx.origin();
    let arn = bucket_arn(o.partition, &ctx.archive_bucket);
    let (key, value) = o.source_condition();
    service_delivery(
        "FlowLogs",
        "delivery.logs.amazonaws.com",
        &arn,
        format!("{arn}/AWSLogs/*"),
        (&key, &value),
    )
    .to_vec()
}

/// Flow logs' statement in the log archive key policy.
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    let (key, value) = ctx.origin().source_condition();
    vec![json!({
        "Sid": "LogwardenFlowLogsEncrypt",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {key: value}}
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
    let permissions = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LogwardenFlowLogsDelivery",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
            "Resource": [
                p.arn("logs", "*", account, &format!("log-group:{log_group}")),
                p.arn("logs", "*", account, &format!("log-group:{log_group}:*"))
            ]
        }]
    });
    (trust, permissions)
}
