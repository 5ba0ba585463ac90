//! The `log_archive` section: where the central log-archive bucket lives, how it is named,
//! and its KMS key. Its protections (versioning, lifecycle, Object Lock...) are the
//! `trail_bucket` section.

use crate::profile::templates::check_template;
use crate::profile::{check_region, Issue};
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// Where the central log-archive bucket lives and how it is named and encrypted. Its
/// protections (versioning, lifecycle, Object Lock...) are the `trail_bucket` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogArchiveBaseline {
    /// Account id or name; default: the management account.
    #[serde(default)]
    pub account: Option<String>,
    /// Region of the bucket; default: the region logwarden signs global calls in.
    #[serde(default)]
    pub region: Option<String>,
    /// Bucket name template: `{org_id}`, `{account_id}`, `{region}`, `{management_account_id}`.
    #[serde(default = "default_archive_bucket")]
    pub bucket_name: String,
    /// `create` (a customer-managed key with rotation, found again by `kms_key_alias`) or the
    /// ARN of an existing key. Used when `cloudtrail.kms_encryption` is true.
    #[serde(default = "default_kms_key")]
    pub kms_key: String,
    #[serde(default = "default_kms_alias")]
    pub kms_key_alias: String,
}

fn default_archive_bucket() -> String {
    "{org_id}-logs-{account_id}".into()
}

fn default_kms_key() -> String {
    "create".into()
}

fn default_kms_alias() -> String {
    "alias/logwarden-log-archive".into()
}

impl Default for LogArchiveBaseline {
    fn default() -> Self {
        LogArchiveBaseline {
            account: None,
            region: None,
            bucket_name: default_archive_bucket(),
            kms_key: default_kms_key(),
            kms_key_alias: default_kms_alias(),
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let la = &b.log_archive;
    check_template(&la.bucket_name, &["log_archive", "bucket_name"], false)?;
    let key = &la.kms_key;
    let is_key_arn = crate::arn::Arn::parse(key)
        .is_some_and(|a| a.service == "kms" && a.resource.starts_with("key/"));
    if key != "create" && !is_key_arn {
        return Err(Issue::at(
            &["log_archive", "kms_key"],
            format!("`kms_key: {key}` is neither `create` nor a KMS key ARN"),
            "write `create`, or `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`",
        ));
    }
    let alias = &la.kms_key_alias;
    if !alias.starts_with("alias/") || alias.starts_with("alias/aws/") {
        return Err(Issue::at(
            &["log_archive", "kms_key_alias"],
            format!("`{alias}` is not an alias logwarden can create"),
            "use `alias/NAME`; the `alias/aws/` prefix is reserved for AWS",
        ));
    }
    if let Some(r) = &la.region {
        check_region(r, &["log_archive", "region"])?;
    }
    Ok(())
}
