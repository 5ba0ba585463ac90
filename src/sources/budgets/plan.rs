//! The logging budget's plan: create it, or add notifications to one that has none.

use super::model::Budget;
use crate::plan::note;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let bb = ctx.b.budgets.clone();
    if !bb.logging_cost {
        return;
    }
    let mgmt = ctx.mgmt.clone();
    let address = format!("budget.{}", bb.name);
    let Some(a) = ctx.account(&mgmt) else { return };
    let list = match a.data.budgets.budgets.as_ref().map(|b| b.as_result()) {
        None => return,
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(&address, &mgmt, "global", "the budgets", &e);
            return;
        }
        Some(Ok(v)) => v,
    };
    let covers = |b: &Budget| matches!(super::watch(b, &bb), super::Watch::Covers(_));
    // A budget that already watches the logging bill stands in for the profile's: said so.
    if let Some(b) = list
        .iter()
        .find(|b| covers(b) && b.notification_count.value().is_some_and(|n| *n > 0))
    {
        if b.name != bb.name {
            let why = match super::watch(b, &bb) {
                super::Watch::Covers(why) => why,
                super::Watch::No(why) => why,
            };
            ctx.kept.push(note(&address, &mgmt, "global", format!("{why}, with notifications: it stands in for the budget `{}` the profile asks for, which is not created", bb.name)));
        }
        return;
    }
    if let Some(existing) = list.iter().find(|b| b.name == bb.name) {
        if existing.notification_count.value() == Some(&0)
            && !bb.notifications.is_empty()
            && covers(existing)
        {
            ctx.push(Change::new(
                address,
                Action::Update,
                mgmt,
                "global",
                vec![AttrChange::new(
                    "notifications",
                    Some("none"),
                    notification_label(&bb.notifications),
                )],
                vec![super::apply::Op::AddBudgetNotifications {
                    name: bb.name.clone(),
                    notifications: bb.notifications.clone(),
                }
                .into()],
            ));
        } else {
            ctx.kept.push(note(
                &address,
                &mgmt,
                "global",
                "a budget with this name exists; logwarden does not change its amount or filters",
            ));
        }
        return;
    }
    match bb.amount {
        None => ctx.push(Change::manual_step(
            address,
            mgmt.clone(),
            "global",
            AttrChange::new("budget", None::<String>, "a cost budget covering CloudTrail, with notifications"),
            "the profile sets no `budgets.amount`: only you know what logging should cost",
            format!("set `budgets.amount` (and `budgets.notifications`) in the profile, then run `logwarden apply` again; or: aws budgets create-budget --account-id {mgmt} --budget {} --notifications-with-subscribers '[{{\"Notification\":{{\"NotificationType\":\"ACTUAL\",\"ComparisonOperator\":\"GREATER_THAN\",\"Threshold\":80,\"ThresholdType\":\"PERCENTAGE\"}},\"Subscribers\":[{{\"SubscriptionType\":\"EMAIL\",\"Address\":\"YOU@EXAMPLE.COM\"}}]}}]'", crate::plan::shell_word(&serde_json::json!({"BudgetName": bb.name, "BudgetLimit": {"Amount": "AMOUNT", "Unit": bb.currency}, "TimeUnit": bb.period.as_str(), "BudgetType": "COST"}).to_string())),
        )),
        Some(amount) => ctx.push(Change::new(
            address,
            Action::Create,
            mgmt,
            "global",
            vec![
                AttrChange::new("limit", None::<String>, format!("{amount} {} {}", bb.currency, bb.period.as_str())),
                AttrChange::new("services", None::<String>, if bb.services.is_empty() { "all".into() } else { bb.services.join(", ") }),
                AttrChange::new("notifications", None::<String>, notification_label(&bb.notifications)),
            ],
            vec![super::apply::Op::CreateBudget {
                name: bb.name.clone(),
                amount: format_amount(amount),
                currency: bb.currency.clone(),
                period: bb.period.as_str().into(),
                services: bb.services.clone(),
                notifications: bb.notifications.clone(),
            }
            .into()],
        )),
    }
}

fn format_amount(a: f64) -> String {
    if a.fract() == 0.0 {
        format!("{a:.0}")
    } else {
        format!("{a:.2}")
    }
}

fn notification_label(n: &[crate::sources::budgets::profile::BudgetNotification]) -> String {
    n.iter()
        .map(|n| format!("{:?} > {}%", n.kind, n.threshold_percent).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}
