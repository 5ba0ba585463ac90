//! What the audit knows about an account's Security Lake: the data lakes it holds (in the
//! delegated administrator's account) and, there, which sources each account and region sends.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// The data lakes this account holds in its enabled regions (`ListDataLakes`).
    pub lakes: Collected<Vec<DataLake>>,
    /// Where it holds lakes: the sources each account and region sends (`ListLogSources`);
    /// `None` where it holds none (not read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Collected<Vec<AccountSources>>>,
}

impl Fallible for AccountData {
    fn failed(e: &CallError) -> Self {
        AccountData {
            lakes: Collected::failed(e),
            sources: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataLake {
    pub arn: String,
    pub region: String,
    /// The bucket the lake writes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket_arn: Option<String>,
    /// The KMS key it encrypts with (`S3_MANAGED_KEY` or a key id/ARN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key: Option<String>,
    /// Objects expire after this many days; `None`: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_days: Option<i32>,
    /// The regions it replicates to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replication_regions: Vec<String>,
    /// `COMPLETED`, `PENDING`, `INITIALIZED`, `FAILED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// The sources one account sends in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSources {
    pub account: String,
    pub region: String,
    /// AWS sources (`CLOUD_TRAIL_MGMT`, `VPC_FLOW`, `ROUTE53`, `SH_FINDINGS`, `LAMBDA_EXECUTION`,
    /// `S3_DATA`, `EKS_AUDIT`, `WAF`), sorted.
    pub sources: Vec<String>,
    /// Custom sources by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom: Vec<String>,
}

#[cfg(test)]
impl AccountData {
    /// No lake, every read successful.
    pub fn empty() -> AccountData {
        AccountData {
            lakes: Collected::ok(vec![]),
            sources: None,
        }
    }
}
