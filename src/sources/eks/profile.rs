//! The `eks` section: the control-plane log types every EKS cluster must send to CloudWatch
//! Logs.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

/// An EKS control-plane log type (AWS's names).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "camelCase")]
pub enum LogType {
    /// The Kubernetes API server's log.
    Api,
    /// Kubernetes audit: who did what through the API (the one responders need most).
    Audit,
    /// The IAM authenticator: which IAM principal each Kubernetes identity was.
    Authenticator,
    ControllerManager,
    Scheduler,
}

impl LogType {
    pub fn as_str(self) -> &'static str {
        match self {
            LogType::Api => "api",
            LogType::Audit => "audit",
            LogType::Authenticator => "authenticator",
            LogType::ControllerManager => "controllerManager",
            LogType::Scheduler => "scheduler",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EksBaseline {
    /// Control-plane log types every cluster sends to CloudWatch Logs (default: api, audit,
    /// authenticator). `plan` enables the missing ones; it never disables one.
    #[serde(default = "default_log_types")]
    pub log_types: Vec<LogType>,
}

fn default_log_types() -> Vec<LogType> {
    vec![LogType::Api, LogType::Audit, LogType::Authenticator]
}

impl Default for EksBaseline {
    fn default() -> Self {
        EksBaseline {
            log_types: default_log_types(),
        }
    }
}

impl EksBaseline {
    /// The wanted types a cluster sending `enabled` lacks, in the profile's order.
    pub fn missing(&self, enabled: &[String]) -> Vec<LogType> {
        let mut out: Vec<LogType> = Vec::new();
        for t in &self.log_types {
            if !enabled.iter().any(|e| e == t.as_str()) && !out.contains(t) {
                out.push(*t);
            }
        }
        out
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    match &b.eks {
        Some(e) if e.log_types.is_empty() => Err(Issue::at(
            &["eks", "log_types"],
            "`log_types` is empty: the section would ask nothing of any cluster",
            "name at least one type (api, audit, authenticator, controllerManager, scheduler), or remove the `eks` section",
        )),
        _ => Ok(()),
    }
}
