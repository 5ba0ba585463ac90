//! What apply does to IAM: the roles log-delivery services assume, created when missing and
//! their permissions (re)written.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnsureRole {
        name: String,
        trust_policy: Value,
        inline_policy: Option<Value>,
        managed_policy_arns: Vec<String>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnsureRole { .. } => "iam:CreateRole",
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
            Op::EnsureRole {
                name,
                trust_policy,
                inline_policy,
                managed_policy_arns,
            } => {
                let iam = crate::client!(aws_sdk_iam, s, s.home_region());
                w.call_opt(
                    "iam:CreateRole",
                    &["EntityAlreadyExists"],
                    iam.create_role()
                        .role_name(name)
                        .assume_role_policy_document(trust_policy.to_string())
                        .description("Created by logwarden apply")
                        .send(),
                )
                .await?;
                if let Some(doc) = inline_policy {
                    w.call(
                        "iam:PutRolePolicy",
                        iam.put_role_policy()
                            .role_name(name)
                            .policy_name("logwarden")
                            .policy_document(doc.to_string())
                            .send(),
                    )
                    .await?;
                }
                for arn in managed_policy_arns {
                    w.call(
                        "iam:AttachRolePolicy",
                        iam.attach_role_policy()
                            .role_name(name)
                            .policy_arn(arn)
                            .send(),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}
