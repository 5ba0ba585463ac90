//! What apply does for VPC flow logs: create them.

use crate::aws::apply::{Apply, PROPAGATION_ERRORS};
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: passing the delivery role
/// (CloudWatch Logs destinations) and the log delivery behind S3 destinations.
pub const IMPLIED: &[&str] = &[
    "iam:PassRole",
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
];

/// The services this module hands a role to (`iam:PassRole`): the CloudWatch Logs delivery role of flow logs.
pub const PASSES_ROLE_TO: &[&str] = &["vpc-flow-logs.amazonaws.com"];

/// Where new flow logs go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FlowLogTarget {
    S3 {
        bucket: String,
    },
    CloudwatchLogs {
        log_group: String,
        role_name: String,
    },
}

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateFlowLogs {
        vpc_ids: Vec<String>,
        destination: FlowLogTarget,
        traffic_type: String,
        log_format: Option<String>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::CreateFlowLogs { .. } => "ec2:CreateFlowLogs",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, _r, w, p, account, region) = (
            x.session,
            &x.reads,
            &x.writes,
            x.partition,
            x.account,
            x.region,
        );
        match self {
            Op::CreateFlowLogs {
                vpc_ids,
                destination,
                traffic_type,
                log_format,
            } => {
                use aws_sdk_ec2::types::{FlowLogsResourceType, LogDestinationType, TrafficType};
                let mut req = crate::client!(aws_sdk_ec2, s, region)
                    .create_flow_logs()
                    .set_resource_ids(Some(vpc_ids.clone()))
                    .resource_type(FlowLogsResourceType::Vpc)
                    .traffic_type(TrafficType::from(traffic_type.as_str()))
                    .set_log_format(log_format.clone());
                req = match destination {
                    FlowLogTarget::S3 { bucket } => req
                        .log_destination_type(LogDestinationType::S3)
                        .log_destination(crate::arn::Partition(p).s3_bucket(bucket)),
                    FlowLogTarget::CloudwatchLogs {
                        log_group,
                        role_name,
                    } => req
                        .log_destination_type(LogDestinationType::CloudWatchLogs)
                        .log_group_name(log_group)
                        .deliver_logs_permission_arn(
                            crate::arn::Partition(p).iam_role(account, role_name),
                        ),
                };
                let out = x
                    .exec
                    .retrying(w, "ec2:CreateFlowLogs", PROPAGATION_ERRORS, || {
                        req.clone().send()
                    })
                    .await?;
                if let Some(u) = out.unsuccessful().first() {
                    let err = u.error();
                    return Err(w.error(
                        "ec2:CreateFlowLogs",
                        err.and_then(|e| e.code()).unwrap_or("Unsuccessful"),
                        format!(
                            "{}: {}",
                            u.resource_id().unwrap_or("?"),
                            err.and_then(|e| e.message())
                                .unwrap_or("flow log not created")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
