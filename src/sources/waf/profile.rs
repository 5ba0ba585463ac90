//! The `waf_logging` section: every AWS WAF web ACL logs its requests, and the log group
//! `apply` creates for the ACLs that log nothing.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WafLoggingBaseline {
    /// The CloudWatch Logs group `apply` creates in each account and region with a web ACL that
    /// logs nothing (AWS requires the `aws-waf-logs-` prefix), kept log_group_retention's days.
    #[serde(default = "default_log_group")]
    pub log_group: String,
}

fn default_log_group() -> String {
    "aws-waf-logs-logwarden".into()
}

impl Default for WafLoggingBaseline {
    fn default() -> Self {
        WafLoggingBaseline {
            log_group: default_log_group(),
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.waf_logging {
        Some(w)
            if !w.log_group.starts_with("aws-waf-logs-")
                || w.log_group.len() > 512
                || !w
                    .log_group
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-/.#".contains(c)) =>
        {
            Err(Issue::at(
                &["waf_logging", "log_group"],
                format!("`{}` cannot receive WAF logs", w.log_group),
                "AWS WAF delivers only to log groups named `aws-waf-logs-...` (letters, digits, `_-/.#`)",
            ))
        }
        _ => Ok(()),
    }
}
