//! What the audit knows about one region's API Gateway APIs: every REST API and every HTTP or
//! WebSocket API, each with its stages' access-log destination and execution-logging level.

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// REST APIs (`GetRestApis`), each with its stages (`GetStages`).
    pub rest_apis: Collected<Vec<Api>>,
    /// HTTP and WebSocket APIs (API Gateway v2 `GetApis`), each with its stages (`GetStages`).
    pub v2_apis: Collected<Vec<Api>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            rest_apis: Collected::failed(e),
            v2_apis: Collected::failed(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Api {
    pub id: String,
    pub name: String,
    /// `REST`, `HTTP` or `WEBSOCKET`.
    pub protocol: String,
    /// Its stages; a failed `GetStages` leaves this one API `unknown`.
    pub stages: Collected<Vec<Stage>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    pub name: String,
    /// When it was created (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Where its access logs go: a CloudWatch Logs group or Firehose stream ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log_destination: Option<String>,
    /// The access-log format (`$context` variables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log_format: Option<String>,
    /// The execution-logging level of every method (REST `*/*`) or the default route
    /// (WebSocket): `OFF`, `ERROR` or `INFO`; `None` where the API has none (HTTP APIs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_logging: Option<String>,
    /// REST method settings other than `*/*` (keys `resource/METHOD`) whose execution-logging
    /// level is neither `ERROR` nor `INFO`, or WebSocket route settings (keys the route keys,
    /// `$connect`) whose own level is `OFF`: they turn execution logging off for those methods
    /// or routes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub execution_logging_off: Vec<String>,
}

/// Whether an execution-logging level logs anything (`ERROR` or `INFO`; `OFF` or none does not).
pub fn logs_at(level: Option<&str>) -> bool {
    matches!(level, Some("ERROR" | "INFO"))
}

impl Stage {
    /// Whether the stage-wide level logs executions (whatever its methods' own settings).
    pub fn stage_level_logs(&self) -> bool {
        logs_at(self.execution_logging.as_deref())
    }

    /// Whether the stage logs executions for every method, as Security Hub's APIGateway.1 asks.
    pub fn logs_executions(&self) -> bool {
        self.stage_level_logs() && self.execution_logging_off.is_empty()
    }
}

impl Api {
    /// The ARN of one of its stages (API Gateway's resource ARNs carry no account).
    pub fn stage_arn(&self, partition: &str, region: &str, stage: &str) -> String {
        let kind = if self.protocol == "REST" {
            "restapis"
        } else {
            "apis"
        };
        format!(
            "arn:{partition}:apigateway:{region}::/{kind}/{}/stages/{stage}",
            self.id
        )
    }
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            rest_apis: Collected::ok(vec![]),
            v2_apis: Collected::ok(vec![]),
        }
    }
}
