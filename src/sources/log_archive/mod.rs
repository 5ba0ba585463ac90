//! The central log archive: the bucket CloudTrail, AWS Config and VPC flow logs deliver to,
//! and its KMS key. `plan` creates or completes both; the audit judges the bucket through the
//! `trail_bucket` checks.

pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "log_archive",
    title: "The central log archive",
    checks: &[],
    coverage: None,
    log_buckets: super::no_log_buckets,
    lookback: None,
    organization: None,
    validate: profile::validate,
};
