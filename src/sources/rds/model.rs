//! What the audit knows about one region's RDS databases: every DB instance and DB cluster,
//! its engine, state and the log types it exports to CloudWatch Logs.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every DB instance (`DescribeDBInstances`), members of a cluster included.
    pub instances: Collected<Vec<Database>>,
    /// Every DB cluster (`DescribeDBClusters`): Aurora, Multi-AZ DB clusters, and the
    /// DocumentDB and Neptune clusters the same API lists.
    pub clusters: Collected<Vec<Database>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            instances: Collected::failed(e),
            clusters: Collected::failed(e),
        }
    }
}

/// A DB instance or a DB cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Instance,
    Cluster,
}

impl Kind {
    /// The word AWS uses in log group names and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Instance => "instance",
            Kind::Cluster => "cluster",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Database {
    /// The DB instance or cluster identifier.
    pub id: String,
    pub arn: String,
    /// The engine (`postgres`, `aurora-mysql`, `sqlserver-se`, `docdb`...).
    pub engine: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    /// `available`, `stopped`, `modifying`...
    pub status: String,
    /// For an instance, the cluster it belongs to: its logs are the cluster's to export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// When it was created (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The log types it exports to CloudWatch Logs, sorted.
    pub log_exports: Vec<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            instances: Collected::ok(vec![]),
            clusters: Collected::ok(vec![]),
        }
    }
}
