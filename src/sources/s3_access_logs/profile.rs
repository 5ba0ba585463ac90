//! The `s3_access_logs` section: which buckets need server access logs, and the target bucket
//! template (SSE-S3, one per account and region).

use crate::profile::templates::check_template;
use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct S3AccessLogBaseline {
    /// Buckets that need no server access logging (exact names, or a prefix ending in `*`).
    #[serde(default)]
    pub exclude_buckets: Vec<String>,
    /// Target bucket (SSE-S3) for server access logs, one per account and region (a template).
    #[serde(default = "default_access_log_bucket")]
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

impl Default for S3AccessLogBaseline {
    fn default() -> Self {
        S3AccessLogBaseline {
            exclude_buckets: vec![],
            target_bucket: default_access_log_bucket(),
        }
    }
}
fn default_access_log_bucket() -> String {
    "{org_id}-s3-access-logs-{account_id}-{region}".into()
}

/// The section's bad values and its contradiction with the log archive.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let target = b.s3_access_logs.clone().unwrap_or_default().target_bucket;
    check_template(&target, &["s3_access_logs", "target_bucket"], true)?;
    if b.s3_access_logs.is_some() && target == b.log_archive.bucket_name {
        return Err(Issue::at(
            &["s3_access_logs", "target_bucket"],
            "`s3_access_logs.target_bucket` is the log archive bucket: server access logs need an SSE-S3 target without Object Lock, in each account and region",
            "keep the default `{org_id}-s3-access-logs-{account_id}-{region}`",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_match_names_and_prefixes() {
        let s = S3AccessLogBaseline {
            exclude_buckets: vec!["exact".into(), "tmp-*".into()],
            ..S3AccessLogBaseline::default()
        };
        assert!(s.excludes("exact"));
        assert!(s.excludes("tmp-123"));
        assert!(!s.excludes("exactly"));
    }
}
