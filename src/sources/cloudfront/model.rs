//! What the audit knows about one account's CloudFront distributions and where their access
//! logs go (CloudFront is global: read once per account, in us-east-1).

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// Every distribution (`ListDistributions`).
    pub distributions: Collected<Vec<Distribution>>,
    /// The standard logging v2 deliveries of the account's CloudFront distributions
    /// (`DescribeDeliverySources`, `DescribeDeliveries`, `DescribeDeliveryDestinations`).
    pub deliveries: Collected<Vec<V2Delivery>>,
}

impl Fallible for AccountData {
    fn failed(e: &CallError) -> Self {
        AccountData {
            distributions: Collected::failed(e),
            deliveries: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub id: String,
    pub arn: String,
    pub domain_name: String,
    pub enabled: bool,
    /// The real-time log configurations its cache behaviours use (ARNs).
    #[serde(default)]
    pub realtime_log_configs: Vec<String>,
    /// Standard logging (legacy), from `GetDistributionConfig`; `None` when not read because a
    /// v2 delivery already logs the distribution (the fewest calls that answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<Collected<LegacyLogging>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegacyLogging {
    pub enabled: bool,
    /// `BUCKET.s3.amazonaws.com`.
    pub bucket: String,
    pub prefix: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct V2Delivery {
    /// The distribution's ARN (the delivery source's resource).
    pub distribution_arn: String,
    /// `S3`, `CWL` or `FH`.
    pub destination_type: String,
    /// The bucket, log group or Firehose stream (ARN).
    pub destination: String,
}

impl V2Delivery {
    /// Where the logs land, for people.
    pub fn describe(&self) -> String {
        match self.destination_type.as_str() {
            "S3" => format!("S3 {}", self.destination),
            "CWL" => format!("log group {}", self.destination),
            "FH" => format!("Firehose stream {}", self.destination),
            _ => self.destination.clone(),
        }
    }
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData {
            distributions: Collected::ok(vec![]),
            deliveries: Collected::ok(vec![]),
        }
    }
}
