//! The `network_firewall_logging` section: the log types every AWS Network Firewall firewall
//! sends to a destination.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// A Network Firewall log type (AWS's names).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum LogType {
    /// The stateful rules' alerts (rules whose action is alert, drop or reject).
    Alert,
    /// Every flow the stateful engine forwards: the network's connection record.
    Flow,
    /// TLS inspection's errors and decisions (only a firewall with TLS inspection writes them).
    Tls,
}

impl LogType {
    pub fn as_str(self) -> &'static str {
        match self {
            LogType::Alert => "ALERT",
            LogType::Flow => "FLOW",
            LogType::Tls => "TLS",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkFirewallLoggingBaseline {
    /// The log types every firewall sends (default: ALERT and FLOW). `plan` adds the missing
    /// ones, delivering to the log archive bucket; it never removes a destination.
    #[serde(default = "default_log_types")]
    pub log_types: Vec<LogType>,
}

fn default_log_types() -> Vec<LogType> {
    vec![LogType::Alert, LogType::Flow]
}

impl Default for NetworkFirewallLoggingBaseline {
    fn default() -> Self {
        NetworkFirewallLoggingBaseline {
            log_types: default_log_types(),
        }
    }
}

impl NetworkFirewallLoggingBaseline {
    /// The wanted types a firewall logging `logged` lacks, in the profile's order.
    pub fn missing(&self, logged: &[&str]) -> Vec<LogType> {
        let mut out: Vec<LogType> = Vec::new();
        for t in &self.log_types {
            if !logged.contains(&t.as_str()) && !out.contains(t) {
                out.push(*t);
            }
        }
        out
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.network_firewall_logging {
        Some(n) if n.log_types.is_empty() => Err(Issue::at(
            &["network_firewall_logging", "log_types"],
            "`log_types` is empty: the section would ask nothing of any firewall",
            "name at least one type (ALERT, FLOW, TLS), or remove the `network_firewall_logging` section",
        )),
        _ => Ok(()),
    }
}
