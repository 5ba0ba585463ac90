//! CloudWatch Logs log groups: every group of an account and region, as the audit reads them,
//! and a group by name, as `plan` reads it.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

/// An existing log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedLogGroup {
    pub arn: String,
    /// `None`: never expire.
    pub retention_days: Option<i32>,
}

/// What the audit reads in each account and region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every log group (`DescribeLogGroups`, all pages).
    pub groups: Collected<Vec<LogGroup>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            groups: Collected::failed(e),
        }
    }
}

/// One log group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    /// `None`: never expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<i32>,
    /// The KMS key that encrypts it (`None`: CloudWatch Logs' own encryption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// When it was created (RFC 3339): the earliest its logs can start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Its log class (`STANDARD`, `INFREQUENT_ACCESS`, `DELIVERY`); absent: not reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Deletion protection is on: CloudWatch Logs refuses every deletion operation on the group
    /// until someone turns it off (`deletionProtectionEnabled`; absent: off).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deletion_protection: bool,
}

impl LogGroup {
    /// A Delivery-class group: CloudWatch Logs keeps its events one day by design, on their way
    /// to S3 or Firehose (where they are kept), and its retention cannot be changed.
    pub fn passes_through(&self) -> bool {
        self.class.as_deref() == Some("DELIVERY")
    }
}

#[cfg(test)]
impl LogGroup {
    /// A group for tests: Standard class, CloudWatch Logs' own encryption, kept
    /// `retention_days` (`None`: never expire), created at `created` (RFC 3339) or when unknown.
    pub fn sample<'a>(
        name: &str,
        retention_days: Option<i32>,
        created: impl Into<Option<&'a str>>,
    ) -> LogGroup {
        LogGroup {
            name: name.to_string(),
            retention_days,
            kms_key_id: None,
            created: created.into().map(String::from),
            class: None,
            deletion_protection: false,
        }
    }
}

#[cfg(test)]
impl RegionData {
    pub fn empty() -> RegionData {
        RegionData {
            groups: Collected::ok(vec![]),
        }
    }
}
