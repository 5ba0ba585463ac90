//! What apply does for Transit Gateway flow logs: create them, delivering to the log archive
//! bucket, for the gateways that still have none.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: the log delivery behind
/// an S3 destination.
pub const IMPLIED: &[&str] = &["logs:CreateLogDelivery", "logs:DeleteLogDelivery"];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateTransitGatewayFlowLogs {
        gateway_ids: Vec<String>,
        bucket: String,
        log_format: Option<String>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::CreateTransitGatewayFlowLogs { .. } => "ec2:CreateFlowLogs",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        use aws_sdk_ec2::types::{Filter, FlowLogsResourceType, LogDestinationType};
        let Op::CreateTransitGatewayFlowLogs {
            gateway_ids,
            bucket,
            log_format,
        } = self;
        let client = crate::client!(aws_sdk_ec2, x.session, x.region);
        // Re-read: a gateway an interrupted run already logs is left alone.
        let pages = x
            .reads
            .pages(
                "ec2:DescribeFlowLogs",
                client
                    .describe_flow_logs()
                    .filter(
                        Filter::builder()
                            .name("resource-id")
                            .set_values(Some(gateway_ids.clone()))
                            .build(),
                    )
                    .into_paginator()
                    .send(),
            )
            .await?;
        let logged: Vec<&str> = pages
            .iter()
            .flat_map(|p| p.flow_logs())
            .filter(|f| f.flow_log_status() == Some("ACTIVE"))
            .filter_map(|f| f.resource_id())
            .collect();
        let todo: Vec<String> = gateway_ids
            .iter()
            .filter(|g| !logged.contains(&g.as_str()))
            .cloned()
            .collect();
        if todo.is_empty() {
            return Ok(());
        }
        // Transit gateway flow logs take no traffic type and aggregate per minute.
        let out = x
            .writes
            .call(
                "ec2:CreateFlowLogs",
                client
                    .create_flow_logs()
                    .set_resource_ids(Some(todo))
                    .resource_type(FlowLogsResourceType::TransitGateway)
                    .log_destination_type(LogDestinationType::S3)
                    .log_destination(crate::arn::Partition(x.partition).s3_bucket(bucket))
                    .max_aggregation_interval(60)
                    .set_log_format(log_format.clone())
                    .send(),
            )
            .await?;
        if let Some(u) = out.unsuccessful().first() {
            let err = u.error();
            return Err(x.writes.error(
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
        Ok(())
    }
}
