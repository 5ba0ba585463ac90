//! What the audit knows about one region's Step Functions state machines: their type and how
//! they log their executions.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every state machine (`ListStateMachines`, every page), each with its logging
    /// configuration (`DescribeStateMachine`).
    pub state_machines: Collected<Vec<StateMachine>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            state_machines: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateMachine {
    pub name: String,
    pub arn: String,
    /// `STANDARD` or `EXPRESS`.
    pub kind: String,
    pub logging: Collected<Logging>,
}

impl StateMachine {
    /// An Express workflow keeps no execution history: its logs are its only record.
    pub fn express(&self) -> bool {
        self.kind == "EXPRESS"
    }
}

/// A state machine's `loggingConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Logging {
    /// `OFF`, `FATAL`, `ERROR` or `ALL`.
    pub level: String,
    #[serde(default)]
    pub include_execution_data: bool,
    /// The CloudWatch Logs groups it logs to (ARNs, as AWS gives them: `...:log-group:NAME:*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destinations: Vec<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            state_machines: Collected::ok(vec![]),
        }
    }
}
