//! Cost guard: a budget that alerts on the logging bill.

use super::model::BudgetType;
use crate::finding::{Severity, Status};
use crate::rules::{
    account_unreachable, need, not_required, unknown_because, CheckInfo, Fix, Raw, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "budgets.logging_cost",
        title: "A cost budget with a notification covers CloudTrail",
        severity: Severity::Low,
        scope: Subject::Account,
        looks_at: "DescribeBudgets and DescribeNotificationsForBudget in the management account: a COST budget with a notification whose Service filter includes AWS CloudTrail and only logging services, or, on the whole bill, whose limit is at most budgets.max_amount (default budgets.amount); a larger limit would not notice a runaway logging bill",
        rationale: "Data events and duplicate trails can multiply the logging bill silently; a budget alert catches it before someone turns logging off to save money.",
        remediation: "`aws budgets create-budget` with BudgetType=COST, a Service cost filter on the logging services (AWS CloudTrail among them), and at least one notification; or `logwarden plan` with `budgets.amount` and `budgets.notifications` in the profile.",
        fix: Fix::Plan,
        frameworks: &[],
        },
        eval: logging_cost,
    },
];

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
    let mut wont = Vec::new();
    for b in budgets.iter().filter(|b| b.budget_type == BudgetType::Cost) {
        let why = match super::watch(b, &ctx.b.budgets) {
            super::Watch::No(why) => {
                wont.push(why);
                continue;
            }
            super::Watch::Covers(why) => why,
        };
        match b.notification_count.as_result() {
            Ok(n) if *n > 0 => {
                return mk(Status::Pass, format!("{why}, with {n} notification(s)"));
            }
            Ok(_) => wont.push(format!("{why} but notifies no one")),
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
    if wont.is_empty() {
        mk(Status::Fail, "no cost budget covers CloudTrail".into())
    } else {
        mk(
            Status::Fail,
            format!(
                "no budget would notice a runaway logging bill: {}",
                wont.join("; ")
            ),
        )
    }
}
