//! What the audit knows about AWS Config in one region: recorders and their status, delivery
//! channels, aggregators.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    pub recorders: Collected<Vec<ConfigRecorder>>,
    pub delivery_channels: Collected<Vec<String>>,
    pub aggregators: Collected<Vec<ConfigAggregator>>,
    /// How long Config keeps configuration history (`DescribeRetentionConfigurations`, read
    /// only where a recorder exists); `None`: no retention configuration, AWS's default of
    /// 2,557 days (7 years).
    #[serde(default = "crate::inventory::not_collected")]
    pub retention_days: Collected<Option<u32>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            recorders: Collected::failed(e),
            delivery_channels: Collected::failed(e),
            aggregators: Collected::failed(e),
            retention_days: Collected::failed(e),
        }
    }
}

/// What the audit reads of AWS Config account-wide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// The management account's aggregators in the regions `--regions` left out (an
    /// organization aggregator lives in one region, wherever it was made); `None` in other
    /// accounts and when no region was left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregators_left_out: Option<Collected<Vec<ConfigAggregator>>>,
}

impl Fallible for AccountData {
    fn failed(_: &CallError) -> Self {
        AccountData {
            aggregators_left_out: None,
        }
    }
}

aws_enum! {
    /// The last status of a recorder.
    pub enum RecorderStatus {
        Success = "Success",
        Failure = "Failure",
        Pending = "Pending",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub name: String,
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    /// The types a recorder recording by exclusion leaves out (`exclusionByResourceTypes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_types: Vec<String>,
    /// The only types a recorder recording selected types records (`resourceTypes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub included_types: Vec<String>,
    pub recording: Collected<bool>,
    pub last_status: Collected<Option<RecorderStatus>>,
    /// When it was last started (RFC 3339): its history is continuous since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_start_time: Option<String>,
    /// What it records once a day rather than as changes happen (`recordingMode`).
    #[serde(default, skip_serializing_if = "DailyRecording::is_none")]
    pub daily: DailyRecording,
}

/// A recorder's daily recording (`recordingMode`). Daily recording keeps one configuration
/// item per resource per day (the state at the end of the period, when it changed): a change
/// made and undone within the day leaves no trace in the history.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DailyRecording {
    /// Every type recorded as it changes (`CONTINUOUS`, AWS's default).
    #[default]
    None,
    /// The recorder's frequency is `DAILY` (per-type overrides aside).
    All,
    /// Continuous, but these types are overridden to `DAILY`.
    Types(Vec<String>),
}

impl DailyRecording {
    pub fn is_none(&self) -> bool {
        *self == DailyRecording::None
    }

    /// What a finding or a plan says of it; `None` when nothing is recorded daily.
    pub fn describe(&self) -> Option<String> {
        match self {
            DailyRecording::None => None,
            DailyRecording::Types(t) if t.is_empty() => None,
            DailyRecording::All => Some("records once a day, not as changes happen".into()),
            DailyRecording::Types(t) => Some(format!(
                "records {} resource type(s) once a day, not as they change ({})",
                t.len(),
                crate::inventory::first_few(t)
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigAggregator {
    pub name: String,
    pub arn: String,
    pub organization_wide: bool,
    pub all_regions: bool,
}

#[cfg(test)]
impl AccountData {
    /// Nothing read beyond the audited regions.
    pub fn empty() -> AccountData {
        AccountData {
            aggregators_left_out: None,
        }
    }
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            recorders: Collected::ok(vec![]),
            delivery_channels: Collected::ok(vec![]),
            aggregators: Collected::ok(vec![]),
            retention_days: Collected::ok(None),
        }
    }
}

/// What `plan` reads for the organization aggregator besides the audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanData {
    /// The role the aggregator assumes; `None`: no organization aggregator wanted.
    pub aggregator_role: Option<crate::sources::delivery_roles::model::ManagedRole>,
}
