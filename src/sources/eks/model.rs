//! What the audit knows about one region's EKS clusters: each cluster's status and which
//! control-plane log types it sends to CloudWatch Logs.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every cluster (`ListClusters`), each described (`DescribeCluster`).
    pub clusters: Collected<Vec<Cluster>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            clusters: Collected::failed(e),
        }
    }
}

aws_enum! {
    /// A cluster's lifecycle state (only an `ACTIVE` cluster accepts a configuration change).
    pub enum ClusterStatus {
        Creating = "CREATING",
        Active = "ACTIVE",
        Deleting = "DELETING",
        Failed = "FAILED",
        Updating = "UPDATING",
        Pending = "PENDING",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub name: String,
    /// Its description; a failed `DescribeCluster` leaves this one cluster `unknown`.
    pub details: Collected<ClusterDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterDetails {
    pub arn: String,
    pub status: ClusterStatus,
    /// The Kubernetes version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When it was created (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The control-plane log types it sends (`api`, `audit`, `authenticator`,
    /// `controllerManager`, `scheduler`; AWS may add more), sorted.
    pub enabled_log_types: Vec<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            clusters: Collected::ok(vec![]),
        }
    }
}
