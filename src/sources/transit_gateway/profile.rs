//! The `transit_gateway_flow_logs` section: every transit gateway an account owns has an
//! active flow log; `apply` delivers new ones to the log archive bucket.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitGatewayFlowLogsBaseline {
    /// The flow-log record format of the flow logs `apply` creates (`${version} ...`); empty:
    /// AWS's default transit gateway format.
    #[serde(default)]
    pub log_format: Option<String>,
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match b
        .transit_gateway_flow_logs
        .as_ref()
        .and_then(|t| t.log_format.as_deref())
    {
        Some(f) if !f.trim_start().starts_with("${") => Err(Issue::at(
            &["transit_gateway_flow_logs", "log_format"],
            format!("`{f}` is not a flow-log format"),
            "list fields as `${field}` separated by spaces (e.g. `${version} ${resource-type} ${account-id} ${tgw-id} ...`), or leave it out for AWS's default",
        )),
        _ => Ok(()),
    }
}
