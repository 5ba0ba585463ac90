//! The `vpc_flow_logs` section: which VPCs need flow logs, the traffic to capture, and where
//! `apply` sends new ones.

use crate::profile::{check_log_retention, Issue};
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Tags a VPC must carry to be in scope for flow logs (empty: every VPC).
pub type TagFilter = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum TrafficType {
    ALL,
    ACCEPT,
    REJECT,
}

impl TrafficType {
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficType::ALL => "ALL",
            TrafficType::ACCEPT => "ACCEPT",
            TrafficType::REJECT => "REJECT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowLogBaseline {
    /// The traffic the flow log must capture: `ALL` requires ALL; `REJECT` is met by REJECT or ALL.
    #[serde(default = "default_traffic")]
    pub traffic_type: TrafficType,
    /// Only VPCs carrying all these tags need flow logs; empty means every VPC.
    #[serde(default)]
    pub vpc_tags: TagFilter,
    /// Custom flow-log record format for new flow logs (`${version} ${account-id} ...`); default: AWS's.
    #[serde(default)]
    pub log_format: Option<String>,
    /// Where `apply` sends new flow logs: the log archive bucket, or CloudWatch Logs.
    #[serde(default)]
    pub destination: FlowLogDestination,
    /// The log group (in each account and region) and delivery role, for `destination: cloudwatch_logs`.
    #[serde(default)]
    pub cloudwatch_logs: FlowLogGroup,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FlowLogDestination {
    /// The central log-archive bucket.
    #[default]
    LogArchive,
    /// A log group in each account and region (queryable with Logs Insights; costlier).
    CloudwatchLogs,
}

fn default_traffic() -> TrafficType {
    TrafficType::ALL
}
/// The CloudWatch Logs destination of flow logs: one log group per account and region, and the
/// role the flow-log service assumes in each account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowLogGroup {
    #[serde(default = "default_flow_log_group")]
    pub log_group: String,
    /// Retention of a log group apply creates (an existing group keeps its own).
    #[serde(default = "default_retention")]
    pub retention_days: u32,
    #[serde(default = "default_flow_log_role")]
    pub role_name: String,
}

impl Default for FlowLogGroup {
    fn default() -> Self {
        FlowLogGroup {
            log_group: default_flow_log_group(),
            retention_days: default_retention(),
            role_name: default_flow_log_role(),
        }
    }
}

fn default_flow_log_group() -> String {
    "/logwarden/vpc-flow-logs".into()
}

fn default_flow_log_role() -> String {
    "logwarden-vpc-flow-logs".into()
}

fn default_retention() -> u32 {
    365
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    if let Some(fl) = &b.vpc_flow_logs {
        check_log_retention(
            fl.cloudwatch_logs.retention_days,
            &["vpc_flow_logs", "cloudwatch_logs", "retention_days"],
        )?;
        if fl.destination == FlowLogDestination::CloudwatchLogs {
            crate::sources::cloudwatch_logs::profile::shorter_than_asked(
                b,
                fl.cloudwatch_logs.retention_days,
                &["vpc_flow_logs", "cloudwatch_logs", "retention_days"],
            )?;
        }
    }
    Ok(())
}
