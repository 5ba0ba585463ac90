//! What the audit knows about one region's Lambda functions: where each one's logs go and in
//! which format and levels.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every function (`ListFunctions`, every page), with its logging config.
    pub functions: Collected<Vec<Function>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            functions: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
    /// The log group it writes to: its logging config's, or AWS's default
    /// `/aws/lambda/<function>`.
    pub log_group: String,
    /// Whether `log_group` was set in its logging config (not AWS's default).
    #[serde(default)]
    pub custom_log_group: bool,
    /// `Text` or `JSON` (absent where the service did not say: AWS's default is Text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    /// With JSON logs: the least severe application and system records kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_log_level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_log_level: Option<String>,
}

/// AWS's log group for a function without a custom one.
pub fn default_log_group(function: &str) -> String {
    format!("/aws/lambda/{function}")
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            functions: Collected::ok(vec![]),
        }
    }
}
