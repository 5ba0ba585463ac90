//! What apply does for AWS WAF: a logging configuration for each web ACL that still has none
//! (an ACL that gained one since the plan keeps it: nothing is replaced).

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: WAF writes the log
/// group's resource policy for `delivery.logs.amazonaws.com` itself (AWS: "Permissions to
/// publish logs to CloudWatch Logs").
pub const IMPLIED: &[&str] = &[
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    PutLoggingConfigurations {
        web_acl_arns: Vec<String>,
        destination_arn: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::PutLoggingConfigurations { .. } => "wafv2:PutLoggingConfiguration",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::PutLoggingConfigurations {
            web_acl_arns,
            destination_arn,
        } = self;
        let client = crate::client!(aws_sdk_wafv2, x.session, x.region);
        for acl in web_acl_arns {
            // Never replace a configuration made since the plan.
            let existing = x
                .reads
                .call_opt(
                    "wafv2:GetLoggingConfiguration",
                    &["WAFNonexistentItemException"],
                    client.get_logging_configuration().resource_arn(acl).send(),
                )
                .await?;
            if existing.is_some_and(|o| o.logging_configuration().is_some()) {
                continue;
            }
            let config = aws_sdk_wafv2::types::LoggingConfiguration::builder()
                .resource_arn(acl)
                .log_destination_configs(destination_arn)
                .build()
                .map_err(|e| {
                    x.writes
                        .error("wafv2:PutLoggingConfiguration", "Invalid", e.to_string())
                })?;
            x.writes
                .call(
                    "wafv2:PutLoggingConfiguration",
                    client
                        .put_logging_configuration()
                        .logging_configuration(config)
                        .send(),
                )
                .await?;
        }
        Ok(())
    }
}
