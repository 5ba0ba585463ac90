//! What the audit knows about GuardDuty in one account and region: the detector (at most one
//! per account and region), its protection plans, the administrator account that manages it,
//! and (read in the management account only) the organization's delegated administrators.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The account's detectors in the region (AWS allows one).
    pub detectors: Collected<Vec<Detector>>,
    /// The delegated GuardDuty administrators of the organization in this region: read in the
    /// management account only (`None` elsewhere).
    #[serde(default)]
    pub admin_accounts: Option<Collected<Vec<AdminAccount>>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            detectors: Collected::failed(e),
            admin_accounts: Some(Collected::failed(e)),
        }
    }
}

aws_enum! {
    /// Whether a detector (or one of its protection plans) is on.
    pub enum Status {
        Enabled = "ENABLED",
        Disabled = "DISABLED",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detector {
    pub id: String,
    pub status: Status,
    /// When it was created (ISO 8601), the start of the findings it can show.
    pub created_at: Option<String>,
    /// How often updated findings are exported (`FIFTEEN_MINUTES`, `ONE_HOUR`, `SIX_HOURS`).
    pub finding_publishing_frequency: Option<String>,
    /// Protection plans by name (`S3_DATA_EVENTS`, `EKS_AUDIT_LOGS`, `RUNTIME_MONITORING`...).
    pub features: Vec<Feature>,
    /// The administrator account that manages this detector (an organization's delegated
    /// administrator, or an inviting account); `None`: the account manages itself.
    pub administrator: Collected<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    pub name: String,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminAccount {
    pub account_id: String,
    /// `ENABLED` or `DISABLE_IN_PROGRESS`.
    pub status: String,
}

impl Detector {
    /// Whether the named protection plan is enabled.
    pub fn feature_enabled(&self, name: &str) -> bool {
        self.features
            .iter()
            .any(|f| f.name == name && f.status == Status::Enabled)
    }
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            detectors: Collected::ok(vec![]),
            admin_accounts: Some(Collected::ok(vec![])),
        }
    }
}
