//! What apply does for Network Firewall: add the missing log types to each firewall,
//! delivering to the log archive bucket. AWS accepts one added destination per
//! `UpdateLoggingConfiguration` call, each call carrying every destination the firewall already
//! has, so the types are added one at a time, each time re-read: a type a destination gained
//! since the plan is left alone and nothing existing is dropped.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: the log delivery behind
/// an S3 destination (AWS: "Permissions to publish logs to Amazon S3").
pub const IMPLIED: &[&str] = &[
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
];

/// One firewall and the log types to add to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirewallTypes {
    pub name: String,
    pub arn: String,
    /// `ALERT`, `FLOW`, `TLS`.
    pub log_types: Vec<String>,
}

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    AddS3Logging {
        firewalls: Vec<FirewallTypes>,
        bucket: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::AddS3Logging { .. } => "network-firewall:UpdateLoggingConfiguration",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        use aws_sdk_networkfirewall::types::{
            LogDestinationConfig, LogDestinationType, LogType, LoggingConfiguration,
        };
        let Op::AddS3Logging { firewalls, bucket } = self;
        let client = crate::client!(aws_sdk_networkfirewall, x.session, x.region);
        for f in firewalls {
            for t in &f.log_types {
                // Re-read before each addition: the call must carry every existing destination.
                let current = x
                    .reads
                    .call(
                        "network-firewall:DescribeLoggingConfiguration",
                        client
                            .describe_logging_configuration()
                            .firewall_arn(&f.arn)
                            .send(),
                    )
                    .await?;
                let mut configs: Vec<LogDestinationConfig> = current
                    .logging_configuration()
                    .map(|l| l.log_destination_configs().to_vec())
                    .unwrap_or_default();
                if configs.iter().any(|c| c.log_type().as_str() == t) {
                    continue;
                }
                let invalid = |e: aws_sdk_networkfirewall::error::BuildError| {
                    x.writes.error(
                        "network-firewall:UpdateLoggingConfiguration",
                        "Invalid",
                        e.to_string(),
                    )
                };
                configs.push(
                    LogDestinationConfig::builder()
                        .log_type(LogType::from(t.as_str()))
                        .log_destination_type(LogDestinationType::S3)
                        .log_destination("bucketName", bucket)
                        .build()
                        .map_err(invalid)?,
                );
                let logging = LoggingConfiguration::builder()
                    .set_log_destination_configs(Some(configs))
                    .build()
                    .map_err(invalid)?;
                x.writes
                    .call(
                        "network-firewall:UpdateLoggingConfiguration",
                        client
                            .update_logging_configuration()
                            .firewall_arn(&f.arn)
                            .logging_configuration(logging)
                            .send(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
