//! The collected inventory: a serde model of everything the collectors read from AWS.
//!
//! This is the seam between collection (`aws/`) and judgement (`rules/`). It holds no SDK
//! types, so a saved inventory (`--save-inventory`) can be re-judged later against any
//! baseline (`--from-inventory`) without calling AWS. Whatever could not be read is stored as
//! [`Collected::Failed`] with the reason, so the rules can answer `unknown` instead of guessing.

use serde::{Deserialize, Serialize};

/// Version of the inventory file format. Bumped on any incompatible change.
pub const INVENTORY_SCHEMA_VERSION: u32 = 1;

/// The result of one read: the value, or why it could not be had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Collected<T> {
    Ok { value: T },
    Failed { error: CallError },
}

impl<T> Collected<T> {
    pub fn ok(value: T) -> Self {
        Collected::Ok { value }
    }
    pub fn value(&self) -> Option<&T> {
        match self {
            Collected::Ok { value } => Some(value),
            Collected::Failed { .. } => None,
        }
    }
    pub fn error(&self) -> Option<&CallError> {
        match self {
            Collected::Ok { .. } => None,
            Collected::Failed { error } => Some(error),
        }
    }
    /// The value, or the error as the reason it is unknown.
    pub fn as_result(&self) -> Result<&T, &CallError> {
        match self {
            Collected::Ok { value } => Ok(value),
            Collected::Failed { error } => Err(error),
        }
    }
}

/// A failed AWS call, described well enough to fix: where, what, and which permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallError {
    pub account_id: String,
    /// `None` for global calls (Organizations, account-wide S3 listing, Budgets).
    pub region: Option<String>,
    pub service: String,
    pub operation: String,
    /// The AWS error code (`AccessDenied`, `Throttling`...) or a local kind (`Timeout`,
    /// `RegionNotEnabled`, `AssumeRoleFailed`, `Dispatch`).
    pub code: String,
    pub message: String,
    /// The IAM action the caller needs, e.g. `cloudtrail:DescribeTrails`.
    pub iam_action: String,
}

impl CallError {
    /// One line for people: "123456789012 us-east-1 cloudtrail:DescribeTrails: AccessDenied (...)".
    pub fn summary(&self) -> String {
        let region = self.region.as_deref().unwrap_or("global");
        format!(
            "{} {} {}: {}: {}",
            self.account_id, region, self.iam_action, self.code, self.message
        )
    }
}

/// How the audit reached its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScopeMode {
    /// The caller listed the organization and assumed a role into each account.
    Organization,
    /// The caller is not in an organization, or may not list it: only its own account.
    SingleAccount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub schema_version: u32,
    pub collected_at: String,
    pub partition: String,
    pub mode: ScopeMode,
    /// Why the audit fell back to single-account mode, when it did.
    pub mode_reason: Option<String>,
    pub caller_account_id: String,
    pub organization: Option<Organization>,
    pub regions: Vec<String>,
    pub accounts: Vec<AccountInventory>,
    /// What `plan` reads besides the audit: the resources the baseline names (absent for audits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed: Option<ManagedState>,
}

