//! What the audit knows about the paying account's budgets.

use crate::inventory::{aws_enum, CallError, Collected, Fallible};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    /// Cost budgets (read in the management account, or the single account); `None` in the
    /// other accounts.
    pub budgets: Option<Collected<Vec<Budget>>>,
}

impl Fallible for AccountData {
    fn failed(_: &CallError) -> Self {
        AccountData { budgets: None }
    }
}

aws_enum! {
    /// What a budget tracks.
    pub enum BudgetType {
        Cost = "COST",
        Usage = "USAGE",
        RiUtilization = "RI_UTILIZATION",
        RiCoverage = "RI_COVERAGE",
        SavingsPlansUtilization = "SAVINGS_PLANS_UTILIZATION",
        SavingsPlansCoverage = "SAVINGS_PLANS_COVERAGE",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub name: String,
    pub budget_type: BudgetType,
    /// The `Service` cost filter; empty means every service.
    pub service_filter: Vec<String>,
    pub notification_count: Collected<usize>,
    /// The budget's limit (`BudgetLimit`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_unit: Option<String>,
    /// The budget filters on more than the `Service` dimension, or in a way logwarden does not
    /// read: what it watches is not known to be the logging bill.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub other_filters: bool,
}

#[cfg(test)]
impl AccountData {
    /// Nothing configured, every read successful.
    pub fn empty() -> AccountData {
        AccountData { budgets: None }
    }
}
