//! What the audit knows about one region's AWS WAF web ACLs and their logging configurations.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The web ACLs (`ListWebACLs`: REGIONAL, and CLOUDFRONT in us-east-1).
    pub web_acls: Collected<Vec<WebAcl>>,
    /// The logging configurations of the same scopes (`ListLoggingConfigurations`).
    pub logging: Collected<Vec<LoggingConfig>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            web_acls: Collected::failed(e),
            logging: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    pub name: String,
    pub id: String,
    pub arn: String,
    /// `REGIONAL` or `CLOUDFRONT`.
    pub scope: String,
}

impl WebAcl {
    /// Whether AWS Firewall Manager made it (it names its ACLs `FMManagedWebACL...`): its
    /// logging is set in the Firewall Manager policy, not on the ACL.
    pub fn managed_by_firewall_manager(&self) -> bool {
        self.name.starts_with("FMManagedWebACL")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggingConfig {
    pub resource_arn: String,
    /// Where the logs land: an S3 bucket, a log group or a Firehose stream (ARNs).
    pub destinations: Vec<String>,
    /// The request parts replaced by `REDACTED` in the logs (`SingleHeader authorization`...).
    #[serde(default)]
    pub redacted_fields: Vec<String>,
    #[serde(default)]
    pub managed_by_firewall_manager: bool,
    /// Which requests are logged; `None`: every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<LogFilter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogFilter {
    /// Whether a request no filter matches is kept (logged).
    pub default_keep: bool,
    pub filters: Vec<FilterRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterRule {
    /// Keep (log) or drop the requests it matches.
    pub keep: bool,
    /// `MEETS_ALL` (every condition) rather than `MEETS_ANY`.
    pub meets_all: bool,
    /// The rule actions its conditions name (`ALLOW`, `BLOCK`, `COUNT`...).
    pub actions: Vec<String>,
    /// The labels its conditions name.
    pub labels: Vec<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            web_acls: Collected::ok(vec![]),
            logging: Collected::ok(vec![]),
        }
    }
}
