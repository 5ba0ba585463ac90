//! The organization's read for `plan`: which services have trusted access.

use super::model::PlanData;
use crate::aws::{AccountSession, CallCtx};
use crate::inventory::{Collected, ScopeMode};
use crate::sources::PlanReadCtx;

/// The service principals with trusted access, sorted (management account only).
pub async fn trusted_access(management: &AccountSession, ctx: &CallCtx) -> Collected<Vec<String>> {
    ctx.pages(
        "organizations:ListAWSServiceAccessForOrganization",
        management
            .organizations()
            .list_aws_service_access_for_organization()
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        let mut v: Vec<String> = pages
            .iter()
            .flat_map(|p| p.enabled_service_principals())
            .filter_map(|p| p.service_principal().map(String::from))
            .collect();
        v.sort();
        v
    })
    .into()
}

/// The organization's plan-time reads: the services it trusts (management account).
pub async fn plan(ctx: &PlanReadCtx<'_>) -> Result<PlanData, String> {
    let management = ctx.session(ctx.management_id()).await?;
    let trusted_access = if ctx.org.mode == ScopeMode::Organization {
        trusted_access(management, &ctx.call(&management.account_id, None)).await
    } else {
        Collected::ok(vec![])
    };
    Ok(PlanData { trusted_access })
}
