//! The baseline: a versioned YAML profile saying what logging an organization must have.
//!
//! Profiles are parsed with `serde-saphyr` (a maintained, panic-free YAML parser with
//! resource budgets), reject unknown keys and duplicate keys, and report errors with file,
//! line, column and a hint. Bundled profiles live in `profiles/` and are compiled in, so
//! `--baseline recommended` works from any directory. `plan`/`apply` extend this schema: every
//! section is optional with documented defaults, so new keys can be added without breaking
//! existing profiles.

use serde::{Deserialize, Serialize};
use std::path::Path;

pub mod enforce;
pub use enforce::{
    BudgetNotification, BudgetPeriod, LogArchiveBaseline, NotificationKind,
    OrganizationTrailBaseline, Scope,
};

/// The only profile schema version this build understands.
pub const PROFILE_VERSION: u32 = 1;

/// Profiles larger than this are rejected before parsing (hostile input).
const MAX_PROFILE_BYTES: usize = 1024 * 1024;

/// Profiles shipped with the tool: (name, YAML text).
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "recommended",
        include_str!("../../profiles/recommended.yaml"),
    ),
    ("cis-aws-v3", include_str!("../../profiles/cis-aws-v3.yaml")),
    ("minimal", include_str!("../../profiles/minimal.yaml")),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub cloudtrail: CloudTrailBaseline,
    #[serde(default)]
    pub trail_bucket: TrailBucketBaseline,
    #[serde(default)]
    pub config: ConfigBaseline,
    #[serde(default)]
    pub vpc_flow_logs: Option<FlowLogBaseline>,
    #[serde(default)]
    pub elb_access_logs: ElbBaseline,
    #[serde(default)]
    pub s3_access_logs: Option<S3AccessLogBaseline>,
    #[serde(default)]
    pub budgets: BudgetBaseline,
    /// Accounts and regions the profile governs.
    #[serde(default)]
    pub scope: Scope,
    /// The organization trail `apply` creates or completes.
    #[serde(default)]
    pub organization_trail: OrganizationTrailBaseline,
    /// Where the central log-archive bucket lives.
    #[serde(default)]
    pub log_archive: LogArchiveBaseline,
}

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
    #[serde(default = "yes")]
    pub log_file_validation: bool,
    #[serde(default = "yes")]
    pub kms_encryption: bool,
    #[serde(default = "yes")]
    pub kms_key_rotation: bool,
    #[serde(default = "yes")]
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
    #[serde(default = "yes")]
    pub read: bool,
    #[serde(default = "yes")]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrailBucketBaseline {
    #[serde(default = "yes")]
    pub access_logging: bool,
    #[serde(default = "yes")]
    pub versioning: bool,
    /// MFA delete expected (needs the root user; incompatible with lifecycle rules).
    #[serde(default)]
    pub mfa_delete: bool,
    #[serde(default = "yes")]
    pub public_access_block: bool,
    #[serde(default = "yes")]
    pub tls_only: bool,
    /// Lifecycle tiers and retention the trail bucket must have; `null` means not judged.
    #[serde(default)]
    pub lifecycle: Option<LifecycleBaseline>,
    /// Object Lock default retention the trail bucket must have; `null` means not required.
    #[serde(default)]
    pub object_lock: Option<ObjectLockBaseline>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LifecycleBaseline {
    #[serde(default)]
    pub transitions: Vec<TransitionBaseline>,
    /// Objects must be kept at least this many days (expiration may be later, or absent).
    #[serde(default)]
    pub min_retention_days: Option<u32>,
    /// Objects must expire no later than this many days (cost control); `null` means no limit.
    #[serde(default)]
    pub max_retention_days: Option<u32>,
    /// Expiration `apply` writes; default: `max_retention_days`, else none (objects kept).
    #[serde(default)]
    pub expiration_days: Option<u32>,
    /// Days after which noncurrent (overwritten or deleted) versions expire; `null`: kept.
    #[serde(default)]
    pub noncurrent_expiration_days: Option<u32>,
    /// Days after which incomplete multipart uploads are aborted.
    #[serde(default = "default_abort_days")]
    pub abort_incomplete_upload_days: Option<u32>,
}

impl LifecycleBaseline {
    /// The expiration `apply` writes.
    pub fn effective_expiration(&self) -> Option<u32> {
        self.expiration_days.or(self.max_retention_days)
    }
}

