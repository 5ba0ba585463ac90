//! The `lambda` section: every Lambda function's log group exists (so its logs are kept from
//! the first invocation, at the retention `log_group_retention` asks).

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LambdaBaseline {
    /// Function names (exact, or a prefix ending in `*`) whose missing log group is not a
    /// finding, e.g. functions another team's tooling manages. Empty: every function.
    #[serde(default)]
    pub exclude_functions: Vec<String>,
}

impl LambdaBaseline {
    /// Whether the section asks anything of `function`.
    pub fn selects(&self, function: &str) -> bool {
        !self
            .exclude_functions
            .iter()
            .any(|p| match p.strip_suffix('*') {
                Some(prefix) => function.starts_with(prefix),
                None => function == p,
            })
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    if let Some(l) = &b.lambda {
        for p in &l.exclude_functions {
            let name = p.strip_suffix('*').unwrap_or(p);
            let ok = !p.is_empty()
                && name.len() <= 140
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
            if !ok {
                return Err(Issue::at(
                    &["lambda", "exclude_functions"],
                    format!("`{p}` is not a function name or a name prefix"),
                    "use letters, digits, hyphens and underscores, optionally ending in `*` (a prefix)",
                ));
            }
        }
    }
    Ok(())
}
