//! The `route53_query_logging` section: every Route 53 public hosted zone logs the DNS queries
//! it answers, and the log group `apply` creates for the zones that log nothing.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route53QueryLoggingBaseline {
    /// The CloudWatch Logs group (in us-east-1, where AWS requires it) `apply` creates in each
    /// account with public zones that log nothing, kept log_group_retention's days.
    #[serde(default = "default_log_group")]
    pub log_group: String,
}

fn default_log_group() -> String {
    "/aws/route53/logwarden-public-zones".into()
}

impl Default for Route53QueryLoggingBaseline {
    fn default() -> Self {
        Route53QueryLoggingBaseline {
            log_group: default_log_group(),
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.route53_query_logging {
        Some(r)
            if r.log_group.is_empty()
                || r.log_group.len() > 512
                || !r
                    .log_group
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-/.#".contains(c)) =>
        {
            Err(Issue::at(
                &["route53_query_logging", "log_group"],
                format!("`{}` is not a log group name", r.log_group),
                "use letters, digits and `_-/.#` (e.g. `/aws/route53/public-zones`)",
            ))
        }
        _ => Ok(()),
    }
}
