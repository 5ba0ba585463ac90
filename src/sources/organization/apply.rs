//! What apply does for the organization: trusted access for the services that deliver logs
//! organization-wide.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnableServiceAccess { principal: String },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnableServiceAccess { .. } => "organizations:EnableAWSServiceAccess",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, _r, w, _p, _account, _region) = (
            x.session,
            &x.reads,
            &x.writes,
            x.partition,
            x.account,
            x.region,
        );
        match self {
            Op::EnableServiceAccess { principal } => {
                w.call(
                    "organizations:EnableAWSServiceAccess",
                    s.organizations()
                        .enable_aws_service_access()
                        .service_principal(principal)
                        .send(),
                )
                .await?;
            }
        }
        Ok(())
    }
}
