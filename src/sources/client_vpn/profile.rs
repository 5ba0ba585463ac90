//! The `client_vpn_logging` section: every AWS Client VPN endpoint logs its client
//! connections, and the log group `apply` creates for the endpoints that log none.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientVpnLoggingBaseline {
    /// The CloudWatch Logs group `apply` creates in each account and region with an endpoint
    /// that logs no connections (kept log_group_retention's days); an endpoint that logs
    /// already keeps its own group.
    #[serde(default = "default_log_group")]
    pub log_group: String,
}

fn default_log_group() -> String {
    "/aws/client-vpn/logwarden".into()
}

impl Default for ClientVpnLoggingBaseline {
    fn default() -> Self {
        ClientVpnLoggingBaseline {
            log_group: default_log_group(),
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.client_vpn_logging {
        Some(c)
            if c.log_group.is_empty()
                || c.log_group.len() > 512
                || !c
                    .log_group
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "_-/.#".contains(ch)) =>
        {
            Err(Issue::at(
                &["client_vpn_logging", "log_group"],
                format!("`{}` is not a log group name", c.log_group),
                "a CloudWatch Logs group name is 1 to 512 letters, digits and `_-/.#`, e.g. /aws/client-vpn/logwarden",
            ))
        }
        _ => Ok(()),
    }
}
