//! The `guardduty` section: GuardDuty must be enabled in every account and region in scope,
//! with the protection plans it names, and (optionally) administered by a member account.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// The protection plans (detector features) GuardDuty accepts by name: every value of the
/// SDK's `DetectorFeature` (a test keeps the two lists equal).
pub const FEATURES: &[&str] = &[
    "S3_DATA_EVENTS",
    "EKS_AUDIT_LOGS",
    "EBS_MALWARE_PROTECTION",
    "RDS_LOGIN_EVENTS",
    "EKS_RUNTIME_MONITORING",
    "LAMBDA_NETWORK_LOGS",
    "RUNTIME_MONITORING",
    "AI_PROTECTION",
    "AI_ANALYST",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuardDutyBaseline {
    /// Protection plans that must be enabled on every detector (`S3_DATA_EVENTS`,
    /// `EKS_AUDIT_LOGS`, `EBS_MALWARE_PROTECTION`, `RDS_LOGIN_EVENTS`,
    /// `EKS_RUNTIME_MONITORING`, `LAMBDA_NETWORK_LOGS`, `RUNTIME_MONITORING`, `AI_PROTECTION`,
    /// `AI_ANALYST`).
    #[serde(default)]
    pub features: Vec<String>,
    /// A member account must be the organization's delegated GuardDuty administrator in every
    /// region (AWS recommends not the management account).
    #[serde(default = "yes")]
    pub delegated_admin: bool,
}

fn yes() -> bool {
    true
}

impl Default for GuardDutyBaseline {
    fn default() -> Self {
        GuardDutyBaseline {
            features: vec![],
            delegated_admin: true,
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    if let Some(g) = &b.guardduty {
        for f in &g.features {
            if !FEATURES.contains(&f.as_str()) {
                return Err(Issue::at(
                    &["guardduty", "features"],
                    format!("`{f}` is not a GuardDuty protection plan"),
                    format!("use one of {}", FEATURES.join(", ")),
                ));
            }
        }
        let both = ["EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING"]
            .iter()
            .all(|p| g.features.iter().any(|f| f == p));
        if both {
            return Err(Issue::at(
                &["guardduty", "features"],
                "EKS_RUNTIME_MONITORING and RUNTIME_MONITORING are both named: GuardDuty refuses the two together",
                "name RUNTIME_MONITORING alone: it includes EKS Runtime Monitoring",
            ));
        }
    }
    Ok(())
}
