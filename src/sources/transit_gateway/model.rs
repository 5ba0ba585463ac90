//! What the audit knows about one region's transit gateways.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The transit gateways the account owns or that are shared with it
    /// (`DescribeTransitGateways`, every page).
    pub gateways: Collected<Vec<TransitGateway>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            gateways: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransitGateway {
    pub id: String,
    #[serde(default)]
    pub arn: String,
    /// The account that owns it (a gateway shared through AWS RAM is its owner's to log).
    pub owner_id: String,
    /// `available`, `pending`, `deleting`, `deleted`, `modifying`.
    pub state: String,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            gateways: Collected::ok(vec![]),
        }
    }
}
