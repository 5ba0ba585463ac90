//! The `cloudfront_logging` section: every CloudFront distribution writes access logs.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloudFrontLoggingBaseline {
    /// Count a distribution that is disabled (serves nothing) as needing logs too.
    #[serde(default)]
    pub include_disabled: bool,
}
