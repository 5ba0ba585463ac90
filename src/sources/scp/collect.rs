//! Service and resource control policies, read in the management account: `ListRoots` (which
//! policy types are enabled), `ListPolicies` (SERVICE_CONTROL_POLICY, and RESOURCE_CONTROL_POLICY
//! when that type is enabled), per policy `DescribePolicy` and `ListTargetsForPolicy`, and the
//! organizational tree (one `ListOrganizationalUnitsForParent` and one `ListAccountsForParent`
//! per unit).

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
    let enabled = |kind: PolicyType| {
        roots.roots().iter().any(|r| {
            r.policy_types().iter().any(|t| {
                t.r#type() == Some(&kind) && t.status() == Some(&PolicyTypeStatus::Enabled)
            })
        })
    };
    let (scps_enabled, rcps_enabled) = (
        enabled(PolicyType::ServiceControlPolicy),
        enabled(PolicyType::ResourceControlPolicy),
    );
    let (scps, rcps, ancestors) = tokio::try_join!(
        policies(
            client,
            ctx,
            PolicyType::ServiceControlPolicy,
            PolicyKind::Scp
        ),
        async {
            if rcps_enabled {
                policies(
                    client,
                    ctx,
                    PolicyType::ResourceControlPolicy,
                    PolicyKind::Rcp,
                )
                .await
            } else {
                Ok(Vec::new())
            }
        },
        crate::aws::organizations::account_ancestors(client, ctx),
    )?;
    Ok(Scps {
        enabled: scps_enabled,
        rcps_enabled,
        policies: scps.into_iter().chain(rcps).collect(),
        ancestors,
    })
}

/// The policies of one type, each with its document and targets.
async fn policies(
    client: &aws_sdk_organizations::Client,
    ctx: &CallCtx,
    filter: PolicyType,
    kind: PolicyKind,
) -> Result<Vec<Scp>, CallError> {
    let summaries = ctx
        // permissions: management account
        .pages(
            "organizations:ListPolicies",
            client
                .list_policies()
                .filter(filter)
                .into_paginator()
                .send(),
        )
        .await?;
    try_join_all(
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
                    kind,
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
    .await
}
