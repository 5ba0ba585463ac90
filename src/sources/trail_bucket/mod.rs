//! The buckets trails deliver to: access logging, versioning, MFA delete, public access,
//! lifecycle, Object Lock and a TLS-only policy, read through the account that owns each.

pub mod checks;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "trail_bucket",
    title: "Protection of the CloudTrail buckets",
    checks: checks::CHECKS,
    validate: profile::validate,
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
