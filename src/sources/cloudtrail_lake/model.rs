//! What the audit knows about one region's CloudTrail Lake event data stores.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// The stores of the account in the region (`ListEventDataStores`), each described
    /// (`GetEventDataStore`: the list no longer returns status, retention or protection).
    pub stores: Collected<Vec<EventDataStore>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            stores: Collected::failed(e),
        }
    }
}

aws_enum! {
    /// Whether a store ingests events.
    pub enum StoreStatus {
        Created = "CREATED",
        Enabled = "ENABLED",
        PendingDeletion = "PENDING_DELETION",
        StartingIngestion = "STARTING_INGESTION",
        StoppingIngestion = "STOPPING_INGESTION",
        StoppedIngestion = "STOPPED_INGESTION",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDataStore {
    pub arn: String,
    pub name: String,
    /// Its description; a failed `GetEventDataStore` leaves only this store `unknown`.
    pub details: Collected<StoreDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreDetails {
    pub status: StoreStatus,
    pub organization: bool,
    pub multi_region: bool,
    /// Days events are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    pub termination_protection: bool,
    /// A customer managed key, when one encrypts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// When it was created (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Whether it holds management events (an advanced selector on the `Management` category;
    /// a store without selectors holds every management event).
    pub management_events: bool,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            stores: Collected::ok(vec![]),
        }
    }
}
