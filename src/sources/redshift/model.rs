//! What the audit knows about one region's Amazon Redshift provisioned clusters: where each
//! writes its audit logs (connection, user and user activity logs) and whether its parameter
//! group records the queries themselves.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The provisioned clusters (`DescribeClusters`), those being deleted left out.
    pub clusters: Collected<Vec<Cluster>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            clusters: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: String,
    /// `available`, `paused`, `modifying`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The cluster's parameter group (a cluster has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_group: Option<String>,
    /// Whether the group's settings are applied (`in-sync`) or wait for a reboot
    /// (`pending-reboot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_status: Option<String>,
    /// Its audit logging (`DescribeLoggingStatus`).
    pub logging: Collected<LoggingStatus>,
    /// `enable_user_activity_logging` in its parameter group (`DescribeClusterParameters`,
    /// once per group); `None`: the group does not list it.
    pub user_activity_logging: Collected<Option<bool>>,
}

/// A cluster's audit logging, as `DescribeLoggingStatus` answers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LoggingStatus {
    pub enabled: bool,
    /// `s3` or `cloudwatch` (an older answer without it, naming a bucket, is S3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The log types sent to CloudWatch Logs (`connectionlog`, `userlog`, `useractivitylog`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_exports: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_delivery: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_message: Option<String>,
}

impl LoggingStatus {
    /// Whether it writes to CloudWatch Logs (else S3).
    pub fn to_cloudwatch(&self) -> bool {
        self.destination.as_deref() == Some("cloudwatch")
    }
}

#[cfg(test)]
impl RegionData {
    /// No cluster, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            clusters: Collected::ok(vec![]),
        }
    }
}
