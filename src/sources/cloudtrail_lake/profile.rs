//! The `cloudtrail_lake` section: what existing CloudTrail Lake event data stores must be.
//! (Lake is closed to new customers: no profile asks for a store to be created.)

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudTrailLakeBaseline {
    /// Every store has termination protection on (it cannot be deleted in one call).
    #[serde(default = "yes")]
    pub termination_protection: bool,
    /// Every store ingests (a store whose ingestion was stopped records nothing new).
    #[serde(default = "yes")]
    pub ingesting: bool,
}

fn yes() -> bool {
    true
}

impl Default for CloudTrailLakeBaseline {
    fn default() -> Self {
        CloudTrailLakeBaseline {
            termination_protection: true,
            ingesting: true,
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.cloudtrail_lake {
        Some(l) if !l.termination_protection && !l.ingesting => Err(Issue::at(
            &["cloudtrail_lake"],
            "the section asks nothing: termination_protection and ingesting are both false",
            "set one of them to true, or remove the `cloudtrail_lake` section",
        )),
        _ => Ok(()),
    }
}
