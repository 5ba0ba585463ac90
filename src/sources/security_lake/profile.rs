//! The `security_lake` section: where a Security Lake data lake exists, what it must collect
//! and how long it must keep it. Security Lake is never required.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// An AWS source Security Lake collects (AWS's names).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LakeSource {
    CloudTrailMgmt,
    VpcFlow,
    Route53,
    ShFindings,
    LambdaExecution,
    S3Data,
    EksAudit,
    Waf,
}

impl LakeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LakeSource::CloudTrailMgmt => "CLOUD_TRAIL_MGMT",
            LakeSource::VpcFlow => "VPC_FLOW",
            LakeSource::Route53 => "ROUTE53",
            LakeSource::ShFindings => "SH_FINDINGS",
            LakeSource::LambdaExecution => "LAMBDA_EXECUTION",
            LakeSource::S3Data => "S3_DATA",
            LakeSource::EksAudit => "EKS_AUDIT",
            LakeSource::Waf => "WAF",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityLakeBaseline {
    /// The sources every region of a data lake collects from every account in scope (default:
    /// CLOUD_TRAIL_MGMT, VPC_FLOW, ROUTE53, SH_FINDINGS).
    #[serde(default = "default_sources")]
    pub sources: Vec<LakeSource>,
    /// A data lake keeps its objects at least this many days (default 365; a lake that never
    /// expires passes).
    #[serde(default = "default_days")]
    pub min_retention_days: u32,
}

fn default_sources() -> Vec<LakeSource> {
    vec![
        LakeSource::CloudTrailMgmt,
        LakeSource::VpcFlow,
        LakeSource::Route53,
        LakeSource::ShFindings,
    ]
}

fn default_days() -> u32 {
    365
}

impl Default for SecurityLakeBaseline {
    fn default() -> Self {
        SecurityLakeBaseline {
            sources: default_sources(),
            min_retention_days: default_days(),
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.security_lake {
        Some(s) if s.min_retention_days == 0 => Err(Issue::at(
            &["security_lake", "min_retention_days"],
            "`min_retention_days` is 0: every lake would pass",
            "give the days a lake keeps its objects at least (e.g. 365), or remove the `security_lake` section",
        )),
        _ => Ok(()),
    }
}
