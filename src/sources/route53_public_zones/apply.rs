//! What apply does for Route 53 public zone query logging: logwarden's CloudWatch Logs resource
//! policy for Route 53 (merged with the zones it already allowed), then a query logging
//! configuration for each zone that still has none.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Write logwarden's resource policy (the zones an existing one allowed are kept).
    PutQueryLoggingPolicy { name: String, policy: Value },
    CreateQueryLoggingConfigs {
        zone_ids: Vec<String>,
        log_group_arn: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::PutQueryLoggingPolicy { .. } => "logs:PutResourcePolicy",
            Op::CreateQueryLoggingConfigs { .. } => "route53:CreateQueryLoggingConfig",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        match self {
            Op::PutQueryLoggingPolicy { name, policy } => {
                let logs = crate::client!(aws_sdk_cloudwatchlogs, x.session, x.region);
                // A resource policy is replaced whole: read logwarden's own first (an account
                // holds at most 10, so one page has them all).
                let existing = x
                    .reads
                    .call(
                        "logs:DescribeResourcePolicies",
                        logs.describe_resource_policies().limit(50).send(),
                    )
                    .await?;
                let old = existing
                    .resource_policies()
                    .iter()
                    .find(|p| p.policy_name() == Some(name.as_str()))
                    .and_then(|p| p.policy_document())
                    .unwrap_or("");
                let doc = super::plan::merged(policy, old);
                x.writes
                    .call(
                        "logs:PutResourcePolicy",
                        logs.put_resource_policy()
                            .policy_name(name)
                            .policy_document(doc.to_string())
                            .send(),
                    )
                    .await?;
                Ok(())
            }
            Op::CreateQueryLoggingConfigs {
                zone_ids,
                log_group_arn,
            } => {
                let client = crate::client!(aws_sdk_route53, x.session, x.region);
                // Re-read (one listing for every zone): a zone that gained a configuration
                // since the plan keeps it.
                let pages = x
                    .reads
                    .pages(
                        "route53:ListQueryLoggingConfigs",
                        client.list_query_logging_configs().into_paginator().send(),
                    )
                    .await?;
                let logged: Vec<&str> = pages
                    .iter()
                    .flat_map(|p| p.query_logging_configs())
                    .map(|c| c.hosted_zone_id().trim_start_matches("/hostedzone/"))
                    .collect();
                for zone in zone_ids {
                    if logged.contains(&zone.as_str()) {
                        continue;
                    }
                    // The resource policy written just before may take a moment to apply.
                    let made = x
                        .exec
                        .retrying(
                            &x.writes,
                            "route53:CreateQueryLoggingConfig",
                            &["InsufficientCloudWatchLogsResourcePolicy"],
                            || {
                                client
                                    .create_query_logging_config()
                                    .hosted_zone_id(zone)
                                    .cloud_watch_logs_log_group_arn(log_group_arn)
                                    .send()
                            },
                        )
                        .await;
                    match made {
                        Err(e) if e.code == "QueryLoggingConfigAlreadyExists" => {}
                        other => {
                            other?;
                        }
                    }
                }
                Ok(())
            }
        }
    }
}
