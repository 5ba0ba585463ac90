//! What the audit knows about one account's Route 53 public hosted zones and their query
//! logging configurations (Route 53 is global: read once per account).

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// The public hosted zones (`ListHostedZones`; private zones are left out).
    pub zones: Collected<Vec<HostedZone>>,
    /// Every query logging configuration of the account (`ListQueryLoggingConfigs`, all zones
    /// at once).
    pub configs: Collected<Vec<QueryLoggingConfig>>,
}

impl Fallible for AccountData {
    fn failed(e: &CallError) -> Self {
        AccountData {
            zones: Collected::failed(e),
            configs: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HostedZone {
    /// The zone's id without `/hostedzone/` (`Z0123...`).
    pub id: String,
    /// Its domain, with the trailing dot (`example.com.`).
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryLoggingConfig {
    pub id: String,
    pub zone_id: String,
    /// The us-east-1 log group the queries land in.
    pub log_group_arn: String,
}

impl QueryLoggingConfig {
    /// The log group's name.
    pub fn log_group(&self) -> &str {
        self.log_group_arn
            .split_once(":log-group:")
            .map(|(_, n)| n.trim_end_matches(":*"))
            .unwrap_or(&self.log_group_arn)
    }
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData {
            zones: Collected::ok(vec![]),
            configs: Collected::ok(vec![]),
        }
    }
}
