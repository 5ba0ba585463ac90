//! The `budgets` section: a cost budget on the logging bill, and what `apply` creates.

use crate::profile::Issue;
use crate::sources::Baseline;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBaseline {
    /// A cost budget covering CloudTrail, with at least one notification, in the management account.
    #[serde(default)]
    pub logging_cost: bool,
    /// Name of the budget `apply` creates.
    #[serde(default = "default_budget_name")]
    pub name: String,
    /// Budget amount; without one, creating the budget is a manual step.
    #[serde(default)]
    pub amount: Option<f64>,
    /// The largest budget limit that still watches the logging bill (default: `amount`): a
    /// budget above it would not notice a runaway logging bill. A budget on the whole bill (no
    /// `Service` filter, or other services too) counts only when it is at most this.
    #[serde(default)]
    pub max_amount: Option<f64>,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default = "default_period")]
    pub period: BudgetPeriod,
    /// The `Service` cost filter of the budget.
    #[serde(default = "default_budget_services")]
    pub services: Vec<String>,
    #[serde(default)]
    pub notifications: Vec<BudgetNotification>,
}

impl Default for BudgetBaseline {
    fn default() -> Self {
        BudgetBaseline {
            logging_cost: false,
            name: default_budget_name(),
            amount: None,
            max_amount: None,
            currency: default_currency(),
            period: default_period(),
            services: default_budget_services(),
            notifications: vec![],
        }
    }
}
/// Budget notification: when to alert and whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetNotification {
    #[serde(rename = "type")]
    pub kind: NotificationKind,
    pub threshold_percent: f64,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub sns_topics: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    Actual,
    Forecasted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(clippy::upper_case_acronyms)]
pub enum BudgetPeriod {
    MONTHLY,
    QUARTERLY,
    ANNUALLY,
}

impl BudgetPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetPeriod::MONTHLY => "MONTHLY",
            BudgetPeriod::QUARTERLY => "QUARTERLY",
            BudgetPeriod::ANNUALLY => "ANNUALLY",
        }
    }
}

fn default_budget_name() -> String {
    "logwarden-logging-cost".into()
}

fn default_budget_services() -> Vec<String> {
    [
        "AWS CloudTrail",
        "AWS Config",
        "AmazonCloudWatch",
        "Amazon Simple Storage Service",
    ]
    .map(String::from)
    .to_vec()
}

fn default_currency() -> String {
    "USD".into()
}

fn default_period() -> BudgetPeriod {
    BudgetPeriod::MONTHLY
}

/// The section's contradictions and bad values.
pub fn validate(b: &Baseline) -> Result<(), Issue> {
    let at = |key: &'static str, message: String, hint: &str| {
        Issue::at(&["budgets", key], message, hint)
    };
    let bu = &b.budgets;
    if let Some(amount) = bu.amount {
        if !(amount.is_finite() && amount > 0.0) {
            return Err(at(
                "amount",
                format!("budget amount {amount} is not a positive number"),
                "write the monthly (or per-period) limit, e.g. `amount: 200`",
            ));
        }
        if bu.logging_cost && bu.notifications.is_empty() {
            return Err(at(
                "amount",
                "a logging budget needs at least one notification: without one it alerts nobody".into(),
                "add `notifications: [{type: actual, threshold_percent: 80, emails: [you@example.com]}]`",
            ));
        }
    }
    if let Some(max) = bu.max_amount {
        if !(max.is_finite() && max > 0.0) || bu.amount.is_some_and(|a| a > max) {
            return Err(at(
                "max_amount",
                format!("max_amount {max} must be a positive number, at least `amount`"),
                "max_amount is the largest budget limit that still watches the logging bill; the budget logwarden creates (`amount`) must fit under it",
            ));
        }
    }
    if bu.logging_cost
        && !bu.services.is_empty()
        && !bu.services.iter().any(|s| s == "AWS CloudTrail")
    {
        return Err(at(
            "services",
            "the logging budget's `services` filter leaves out `AWS CloudTrail`".into(),
            "add `AWS CloudTrail`, or use `services: []` for a budget on every service",
        ));
    }
    for n in &bu.notifications {
        let at = |key: &'static str, message: String, hint: &str| {
            Issue::at(&["budgets", "notifications", key], message, hint)
        };
        if !(n.threshold_percent > 0.0 && n.threshold_percent <= 1000.0) {
            return Err(at(
                "threshold_percent",
                format!(
                    "threshold {} is outside 0-1000 percent",
                    n.threshold_percent
                ),
                "use a percentage of the budget such as 80 or 100",
            ));
        }
        if n.emails.is_empty() && n.sns_topics.is_empty() {
            return Err(Issue::at(
                &["budgets", "notifications"],
                "a budget notification has no subscriber",
                "add `emails: [...]` or `sns_topics: [arn:aws:sns:...]`",
            ));
        }
        if let Some(e) = n.emails.iter().find(|e| !e.contains('@')) {
            return Err(at(
                "emails",
                format!("`{e}` is not an email address"),
                "write name@example.com",
            ));
        }
        if let Some(t) = n
            .sns_topics
            .iter()
            .find(|t| crate::arn::service_of(t) != Some("sns"))
        {
            return Err(at(
                "sns_topics",
                format!("`{t}` is not an SNS topic ARN"),
                "write arn:aws:sns:REGION:ACCOUNT:TOPIC",
            ));
        }
    }
    Ok(())
}
