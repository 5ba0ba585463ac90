//! What the audit knows about one region's load balancers and their access-log attributes.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    pub load_balancers: Collected<Vec<LoadBalancer>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            load_balancers: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadBalancerKind {
    Application,
    Network,
    Gateway,
    Classic,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// ARN for ELBv2, name for a Classic Load Balancer.
    pub id: String,
    pub name: String,
    pub kind: LoadBalancerKind,
    pub access_logs_enabled: Collected<bool>,
    pub access_logs_bucket: Option<String>,
    /// The key prefix the logs are written under (`access_logs.s3.prefix`), when set.
    #[serde(default)]
    pub access_logs_prefix: Option<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            load_balancers: Collected::ok(vec![]),
        }
    }
}
