//! The `elb_access_logs` section: which load balancers must log, and the bucket template `apply`
//! delivers them to (SSE-S3, one per account and region).

use crate::profile::templates::check_template;
use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElbBaseline {
    #[serde(default = "crate::profile::yes")]
    pub alb: bool,
    #[serde(default = "crate::profile::yes")]
    pub clb: bool,
    #[serde(default)]
    pub nlb: bool,
    /// Bucket (SSE-S3) for load balancer logs, one per account and region (a template).
    #[serde(default = "default_elb_bucket")]
    pub bucket: String,
}

impl Default for ElbBaseline {
    fn default() -> Self {
        ElbBaseline {
            alb: true,
            clb: true,
            nlb: false,
            bucket: default_elb_bucket(),
        }
    }
}
fn default_elb_bucket() -> String {
    "{org_id}-elb-logs-{account_id}-{region}".into()
}

/// The section's bad values and its contradiction with the log archive.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let e = &b.elb_access_logs;
    check_template(&e.bucket, &["elb_access_logs", "bucket"], true)?;
    if b.cloudtrail.kms_encryption && e.bucket == b.log_archive.bucket_name {
        return Err(Issue::at(
            &["elb_access_logs", "bucket"],
            "`elb_access_logs.bucket` is the KMS-encrypted log archive bucket: load balancers deliver only to SSE-S3 buckets",
            "keep the default `{org_id}-elb-logs-{account_id}-{region}`",
        ));
    }
    Ok(())
}
