//! What apply does for CloudFront: a standard logging v2 delivery to the log archive bucket for
//! each distribution that still has none (a distribution that gained one since the plan keeps
//! it: CloudWatch Logs refuses a second delivery of the same kind, and that answer is taken as
//! done).

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations (AWS: "Permissions
/// required to enable standard logging (v2)"): CloudFront's side of the delivery, and the log
/// delivery behind an S3 destination.
pub const IMPLIED: &[&str] = &[
    "cloudfront:AllowVendedLogDeliveryForResource",
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
];

/// A distribution to log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dist {
    pub id: String,
    pub arn: String,
}

/// The name of the delivery destination logwarden makes in each account (the archive bucket).
pub const DESTINATION: &str = "logwarden-cloudfront-archive";

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    DeliverToArchive {
        distributions: Vec<Dist>,
        bucket: String,
        /// The key prefix in the bucket (`AWSLogs/ACCOUNT/CloudFront/`).
        suffix: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::DeliverToArchive { .. } => "logs:CreateDelivery",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        use aws_sdk_cloudwatchlogs::types::{
            DeliveryDestinationConfiguration, S3DeliveryConfiguration,
        };
        let Op::DeliverToArchive {
            distributions,
            bucket,
            suffix,
        } = self;
        let logs = crate::client!(aws_sdk_cloudwatchlogs, x.session, x.region);
        let invalid = |action: &str, e: aws_sdk_cloudwatchlogs::error::BuildError| {
            x.writes.error(action, "Invalid", e.to_string())
        };
        let config = DeliveryDestinationConfiguration::builder()
            .destination_resource_arn(crate::arn::Partition(x.partition).s3_bucket(bucket))
            .build()
            .map_err(|e| invalid("logs:PutDeliveryDestination", e))?;
        let destination = x
            .writes
            .call(
                "logs:PutDeliveryDestination",
                logs.put_delivery_destination()
                    .name(DESTINATION)
                    .delivery_destination_configuration(config)
                    .send(),
            )
            .await?;
        let destination_arn = destination
            .delivery_destination()
            .and_then(|d| d.arn())
            .ok_or_else(|| {
                x.writes.error(
                    "logs:PutDeliveryDestination",
                    "Empty",
                    "no delivery destination ARN in the answer",
                )
            })?
            .to_string();
        for d in distributions {
            let source = format!("logwarden-cf-{}", d.id);
            x.writes
                .call(
                    "logs:PutDeliverySource",
                    logs.put_delivery_source()
                        .name(&source)
                        .resource_arn(&d.arn)
                        .log_type("ACCESS_LOGS")
                        .send(),
                )
                .await?;
            let made = x
                .writes
                .call_opt(
                    "logs:CreateDelivery",
                    &["ConflictException"],
                    logs.create_delivery()
                        .delivery_source_name(&source)
                        .delivery_destination_arn(&destination_arn)
                        .s3_delivery_configuration(
                            S3DeliveryConfiguration::builder()
                                .suffix_path(suffix)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            if made.is_none() {
                tracing::info!("{}: a delivery of that kind exists already; kept", d.id);
            }
        }
        Ok(())
    }
}
