//! The `scp_protection` section: the actions a service or resource control policy must deny in
//! every member account so the logging cannot be turned off, shortened or deleted there.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScpProtection {
    /// IAM actions (`service:Action`) that a service control policy (or, for S3 and KMS, a
    /// resource control policy) in force on each member account must deny. Actions of S3, KMS and
    /// CloudWatch Logs are judged on the log buckets, keys and log groups the account holds.
    #[serde(default = "default_actions")]
    pub actions: Vec<String>,
    /// Roles (names) the policy `plan` suggests exempts besides logwarden's apply role: the
    /// break-glass roles that must still be able to change the logging.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt_roles: Vec<String>,
    /// Name of the policy `plan` suggests attaching to the root.
    #[serde(default = "default_policy_name")]
    pub policy_name: String,
    /// Let `plan` propose the SCP (attached to the root) and an RCP on the log archive account
    /// (`<policy_name>-storage`, its buckets and keys) as changes, which `apply` makes only with
    /// `--allow-scp`; otherwise (the default) the SCP is a manual step.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub managed: bool,
}

pub fn default_actions() -> Vec<String> {
    [
        // Stop or narrow what the trails record.
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "cloudtrail:UpdateTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:PutInsightSelectors",
        // Stop recording configuration history.
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "config:DeleteDeliveryChannel",
        // Network and DNS logs.
        "ec2:DeleteFlowLogs",
        "route53resolver:DisassociateResolverQueryLogConfig",
        "route53resolver:DeleteResolverQueryLogConfig",
        // Shorten or delete the log groups.
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteSubscriptionFilter",
        // Empty, re-policy or stop protecting the log buckets.
        "s3:DeleteBucket",
        "s3:PutBucketPolicy",
        "s3:DeleteBucketPolicy",
        "s3:PutLifecycleConfiguration",
        "s3:PutBucketLogging",
        "s3:DeleteObjectVersion",
        // Make the logs unreadable.
        "kms:ScheduleKeyDeletion",
        "kms:DisableKey",
        "kms:PutKeyPolicy",
        // Blind the detectors.
        "guardduty:DeleteDetector",
        "guardduty:DisassociateFromAdministratorAccount",
        "guardduty:UpdateDetector",
        "securityhub:DisableSecurityHub",
        // Leave the organization (and its trail).
        "organizations:LeaveOrganization",
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
            exempt_roles: Vec::new(),
            policy_name: default_policy_name(),
            managed: false,
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
    for r in &s.exempt_roles {
        if !crate::profile::access::valid_role_name(r) {
            return Err(Issue::at(
                &["scp_protection", "exempt_roles"],
                format!("`{r}` is not an IAM role name"),
                "give the role's name (BreakGlass), not its ARN",
            ));
        }
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
