//! Service control policies, read in the management account: `ListRoots` (is the policy type
//! enabled), `ListPolicies` (SERVICE_CONTROL_POLICY), per policy `DescribePolicy` and
//! `ListTargetsForPolicy`, and the organizational tree (one `ListOrganizationalUnitsForParent`
//! and one `ListAccountsForParent` per unit).

use super::model::*;
use crate::aws::collect::AccountCtx;
use crate::aws::CallCtx;
use crate::inventory::CallError;
use aws_sdk_organizations::types::{PolicyType, PolicyTypeStatus};
use futures::future::try_join_all;

pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let management = ctx
        .org
        .organization
        .as_ref()
        .is_some_and(|o| o.management_account_id == ctx.account.id);
    if !management {
        return AccountData { policies: None };
    }
    let client = ctx.session.organizations();
    AccountData {
        policies: Some(read(&client, &ctx.call).await.into()),
    }
}

async fn read(client: &aws_sdk_organizations::Client, ctx: &CallCtx) -> Result<Scps, CallError> {
    let roots = ctx
        // permissions: management account
        .call("organizations:ListRoots", client.list_roots().send())
        .await?;
    let enabled = roots.roots().iter().any(|r| {
        r.policy_types().iter().any(|t| {
            t.r#type() == Some(&PolicyType::ServiceControlPolicy)
                && t.status() == Some(&PolicyTypeStatus::Enabled)
        })
    });
    let (summaries, ancestors) = tokio::try_join!(
        // permissions: management account
        ctx.pages(
            "organizations:ListPolicies",
            client
                .list_policies()
                .filter(PolicyType::ServiceControlPolicy)
                .into_paginator()
                .send(),
        ),
        crate::aws::organizations::account_ancestors(client, ctx),
    )?;
    let policies = try_join_all(
        summaries
            .iter()
            .flat_map(|p| p.policies())
            .map(|s| async move {
                let id = s.id().unwrap_or_default().to_string();
                let (doc, targets) = tokio::try_join!(
                    // permissions: management account
                    ctx.call(
                        "organizations:DescribePolicy",
                        client.describe_policy().policy_id(&id).send()
                    ),
                    // permissions: management account
                    ctx.pages(
                        "organizations:ListTargetsForPolicy",
                        client
                            .list_targets_for_policy()
                            .policy_id(&id)
                            .into_paginator()
                            .send(),
                    ),
                )?;
                Ok::<_, CallError>(Scp {
                    name: s.name().unwrap_or_default().to_string(),
                    aws_managed: s.aws_managed(),
                    content: doc
                        .policy()
                        .and_then(|p| p.content())
                        .unwrap_or_default()
                        .to_string(),
                    targets: targets
                        .iter()
                        .flat_map(|p| p.targets())
                        .filter_map(|t| t.target_id().map(String::from))
                        .collect(),
                    id,
                })
            }),
    )
    .await?;
    Ok(Scps {
        enabled,
        policies,
        ancestors,
    })
}
