//! AWS Organizations: the organization and its active accounts; EC2 regions enabled per account.

use super::call::CallCtx;
use crate::inventory::CallError;

#[derive(Debug, Clone, PartialEq)]
pub struct OrgAccount {
    pub id: String,
    pub name: Option<String>,
}

/// The organization id and management account id, or the error (not in an organization, denied).
pub async fn describe_organization(
    org: &aws_sdk_organizations::Client,
    ctx: &CallCtx,
) -> Result<(String, String), CallError> {
    let out = ctx
        // permissions: management account
        .call(
            "organizations:DescribeOrganization",
            org.describe_organization().send(),
        )
        .await?;
    let o = out.organization().ok_or_else(|| {
        ctx.error(
            "organizations:DescribeOrganization",
            "Empty",
            "no organization returned",
        )
    })?;
    Ok((
        o.id().unwrap_or_default().to_string(),
        o.master_account_id().unwrap_or_default().to_string(),
    ))
}

/// Whether an account of `ListAccounts` is active: its `State` (ACTIVE), or, from an endpoint
/// that does not send `State` yet, its `Status`. AWS retired `Status` from the answers on
/// 2026-09-09; an account with neither is not counted active.
pub fn is_active(a: &aws_sdk_organizations::types::Account) -> bool {
    match a.state() {
        Some(state) => state.as_str() == "ACTIVE",
        None => a.status().is_some_and(|s| s.as_str() == "ACTIVE"),
    }
}

/// Every ACTIVE account of the organization.
pub async fn list_active_accounts(
    org: &aws_sdk_organizations::Client,
    ctx: &CallCtx,
) -> Result<Vec<OrgAccount>, CallError> {
    let pages = ctx
        // permissions: management account
        .pages(
            "organizations:ListAccounts",
            org.list_accounts().into_paginator().send(),
        )
        .await?;
    let mut out: Vec<OrgAccount> = pages
        .iter()
        .flat_map(|p| p.accounts())
        .filter(|a| is_active(a))
        .map(|a| OrgAccount {
            id: a.id().unwrap_or_default().to_string(),
            name: a.name().map(String::from),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// For every account, the organizational units (and the root) above it, nearest first.
/// Walks the tree from the root: one ListOrganizationalUnitsForParent and one
/// ListAccountsForParent per unit (paginated).
pub async fn account_ancestors(
    org: &aws_sdk_organizations::Client,
    ctx: &CallCtx,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, CallError> {
    let roots = ctx
        // permissions: management account
        .call("organizations:ListRoots", org.list_roots().send())
        .await?;
    let mut out = std::collections::BTreeMap::new();
    // (parent id, its ancestors including itself, nearest first)
    let mut queue: Vec<(String, Vec<String>)> = roots
        .roots()
        .iter()
        .filter_map(|r| r.id().map(|id| (id.to_string(), vec![id.to_string()])))
        .collect();
    while let Some((parent, chain)) = queue.pop() {
        let accounts = ctx
            // permissions: management account
            .pages(
                "organizations:ListAccountsForParent",
                org.list_accounts_for_parent()
                    .parent_id(&parent)
                    .into_paginator()
                    .send(),
            )
            .await?;
        for a in accounts.iter().flat_map(|p| p.accounts()) {
            if let Some(id) = a.id() {
                out.insert(id.to_string(), chain.clone());
            }
        }
        let units = ctx
            // permissions: management account
            .pages(
                "organizations:ListOrganizationalUnitsForParent",
                org.list_organizational_units_for_parent()
                    .parent_id(&parent)
                    .into_paginator()
                    .send(),
            )
            .await?;
        for ou in units.iter().flat_map(|p| p.organizational_units()) {
            if let Some(id) = ou.id() {
                let mut c = vec![id.to_string()];
                c.extend(chain.iter().cloned());
                queue.push((id.to_string(), c));
            }
        }
    }
    Ok(out)
}

/// Regions of the account's partition with their opt-in status: (name, enabled).
pub async fn describe_regions(
    ec2: &aws_sdk_ec2::Client,
    ctx: &CallCtx,
    partition: &str,
) -> Result<Vec<(String, bool)>, CallError> {
    let out = ctx
        .call(
            "ec2:DescribeRegions",
            ec2.describe_regions().all_regions(true).send(),
        )
        .await?;
    let mut v: Vec<(String, bool)> = out
        .regions()
        .iter()
        .filter_map(|r| {
            let name = r.region_name()?.to_string();
            let enabled = r
                .opt_in_status()
                .map(|s| s != "not-opted-in")
                .unwrap_or(true);
            Some((name, enabled))
        })
        .filter(|(name, _)| crate::arn::Partition::of_region(name).name() == partition)
        .collect();
    v.sort();
    v.dedup();
    Ok(v)
}
