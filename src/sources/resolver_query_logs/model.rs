//! What the audit knows about one region's Resolver query logging: the query-logging
//! configurations the account can use (its own and those shared with it through AWS RAM) and the
//! associations of its VPCs with them.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    pub configs: Collected<Vec<QueryLogConfig>>,
    pub associations: Collected<Vec<QueryLogAssociation>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            configs: Collected::failed(e),
            associations: Collected::failed(e),
        }
    }
}

aws_enum! {
    /// Whether a configuration can deliver.
    pub enum ConfigStatus {
        Creating = "CREATING",
        Created = "CREATED",
        Deleting = "DELETING",
        Failed = "FAILED",
    }
}

aws_enum! {
    /// Whether a configuration is the account's own or shared with it.
    pub enum ShareStatus {
        NotShared = "NOT_SHARED",
        SharedWithMe = "SHARED_WITH_ME",
        SharedByMe = "SHARED_BY_ME",
    }
}

aws_enum! {
    /// Whether an association logs (`ACTIVE` is the only status that does).
    pub enum AssociationStatus {
        Creating = "CREATING",
        Active = "ACTIVE",
        ActionNeeded = "ACTION_NEEDED",
        Deleting = "DELETING",
        Failed = "FAILED",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryLogConfig {
    pub id: String,
    pub name: String,
    /// The account that owns it (another account's when shared through AWS RAM).
    pub owner_id: String,
    pub status: ConfigStatus,
    pub share_status: ShareStatus,
    /// Where the logs land: an S3 bucket (with an optional prefix), a log group or a Firehose
    /// stream.
    pub destination_arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryLogAssociation {
    pub id: String,
    pub config_id: String,
    /// The VPC.
    pub resource_id: String,
    pub status: AssociationStatus,
    /// What is wrong when the status is not ACTIVE (`DESTINATION_NOT_FOUND`, `ACCESS_DENIED`...).
    pub error: Option<String>,
    pub error_message: Option<String>,
    /// When the association was made (ISO 8601).
    pub creation_time: Option<String>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            configs: Collected::ok(vec![]),
            associations: Collected::ok(vec![]),
        }
    }
}
