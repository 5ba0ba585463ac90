//! The `config` section: recorders, delivery channels, global resource types recorded once,
//! and the organization aggregator.

use crate::profile::{check_region, Issue};
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigBaseline {
    /// A recording recorder of all supported resources in every region.
    #[serde(default = "crate::profile::yes")]
    pub recorder: bool,
    #[serde(default = "crate::profile::yes")]
    pub delivery_channel: bool,
    /// Global resource types (IAM) recorded in exactly one region; name it to require that one.
    #[serde(default = "crate::profile::yes")]
    pub global_resources_once: bool,
    #[serde(default)]
    pub global_resources_region: Option<String>,
    /// Every resource type recorded as it changes, not once a day (`recordingMode`): daily
    /// recording loses a change made and undone within the day.
    #[serde(default = "crate::profile::yes")]
    pub continuous_recording: bool,
    /// An organization-wide aggregator in the management or delegated administrator account.
    #[serde(default = "crate::profile::yes")]
    pub organization_aggregator: bool,
    /// Name of the aggregator `apply` creates in the management account.
    #[serde(default = "default_aggregator")]
    pub aggregator_name: String,
}

impl Default for ConfigBaseline {
    fn default() -> Self {
        ConfigBaseline {
            recorder: true,
            delivery_channel: true,
            global_resources_once: true,
            global_resources_region: None,
            continuous_recording: true,
            organization_aggregator: true,
            aggregator_name: default_aggregator(),
        }
    }
}
fn default_aggregator() -> String {
    "logwarden-organization".into()
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    if let Some(r) = &b.config.global_resources_region {
        check_region(r, &["config", "global_resources_region"])?;
    }
    Ok(())
}
