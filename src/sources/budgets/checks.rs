//! Cost guard: a budget that alerts on the logging bill.

use super::model::BudgetType;
use crate::rules::{
    account_unreachable, need, not_required, unknown_because, CheckDef, Ctx, Raw, Scope, Severity,
    Status,
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        id: "budgets.logging_cost",
        title: "A cost budget with a notification covers CloudTrail",
        severity: Severity::Low,
        scope: Scope::Account,
        looks_at: "DescribeBudgets and DescribeNotificationsForBudget in the management account",
        rationale: "Data events and duplicate trails can multiply the logging bill silently; a budget alert catches it before someone turns logging off to save money.",
        remediation: "`aws budgets create-budget` with BudgetType=COST, a Service cost filter including AWS CloudTrail (or none), and at least one notification.",
        frameworks: &[],
        eval: logging_cost,
    },
];

const CLOUDTRAIL_SERVICE: &str = "AWS CloudTrail";

pub fn logging_cost(ctx: &Ctx) -> Vec<Raw> {
    let payer = ctx
        .inv
        .organization
        .as_ref()
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| ctx.inv.caller_account_id.clone());
    let acct = Some(payer.as_str());
    let mk = |s: Status, m: String| vec![Raw::new(s, acct, None, payer.clone(), m)];
    if !ctx.b.budgets.logging_cost {
        return mk(
            Status::NotApplicable,
            not_required(ctx, "a logging cost budget"),
        );
    }
    let Some(a) = ctx.inv.account(&payer) else {
        return mk(
            Status::Unknown,
            format!("the paying account {payer} was not audited"),
        );
    };
    if let Some(raw) = account_unreachable(a, None, &payer) {
        return vec![raw];
    }
    let Some(budgets) = &a.data.budgets.budgets else {
        return mk(Status::Unknown, "budgets were not read".into());
    };
    let budgets = match need(budgets) {
        Err(e) => return mk(Status::Unknown, format!("budgets {e}")),
        Ok(b) => b,
    };
    let mut unknown = Vec::new();
    let mut silent = Vec::new();
    for b in budgets.iter().filter(|b| b.budget_type == BudgetType::Cost) {
        let covers =
            b.service_filter.is_empty() || b.service_filter.iter().any(|s| s == CLOUDTRAIL_SERVICE);
        if !covers {
            continue;
        }
        match b.notification_count.as_result() {
            Ok(n) if *n > 0 => {
                return mk(
                    Status::Pass,
                    format!(
                        "cost budget '{}' covers CloudTrail with {n} notification(s)",
                        b.name
                    ),
                )
            }
            Ok(_) => silent.push(b.name.clone()),
            Err(e) => unknown.push(format!(
                "notifications of '{}' {}",
                b.name,
                unknown_because(e)
            )),
        }
    }
    if !unknown.is_empty() {
        return mk(Status::Unknown, unknown.join("; "));
    }
    if silent.is_empty() {
        mk(Status::Fail, "no cost budget covers CloudTrail".into())
    } else {
        mk(
            Status::Fail,
            format!(
                "cost budget(s) {} cover CloudTrail but notify no one",
                silent.join(", ")
            ),
        )
    }
}
