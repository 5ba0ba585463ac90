//! What apply does for `scp_protection` when the profile manages the policies (and only with
//! `--allow-scp`): enable the policy type on the root if it is off, create logwarden's policy
//! (or bring its document to the one the plan shows, if one of that name exists), and attach it.
//! Before writing, it refuses a document that would deny its own apply role.

use super::model::PolicyKind;
use crate::aws::apply::Apply;
use crate::inventory::CallError;
use aws_sdk_organizations::types::{PolicyType, PolicyTypeStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where a policy is attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachTo {
    /// The organization's root: every account below it.
    Root,
    /// One account (the log archive, for its RCP).
    Account(String),
}

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    EnsurePolicy {
        kind: PolicyKind,
        name: String,
        /// The whole document, as the plan shows it.
        content: Value,
        attach_to: AttachTo,
        /// The ARN of the role apply works with, which the document must leave free.
        guard: String,
    },
}

/// Whether a Deny of `doc` applies to `principal` (an ARN): a Deny statement whose
/// `ArnNotLike aws:PrincipalArn` exemption does not name it, or that has no exemption.
pub fn denies_principal(doc: &Value, principal: &str) -> bool {
    let statements = match &doc["Statement"] {
        Value::Array(a) => a.clone(),
        s @ Value::Object(_) => vec![s.clone()],
        _ => vec![],
    };
    statements
        .iter()
        .filter(|s| s["Effect"] == "Deny")
        .any(|s| {
            let exempt = match &s["Condition"]["ArnNotLike"]["aws:PrincipalArn"] {
                Value::String(p) => vec![p.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => vec![],
            };
            !exempt
                .iter()
                .any(|p| super::policy::arn_matches(p, principal))
        })
}

fn policy_type(kind: &PolicyKind) -> PolicyType {
    match kind {
        PolicyKind::Scp => PolicyType::ServiceControlPolicy,
        PolicyKind::Rcp => PolicyType::ResourceControlPolicy,
    }
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::EnsurePolicy { .. } => "organizations:CreatePolicy",
        }
    }

    /// Make the change (in the management account).
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let Op::EnsurePolicy {
            kind,
            name,
            content,
            attach_to,
            guard,
        } = self;
        let (r, w) = (&x.reads, &x.writes);
        if denies_principal(content, guard) {
            return Err(w.error(
                "organizations:CreatePolicy",
                "RefusedSelfDeny",
                format!(
                    "the {} document would deny logwarden's own role {guard}; nothing was written",
                    kind.as_str()
                ),
            ));
        }
        let org = x.session.organizations();
        let ptype = policy_type(kind);
        let roots = r
            // permissions: management account
            .call("organizations:ListRoots", org.list_roots().send())
            .await?;
        let root = roots.roots().first().ok_or_else(|| {
            w.error(
                "organizations:ListRoots",
                "NoRoot",
                "the organization has no root",
            )
        })?;
        let root_id = root.id().unwrap_or_default().to_string();
        let enabled = root
            .policy_types()
            .iter()
            .any(|t| t.r#type() == Some(&ptype) && t.status() == Some(&PolicyTypeStatus::Enabled));
        if !enabled {
            // permissions: management account
            w.call(
                "organizations:EnablePolicyType",
                org.enable_policy_type()
                    .root_id(&root_id)
                    .policy_type(ptype.clone())
                    .send(),
            )
            .await?;
        }
        let pages = r
            // permissions: management account
            .pages(
                "organizations:ListPolicies",
                org.list_policies()
                    .filter(ptype.clone())
                    .into_paginator()
                    .send(),
            )
            .await?;
        let found = pages
            .iter()
            .flat_map(|p| p.policies())
            .find(|p| p.name() == Some(name.as_str()))
            .and_then(|p| p.id().map(String::from));
        let id = match found {
            Some(id) => {
                let current = r
                    // permissions: management account
                    .call(
                        "organizations:DescribePolicy",
                        org.describe_policy().policy_id(&id).send(),
                    )
                    .await?;
                let same = current
                    .policy()
                    .and_then(|p| p.content())
                    .and_then(|c| serde_json::from_str::<Value>(c).ok())
                    .is_some_and(|c| &c == content);
                if !same {
                    // permissions: management account
                    w.call(
                        "organizations:UpdatePolicy",
                        org.update_policy()
                            .policy_id(&id)
                            .content(content.to_string())
                            .send(),
                    )
                    .await?;
                }
                id
            }
            None => w
                // permissions: management account
                .call(
                    "organizations:CreatePolicy",
                    org.create_policy()
                        .name(name)
                        .description("logwarden: stops the logging from being turned off")
                        .r#type(ptype)
                        .content(content.to_string())
                        .send(),
                )
                .await?
                .policy()
                .and_then(|p| p.policy_summary())
                .and_then(|s| s.id())
                .map(String::from)
                .ok_or_else(|| {
                    w.error(
                        "organizations:CreatePolicy",
                        "Empty",
                        "no policy id returned",
                    )
                })?,
        };
        let target = match attach_to {
            AttachTo::Root => root_id,
            AttachTo::Account(a) => a.clone(),
        };
        // permissions: management account
        w.call_opt(
            "organizations:AttachPolicy",
            &["DuplicatePolicyAttachmentException"],
            org.attach_policy().policy_id(&id).target_id(&target).send(),
        )
        .await?;
        Ok(())
    }
}
