//! The `scp_protection` section: the actions an SCP must deny in every member account so the
//! logging cannot be turned off or deleted there.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScpProtection {
    /// IAM actions (`service:Action`) that a service control policy in force on each member
    /// account must deny.
    #[serde(default = "default_actions")]
    pub actions: Vec<String>,
    /// Name of the policy `plan` suggests attaching to the root.
    #[serde(default = "default_policy_name")]
    pub policy_name: String,
}

pub fn default_actions() -> Vec<String> {
    [
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "config:DeleteDeliveryChannel",
        "ec2:DeleteFlowLogs",
        "guardduty:DeleteDetector",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

fn default_policy_name() -> String {
    "logwarden-protect-logging".into()
}

impl Default for ScpProtection {
    fn default() -> Self {
        ScpProtection {
            actions: default_actions(),
            policy_name: default_policy_name(),
        }
    }
}

/// The section's bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let Some(s) = &b.scp_protection else {
        return Ok(());
    };
    for a in &s.actions {
        let ok = a.split_once(':').is_some_and(|(svc, act)| {
            !svc.is_empty()
                && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !act.is_empty()
                && act.chars().all(|c| c.is_ascii_alphanumeric() || c == '*')
        });
        if !ok {
            return Err(Issue::at(
                &["scp_protection", "actions"],
                format!("`{a}` is not an IAM action"),
                "write actions as service:Action, e.g. cloudtrail:StopLogging",
            ));
        }
    }
    if s.actions.is_empty() {
        return Err(Issue::at(
            &["scp_protection", "actions"],
            "no action to protect",
            "list the actions an SCP must deny, or remove the section",
        ));
    }
    let n = &s.policy_name;
    if n.is_empty() || n.len() > 128 || !n.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err(Issue::at(
            &["scp_protection", "policy_name"],
            format!("`{n}` is not a valid policy name"),
            "use 1-128 printable characters",
        ));
    }
    Ok(())
}
