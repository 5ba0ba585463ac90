//! What the audit knows about the detective controls in one account and region: the metric
//! filters (on any log group), the alarms on the filters' metrics and the SNS topics they notify
//! (with their subscriptions), and the EventBridge rules on the default event bus whose pattern
//! matches an event logwarden watches for (with their targets).

use crate::inventory::{CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Digest;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionData {
    /// Every metric filter of the account and region (`DescribeMetricFilters`, all groups); read
    /// only where a trail of the account homed here delivers to CloudWatch Logs (empty
    /// elsewhere: no filter there sees a trail event).
    pub metric_filters: Collected<Vec<MetricFilter>>,
    /// Metric and composite alarms; read only where there are metric filters (an alarm on no
    /// filter's metric notices no log event).
    pub alarms: Collected<Vec<Alarm>>,
    /// Subscriptions of the SNS topics (in this account and region) that the alarms on a
    /// filter's metric notify, by topic ARN.
    #[serde(default)]
    pub topics: BTreeMap<String, Collected<Subscriptions>>,
    /// Rules of the default event bus whose pattern matches a watched event, with targets.
    pub rules: Collected<Vec<Rule>>,
}

impl Fallible for RegionData {
    fn failed(e: &CallError) -> Self {
        RegionData {
            metric_filters: Collected::failed(e),
            alarms: Collected::failed(e),
            topics: BTreeMap::new(),
            rules: Collected::failed(e),
        }
    }
}

/// A metric a filter publishes or an alarm watches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Metric {
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricFilter {
    pub name: String,
    pub log_group: String,
    /// The filter pattern as AWS returns it.
    pub pattern: String,
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    /// The metrics it watches (one, or those of its metric math); empty for a composite alarm.
    pub metrics: Vec<Metric>,
    /// A composite alarm's rule (`ALARM("a") OR ALARM("b")`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub actions_enabled: bool,
    /// Actions taken on entering ALARM (SNS topic ARNs and others).
    pub actions: Vec<String>,
}

impl Alarm {
    /// The alarms a composite alarm's rule names.
    pub fn names_in_rule(&self) -> Vec<String> {
        let Some(rule) = &self.rule else {
            return vec![];
        };
        let mut out = Vec::new();
        let mut rest = rule.as_str();
        while let Some(i) = rest.find("ALARM(") {
            rest = &rest[i + 6..];
            let inner = rest.split(')').next().unwrap_or("");
            let name = inner.trim().trim_matches(|c| c == '"' || c == '\'');
            // A rule may name an alarm by ARN.
            out.push(name.rsplit(":alarm:").next().unwrap_or(name).to_string());
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subscriptions {
    /// Protocols of confirmed subscriptions (`email`, `https`, `sqs`...; endpoints are not kept).
    pub confirmed: Vec<String>,
    /// Subscriptions awaiting confirmation.
    pub pending: usize,
    /// Every subscription (confirmed or pending) as [`endpoint_digest`], so `plan` knows who is
    /// subscribed without keeping an endpoint (a URL may hold a token).
    #[serde(default)]
    pub endpoints: Vec<String>,
}

/// The alarms' topic as the plan decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmTopic {
    pub name: String,
    /// The topic's key, created with `key_policy` when the alias does not exist.
    pub key_alias: String,
    pub key_policy: Value,
    /// Statements merged into the topic's policy (`Sid`s starting with `Logwarden`).
    pub topic_statements: Vec<Value>,
    /// (protocol, endpoint).
    pub subscribers: Vec<(String, String)>,
}

/// A subscription's identity without its endpoint (which may hold a token): SHA-256 of
/// `protocol:endpoint`, hex.
pub fn endpoint_digest(protocol: &str, endpoint: &str) -> String {
    hex::encode(sha2::Sha256::digest(format!("{protocol}:{endpoint}")))
}

/// An endpoint as a plan shows it: an address or ARN as is, a URL by its host only.
pub fn display_endpoint(protocol: &str, endpoint: &str) -> String {
    match protocol {
        "http" | "https" => {
            let host = endpoint
                .split("://")
                .nth(1)
                .and_then(|r| r.split(['/', '?']).next())
                .unwrap_or("?");
            format!("{protocol}: {protocol}://{host}/…")
        }
        "sms" => format!("sms: …{}", &endpoint[endpoint.len().saturating_sub(4)..]),
        _ => format!("{protocol}: {endpoint}"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    pub arn: String,
    /// `ENABLED`, `DISABLED`, `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
    pub state: String,
    pub event_pattern: String,
    /// ARNs of its targets.
    pub targets: Collected<Vec<String>>,
}

impl Rule {
    pub fn enabled(&self) -> bool {
        self.state.starts_with("ENABLED")
    }
}

#[cfg(test)]
impl RegionData {
    /// Nothing configured, every read successful.
    pub fn empty() -> RegionData {
        RegionData {
            metric_filters: Collected::ok(vec![]),
            alarms: Collected::ok(vec![]),
            topics: BTreeMap::new(),
            rules: Collected::ok(vec![]),
        }
    }
}
