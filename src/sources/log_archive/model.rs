//! What `plan` reads of the log archive: where it is (the account and region the profile names,
//! resolved) and its KMS key.

use crate::inventory::Collected;
use serde::{Deserialize, Serialize};

/// The log archive's plan-time reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanData {
    /// The log archive account (`log_archive.account`, resolved to its id; default: the
    /// management account) and region (`log_archive.region`; default: the caller's).
    pub account_id: String,
    pub region: String,
    /// The log archive key, by alias (or the ARN the profile names); `None`: it does not exist.
    pub key: Collected<Option<ManagedKey>>,
}

/// The log archive key as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedKey {
    pub arn: String,
    pub key_id: String,
    pub policy: Collected<Option<String>>,
    pub rotation_enabled: Collected<bool>,
}
