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
    /// Whether the named protection plan runs on this detector (see [`runs`]).
    pub fn feature_enabled(&self, name: &str) -> bool {
        let on: Vec<&str> = self
            .features
            .iter()
            .filter(|f| f.status == Status::Enabled)
            .map(|f| f.name.as_str())
            .collect();
        runs(&on, name)
    }
}

/// The pair of plans AWS refuses in one request: Runtime Monitoring includes EKS Runtime
/// Monitoring.
const RUNTIME_PAIR: [&str; 2] = ["EKS_RUNTIME_MONITORING", "RUNTIME_MONITORING"];

/// Whether a detector whose enabled plans are `enabled` runs the plan `name`: Runtime
/// Monitoring includes EKS Runtime Monitoring, so it answers for it.
pub fn runs(enabled: &[&str], name: &str) -> bool {
    enabled.contains(&name) || (name == RUNTIME_PAIR[0] && enabled.contains(&RUNTIME_PAIR[1]))
}

/// The protection plans an `UpdateDetector` request names (plan, enabled): each of `todo`
/// enabled, and each plan the detector lists (`current`) sent back as it is, so nothing is
/// turned off whether the service merges the list (AWS) or replaces it (some emulators). Left
/// out: the names GetDetector reports but a request cannot carry (`CLOUD_TRAIL`, `DNS_LOGS`,
/// `FLOW_LOGS`: always on), and, since AWS refuses EKS Runtime Monitoring and Runtime
/// Monitoring in one request, the one of that pair that is neither being enabled nor running
/// (Runtime Monitoring when both run).
pub fn update_request(current: &[(String, bool)], todo: &[String]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = current
        .iter()
        .filter(|(n, _)| super::profile::FEATURES.contains(&n.as_str()) && !todo.contains(n))
        .cloned()
        .collect();
    out.extend(todo.iter().map(|t| (t.clone(), true)));
    if RUNTIME_PAIR
        .iter()
        .all(|p| out.iter().any(|(n, _)| n.as_str() == *p))
    {
        let on = |p: &str| out.iter().any(|(n, e)| n.as_str() == p && *e);
        let keep = if on(RUNTIME_PAIR[1]) || !on(RUNTIME_PAIR[0]) {
            RUNTIME_PAIR[1]
        } else {
            RUNTIME_PAIR[0]
        };
        out.retain(|(n, _)| !RUNTIME_PAIR.contains(&n.as_str()) || n.as_str() == keep);
    }
    out
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
