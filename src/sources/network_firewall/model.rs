//! What the audit knows about one region's AWS Network Firewall firewalls and where each sends
//! its logs.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every firewall (`ListFirewalls`), each with its logging (`DescribeLoggingConfiguration`).
    pub firewalls: Collected<Vec<Firewall>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            firewalls: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Firewall {
    pub name: String,
    pub arn: String,
    /// Its log destinations; a failed `DescribeLoggingConfiguration` leaves this one firewall
    /// `unknown`.
    pub logging: Collected<Vec<LogDestination>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogDestination {
    /// `ALERT`, `FLOW` or `TLS`.
    pub log_type: String,
    /// `S3`, `CloudWatchLogs` or `KinesisDataFirehose`.
    pub destination_type: String,
    /// AWS's destination map: `bucketName` and `prefix`, `logGroup`, or `deliveryStream`.
    pub destination: BTreeMap<String, String>,
}

impl LogDestination {
    /// Where the logs land, for people.
    pub fn describe(&self) -> String {
        let get = |k: &str| self.destination.get(k).map(String::as_str).unwrap_or("?");
        match self.destination_type.as_str() {
            "S3" => match self.destination.get("prefix").filter(|p| !p.is_empty()) {
                Some(p) => format!("S3 bucket {}/{p}", get("bucketName")),
                None => format!("S3 bucket {}", get("bucketName")),
            },
            "CloudWatchLogs" => format!("log group {}", get("logGroup")),
            "KinesisDataFirehose" => format!("Firehose stream {}", get("deliveryStream")),
            other => format!("{other} destination"),
        }
    }
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            firewalls: Collected::ok(vec![]),
        }
    }
}
