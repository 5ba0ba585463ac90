//! What apply does for AWS Client VPN: connection logging on for each endpoint that still logs
//! none, to the profile's log group (an endpoint that started logging since the plan keeps its
//! own group: nothing is replaced).

use crate::aws::apply::Apply;
use crate::aws::CallCtx;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnableConnectionLogging {
        endpoint_ids: Vec<String>,
        log_group: String,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnableConnectionLogging { .. } => "ec2:ModifyClientVpnEndpoint",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnableConnectionLogging {
            endpoint_ids,
            log_group,
        } = self;
        let client = crate::client!(aws_sdk_ec2, x.session, x.region);
        enable(&client, &x.reads, &x.writes, endpoint_ids, log_group).await
    }
}

/// Connection logging on, to `log_group`, for each of `endpoint_ids` that does not log already
/// (re-read first, in one call: an endpoint logging since the plan keeps its own group).
pub async fn enable(
    client: &aws_sdk_ec2::Client,
    reads: &CallCtx,
    writes: &CallCtx,
    endpoint_ids: &[String],
    log_group: &str,
) -> Result<(), CallError> {
    use aws_sdk_ec2::types::ConnectionLogOptions;
    let current = reads
        .call(
            "ec2:DescribeClientVpnEndpoints",
            client
                .describe_client_vpn_endpoints()
                .set_client_vpn_endpoint_ids(Some(endpoint_ids.to_vec()))
                .send(),
        )
        .await?;
    let logging: Vec<&str> = current
        .client_vpn_endpoints()
        .iter()
        .filter(|e| {
            e.connection_log_options()
                .and_then(|l| l.enabled())
                .unwrap_or(false)
        })
        .filter_map(|e| e.client_vpn_endpoint_id())
        .collect();
    for id in endpoint_ids {
        if logging.contains(&id.as_str()) {
            continue;
        }
        writes
            .call(
                "ec2:ModifyClientVpnEndpoint",
                client
                    .modify_client_vpn_endpoint()
                    .client_vpn_endpoint_id(id)
                    .connection_log_options(
                        ConnectionLogOptions::builder()
                            .enabled(true)
                            .cloudwatch_log_group(log_group)
                            .build(),
                    )
                    .send(),
            )
            .await?;
    }
    Ok(())
}
