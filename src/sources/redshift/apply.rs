//! What apply does for Amazon Redshift: audit logging on, to CloudWatch Logs, for each cluster
//! that still writes none, or the missing log types added to a cluster that already writes to
//! CloudWatch Logs. A cluster that started writing to S3 since the plan keeps its bucket, and
//! log types already exported are kept: nothing is replaced or narrowed.

use crate::aws::apply::Apply;
use crate::aws::CallCtx;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnableAuditLogging {
        clusters: Vec<String>,
        log_exports: Vec<String>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnableAuditLogging { .. } => "redshift:EnableLogging",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnableAuditLogging {
            clusters,
            log_exports,
        } = self;
        let client = crate::client!(aws_sdk_redshift, x.session, x.region);
        for c in clusters {
            enable(&client, &x.reads, &x.writes, c, log_exports).await?;
        }
        Ok(())
    }
}

/// Audit logging to CloudWatch Logs with at least `log_exports` for `cluster`, after reading its
/// logging again: one writing to S3 is left as it is, one writing to CloudWatch Logs keeps the
/// types it exports and gains the missing ones, and nothing is called when none is missing.
pub async fn enable(
    client: &aws_sdk_redshift::Client,
    reads: &CallCtx,
    writes: &CallCtx,
    cluster: &str,
    log_exports: &[String],
) -> Result<(), CallError> {
    use aws_sdk_redshift::types::LogDestinationType;
    let now = reads
        .call(
            "redshift:DescribeLoggingStatus",
            client
                .describe_logging_status()
                .cluster_identifier(cluster)
                .send(),
        )
        .await?;
    let on = now.logging_enabled().unwrap_or(false);
    let to_cloudwatch = now.log_destination_type() == Some(&LogDestinationType::Cloudwatch);
    if on && !to_cloudwatch {
        return Ok(());
    }
    let mut exports: Vec<String> = if on {
        now.log_exports().to_vec()
    } else {
        vec![]
    };
    let before = exports.len();
    for t in log_exports {
        if !exports.contains(t) {
            exports.push(t.clone());
        }
    }
    if on && exports.len() == before {
        return Ok(());
    }
    writes
        .call(
            "redshift:EnableLogging",
            client
                .enable_logging()
                .cluster_identifier(cluster)
                .log_destination_type(LogDestinationType::Cloudwatch)
                .set_log_exports(Some(exports))
                .send(),
        )
        .await?;
    Ok(())
}
