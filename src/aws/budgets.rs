//! AWS Budgets: cost budgets and whether they notify anyone.

use super::call::CallCtx;
use crate::inventory::{Budget, Collected};

pub async fn budgets(
    client: &aws_sdk_budgets::Client,
    ctx: &CallCtx,
    account_id: &str,
) -> Collected<Vec<Budget>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = match ctx
            .call_opt(
                "budgets:ViewBudget",
                &["NotFoundException"],
                client
                    .describe_budgets()
                    .account_id(account_id)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await
        {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(error) => return Collected::Failed { error },
        };
        for b in page.budgets() {
            let name = b.budget_name().to_string();
            let budget_type = b.budget_type().as_str().to_string();
            // CostFilters is deprecated in favour of FilterExpression, but it is what budgets
            // created by the console, CLI and Landing Zone Accelerator still carry.
            #[allow(deprecated)]
            let service_filter = b
                .cost_filters()
                .and_then(|f| f.get("Service"))
                .cloned()
                .unwrap_or_default();
            let notification_count = if budget_type == "COST" {
                match ctx
                    .call_opt(
                        "budgets:ViewBudget",
                        &["NotFoundException"],
                        client
                            .describe_notifications_for_budget()
                            .account_id(account_id)
                            .budget_name(&name)
                            .send(),
                    )
                    .await
                {
                    Ok(Some(n)) => Collected::ok(n.notifications().len()),
                    Ok(None) => Collected::ok(0),
                    Err(error) => Collected::Failed { error },
                }
            } else {
                Collected::ok(0)
            };
            out.push(Budget {
                name,
                budget_type,
                service_filter,
                notification_count,
            });
        }
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
    }
    Collected::ok(out)
}
