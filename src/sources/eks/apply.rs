//! What apply does for EKS: enable control-plane log types on a cluster, keeping the types
//! already enabled.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use aws_sdk_eks::types::{LogSetup, LogType, Logging};
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// `log_types` enabled on `cluster`, with every type already enabled.
    EnableControlPlaneLogging {
        cluster: String,
        log_types: Vec<String>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnableControlPlaneLogging { .. } => "eks:UpdateClusterConfig",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnableControlPlaneLogging { cluster, log_types } = self;
        let client = crate::client!(aws_sdk_eks, x.session, x.region);
        // Re-read: the types enabled now are kept (the update names them all, enabled, so it
        // adds to the configuration whatever the service does with types it does not name),
        // and a run interrupted after the update finds nothing left to do.
        let described = x
            .reads
            .call(
                "eks:DescribeCluster",
                client.describe_cluster().name(cluster).send(),
            )
            .await?;
        let mut types: Vec<String> = described
            .cluster()
            .and_then(|c| c.logging())
            .map(|l| l.cluster_logging())
            .unwrap_or_default()
            .iter()
            .filter(|s| s.enabled() == Some(true))
            .flat_map(|s| s.types())
            .map(|t| t.as_str().to_string())
            .collect();
        if log_types.iter().all(|t| types.contains(t)) {
            return Ok(());
        }
        for t in log_types {
            if !types.contains(t) {
                types.push(t.clone());
            }
        }
        x.writes
            .call(
                "eks:UpdateClusterConfig",
                client
                    .update_cluster_config()
                    .name(cluster)
                    .logging(
                        Logging::builder()
                            .cluster_logging(
                                LogSetup::builder()
                                    .set_types(Some(
                                        types.iter().map(|t| LogType::from(t.as_str())).collect(),
                                    ))
                                    .enabled(true)
                                    .build(),
                            )
                            .build(),
                    )
                    .send(),
            )
            .await?;
        Ok(())
    }
}
