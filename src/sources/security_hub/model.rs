//! What the audit knows about Security Hub in one account and region: the hub, when enabled.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The hub; `None`: Security Hub is not enabled here.
    pub hub: Collected<Option<Hub>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            hub: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hub {
    pub arn: String,
    /// When Security Hub was enabled (ISO 8601).
    pub subscribed_at: Option<String>,
    /// Whether controls added to enabled standards are turned on by themselves.
    pub auto_enable_controls: Option<bool>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            hub: Collected::ok(None),
        }
    }
}
