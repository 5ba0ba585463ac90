//! The `tamper_protection` section: the detective controls every account must have (the CIS
//! monitoring controls it names, and the tampering actions of `scp_protection`), and what
//! `apply` builds for them on the organization trail's log group: metric filters, alarms and an
//! encrypted SNS topic with the subscribers named here.

use super::controls::CONTROLS;
use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TamperProtection {
    /// The CIS AWS Foundations Benchmark v3.0.0 monitoring controls that must be in place
    /// (`"4.1"` to `"4.15"`; all by default).
    #[serde(default = "all_controls")]
    pub controls: Vec<String>,
    /// Whether stopping, deleting or shortening the logging (the `scp_protection` actions, or
    /// their default list) must also be noticed.
    #[serde(default = "yes")]
    pub tampering: bool,
    /// The SNS topic `apply` creates for the alarms (in the account and region of the
    /// organization trail's log group), encrypted with a key of its own.
    #[serde(default = "default_topic")]
    pub topic_name: String,
    /// Who the topic notifies (each confirms the subscription: a person's step).
    #[serde(default)]
    pub subscribers: Vec<Subscriber>,
    /// The CloudWatch namespace of the filters' metrics.
    #[serde(default = "default_namespace")]
    pub metric_namespace: String,
    /// Prefix of the metric filters, alarms and key alias `apply` creates.
    #[serde(default = "default_prefix")]
    pub name_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subscriber {
    /// `email`, `https`, `sqs`, `lambda`, `sms`...
    pub protocol: String,
    pub endpoint: String,
}

fn yes() -> bool {
    true
}
pub fn all_controls() -> Vec<String> {
    CONTROLS.iter().map(|c| c.cis.to_string()).collect()
}
fn default_topic() -> String {
    "logwarden-security-alarms".into()
}
fn default_namespace() -> String {
    "LogMetrics".into()
}
fn default_prefix() -> String {
    "logwarden-".into()
}

impl Default for TamperProtection {
    fn default() -> Self {
        TamperProtection {
            controls: all_controls(),
            tampering: true,
            topic_name: default_topic(),
            subscribers: vec![],
            metric_namespace: default_namespace(),
            name_prefix: default_prefix(),
        }
    }
}

const PROTOCOLS: &[&str] = &[
    "email",
    "email-json",
    "https",
    "http",
    "sqs",
    "lambda",
    "sms",
    "firehose",
    "application",
];

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let Some(t) = &b.tamper_protection else {
        return Ok(());
    };
    for c in &t.controls {
        if !CONTROLS.iter().any(|x| x.cis == c) {
            return Err(Issue::at(
                &["tamper_protection", "controls"],
                format!("`{c}` is not a CIS v3.0.0 monitoring control"),
                "use \"4.1\" to \"4.15\" (quoted)",
            ));
        }
    }
    for s in &t.subscribers {
        if !PROTOCOLS.contains(&s.protocol.as_str()) {
            return Err(Issue::at(
                &["tamper_protection", "subscribers"],
                format!("`{}` is not an SNS protocol", s.protocol),
                format!("use one of {}", PROTOCOLS.join(", ")),
            ));
        }
        if s.endpoint.trim().is_empty() {
            return Err(Issue::at(
                &["tamper_protection", "subscribers"],
                "a subscriber without an endpoint",
                "give the address, URL or ARN to notify",
            ));
        }
    }
    let names_ok = |n: &str, max: usize| {
        !n.is_empty()
            && n.len() <= max
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !names_ok(&t.topic_name, 256) {
        return Err(Issue::at(
            &["tamper_protection", "topic_name"],
            format!("`{}` is not a valid SNS topic name", t.topic_name),
            "use 1-256 letters, digits, hyphens and underscores",
        ));
    }
    if !names_ok(&t.name_prefix, 64) {
        return Err(Issue::at(
            &["tamper_protection", "name_prefix"],
            format!("`{}` is not a usable name prefix", t.name_prefix),
            "use letters, digits, hyphens and underscores",
        ));
    }
    if t.metric_namespace.is_empty()
        || t.metric_namespace.starts_with("AWS/")
        || t.metric_namespace.len() > 255
    {
        return Err(Issue::at(
            &["tamper_protection", "metric_namespace"],
            format!(
                "`{}` is not a namespace for custom metrics",
                t.metric_namespace
            ),
            "use a name of your own (AWS/ is reserved), e.g. LogMetrics",
        ));
    }
    Ok(())
}
