//! Amazon OpenSearch Service domain logs: the audit log (who searched, read or changed which
//! index; possible only where fine-grained access control is on) and the error log a responder
//! needs when a domain holding logs or application data is touched. Each domain must publish the
//! types the profile names to CloudWatch Logs. Publishing needs a CloudWatch Logs resource
//! policy letting `es.amazonaws.com` write, an account-and-region-wide document with a small
//! quota other teams share, so `plan` lists each domain as a manual step with both commands
//! (and, with a log-group retention, creates the groups first at that retention).

pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;
use crate::report::Coverage;

pub static SOURCE: SourceDef = SourceDef {
    id: "opensearch",
    title: "Amazon OpenSearch Service domain logs",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "os",
        checks: &["opensearch.logging"],
    }),
    lookback: Some(checks::lookback),
    lookback_note: Some(
        "OpenSearch: the domain whose published logs reach back least (its log groups' retention, or their age when younger; 0 for a domain publishing none of the baseline's types)",
    ),
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

/// The log group AWS's console names for a domain's log type (what `plan` proposes).
pub fn log_group(domain: &str, log_type: profile::LogType) -> String {
    format!(
        "/aws/OpenSearchService/domains/{domain}/{}",
        log_type.group_suffix()
    )
}

#[cfg(test)]
mod tests;
