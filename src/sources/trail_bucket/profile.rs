//! The `trail_bucket` section: how the buckets trails deliver to must be protected and
//! retained (its lifecycle and Object Lock are what `apply` writes on the log archive bucket).

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrailBucketBaseline {
    #[serde(default = "crate::profile::yes")]
    pub access_logging: bool,
    #[serde(default = "crate::profile::yes")]
    pub versioning: bool,
    /// MFA delete expected (needs the root user; incompatible with lifecycle rules).
    #[serde(default)]
    pub mfa_delete: bool,
    #[serde(default = "crate::profile::yes")]
    pub public_access_block: bool,
    #[serde(default = "crate::profile::yes")]
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

impl ObjectLockBaseline {
    /// The retention the shared bucket planner sets.
    pub fn spec(&self) -> crate::plan::bucket::ObjectLockSpec {
        crate::plan::bucket::ObjectLockSpec {
            compliance: self.mode == ObjectLockMode::COMPLIANCE,
            days: self.days,
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

/// The section's contradictions and bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let at = |path: &[&'static str], message: String, hint: &str| Issue::at(path, message, hint);
    let tb = &b.trail_bucket;
    if tb.mfa_delete && tb.lifecycle.is_some() {
        return Err(at(
            &["trail_bucket", "mfa_delete"],
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
                    &["trail_bucket", "lifecycle", "transitions", "after_days"],
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
                    &["trail_bucket", "lifecycle", "max_retention_days"],
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
                    &["trail_bucket", "lifecycle", "max_retention_days"],
                    format!(
                        "objects would expire after {max} days but Object Lock retains them for {} days",
                        lock.days
                    ),
                    "make the expiration at least the Object Lock retention",
                ));
            }
        }
        validate_lifecycle(lc, tb)?;
    }
    if let Some(lock) = &tb.object_lock {
        if lock.days == 0 {
            return Err(at(
                &["trail_bucket", "object_lock", "days"],
                "Object Lock retention of 0 days".into(),
                "use at least 1 day, or `object_lock: null`",
            ));
        }
        if b.config.recorder && b.config.delivery_channel {
            return Err(at(
                &["trail_bucket", "object_lock"],
                "`trail_bucket.object_lock` contradicts `config.delivery_channel`: AWS Config delivers to the log archive bucket and cannot deliver to a bucket with Object Lock default retention".into(),
                "drop the default retention (`object_lock: null`) or set `config.delivery_channel: false`",
            ));
        }
    }
    Ok(())
}

fn validate_lifecycle(lc: &LifecycleBaseline, tb: &TrailBucketBaseline) -> Result<(), Issue> {
    const LC: &str = "lifecycle";
    for (key, v) in [
        ("expiration_days", lc.expiration_days),
        ("noncurrent_expiration_days", lc.noncurrent_expiration_days),
        (
            "abort_incomplete_upload_days",
            lc.abort_incomplete_upload_days,
        ),
    ] {
        if v == Some(0) {
            return Err(Issue::at(
                &["trail_bucket", LC, key],
                format!("`{key}: 0` is not allowed by S3"),
                "use at least 1 day, or `null` for none",
            ));
        }
    }
    let exp_path = &["trail_bucket", LC, "expiration_days"];
    if let Some(exp) = lc.expiration_days {
        if let Some(min) = lc.min_retention_days.filter(|m| exp < *m) {
            return Err(Issue::at(
                exp_path,
                format!("`expiration_days` ({exp}) is shorter than `min_retention_days` ({min})"),
                "objects must be kept at least min_retention_days; raise expiration_days",
            ));
        }
        if let Some(max) = lc.max_retention_days.filter(|m| exp > *m) {
            return Err(Issue::at(
                exp_path,
                format!("`expiration_days` ({exp}) is longer than `max_retention_days` ({max})"),
                "lower expiration_days, or raise max_retention_days",
            ));
        }
        if let Some(lock) = tb.object_lock.as_ref().filter(|l| exp < l.days) {
            return Err(Issue::at(
                exp_path,
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
            return Err(Issue::at(
                &["trail_bucket", LC, "transitions", "after_days"],
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
