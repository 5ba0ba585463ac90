//! What apply does for budgets: create the logging budget, add missing notifications.

use crate::aws::apply::Apply;
use crate::inventory::CallError;
use serde::{Deserialize, Serialize};

/// The operations apply performs for this source (a plan's `ops`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateBudget {
        name: String,
        amount: String,
        currency: String,
        period: String,
        services: Vec<String>,
        notifications: Vec<crate::sources::budgets::profile::BudgetNotification>,
    },
    AddBudgetNotifications {
        name: String,
        notifications: Vec<crate::sources::budgets::profile::BudgetNotification>,
    },
}

impl Op {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            Op::CreateBudget { .. } => "budgets:ModifyBudget",
            Op::AddBudgetNotifications { .. } => "budgets:ModifyBudget",
        }
    }

    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, _r, w, p, account, _region) = (
            x.session,
            &x.reads,
            &x.writes,
            x.partition,
            x.account,
            x.region,
        );
        match self {
            Op::CreateBudget {
                name,
                amount,
                currency,
                period,
                services,
                notifications,
            } => {
                use aws_sdk_budgets::types::*;
                let mut budget = Budget::builder()
                    .budget_name(name)
                    .budget_type(BudgetType::Cost)
                    .time_unit(TimeUnit::from(period.as_str()))
                    .budget_limit(
                        Spend::builder()
                            .amount(amount)
                            .unit(currency)
                            .build()
                            .map_err(|e| w.error("budgets:ModifyBudget", "Build", e.to_string()))?,
                    );
                if !services.is_empty() {
                    // CostFilters: what the audit reads back (and what emulators support).
                    budget = with_service_filter(budget, services.clone());
                }
                let budget = budget
                    .build()
                    .map_err(|e| w.error("budgets:ModifyBudget", "Build", e.to_string()))?;
                let subs = notifications
                    .iter()
                    .map(to_sdk_notification)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| w.error("budgets:ModifyBudget", "Build", e))?;
                w.call_opt(
                    "budgets:ModifyBudget",
                    &["DuplicateRecordException"],
                    crate::client!(aws_sdk_budgets, s, crate::arn::Partition(p).global_region())
                        .create_budget()
                        .account_id(account)
                        .budget(budget)
                        .set_notifications_with_subscribers(Some(subs))
                        .send(),
                )
                .await?;
            }
            Op::AddBudgetNotifications {
                name,
                notifications,
            } => {
                for n in notifications {
                    let ns = to_sdk_notification(n)
                        .map_err(|e| w.error("budgets:ModifyBudget", "Build", e))?;
                    w.call_opt(
                        "budgets:ModifyBudget",
                        &["DuplicateRecordException"],
                        crate::client!(
                            aws_sdk_budgets,
                            s,
                            crate::arn::Partition(p).global_region()
                        )
                        .create_notification()
                        .account_id(account)
                        .budget_name(name)
                        .set_notification(ns.notification().cloned())
                        .set_subscribers(Some(ns.subscribers().to_vec()))
                        .send(),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}

fn to_sdk_notification(
    n: &crate::sources::budgets::profile::BudgetNotification,
) -> Result<aws_sdk_budgets::types::NotificationWithSubscribers, String> {
    use aws_sdk_budgets::types::*;
    let notification = Notification::builder()
        .notification_type(match n.kind {
            crate::sources::budgets::profile::NotificationKind::Actual => NotificationType::Actual,
            crate::sources::budgets::profile::NotificationKind::Forecasted => {
                NotificationType::Forecasted
            }
        })
        .comparison_operator(ComparisonOperator::GreaterThan)
        .threshold(n.threshold_percent)
        .threshold_type(ThresholdType::Percentage)
        .build()
        .map_err(|e| e.to_string())?;
    let mut subs = Vec::new();
    for e in &n.emails {
        subs.push(
            Subscriber::builder()
                .subscription_type(SubscriptionType::Email)
                .address(e)
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    for t in &n.sns_topics {
        subs.push(
            Subscriber::builder()
                .subscription_type(SubscriptionType::Sns)
                .address(t)
                .build()
                .map_err(|e| e.to_string())?,
        );
    }
    NotificationWithSubscribers::builder()
        .notification(notification)
        .set_subscribers(Some(subs))
        .build()
        .map_err(|e| e.to_string())
}

/// CostFilters is what the audit reads back (DescribeBudgets) and what emulators support; its
/// successor, FilterExpression, is not read by older tooling.
#[allow(deprecated)]
fn with_service_filter(
    b: aws_sdk_budgets::types::builders::BudgetBuilder,
    services: Vec<String>,
) -> aws_sdk_budgets::types::builders::BudgetBuilder {
    b.cost_filters("Service", services)
}
