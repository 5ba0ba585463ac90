//! What the audit knows about one region's VPCs and their flow logs.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    pub vpcs: Collected<Vec<Vpc>>,
    pub flow_logs: Collected<Vec<FlowLog>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            vpcs: Collected::failed(e),
            flow_logs: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub is_default: bool,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tags: std::collections::BTreeMap<String, String>,
    /// The account that owns it (`OwnerId`; absent in older inventories: the account that
    /// listed it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
}

impl Vpc {
    /// The account that owns the VPC when that is not `account`: a VPC whose subnets another
    /// account of the organization shares with it through AWS RAM. Only the owner can see or
    /// make the VPC's flow logs and its DNS query logging, so the VPC is judged there.
    pub fn shared_by(&self, account: &str) -> Option<&str> {
        self.owner_id.as_deref().filter(|o| *o != account)
    }
}

aws_enum! {
    /// The traffic a flow log captures.
    pub enum FlowTraffic {
        All = "ALL",
        Accept = "ACCEPT",
        Reject = "REJECT",
    }
}

aws_enum! {
    /// Whether a flow log is on (`ACTIVE` is the only status that logs).
    pub enum FlowLogStatus {
        Active = "ACTIVE",
    }
}

aws_enum! {
    /// The last delivery of a flow log.
    pub enum DeliveryStatus {
        Success = "SUCCESS",
        Failed = "FAILED",
    }
}

aws_enum! {
    /// Where a flow log delivers.
    pub enum DestinationType {
        S3 = "s3",
        CloudWatchLogs = "cloud-watch-logs",
        Firehose = "kinesis-data-firehose",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub id: String,
    pub resource_id: String,
    pub traffic_type: Option<FlowTraffic>,
    pub flow_log_status: Option<FlowLogStatus>,
    pub deliver_logs_status: Option<DeliveryStatus>,
    pub destination_type: Option<DestinationType>,
    pub destination: Option<String>,
    /// The record format (`${version} ${account-id} ...`), when AWS returned one.
    #[serde(default)]
    pub log_format: Option<String>,
    /// S3 delivery: `plain-text` or `parquet` (AWS's default: plain text).
    #[serde(default)]
    pub file_format: Option<String>,
    /// S3 delivery: Hive-compatible key prefixes (`aws-account-id=.../year=...`).
    #[serde(default)]
    pub hive_compatible: bool,
    /// S3 delivery: one folder per hour (`.../dd/HH/`).
    #[serde(default)]
    pub per_hour: bool,
    /// When it was created (RFC 3339): the earliest its records can start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            vpcs: Collected::ok(vec![]),
            flow_logs: Collected::ok(vec![]),
        }
    }
}
