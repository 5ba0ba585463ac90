//! The `resolver_query_logs` section: which VPCs must have their DNS queries logged, and the
//! name of the query-logging configuration `apply` creates in each account and region.

use crate::profile::Issue;
use crate::sources::vpc_flow_logs::profile::TagFilter;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolverQueryLogsBaseline {
    /// Only VPCs carrying all these tags need query logging; empty means every VPC.
    #[serde(default)]
    pub vpc_tags: TagFilter,
    /// Name of the query-logging configuration `apply` creates in each account and region
    /// (delivering to the log archive bucket).
    #[serde(default = "default_config_name")]
    pub config_name: String,
}

fn default_config_name() -> String {
    "logwarden-dns-query-logs".into()
}

impl Default for ResolverQueryLogsBaseline {
    fn default() -> Self {
        ResolverQueryLogsBaseline {
            vpc_tags: TagFilter::new(),
            config_name: default_config_name(),
        }
    }
}

impl ResolverQueryLogsBaseline {
    /// Whether the section selects this VPC (by its tags).
    pub fn selects(&self, tags: &std::collections::BTreeMap<String, String>) -> bool {
        self.vpc_tags.iter().all(|(k, v)| tags.get(k) == Some(v))
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    if let Some(r) = &b.resolver_query_logs {
        let n = &r.config_name;
        let ok = (1..=64).contains(&n.len())
            && !n.chars().all(|c| c.is_ascii_digit())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '));
        if !ok {
            return Err(Issue::at(
                &["resolver_query_logs", "config_name"],
                format!("`{n}` is not a valid query-logging configuration name"),
                "use 1-64 letters, digits, hyphens, underscores or spaces (not only digits)",
            ));
        }
    }
    Ok(())
}