fn default_abort_days() -> Option<u32> {
    Some(7)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionBaseline {
    pub after_days: u32,
    pub storage_class: StorageClass,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
pub enum StorageClass {
    STANDARD_IA,
    ONEZONE_IA,
    INTELLIGENT_TIERING,
    GLACIER_IR,
    GLACIER,
    DEEP_ARCHIVE,
}

impl StorageClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StorageClass::STANDARD_IA => "STANDARD_IA",
            StorageClass::ONEZONE_IA => "ONEZONE_IA",
            StorageClass::INTELLIGENT_TIERING => "INTELLIGENT_TIERING",
            StorageClass::GLACIER_IR => "GLACIER_IR",
            StorageClass::GLACIER => "GLACIER",
            StorageClass::DEEP_ARCHIVE => "DEEP_ARCHIVE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum ObjectLockMode {
    GOVERNANCE,
    COMPLIANCE,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectLockBaseline {
    pub mode: ObjectLockMode,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigBaseline {
    /// A recording recorder of all supported resources in every region.
    #[serde(default = "yes")]
    pub recorder: bool,
    #[serde(default = "yes")]
    pub delivery_channel: bool,
    /// Global resource types (IAM) recorded in exactly one region; name it to require that one.
    #[serde(default = "yes")]
    pub global_resources_once: bool,
    #[serde(default)]
    pub global_resources_region: Option<String>,
    /// An organization-wide aggregator in the management or delegated administrator account.
    #[serde(default = "yes")]
    pub organization_aggregator: bool,
    /// Name of the aggregator `apply` creates in the management account.
    #[serde(default = "enforce::default_aggregator")]
    pub aggregator_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum TrafficType {
    ALL,
    ACCEPT,
    REJECT,
}

impl TrafficType {
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficType::ALL => "ALL",
            TrafficType::ACCEPT => "ACCEPT",
            TrafficType::REJECT => "REJECT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowLogBaseline {
    /// The traffic the flow log must capture: `ALL` requires ALL; `REJECT` is met by REJECT or ALL.
    #[serde(default = "default_traffic")]
    pub traffic_type: TrafficType,
    /// Only VPCs carrying all these tags need flow logs; empty means every VPC.
    #[serde(default)]
    pub vpc_tags: enforce::TagFilter,
    /// Custom flow-log record format for new flow logs (`${version} ${account-id} ...`); default: AWS's.
    #[serde(default)]
    pub log_format: Option<String>,
    /// Where `apply` sends new flow logs: the log archive bucket, or CloudWatch Logs.
    #[serde(default)]
    pub destination: FlowLogDestination,
    /// The log group (in each account and region) and delivery role, for `destination: cloudwatch_logs`.
    #[serde(default)]
    pub cloudwatch_logs: enforce::FlowLogGroup,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FlowLogDestination {
    /// The central log-archive bucket.
    #[default]
    LogArchive,
    /// A log group in each account and region (queryable with Logs Insights; costlier).
    CloudwatchLogs,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElbBaseline {
    #[serde(default = "yes")]
    pub alb: bool,
    #[serde(default = "yes")]
    pub clb: bool,
    #[serde(default)]
    pub nlb: bool,
    /// Bucket (SSE-S3) for load balancer logs, one per account and region (a template).
    #[serde(default = "enforce::default_elb_bucket")]
    pub bucket: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S3AccessLogBaseline {
    /// Buckets that need no server access logging (exact names, or a prefix ending in `*`).
    #[serde(default)]
    pub exclude_buckets: Vec<String>,
    /// Target bucket (SSE-S3) for server access logs, one per account and region (a template).
    #[serde(default = "enforce::default_access_log_bucket")]
    pub target_bucket: String,
}

impl S3AccessLogBaseline {
    pub fn excludes(&self, bucket: &str) -> bool {
        self.exclude_buckets
            .iter()
            .any(|p| match p.strip_suffix('*') {
                Some(prefix) => bucket.starts_with(prefix),
                None => p == bucket,
            })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBaseline {
    /// A cost budget covering CloudTrail, with at least one notification, in the management account.
    #[serde(default)]
    pub logging_cost: bool,
    /// Name of the budget `apply` creates.
    #[serde(default = "enforce::default_budget_name")]
    pub name: String,
    /// Budget amount; without one, creating the budget is a manual step.
    #[serde(default)]
    pub amount: Option<f64>,
    #[serde(default = "enforce::default_currency")]
    pub currency: String,
    #[serde(default = "enforce::default_period")]
    pub period: BudgetPeriod,
    /// The `Service` cost filter of the budget.
    #[serde(default = "enforce::default_budget_services")]
    pub services: Vec<String>,
    #[serde(default)]
    pub notifications: Vec<BudgetNotification>,
}

impl Default for BudgetBaseline {
    fn default() -> Self {
        BudgetBaseline {
            logging_cost: false,
            name: enforce::default_budget_name(),
            amount: None,
            currency: enforce::default_currency(),
            period: enforce::default_period(),
            services: enforce::default_budget_services(),
            notifications: vec![],
        }
    }
}

impl Default for S3AccessLogBaseline {
    fn default() -> Self {
        S3AccessLogBaseline {
            exclude_buckets: vec![],
            target_bucket: enforce::default_access_log_bucket(),
        }
    }
}

use enforce::yes;
fn default_management_events() -> ManagementEvents {
    ManagementEvents::All
}
fn default_traffic() -> TrafficType {
    TrafficType::ALL
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
impl Default for TrailBucketBaseline {
    fn default() -> Self {
        TrailBucketBaseline {
            access_logging: true,
            versioning: true,
            mfa_delete: false,
            public_access_block: true,
            tls_only: true,
            lifecycle: None,
            object_lock: None,
        }
    }
}
impl Default for ConfigBaseline {
    fn default() -> Self {
        ConfigBaseline {
            recorder: true,
            delivery_channel: true,
            global_resources_once: true,
            global_resources_region: None,
            organization_aggregator: true,
            aggregator_name: enforce::default_aggregator(),
        }
    }
}
impl Default for ElbBaseline {
    fn default() -> Self {
        ElbBaseline {
            alb: true,
            clb: true,
            nlb: false,
            bucket: enforce::default_elb_bucket(),
        }
    }
}

/// Where a baseline came from, for the report and for error messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadedBaseline {
    pub baseline: Baseline,
    /// `bundled:recommended` or the file path.
    pub source: String,
}

/// A profile that could not be used: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}\n  hint: {hint}")]
pub struct ProfileError {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub hint: String,
}

/// Resolve `--baseline NAME|PATH`: a bundled name first, else a file path.
pub fn load(name_or_path: &str) -> Result<LoadedBaseline, ProfileError> {
    if let Some((name, text)) = BUNDLED.iter().find(|(n, _)| *n == name_or_path) {
        let source = format!("bundled:{name}");
        return parse(text, &source).map(|baseline| LoadedBaseline { baseline, source });
    }
    let path = Path::new(name_or_path);
    let bytes = std::fs::read(path).map_err(|e| ProfileError {
        file: name_or_path.to_string(),
        line: 0,
        column: 0,
        message: format!("cannot read the profile: {e}"),
        hint: format!(
            "pass a file path or a bundled profile name ({})",
            bundled_names().join(", ")
        ),
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| ProfileError {
        file: name_or_path.to_string(),
        line: 0,
        column: 0,
        message: format!("the profile is not UTF-8: {e}"),
        hint: "save the profile as UTF-8 text".into(),
    })?;
    parse(text, name_or_path).map(|baseline| LoadedBaseline {
        baseline,
        source: name_or_path.to_string(),
    })
}

pub fn bundled_names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}

/// The JSON Schema of profiles, for editors (`logwarden profiles schema`).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Baseline);
    serde_json::to_string_pretty(&schema).expect("the schema serializes") + "\n"
}

/// Parse and validate a profile. `file` is used in error messages only.
pub fn parse(text: &str, file: &str) -> Result<Baseline, ProfileError> {
    let err = |line: u64, column: u64, message: String, hint: &str| ProfileError {
        file: file.to_string(),
        line,
        column,
        message,
        hint: hint.to_string(),
    };
    if text.len() > MAX_PROFILE_BYTES {
        return Err(err(
            1,
            1,
            format!(
                "the profile is {} bytes; the limit is {MAX_PROFILE_BYTES}",
                text.len()
            ),
            "a baseline profile is a short document; check that this is the right file",
        ));
    }
    if let Some((line, column)) = find_tab_indent(text) {
        return Err(err(
            line,
            column,
            "a tab character is used for indentation".into(),
            "YAML indentation must use spaces; replace the tab with spaces",
        ));
    }
    let baseline: Baseline = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let message = first_line(&e.to_string());
        let hint = hint_for(&message);
        err(line, column, message, &hint)
    })?;
    if baseline.version != PROFILE_VERSION {
        let (line, column) = key_position(text, "version").unwrap_or((1, 1));
        return Err(err(
            line,
            column,
            format!(
                "unsupported profile version {}; this logwarden understands version {PROFILE_VERSION}",
                baseline.version
            ),
            "set `version: 1`, or upgrade logwarden",
        ));
    }
    validate(&baseline, text, file)?;
    Ok(baseline)
}

/// Contradictions serde cannot see.
fn validate(b: &Baseline, text: &str, file: &str) -> Result<(), ProfileError> {
    let at = |key: &str, message: String, hint: &str| {
        let (line, column) = key_position(text, key).unwrap_or((1, 1));
        ProfileError {
            file: file.to_string(),
            line,
            column,
            message,
            hint: hint.to_string(),
        }
    };
    let tb = &b.trail_bucket;
    if tb.mfa_delete && tb.lifecycle.is_some() {
        return Err(at(
            "mfa_delete",
            "`trail_bucket.mfa_delete: true` contradicts `trail_bucket.lifecycle`: S3 does not allow lifecycle configuration on a bucket with MFA delete".into(),
            "choose one: drop `lifecycle` (keep logs forever, delete only with the root user's MFA) or set `mfa_delete: false`",
        ));
    }
    if let Some(lc) = &tb.lifecycle {
        for t in &lc.transitions {
            if matches!(
                t.storage_class,
                StorageClass::STANDARD_IA | StorageClass::ONEZONE_IA
            ) && t.after_days < 30
            {
                return Err(at(
                    "after_days",
                    format!(
                        "a transition to {} after {} days is not allowed: objects must stay 30 days in STANDARD first",
                        t.storage_class.as_str(),
                        t.after_days
                    ),
                    "use `after_days: 30` or more, or GLACIER_IR / INTELLIGENT_TIERING",
                ));
            }
        }
        if let (Some(min), Some(max)) = (lc.min_retention_days, lc.max_retention_days) {
            if max < min {
                return Err(at(
                    "max_retention_days",
                    format!(
                        "`max_retention_days` ({max}) is shorter than `min_retention_days` ({min})"
                    ),
                    "make max_retention_days at least min_retention_days",
                ));
            }
        }
        if let (Some(lock), Some(max)) = (&tb.object_lock, lc.max_retention_days) {
            if max < lock.days {
                return Err(at(
                    "max_retention_days",
                    format!(
                        "objects would expire after {max} days but Object Lock retains them for {} days",
                        lock.days
                    ),
                    "make the expiration at least the Object Lock retention",
                ));
            }
        }
    }
    if let Some(lc) = &tb.lifecycle {
        validate_lifecycle(lc, tb, &at)?;
    }
    if let Some(lock) = &tb.object_lock {
        if lock.days == 0 {
            return Err(at(
                "days",
                "Object Lock retention of 0 days".into(),
                "use at least 1 day, or `object_lock: null`",
            ));
        }
        if b.config.recorder && b.config.delivery_channel {
            return Err(at(
                "object_lock",
                "`trail_bucket.object_lock` contradicts `config.delivery_channel`: AWS Config delivers to the log archive bucket and cannot deliver to a bucket with Object Lock default retention".into(),
                "drop the default retention (`object_lock: null`) or set `config.delivery_channel: false`",
            ));
        }
    }
    enforce_checks(b, &at)?;
    if let Some(r) = &b.config.global_resources_region {
        if !crate::arn::valid_region(r) {
            return Err(at(
                "global_resources_region",
                format!("`{r}` is not a region name"),
                "use a region code such as us-east-1",
            ));
        }
    }
    Ok(())
}

type At<'a> = dyn Fn(&str, String, &str) -> ProfileError + 'a;

fn validate_lifecycle(
    lc: &LifecycleBaseline,
    tb: &TrailBucketBaseline,
    at: &At,
) -> Result<(), ProfileError> {
    for (key, v) in [
        ("expiration_days", lc.expiration_days),
        ("noncurrent_expiration_days", lc.noncurrent_expiration_days),
        (
            "abort_incomplete_upload_days",
            lc.abort_incomplete_upload_days,
        ),
    ] {
        if v == Some(0) {
            return Err(at(
                key,
                format!("`{key}: 0` is not allowed by S3"),
                "use at least 1 day, or `null` for none",
            ));
        }
    }
    if let Some(exp) = lc.expiration_days {
        if let Some(min) = lc.min_retention_days.filter(|m| exp < *m) {
            return Err(at(
                "expiration_days",
                format!("`expiration_days` ({exp}) is shorter than `min_retention_days` ({min})"),
                "objects must be kept at least min_retention_days; raise expiration_days",
            ));
        }
        if let Some(max) = lc.max_retention_days.filter(|m| exp > *m) {
            return Err(at(
                "expiration_days",
                format!("`expiration_days` ({exp}) is longer than `max_retention_days` ({max})"),
                "lower expiration_days, or raise max_retention_days",
            ));
        }
        if let Some(lock) = tb.object_lock.as_ref().filter(|l| exp < l.days) {
            return Err(at(
                "expiration_days",
                format!(
                    "objects would expire after {exp} days but Object Lock retains them for {} days",
                    lock.days
                ),
                "make the expiration at least the Object Lock retention",
            ));
        }
    }
    if let Some(exp) = lc.effective_expiration() {
        if let Some(t) = lc.transitions.iter().find(|t| t.after_days >= exp) {
            return Err(at(
                "after_days",
                format!(
                    "the transition to {} after {} days comes after the expiration ({exp} days)",
                    t.storage_class.as_str(),
                    t.after_days
                ),
                "transition earlier than the expiration, or drop the transition",
            ));
        }
    }
    Ok(())
}

/// CloudWatch Logs accepts only these retention periods.
pub const LOG_RETENTION_DAYS: &[u32] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Checks of the sections that drive `plan`/`apply`.
fn enforce_checks(b: &Baseline, at: &At) -> Result<(), ProfileError> {
    let templates = [
        ("bucket_name", &b.log_archive.bucket_name, false),
        (
            "target_bucket",
            &b.s3_access_logs.clone().unwrap_or_default().target_bucket,
            true,
        ),
        ("bucket", &b.elb_access_logs.bucket, true),
    ];
    for (key, t, per_region) in templates {
        let used = enforce::template_placeholders(t).map_err(|bad| {
            at(
                key,
                format!("unknown placeholder `{bad}` in bucket name template `{t}`"),
                "use {org_id}, {account_id}, {region} or {management_account_id}",
            )
        })?;
        if per_region && !(used.contains(&"account_id") && used.contains(&"region")) {
            return Err(at(
                key,
                format!("bucket name template `{t}` must contain {{account_id}} and {{region}}"),
                "one such bucket is made per account and region, and bucket names are global",
            ));
        }
        let sample = enforce::render_template(
            t,
            &enforce::TemplateValues {
                org_id: "o-abcdefghij",
                account_id: "111111111111",
                region: "ap-southeast-2",
                management_account_id: "111111111111",
            },
        );
        if !enforce::valid_bucket_name(&sample) {
            return Err(at(
                key,
                format!(
                    "bucket name template `{t}` gives `{sample}`, which is not a valid bucket name"
                ),
                "bucket names are 3-63 lowercase letters, digits, hyphens and dots",
            ));
        }
    }
    let archive = &b.log_archive.bucket_name;
    let kms = b.cloudtrail.kms_encryption;
    if kms && &b.elb_access_logs.bucket == archive {
        return Err(at(
            "bucket",
            "`elb_access_logs.bucket` is the KMS-encrypted log archive bucket: load balancers deliver only to SSE-S3 buckets".into(),
            "keep the default `{org_id}-elb-logs-{account_id}-{region}`",
        ));
    }
    if let Some(s3) = &b.s3_access_logs {
        if &s3.target_bucket == archive {
            return Err(at(
                "target_bucket",
                "`s3_access_logs.target_bucket` is the log archive bucket: server access logs need an SSE-S3 target without Object Lock, in each account and region".into(),
                "keep the default `{org_id}-s3-access-logs-{account_id}-{region}`",
            ));
        }
    }
    let key = &b.log_archive.kms_key;
    if key != "create"
        && !(key.starts_with("arn:") && key.contains(":kms:") && key.contains(":key/"))
    {
        return Err(at(
            "kms_key",
            format!("`kms_key: {key}` is neither `create` nor a KMS key ARN"),
            "write `create`, or `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`",
        ));
    }
    let alias = &b.log_archive.kms_key_alias;
    if !alias.starts_with("alias/") || alias.starts_with("alias/aws/") {
        return Err(at(
            "kms_key_alias",
            format!("`{alias}` is not an alias logwarden can create"),
            "use `alias/NAME`; the `alias/aws/` prefix is reserved for AWS",
        ));
    }
    let cwl = &b.organization_trail.cloudwatch_logs;
    if !LOG_RETENTION_DAYS.contains(&cwl.retention_days) {
        return Err(at(
            "retention_days",
            format!("CloudWatch Logs does not accept a retention of {} days", cwl.retention_days),
            "use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        ));
    }
    if let Some(fl) = &b.vpc_flow_logs {
        let d = fl.cloudwatch_logs.retention_days;
        if !LOG_RETENTION_DAYS.contains(&d) {
            return Err(at(
                "retention_days",
                format!("CloudWatch Logs does not accept a retention of {d} days"),
                "use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
            ));
        }
    }
    let regions = [
        (
            "home_region",
            b.organization_trail.home_region.iter().collect::<Vec<_>>(),
        ),
        ("region", b.log_archive.region.iter().collect()),
        ("regions", b.scope.regions.iter().collect()),
        ("exclude_regions", b.scope.exclude_regions.iter().collect()),
    ];
    for (key, list) in regions {
        if let Some(r) = list.into_iter().find(|r| !crate::arn::valid_region(r)) {
            return Err(at(
                key,
                format!("`{r}` is not a region name"),
                "use a region code such as us-east-1",
            ));
        }
    }
    for ou in b
        .scope
        .organizational_units
        .iter()
        .chain(&b.scope.exclude_organizational_units)
    {
        if !(ou.starts_with("ou-") || ou.starts_with("r-")) {
            return Err(at(
                "organizational_units",
                format!("`{ou}` is not an organizational unit or root id"),
                "use ids such as ou-ab12-cdef3456 (or r-ab12 for the root); `aws organizations list-organizational-units-for-parent` lists them",
            ));
        }
    }
    if let Some(a) = b
        .scope
        .accounts
        .iter()
        .find(|a| b.scope.exclude_accounts.contains(a))
    {
        return Err(at(
            "exclude_accounts",
            format!("account `{a}` is both included and excluded"),
            "list it in one of `accounts` and `exclude_accounts`",
        ));
    }
    let bu = &b.budgets;
    if let Some(amount) = bu.amount {
        if !(amount.is_finite() && amount > 0.0) {
            return Err(at(
                "amount",
                format!("budget amount {amount} is not a positive number"),
                "write the monthly (or per-period) limit, e.g. `amount: 200`",
            ));
        }
        if bu.logging_cost && bu.notifications.is_empty() {
            return Err(at(
                "amount",
                "a logging budget needs at least one notification: without one it alerts nobody".into(),
                "add `notifications: [{type: actual, threshold_percent: 80, emails: [you@example.com]}]`",
            ));
        }
    }
    if bu.logging_cost
        && !bu.services.is_empty()
        && !bu.services.iter().any(|s| s == "AWS CloudTrail")
    {
        return Err(at(
            "services",
            "the logging budget's `services` filter leaves out `AWS CloudTrail`".into(),
            "add `AWS CloudTrail`, or use `services: []` for a budget on every service",
        ));
    }
    for n in &bu.notifications {
        if !(n.threshold_percent > 0.0 && n.threshold_percent <= 1000.0) {
            return Err(at(
                "threshold_percent",
                format!(
                    "threshold {} is outside 0-1000 percent",
                    n.threshold_percent
                ),
                "use a percentage of the budget such as 80 or 100",
            ));
        }
        if n.emails.is_empty() && n.sns_topics.is_empty() {
            return Err(at(
                "notifications",
                "a budget notification has no subscriber".into(),
                "add `emails: [...]` or `sns_topics: [arn:aws:sns:...]`",
            ));
        }
        if let Some(e) = n.emails.iter().find(|e| !e.contains('@')) {
            return Err(at(
                "emails",
                format!("`{e}` is not an email address"),
                "write name@example.com",
            ));
        }
        if let Some(t) = n.sns_topics.iter().find(|t| !t.starts_with("arn:")) {
            return Err(at(
                "sns_topics",
                format!("`{t}` is not an SNS topic ARN"),
                "write arn:aws:sns:REGION:ACCOUNT:TOPIC",
            ));
        }
    }
    Ok(())
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

fn hint_for(message: &str) -> String {
    let m = message.to_ascii_lowercase();
    if m.contains("unknown field") {
        "remove the key or fix its spelling; `logwarden checks` and docs/profiles.md list the keys"
            .into()
    } else if m.contains("duplicate") {
        "each key may appear once in a mapping; remove the repeated key".into()
    } else if m.contains("missing field") {
        "add the missing key; docs/profiles.md shows a complete profile".into()
    } else if m.contains("unknown variant") {
        "use one of the values the message lists".into()
    } else if m.contains("invalid type") {
        "check the value's type against docs/profiles.md (true/false, a number, a list...)".into()
    } else if m.contains("budget")
        || m.contains("limit")
        || m.contains("depth")
        || m.contains("nest")
    {
        "the document is too large or too deeply nested for a profile".into()
    } else {
        "check the YAML syntax around this position; docs/profiles.md has examples".into()
    }
}

/// The first line and column (1-based) where a tab is part of a line's indentation.
fn find_tab_indent(text: &str) -> Option<(u64, u64)> {
    for (i, line) in text.lines().enumerate() {
        for (j, c) in line.chars().enumerate() {
            match c {
                ' ' => continue,
                '\t' => return Some((i as u64 + 1, j as u64 + 1)),
                _ => break,
            }
        }
    }
    None
}

/// The line and column of the first `key:` in the text (block or flow style), for pointing at a
/// semantic error.
fn key_position(text: &str, key: &str) -> Option<(u64, u64)> {
    let needle = format!("{key}:");
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.split(" #").next().unwrap_or(line);
        code.match_indices(&needle).find_map(|(at, _)| {
            let before = code[..at].chars().next_back();
            matches!(before, None | Some(' ' | '{' | ',' | '-' | '\t'))
                .then(|| (i as u64 + 1, code[..at].chars().count() as u64 + 1))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_profiles_parse() {
        for (name, text) in BUNDLED {
            let b = parse(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(&b.name, name);
        }
    }

    #[test]
    fn minimal_is_management_events_only() {
        let b = load("minimal").unwrap().baseline;
        assert!(b.cloudtrail.s3_data_events.is_none() && b.cloudtrail.lambda_data_events.is_none());
        assert!(b.vpc_flow_logs.is_none());
        assert_eq!(
            b.trail_bucket.lifecycle.unwrap().max_retention_days,
            Some(400)
        );
    }

    #[test]
    fn recommended_asks_for_what_responders_want() {
        let b = load("recommended").unwrap().baseline;
        assert_eq!(b.cloudtrail.management_events, ManagementEvents::All);
        assert!(b.cloudtrail.s3_data_events.is_some());
        assert!(b.cloudtrail.lambda_data_events.is_some());
        assert!(b.trail_bucket.lifecycle.is_some());
        assert!(b.vpc_flow_logs.is_some());
        assert!(b.budgets.logging_cost);
    }

    #[test]
    fn cis_does_not_ask_for_budgets_or_elb() {
        let b = load("cis-aws-v3").unwrap().baseline;
        assert!(!b.budgets.logging_cost);
        assert!(!b.elb_access_logs.alb);
        assert!(b.cloudtrail.insights.is_empty());
    }

    #[test]
    fn unknown_key_is_rejected_with_its_position() {
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n  log_file_validaton: true\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.file, "p.yaml");
        assert_eq!(e.line, 4, "{e}");
        assert_eq!(e.column, 3, "{e}");
        assert!(e.message.contains("log_file_validaton"), "{e}");
        assert!(e.hint.contains("spelling"), "{e}");
    }

    #[test]
    fn wrong_type_is_rejected_with_its_position() {
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n  kms_encryption: maybe\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 19), "{e}");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = parse("version: 1\nname: x\nname: y\n", "p.yaml").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.hint.contains("once"), "{e}");
    }

    #[test]
    fn tabs_are_rejected() {
        let e = parse(
            "version: 1\nname: x\ncloudtrail:\n\tkms_encryption: true\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (4, 1));
        assert!(e.message.contains("tab"));
    }

    #[test]
    fn wrong_version_is_rejected() {
        let e = parse("version: 2\nname: x\n", "p.yaml").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("version 2"), "{e}");
    }

    #[test]
    fn mfa_delete_with_lifecycle_is_a_contradiction() {
        let e = parse(
            "version: 1\nname: x\ntrail_bucket:\n  mfa_delete: true\n  lifecycle:\n    min_retention_days: 365\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("MFA delete"), "{e}");
    }

    #[test]
    fn standard_ia_before_30_days_is_rejected() {
        let e = parse(
            "version: 1\nname: x\ntrail_bucket:\n  lifecycle:\n    transitions:\n      - after_days: 10\n        storage_class: STANDARD_IA\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.message.contains("30 days"), "{e}");
    }

    #[test]
    fn unknown_storage_class_is_rejected() {
        let e = parse(
            "version: 1\nname: x\ntrail_bucket:\n  lifecycle:\n    transitions:\n      - after_days: 90\n        storage_class: TAPE\n",
            "p.yaml",
        )
        .unwrap_err();
        assert_eq!(e.line, 7, "{e}");
        assert!(e.message.contains("TAPE"), "{e}");
    }

    #[test]
    fn hostile_documents_are_rejected_without_panic() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep, "deep.yaml").is_err());
        let huge = "a".repeat(MAX_PROFILE_BYTES + 1);
        assert!(parse(&huge, "huge.yaml")
            .unwrap_err()
            .message
            .contains("limit"));
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n";
        assert!(parse(bomb, "bomb.yaml").is_err());
        for s in [
            "",
            ":",
            "- - -",
            "version: [",
            "\u{0}",
            "version: 1\nname: x\ncloudtrail: 3\n",
        ] {
            assert!(parse(s, "x.yaml").is_err(), "{s:?}");
        }
    }

    #[test]
    fn missing_file_names_the_bundled_profiles() {
        let e = load("/nonexistent/profile.yaml").unwrap_err();
        assert!(e.hint.contains("recommended"));
    }

    #[test]
    fn s3_exclusions_match_names_and_prefixes() {
        let s = S3AccessLogBaseline {
            exclude_buckets: vec!["exact".into(), "tmp-*".into()],
            ..S3AccessLogBaseline::default()
        };
        assert!(s.excludes("exact"));
        assert!(s.excludes("tmp-123"));
        assert!(!s.excludes("exactly"));
    }

    fn rejected(yaml: &str) -> ProfileError {
        parse(&format!("version: 1\nname: x\n{yaml}"), "p.yaml").unwrap_err()
    }

    #[test]
    fn enforcement_contradictions_are_rejected_with_their_position() {
        let cases: &[(&str, u64, &str)] = &[
            (
                "trail_bucket:\n  object_lock: {mode: GOVERNANCE, days: 30}\n",
                4,
                "AWS Config delivers",
            ),
            (
                "config: {delivery_channel: false}\ntrail_bucket:\n  object_lock: {mode: COMPLIANCE, days: 400}\n  lifecycle:\n    expiration_days: 365\n",
                7,
                "Object Lock retains them for 400 days",
            ),
            (
                "trail_bucket:\n  lifecycle:\n    min_retention_days: 365\n    expiration_days: 90\n",
                6,
                "shorter than `min_retention_days`",
            ),
            (
                "trail_bucket:\n  lifecycle:\n    transitions: [{after_days: 400, storage_class: GLACIER}]\n    expiration_days: 365\n",
                5,
                "comes after the expiration",
            ),
            (
                "log_archive: {bucket_name: \"{org_id}-logs-{account_id}-{region}\"}\nelb_access_logs: {bucket: \"{org_id}-logs-{account_id}-{region}\"}\n",
                4,
                "load balancers deliver only to SSE-S3",
            ),
            (
                "log_archive: {bucket_name: \"{org_id}-logs-{account_id}-{region}\"}\ns3_access_logs: {target_bucket: \"{org_id}-logs-{account_id}-{region}\"}\n",
                4,
                "server access logs need an SSE-S3 target",
            ),
            (
                "log_archive: {bucket_name: \"{org}-logs\"}\n",
                3,
                "unknown placeholder `{org}`",
            ),
            (
                "s3_access_logs: {target_bucket: \"{org_id}-access-logs\"}\n",
                3,
                "must contain {account_id} and {region}",
            ),
            (
                "log_archive: {bucket_name: \"Logs_{account_id}\"}\n",
                3,
                "not a valid bucket name",
            ),
            ("log_archive: {kms_key: my-key}\n", 3, "neither `create` nor a KMS key ARN"),
            (
                "organization_trail:\n  cloudwatch_logs: {retention_days: 42}\n",
                4,
                "retention of 42 days",
            ),
            ("scope: {regions: [useast1]}\n", 3, "not a region name"),
            ("scope: {organizational_units: [prod]}\n", 3, "not an organizational unit"),
            (
                "scope: {accounts: [\"111111111111\"], exclude_accounts: [\"111111111111\"]}\n",
                3,
                "both included and excluded",
            ),
            (
                "budgets:\n  logging_cost: true\n  amount: 10\n",
                5,
                "at least one notification",
            ),
            (
                "budgets:\n  amount: 10\n  notifications: [{type: actual, threshold_percent: 80}]\n",
                5,
                "no subscriber",
            ),
            (
                "budgets:\n  logging_cost: true\n  services: [Amazon Simple Storage Service]\n",
                5,
                "leaves out `AWS CloudTrail`",
            ),
        ];
        for (yaml, line, needle) in cases {
            let e = rejected(yaml);
            assert!(e.message.contains(needle), "{yaml}: {e}");
            assert_eq!(e.line, *line, "{yaml}: {e}");
            assert!(!e.hint.is_empty());
        }
    }

    #[test]
    fn enforcement_defaults_fill_in() {
        let b = parse("version: 1\nname: x\n", "p.yaml").unwrap();
        assert_eq!(b.organization_trail.name, "logwarden-organization-trail");
        assert_eq!(b.log_archive.bucket_name, "{org_id}-logs-{account_id}");
        assert_eq!(b.log_archive.kms_key, "create");
        assert_eq!(b.organization_trail.cloudwatch_logs.retention_days, 365);
        assert!(b.scope.is_empty());
        assert_eq!(b.budgets.period, BudgetPeriod::MONTHLY);
        assert!(b.budgets.services.iter().any(|s| s == "AWS CloudTrail"));
    }

    proptest::proptest! {
        #[test]
        fn no_input_panics(text in "(version: 1\nname: x\n)?[ -~\n\t]{0,400}") {
            let _ = parse(&text, "fuzz.yaml");
        }

        #[test]
        fn mutated_bundled_profiles_never_panic(cut in 0usize..4000, insert in "[ -~\n]{0,12}") {
            let base = BUNDLED[0].1;
            let at = (0..=cut.min(base.len())).rev().find(|i| base.is_char_boundary(*i)).unwrap_or(0);
            let text = format!("{}{insert}{}", &base[..at], &base[at..]);
            if let Err(e) = parse(&text, "fuzz.yaml") {
                proptest::prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
            }
        }
    }
}
