//! What the audit knows about one region's OpenSearch Service domains: each domain's log
//! publishing options and whether fine-grained access control (which audit logs need) is on.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every domain (`ListDomainNames`), each described (`DescribeDomains`, five at a time).
    pub domains: Collected<Vec<Domain>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            domains: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    /// Its description; a failed `DescribeDomains` leaves the domains of that batch `unknown`.
    pub details: Collected<DomainDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainDetails {
    pub arn: String,
    /// `OpenSearch_2.13`, `Elasticsearch_7.10`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine_version: Option<String>,
    /// Fine-grained access control (`AdvancedSecurityOptions.Enabled`): audit logs need it.
    pub fine_grained_access_control: bool,
    /// A configuration change is under way.
    #[serde(default)]
    pub processing: bool,
    /// The log types it publishes (AWS's names: `AUDIT_LOGS`, `ES_APPLICATION_LOGS`,
    /// `INDEX_SLOW_LOGS`, `SEARCH_SLOW_LOGS`) → the log group ARN, enabled ones only.
    pub published: BTreeMap<String, String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            domains: Collected::ok(vec![]),
        }
    }
}
