//! What apply does to CloudWatch Logs: create log groups, set their retention and turn their
//! deletion protection on (never off).

use crate::aws::apply::Apply;
use crate::aws::CallCtx;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateLogGroup {
        name: String,
    },
    PutRetention {
        name: String,
        days: u32,
    },
    EnsureLogGroup {
        name: String,
        retention_days: u32,
    },
    /// Turn deletion protection on (apply never turns it off).
    ProtectFromDeletion {
        name: String,
    },
}

impl Op {
    /// A log group a source's plan makes for logs about to arrive: kept `floor` days (the
    /// profile's log_group_retention) when there is one, else as CloudWatch Logs makes it.
    pub fn group_at_floor(name: &str, floor: Option<u32>) -> Op {
        match floor {
            Some(days) => Op::EnsureLogGroup {
                name: name.to_string(),
                retention_days: days,
            },
            None => Op::CreateLogGroup {
                name: name.to_string(),
            },
        }
    }

    /// How long a group made by [`Op::group_at_floor`] keeps its logs, as a plan says it.
    pub fn kept_at_floor(floor: Option<u32>) -> String {
        match floor {
            Some(d) => format!("kept {d} days"),
            None => "never expires (the profile sets no log_group_retention)".into(),
        }
    }

    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::CreateLogGroup { .. } => "logs:CreateLogGroup",
            Op::PutRetention { .. } => "logs:PutRetentionPolicy",
            Op::EnsureLogGroup { .. } => "logs:CreateLogGroup",
            Op::ProtectFromDeletion { .. } => "logs:PutLogGroupDeletionProtection",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, _r, w, _p, _account, region) = (
            x.session,
            &x.reads,
            &x.writes,
            x.partition,
            x.account,
            x.region,
        );
        match self {
            Op::CreateLogGroup { name } => {
                w.call_opt(
                    "logs:CreateLogGroup",
                    &["ResourceAlreadyExistsException"],
                    crate::client!(aws_sdk_cloudwatchlogs, s, region)
                        .create_log_group()
                        .log_group_name(name)
                        .send(),
                )
                .await?;
            }
            Op::EnsureLogGroup {
                name,
                retention_days,
            } => {
                let created = w
                    .call_opt(
                        "logs:CreateLogGroup",
                        &["ResourceAlreadyExistsException"],
                        crate::client!(aws_sdk_cloudwatchlogs, s, region)
                            .create_log_group()
                            .log_group_name(name)
                            .send(),
                    )
                    .await?;
                if created.is_some() {
                    w.call(
                        "logs:PutRetentionPolicy",
                        crate::client!(aws_sdk_cloudwatchlogs, s, region)
                            .put_retention_policy()
                            .log_group_name(name)
                            .retention_in_days(*retention_days as i32)
                            .send(),
                    )
                    .await?;
                }
            }
            Op::ProtectFromDeletion { name } => {
                protect(&crate::client!(aws_sdk_cloudwatchlogs, s, region), w, name).await?;
            }
            Op::PutRetention { name, days } => {
                w.call(
                    "logs:PutRetentionPolicy",
                    crate::client!(aws_sdk_cloudwatchlogs, s, region)
                        .put_retention_policy()
                        .log_group_name(name)
                        .retention_in_days(*days as i32)
                        .send(),
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// Turn deletion protection on for the log group `name` (by name or ARN).
pub async fn protect(
    client: &aws_sdk_cloudwatchlogs::Client,
    w: &CallCtx,
    name: &str,
) -> Result<(), CallError> {
    w.call(
        "logs:PutLogGroupDeletionProtection",
        client
            .put_log_group_deletion_protection()
            .log_group_identifier(name)
            .deletion_protection_enabled(true)
            .send(),
    )
    .await?;
    Ok(())
}
