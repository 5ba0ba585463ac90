//! The `api_gateway_logging` section: every API Gateway stage writes access logs (and, when
//! asked, execution logs).

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiGatewayLoggingBaseline {
    /// Judge WebSocket API stages too (default true); REST and HTTP API stages always are.
    #[serde(default = "yes")]
    pub websocket: bool,
    /// Where `plan`'s manual step sends a stage's access logs: the log group
    /// `<prefix><api-id>/<stage>` in the stage's account and region (default
    /// `/aws/apigateway/access-logs/`), created first at the profile's log-group retention.
    #[serde(default = "default_prefix")]
    pub log_group_prefix: String,
    /// Require execution logging too (`ERROR` or `INFO` for every method) on REST and
    /// WebSocket stages, as FSBP APIGateway.1 does (default false: access logs only).
    #[serde(default)]
    pub execution_logging: bool,
}

fn yes() -> bool {
    true
}

fn default_prefix() -> String {
    "/aws/apigateway/access-logs/".into()
}

impl Default for ApiGatewayLoggingBaseline {
    fn default() -> Self {
        ApiGatewayLoggingBaseline {
            websocket: true,
            log_group_prefix: default_prefix(),
            execution_logging: false,
        }
    }
}

impl ApiGatewayLoggingBaseline {
    /// The log group plan names for a stage.
    pub fn log_group(&self, api: &str, stage: &str) -> String {
        format!("{}{api}/{stage}", self.log_group_prefix)
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let Some(a) = &b.api_gateway_logging else {
        return Ok(());
    };
    let p = &a.log_group_prefix;
    let ok = !p.is_empty()
        && p.len() <= 400
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.#".contains(c));
    if !ok {
        return Err(Issue::at(
            &["api_gateway_logging", "log_group_prefix"],
            format!("`{p}` cannot begin a CloudWatch Logs group name"),
            "use letters, digits and _ - / . # only, e.g. /aws/apigateway/access-logs/",
        ));
    }
    Ok(())
}
