//! What apply does for Security Hub: enable it in the account and region of the change (an
//! account that enabled it meanwhile answers "already subscribed", which is success).

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// IAM actions AWS authorizes on the caller during these operations: the Security Hub
/// service-linked role made on first enablement.
pub const IMPLIED: &[&str] = &["iam:CreateServiceLinkedRole"];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Enable Security Hub (with AWS's default standards when asked).
    EnableHub { enable_default_standards: bool },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnableHub { .. } => "securityhub:EnableSecurityHub",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnableHub {
            enable_default_standards,
        } = self;
        let client = crate::client!(aws_sdk_securityhub, x.session, x.region);
        x.writes
            .call_opt(
                "securityhub:EnableSecurityHub",
                &["ResourceConflictException"],
                client
                    .enable_security_hub()
                    .enable_default_standards(*enable_default_standards)
                    .send(),
            )
            .await?;
        Ok(())
    }
}
