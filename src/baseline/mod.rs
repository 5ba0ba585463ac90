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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S3AccessLogBaseline {
    /// Buckets that need no server access logging (exact names, or a prefix ending in `*`).
    #[serde(default)]
    pub exclude_buckets: Vec<String>,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBaseline {
    /// A cost budget covering CloudTrail, with at least one notification, in the management account.
    #[serde(default)]
    pub logging_cost: bool,
}

fn yes() -> bool {
    true
}
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
        }
    }
}
impl Default for ElbBaseline {
    fn default() -> Self {
        ElbBaseline {
            alb: true,
            clb: true,
            nlb: false,
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
    if let Some(r) = &b.config.global_resources_region {
        if !looks_like_region(r) {
            return Err(at(
                "global_resources_region",
                format!("`{r}` is not a region name"),
                "use a region code such as us-east-1",
            ));
        }
    }
    Ok(())
}

fn looks_like_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
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
        };
        assert!(s.excludes("exact"));
        assert!(s.excludes("tmp-123"));
        assert!(!s.excludes("exactly"));
    }
}
