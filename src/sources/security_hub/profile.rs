//! The `security_hub` section: Security Hub must be enabled in every account and region in
//! scope.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityHubBaseline {
    /// Whether `apply` enables AWS's default standards (AWS Foundational Security Best Practices
    /// and CIS) with the hub.
    #[serde(default = "yes")]
    pub enable_default_standards: bool,
}

fn yes() -> bool {
    true
}

impl Default for SecurityHubBaseline {
    fn default() -> Self {
        SecurityHubBaseline {
            enable_default_standards: true,
        }
    }
}