/// The resources `plan`/`apply` manage that the audit does not read, found by the names the
/// profile gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedState {
    /// The log archive account and region, resolved from the profile.
    pub archive_account_id: String,
    pub archive_region: String,
    /// The organization trail's home region.
    pub trail_region: String,
    /// Service principals with trusted access in the organization (management account only).
    pub trusted_access: Collected<Vec<String>>,
    /// The log archive key, by alias (or the ARN the profile names); `None`: it does not exist.
    pub archive_key: Collected<Option<ManagedKey>>,
    /// The organization trail's CloudWatch Logs group; `None` in the outer option: not needed.
    pub log_group: Option<Collected<Option<ManagedLogGroup>>>,
    /// IAM roles in the management account the baseline needs (delivery, aggregation).
    pub roles: Vec<ManagedRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedKey {
    pub arn: String,
    pub key_id: String,
    pub policy: Collected<Option<String>>,
    pub rotation_enabled: Collected<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedLogGroup {
    pub arn: String,
    /// `None`: never expire.
    pub retention_days: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedRole {
    pub name: String,
    /// The role's ARN, or `None` when it does not exist.
    pub arn: Collected<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub management_account_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountInventory {
    pub account_id: String,
    pub name: Option<String>,
    /// Failed when the role could not be assumed: then every read of the account is unknown.
    pub access: Collected<()>,
    /// Per region, in the order of the audit's regions.
    pub regions: Vec<RegionInventory>,
    /// Trails this account owns, with the details read once in each trail's home region.
    pub trails: Vec<Trail>,
    /// KMS keys used by trails this account owns, read once per key.
    pub kms_keys: Vec<KmsKey>,
    /// Buckets this account owns (ListBuckets is global).
    pub buckets: Collected<Vec<Bucket>>,
    /// Cost budgets (read in the management account, or the single account).
    pub budgets: Option<Collected<Vec<Budget>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionInventory {
    pub region: String,
    /// Failed (code `RegionNotEnabled`) when the region is not enabled for the account.
    pub enabled: Collected<()>,
    /// DescribeTrails with shadow trails: every trail visible here, owned or not.
    pub trails: Collected<Vec<TrailRef>>,
    pub config_recorders: Collected<Vec<ConfigRecorder>>,
    pub config_delivery_channels: Collected<Vec<String>>,
    pub config_aggregators: Collected<Vec<ConfigAggregator>>,
    pub vpcs: Collected<Vec<Vpc>>,
    pub flow_logs: Collected<Vec<FlowLog>>,
    pub load_balancers: Collected<Vec<LoadBalancer>>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailStatus {
    pub is_logging: bool,
    pub latest_delivery_error: Option<String>,
    pub latest_cloudwatch_logs_delivery_error: Option<String>,
    pub latest_delivery_time: Option<String>,
    pub start_logging_time: Option<String>,
}

/// Event selectors exactly as configured: basic or advanced (a trail uses one kind).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EventSelectors {
    pub basic: Vec<BasicSelector>,
    pub advanced: Vec<AdvancedSelector>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasicSelector {
    /// `All`, `ReadOnly` or `WriteOnly`.
    pub read_write_type: String,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    /// The key id or ARN exactly as the trail names it.
    pub key_id: String,
    pub region: String,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: Collected<String>,
    pub rotation_enabled: Collected<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub name: String,
    pub region: Collected<String>,
    /// Server access logging target, `None` when logging is off.
    pub logging: Collected<Option<BucketLoggingTarget>>,
    /// Read only for buckets a trail delivers to.
    pub trail_bucket: Option<TrailBucketDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketLoggingTarget {
    pub target_bucket: String,
    pub target_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailBucketDetails {
    pub versioning: Collected<Versioning>,
    pub public_access_block: Collected<Option<PublicAccessBlock>>,
    /// `Some(true)` when the bucket policy makes the bucket public.
    pub policy_is_public: Collected<Option<bool>>,
    /// The bucket policy document, `None` when there is none.
    pub policy: Collected<Option<String>>,
    pub lifecycle_rules: Collected<Vec<LifecycleRule>>,
    pub object_lock: Collected<Option<ObjectLock>>,
    /// Default encryption (read for the buckets `plan` manages; absent in older inventories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Collected<Option<BucketEncryption>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketEncryption {
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: String,
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versioning {
    /// `Enabled`, `Suspended`, or `None` when never enabled.
    pub status: Option<String>,
    /// `Enabled` or `Disabled` or `None`.
    pub mfa_delete: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleRule {
    pub id: Option<String>,
    pub enabled: bool,
    /// The rule's prefix or filter prefix; empty means the whole bucket.
    pub prefix: String,
    pub transitions: Vec<LifecycleTransition>,
    pub expiration_days: Option<i32>,
    pub noncurrent_expiration_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abort_incomplete_upload_days: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleTransition {
    pub days: i32,
    pub storage_class: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectLock {
    pub enabled: bool,
    /// `GOVERNANCE` or `COMPLIANCE` when a default retention is set.
    pub mode: Option<String>,
    pub days: Option<i32>,
    pub years: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub name: String,
    pub all_supported: bool,
    pub include_global_resource_types: bool,
    pub recording: Collected<bool>,
    /// `Success`, `Failure`, `Pending`, or whatever AWS said.
    pub last_status: Collected<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigAggregator {
    pub name: String,
    pub arn: String,
    pub organization_wide: bool,
    pub all_regions: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub is_default: bool,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub tags: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowLog {
    pub id: String,
    pub resource_id: String,
    /// `ACCEPT`, `REJECT` or `ALL`.
    pub traffic_type: Option<String>,
    /// `ACTIVE` is the only status that logs.
    pub flow_log_status: Option<String>,
    /// `SUCCESS` or `FAILED`.
    pub deliver_logs_status: Option<String>,
    pub destination_type: Option<String>,
    pub destination: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadBalancerKind {
    Application,
    Network,
    Gateway,
    Classic,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// ARN for ELBv2, name for a Classic Load Balancer.
    pub id: String,
    pub name: String,
    pub kind: LoadBalancerKind,
    pub access_logs_enabled: Collected<bool>,
    pub access_logs_bucket: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub name: String,
    /// `COST`, `USAGE`...
    pub budget_type: String,
    /// The `Service` cost filter; empty means every service.
    pub service_filter: Vec<String>,
    pub notification_count: Collected<usize>,
}

/// Inventories larger than this are refused (a large organization's is tens of MiB).
pub const MAX_INVENTORY_BYTES: u64 = 512 * 1024 * 1024;

/// Read an inventory saved by `--save-inventory`.
pub fn load(path: &std::path::Path) -> Result<Inventory, crate::error::Error> {
    use crate::error::Error;
    let text = crate::io::read_capped(path, MAX_INVENTORY_BYTES)?;
    let inv: Inventory = serde_json::from_str(&text).map_err(|e| Error::Inventory {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    if inv.schema_version != INVENTORY_SCHEMA_VERSION {
        return Err(Error::Inventory {
            path: path.display().to_string(),
            message: format!(
                "inventory schema version {} is not supported (this logwarden reads {INVENTORY_SCHEMA_VERSION})",
                inv.schema_version
            ),
        });
    }
    Ok(inv)
}

impl Inventory {
    pub fn account(&self, id: &str) -> Option<&AccountInventory> {
        self.accounts.iter().find(|a| a.account_id == id)
    }
}

impl Inventory {
    /// Every failed read, once, in a stable order (regions not enabled are not errors).
    pub fn errors(&self) -> Vec<CallError> {
        fn push<T>(out: &mut Vec<CallError>, c: &Collected<T>) {
            if let Some(e) = c.error() {
                if e.code != "RegionNotEnabled" && !out.contains(e) {
                    out.push(e.clone());
                }
            }
        }
        let mut out = Vec::new();
        if let Some(m) = &self.managed {
            push(&mut out, &m.trusted_access);
            push(&mut out, &m.archive_key);
            if let Some(k) = m.archive_key.value().and_then(Option::as_ref) {
                push(&mut out, &k.policy);
                push(&mut out, &k.rotation_enabled);
            }
            if let Some(g) = &m.log_group {
                push(&mut out, g);
            }
            for r in &m.roles {
                push(&mut out, &r.arn);
            }
        }
        for a in &self.accounts {
            push(&mut out, &a.access);
            if a.access.error().is_some() {
                continue;
            }
            for r in &a.regions {
                push(&mut out, &r.enabled);
                push(&mut out, &r.trails);
                push(&mut out, &r.config_recorders);
                push(&mut out, &r.config_delivery_channels);
                push(&mut out, &r.config_aggregators);
                push(&mut out, &r.vpcs);
                push(&mut out, &r.flow_logs);
                push(&mut out, &r.load_balancers);
                if let Some(lbs) = r.load_balancers.value() {
                    for lb in lbs {
                        push(&mut out, &lb.access_logs_enabled);
                    }
                }
                if let Some(recs) = r.config_recorders.value() {
                    for rec in recs {
                        push(&mut out, &rec.recording);
                    }
                }
            }
            for t in &a.trails {
                push(&mut out, &t.status);
                push(&mut out, &t.selectors);
                push(&mut out, &t.insights);
            }
            for k in &a.kms_keys {
                push(&mut out, &k.key_manager);
                push(&mut out, &k.rotation_enabled);
            }
            push(&mut out, &a.buckets);
            for b in a.buckets.value().into_iter().flatten() {
                push(&mut out, &b.region);
                push(&mut out, &b.logging);
                if let Some(d) = &b.trail_bucket {
                    push(&mut out, &d.versioning);
                    push(&mut out, &d.public_access_block);
                    push(&mut out, &d.policy_is_public);
                    push(&mut out, &d.policy);
                    push(&mut out, &d.lifecycle_rules);
                    push(&mut out, &d.object_lock);
                    if let Some(e) = &d.encryption {
                        push(&mut out, e);
                    }
                }
            }
            if let Some(b) = &a.budgets {
                push(&mut out, b);
                for bd in b.value().into_iter().flatten() {
                    push(&mut out, &bd.notification_count);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collected_round_trips_with_a_status_tag() {
        let c: Collected<bool> = Collected::ok(true);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"status":"ok","value":true}"#);
        let back: Collected<bool> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, c);
    }
}
