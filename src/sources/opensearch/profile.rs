//! The `opensearch_logging` section: the log types every OpenSearch Service domain publishes.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// An OpenSearch log type (the profile's names; AWS's in [`LogType::aws`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LogType {
    /// Audit logs: who authenticated, searched, read or changed which index (needs fine-grained
    /// access control).
    Audit,
    /// Error logs (`ES_APPLICATION_LOGS`).
    Error,
    IndexSlow,
    SearchSlow,
}

impl LogType {
    /// AWS's name in `LogPublishingOptions`.
    pub fn aws(self) -> &'static str {
        match self {
            LogType::Audit => "AUDIT_LOGS",
            LogType::Error => "ES_APPLICATION_LOGS",
            LogType::IndexSlow => "INDEX_SLOW_LOGS",
            LogType::SearchSlow => "SEARCH_SLOW_LOGS",
        }
    }

    /// The profile's name.
    pub fn as_str(self) -> &'static str {
        match self {
            LogType::Audit => "audit",
            LogType::Error => "error",
            LogType::IndexSlow => "index_slow",
            LogType::SearchSlow => "search_slow",
        }
    }

    /// The last part of the group name AWS's console proposes.
    pub fn group_suffix(self) -> &'static str {
        match self {
            LogType::Audit => "audit-logs",
            LogType::Error => "application-logs",
            LogType::IndexSlow => "index-logs",
            LogType::SearchSlow => "search-logs",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenSearchLoggingBaseline {
    /// The log types every domain publishes to CloudWatch Logs (default: audit, error). Audit
    /// logs are asked only of domains with fine-grained access control, the only ones that can
    /// write them.
    #[serde(default = "default_log_types")]
    pub log_types: Vec<LogType>,
}

fn default_log_types() -> Vec<LogType> {
    vec![LogType::Audit, LogType::Error]
}

impl Default for OpenSearchLoggingBaseline {
    fn default() -> Self {
        OpenSearchLoggingBaseline {
            log_types: default_log_types(),
        }
    }
}

impl OpenSearchLoggingBaseline {
    /// The types asked of a domain (audit only with fine-grained access control), in the
    /// profile's order.
    pub fn asked(&self, fine_grained: bool) -> Vec<LogType> {
        let mut out: Vec<LogType> = Vec::new();
        for t in &self.log_types {
            if (fine_grained || *t != LogType::Audit) && !out.contains(t) {
                out.push(*t);
            }
        }
        out
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.opensearch_logging {
        Some(o) if o.log_types.is_empty() => Err(Issue::at(
            &["opensearch_logging", "log_types"],
            "`log_types` is empty: the section would ask nothing of any domain",
            "name at least one type (audit, error, index_slow, search_slow), or remove the `opensearch_logging` section",
        )),
        _ => Ok(()),
    }
}
