//! What the audit knows about one region's AWS Client VPN endpoints and their connection logs.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The endpoints (`DescribeClientVpnEndpoints`), those being deleted left out.
    pub endpoints: Collected<Vec<Endpoint>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            endpoints: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `pending-associate`, `available`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Connection logging is on (`ConnectionLogOptions.Enabled`).
    pub connection_logging: bool,
    /// The CloudWatch Logs group it writes to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_stream: Option<String>,
}

impl Endpoint {
    /// For messages: the id, and the description when there is one.
    pub fn label(&self) -> String {
        match self.description.as_deref().filter(|d| !d.is_empty()) {
            Some(d) => format!("Client VPN endpoint {} ({d})", self.id),
            None => format!("Client VPN endpoint {}", self.id),
        }
    }
}

#[cfg(test)]
impl RegionData {
    /// No endpoint, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            endpoints: Collected::ok(vec![]),
        }
    }
}
