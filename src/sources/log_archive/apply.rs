//! What apply does for the log archive key: create it (with its policy and alias), merge
//! logwarden's statements into its policy, turn on rotation.

use crate::aws::apply::{key_account, same_doc, Apply};
use crate::inventory::CallError;
use crate::plan::merge::merge_policy;
use crate::plan::KeyRef;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// IAM actions AWS authorizes on the caller during these operations: tagging the key it creates.
pub const IMPLIED: &[&str] = &["kms:TagResource"];

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateKey {
        alias: String,
        description: String,
        /// The whole policy of the new key.
        policy: Value,
    },
    MergeKeyPolicy {
        key: KeyRef,
        statements: Vec<Value>,
    },
    EnableKeyRotation {
        key: KeyRef,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::CreateKey { .. } => "kms:CreateKey",
            Op::MergeKeyPolicy { .. } => "kms:PutKeyPolicy",
            Op::EnableKeyRotation { .. } => "kms:EnableKeyRotation",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, r, w, region) = (x.session, &x.reads, &x.writes, x.region);
        match self {
            Op::CreateKey {
                alias,
                description,
                policy,
            } => {
                let kms = crate::client!(aws_sdk_kms, s, region);
                let out = w
                    .call(
                        "kms:CreateKey",
                        kms.create_key()
                            .description(description)
                            .policy(policy.to_string())
                            .tags(
                                aws_sdk_kms::types::Tag::builder()
                                    .tag_key("logwarden:alias")
                                    .tag_value(alias)
                                    .build()
                                    .map_err(|e| {
                                        w.error("kms:CreateKey", "Build", e.to_string())
                                    })?,
                            )
                            .send(),
                    )
                    .await?;
                let key_id = out
                    .key_metadata()
                    .map(|m| m.key_id().to_string())
                    .ok_or_else(|| w.error("kms:CreateKey", "Empty", "no key id returned"))?;
                w.call(
                    "kms:CreateAlias",
                    kms.create_alias()
                        .alias_name(alias)
                        .target_key_id(&key_id)
                        .send(),
                )
                .await?;
            }
            Op::MergeKeyPolicy { key, statements } => {
                let (arn, kregion) = x.exec.resolve_key(key).await?;
                let session = x.exec.session(key_account(key, &arn)).map_err(|e| *e)?;
                let kms = crate::client!(aws_sdk_kms, session, kregion);
                let r = r.in_region(&kregion);
                let w = w.in_region(&kregion);
                let current = r
                    .call(
                        "kms:GetKeyPolicy",
                        kms.get_key_policy()
                            .key_id(&arn)
                            .policy_name("default")
                            .send(),
                    )
                    .await?
                    .policy()
                    .map(String::from);
                let merged = merge_policy(current.as_deref(), statements, "key policy")
                    .map_err(|e| w.error("kms:PutKeyPolicy", "UnreadablePolicy", e.to_string()))?;
                if !same_doc(current.as_deref(), &merged) {
                    w.call(
                        "kms:PutKeyPolicy",
                        kms.put_key_policy()
                            .key_id(&arn)
                            .policy_name("default")
                            .policy(merged.to_string())
                            .send(),
                    )
                    .await?;
                }
            }
            Op::EnableKeyRotation { key } => {
                let (arn, kregion) = x.exec.resolve_key(key).await?;
                let session = x.exec.session(key_account(key, &arn)).map_err(|e| *e)?;
                let kms = crate::client!(aws_sdk_kms, session, kregion);
                w.in_region(&kregion)
                    .call(
                        "kms:EnableKeyRotation",
                        kms.enable_key_rotation().key_id(&arn).send(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
