//! AWS Budgets reads in the paying account: cost budgets and whether they notify anyone.
//! Budgets answers at one endpoint per partition.

use super::model::*;
use crate::aws::collect::AccountCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;
use futures::future::join_all;

pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    if ctx.account.id != ctx.org.payer {
        return AccountData { budgets: None };
    }
    let region = crate::arn::Partition(&ctx.org.partition).global_region();
    let client = crate::client!(aws_sdk_budgets, ctx.session, region);
    AccountData {
        budgets: Some(budgets(&client, &ctx.call.in_region(region), &ctx.account.id).await),
    }
}

pub async fn budgets(
    client: &aws_sdk_budgets::Client,
    ctx: &CallCtx,
    account_id: &str,
) -> Collected<Vec<Budget>> {
    let pages = match ctx
        // permissions: management account
        .pages(
            "budgets:ViewBudget",
            client
                .describe_budgets()
                .account_id(account_id)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(p) => p,
        // An account without any budget answers NotFoundException.
        Err(e) if e.code == "NotFoundException" => vec![],
        Err(error) => return Collected::Failed { error },
    };
    Collected::ok(
        join_all(pages.iter().flat_map(|p| p.budgets()).map(|b| async move {
            let name = b.budget_name().to_string();
            let budget_type = BudgetType::from(b.budget_type().as_str());
            // CostFilters is deprecated in favour of FilterExpression, but it is what budgets
            // created by the console, CLI and Landing Zone Accelerator still carry.
            #[allow(deprecated)]
            let cost_filters = b.cost_filters().cloned().unwrap_or_default();
            let mut service_filter = cost_filters.get("Service").cloned().unwrap_or_default();
            let mut other_filters = cost_filters.keys().any(|k| k != "Service");
            // The newer FilterExpression: one SERVICE dimension is read; anything else is a
            // filter whose scope logwarden does not judge.
            if let Some(x) = b.filter_expression() {
                match x.dimensions() {
                    Some(d)
                        if d.key().as_str() == "SERVICE"
                            && x.and().is_empty()
                            && x.or().is_empty()
                            && x.not().is_none() =>
                    {
                        service_filter = d.values().to_vec();
                    }
                    _ => other_filters = true,
                }
            }
            let limit = b
                .budget_limit()
                .and_then(|l| l.amount().parse::<f64>().ok());
            let limit_unit = b.budget_limit().map(|l| l.unit().to_string());
            let notification_count = if budget_type == BudgetType::Cost {
                // permissions: management account
                ctx.call_opt(
                    "budgets:ViewBudget",
                    &["NotFoundException"],
                    client
                        .describe_notifications_for_budget()
                        .account_id(account_id)
                        .budget_name(&name)
                        .send(),
                )
                .await
                .map(|n| n.map(|n| n.notifications().len()).unwrap_or(0))
                .into()
            } else {
                Collected::ok(0)
            };
            Budget {
                name,
                budget_type,
                service_filter,
                notification_count,
                limit,
                limit_unit,
                other_filters,
            }
        }))
        .await,
    )
}
