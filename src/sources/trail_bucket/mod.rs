//! The buckets trails deliver to: access logging, versioning, MFA delete, public access,
//! lifecycle, Object Lock and a TLS-only policy, read through the account that owns each.

pub mod checks;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "trail_bucket",
    title: "Protection of the CloudTrail buckets",
    checks: checks::CHECKS,
    coverage: None,
    log_buckets: super::no_log_buckets,
    lookback: None,
    organization: None,
    validate: profile::validate,
    plan: None,
    control_tower_managed: false,
    trusted_access: |_| None,
    archive_bucket_statements: |_| vec![],
    archive_key_statements: |_| vec![],
    buckets: |_| vec![],
    roles: |_| vec![],
};

#[cfg(test)]
mod tests;
