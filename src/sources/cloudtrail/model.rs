//! What the audit knows about trails: each region's view (DescribeTrails with shadow trails),
//! and each trail's settings, status, event selectors and insights, read once in its home
//! region, with the KMS keys trails encrypt with.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

/// What one region shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// DescribeTrails with shadow trails: every trail visible here, owned or not.
    pub trails: Collected<Vec<TrailRef>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            trails: Collected::failed(e),
        }
    }
}

/// What is read once per account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// Trails this account owns (and organization trails whose owner is not audited), with the
    /// details read once in each trail's home region.
    pub trails: Vec<Trail>,
    /// KMS keys used by those trails, read once per key (through the key's own account).
    pub kms_keys: Vec<KmsKey>,
}

impl Fallible for AccountData {
    fn failed(_: &CallError) -> Self {
        AccountData {
            trails: vec![],
            kms_keys: vec![],
        }
    }
}

/// A trail as DescribeTrails shows it in one region (possibly a shadow of another region's trail,
/// or an organization trail owned by the management account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailRef {
    pub arn: String,
    pub name: String,
    pub home_region: String,
    pub is_multi_region: bool,
    pub is_organization_trail: bool,
}

impl TrailRef {
    /// The account that owns the trail, from its ARN.
    pub fn owner_account(&self) -> Option<&str> {
        crate::arn::account_of(&self.arn)
    }
}

/// A trail's settings, as DescribeTrails gives them (before status and selectors are read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailDescription {
    pub arn: String,
    pub name: String,
    pub home_region: String,
    pub is_multi_region: bool,
    pub is_organization_trail: bool,
    pub include_global_service_events: bool,
    pub log_file_validation_enabled: bool,
    pub kms_key_id: Option<String>,
    pub s3_bucket_name: Option<String>,
    pub s3_key_prefix: Option<String>,
    pub cloudwatch_logs_log_group_arn: Option<String>,
    pub cloudwatch_logs_role_arn: Option<String>,
    pub has_insight_selectors: bool,
}

impl TrailDescription {
    pub fn to_ref(&self) -> TrailRef {
        TrailRef {
            arn: self.arn.clone(),
            name: self.name.clone(),
            home_region: self.home_region.clone(),
            is_multi_region: self.is_multi_region,
            is_organization_trail: self.is_organization_trail,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub arn: String,
    pub name: String,
    pub home_region: String,
    pub is_multi_region: bool,
    pub is_organization_trail: bool,
    pub include_global_service_events: bool,
    pub log_file_validation_enabled: bool,
    pub kms_key_id: Option<String>,
    pub s3_bucket_name: Option<String>,
    pub s3_key_prefix: Option<String>,
    pub cloudwatch_logs_log_group_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloudwatch_logs_role_arn: Option<String>,
    pub has_insight_selectors: bool,
    pub status: Collected<TrailStatus>,
    pub selectors: Collected<EventSelectors>,
    /// Insight types enabled (`ApiCallRateInsight`, `ApiErrorRateInsight`).
    pub insights: Collected<Vec<String>>,
}

impl Trail {
    /// The key prefix the trail writes under in its bucket: `<prefix>/AWSLogs/` (the prefix's
    /// own slashes trimmed, as every other reader of trail logs does: [`crate::query::key_prefix`]).
    pub fn logs_prefix(&self) -> String {
        format!(
            "{}AWSLogs/",
            crate::query::key_prefix(self.s3_key_prefix.as_deref())
        )
    }

    /// The key prefix of `account`'s log files: `<prefix>/AWSLogs/<account>/`, or for an
    /// organization trail `<prefix>/AWSLogs/<organization id>/<account>/` (only
    /// `<prefix>/AWSLogs/` when the organization's id is not known).
    pub fn account_logs_prefix(&self, account: &str, org_id: Option<&str>) -> String {
        let base = self.logs_prefix();
        match (self.is_organization_trail, org_id) {
            (true, Some(o)) => format!("{base}{o}/{account}/"),
            (true, None) => base,
            (false, _) => format!("{base}{account}/"),
        }
    }

    /// A described trail with its status, selectors and insights.
    pub fn new(
        d: TrailDescription,
        status: Collected<TrailStatus>,
        selectors: Collected<EventSelectors>,
        insights: Collected<Vec<String>>,
    ) -> Trail {
        Trail {
            arn: d.arn,
            name: d.name,
            home_region: d.home_region,
            is_multi_region: d.is_multi_region,
            is_organization_trail: d.is_organization_trail,
            include_global_service_events: d.include_global_service_events,
            log_file_validation_enabled: d.log_file_validation_enabled,
            kms_key_id: d.kms_key_id,
            s3_bucket_name: d.s3_bucket_name,
            s3_key_prefix: d.s3_key_prefix,
            cloudwatch_logs_log_group_arn: d.cloudwatch_logs_log_group_arn,
            cloudwatch_logs_role_arn: d.cloudwatch_logs_role_arn,
            has_insight_selectors: d.has_insight_selectors,
            status,
            selectors,
            insights,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailStatus {
    pub is_logging: bool,
    pub latest_delivery_error: Option<String>,
    pub latest_cloudwatch_logs_delivery_error: Option<String>,
    pub latest_delivery_time: Option<String>,
    pub start_logging_time: Option<String>,
    /// When logs last reached the trail's CloudWatch Logs group (when it has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_cloudwatch_logs_delivery_time: Option<String>,
}

/// Event selectors exactly as configured: basic or advanced (a trail uses one kind).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventSelectors {
    pub basic: Vec<BasicSelector>,
    pub advanced: Vec<AdvancedSelector>,
}

aws_enum! {
    /// Which management and data events a basic selector records.
    pub enum ReadWriteType {
        All = "All",
        ReadOnly = "ReadOnly",
        WriteOnly = "WriteOnly",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasicSelector {
    pub read_write_type: ReadWriteType,
    pub include_management_events: bool,
    pub exclude_management_event_sources: Vec<String>,
    pub data_resources: Vec<DataResource>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataResource {
    /// `AWS::S3::Object`, `AWS::Lambda::Function`...
    pub resource_type: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvancedSelector {
    pub name: Option<String>,
    pub field_selectors: Vec<FieldSelector>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldSelector {
    /// `eventCategory`, `readOnly`, `resources.type`, `resources.ARN`, `eventSource`, `eventName`...
    pub field: String,
    pub equals: Vec<String>,
    pub starts_with: Vec<String>,
    pub ends_with: Vec<String>,
    pub not_equals: Vec<String>,
    pub not_starts_with: Vec<String>,
    pub not_ends_with: Vec<String>,
}

aws_enum! {
    /// Who manages a KMS key.
    pub enum KeyManager {
        Aws = "AWS",
        Customer = "CUSTOMER",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    /// The key id or ARN exactly as the trail names it.
    pub key_id: String,
    pub region: String,
    pub key_manager: Collected<KeyManager>,
    pub rotation_enabled: Collected<bool>,
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            trails: Collected::ok(vec![]),
        }
    }
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData {
            trails: vec![],
            kms_keys: vec![],
        }
    }
}

/// What `plan` reads for the organization trail besides the audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanData {
    /// The organization trail's home region (`organization_trail.home_region`; default: the
    /// log archive's region).
    pub trail_region: String,
    /// The trail's CloudWatch Logs group; `None`: not wanted.
    pub log_group:
        Option<Collected<Option<crate::sources::cloudwatch_logs::model::ManagedLogGroup>>>,
    /// The role CloudTrail assumes to deliver to it; `None`: not wanted.
    pub role: Option<crate::sources::delivery_roles::model::ManagedRole>,
}
