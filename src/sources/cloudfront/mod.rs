//! Amazon CloudFront access logs: every request each distribution served, the edge's record of
//! who fetched what (a scan, a credential-stuffing run, the download of a leaked object). Each
//! distribution must log, by standard logging (legacy: `Logging` in its configuration, to S3)
//! or standard logging v2 (a CloudWatch Logs delivery source for the distribution with an
//! `ACCESS_LOGS` delivery to S3, CloudWatch Logs or Firehose); real-time log configurations its
//! cache behaviours use are named. CloudFront is global: read once per account in us-east-1,
//! where its v2 deliveries live too. `plan` gives distributions that log nowhere a v2 delivery
//! to the log archive bucket; a distribution with legacy logging is kept as it is.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudfront",
    title: "Amazon CloudFront access logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "cf",
        checks: &["cloudfront.logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(checks::LOOKBACK_NOTE),
    plan: Some(plan::plan),
    archive_bucket_statements: plan::archive_bucket,
    archive_key_statements: plan::archive_key,
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;
