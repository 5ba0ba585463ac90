//! The `cloudtrail` section (what every account and region must have recorded, and how trails
//! must be set) and the `organization_trail` section (the trail `apply` creates or completes).

use crate::profile::{check_log_retention, check_region, Issue};
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ManagementEvents {
    /// Read and write management events.
    All,
    /// Write (mutating) management events only.
    WriteOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Insight {
    ApiCallRate,
    ApiErrorRate,
}

impl Insight {
    pub fn aws_name(self) -> &'static str {
        match self {
            Insight::ApiCallRate => "ApiCallRateInsight",
            Insight::ApiErrorRate => "ApiErrorRateInsight",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudTrailBaseline {
    /// Management events every account and region must have recorded by a logging trail.
    #[serde(default = "default_management_events")]
    pub management_events: ManagementEvents,
    /// Management event sources the baseline tolerates a trail excluding (e.g. `kms.amazonaws.com`).
    #[serde(default)]
    pub allowed_excluded_event_sources: Vec<String>,
    #[serde(default = "crate::profile::yes")]
    pub log_file_validation: bool,
    #[serde(default = "crate::profile::yes")]
    pub kms_encryption: bool,
    #[serde(default = "crate::profile::yes")]
    pub kms_key_rotation: bool,
    #[serde(default = "crate::profile::yes")]
    pub cloudwatch_logs: bool,
    /// Insight types every trail must enable; empty means insights are not required.
    #[serde(default)]
    pub insights: Vec<Insight>,
    /// Object-level S3 events; `null` means not required.
    #[serde(default)]
    pub s3_data_events: Option<DataEventsBaseline>,
    /// Lambda invoke events; `null` means not required.
    #[serde(default)]
    pub lambda_data_events: Option<DataEventsBaseline>,
    /// Whether more than one logging trail may record management events in one place.
    #[serde(default)]
    pub allow_duplicate_management_events: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataEventsBaseline {
    /// `all` (every bucket or function, except the log buckets for S3), or a list of names.
    #[serde(default)]
    pub resources: ResourceSet,
    #[serde(default = "crate::profile::yes")]
    pub read: bool,
    #[serde(default = "crate::profile::yes")]
    pub write: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ResourceSet {
    #[default]
    #[serde(with = "all_keyword")]
    #[schemars(with = "AllKeyword")]
    All,
    Named(Vec<String>),
}

/// The keyword `all`, for the JSON Schema of [`ResourceSet::All`].
struct AllKeyword;

impl schemars::JsonSchema for AllKeyword {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AllKeyword".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"const": "all"})
    }
}

mod all_keyword {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("all")
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<(), D::Error> {
        let s = String::deserialize(d)?;
        if s == "all" {
            Ok(())
        } else {
            Err(D::Error::custom(format!(
                "expected `all` or a list of names, found `{s}`"
            )))
        }
    }
}

fn default_management_events() -> ManagementEvents {
    ManagementEvents::All
}

impl Default for CloudTrailBaseline {
    fn default() -> Self {
        CloudTrailBaseline {
            management_events: ManagementEvents::All,
            allowed_excluded_event_sources: vec![],
            log_file_validation: true,
            kms_encryption: true,
            kms_key_rotation: true,
            cloudwatch_logs: true,
            insights: vec![],
            s3_data_events: None,
            lambda_data_events: None,
            allow_duplicate_management_events: false,
        }
    }
}

/// The organization trail `apply` creates or completes in the management account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationTrailBaseline {
    #[serde(default = "default_trail_name")]
    pub name: String,
    /// The trail's home region; default: the log archive region.
    #[serde(default)]
    pub home_region: Option<String>,
    #[serde(default = "crate::profile::yes")]
    pub multi_region: bool,
    /// Record the events of global services (IAM, STS's global endpoint, CloudFront), which
    /// CloudTrail delivers in us-east-1 only; with `false`, `cloudtrail.coverage` fails
    /// us-east-1 unless another trail records them.
    #[serde(default = "crate::profile::yes")]
    pub include_global_service_events: bool,
    /// Key prefix inside the log archive bucket; default: none.
    #[serde(default)]
    pub s3_key_prefix: Option<String>,
    /// Delivery to CloudWatch Logs, used when `cloudtrail.cloudwatch_logs` is true.
    #[serde(default)]
    pub cloudwatch_logs: CloudWatchLogsDelivery,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudWatchLogsDelivery {
    #[serde(default = "default_log_group")]
    pub log_group: String,
    /// Retention of the log group; an existing longer retention (or none) is kept.
    #[serde(default = "default_retention")]
    pub retention_days: u32,
    /// The IAM role CloudTrail assumes to deliver to the log group.
    #[serde(default = "default_cwl_role")]
    pub role_name: String,
}

fn default_trail_name() -> String {
    "logwarden-organization-trail".into()
}

fn default_log_group() -> String {
    "/logwarden/organization-trail".into()
}

fn default_retention() -> u32 {
    365
}

fn default_cwl_role() -> String {
    "logwarden-cloudtrail-cloudwatch-logs".into()
}

impl Default for OrganizationTrailBaseline {
    fn default() -> Self {
        OrganizationTrailBaseline {
            name: default_trail_name(),
            home_region: None,
            multi_region: true,
            include_global_service_events: true,
            s3_key_prefix: None,
            cloudwatch_logs: CloudWatchLogsDelivery::default(),
        }
    }
}

impl Default for CloudWatchLogsDelivery {
    fn default() -> Self {
        CloudWatchLogsDelivery {
            log_group: default_log_group(),
            retention_days: default_retention(),
            role_name: default_cwl_role(),
        }
    }
}

/// The sections' contradictions and bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let cwl = &b.organization_trail.cloudwatch_logs;
    check_log_retention(
        cwl.retention_days,
        &["organization_trail", "cloudwatch_logs", "retention_days"],
    )?;
    if b.cloudtrail.cloudwatch_logs {
        crate::sources::cloudwatch_logs::profile::shorter_than_asked(
            b,
            cwl.retention_days,
            &["organization_trail", "cloudwatch_logs", "retention_days"],
        )?;
    }
    if let Some(r) = &b.organization_trail.home_region {
        check_region(r, &["organization_trail", "home_region"])?;
    }
    Ok(())
}
