//! A cost budget that notices a runaway logging bill.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod model;
pub mod plan;
pub mod profile;

use super::SourceDef;

pub static SOURCE: SourceDef = SourceDef {
    id: "budgets",
    title: "A budget on the logging bill",
    checks: checks::CHECKS,
    validate: profile::validate,
    plan: Some(plan::plan),
    ..SourceDef::NONE
};

#[cfg(test)]
mod tests;

/// Services whose cost is the logging bill (the `Service` names of Cost Explorer).
pub const LOGGING_SERVICES: &[&str] = &[
    "AWS CloudTrail",
    "AWS Config",
    "AmazonCloudWatch",
    "Amazon Simple Storage Service",
    "AWS Key Management Service",
    "Amazon Route 53",
    "Amazon Virtual Private Cloud",
    "AWS Security Hub",
    "Amazon GuardDuty",
    "Amazon Security Lake",
];

/// How a budget watches the logging bill.
#[derive(Debug, Clone, PartialEq)]
pub enum Watch {
    /// It does: a cost budget on the logging services (or on the whole bill but small enough),
    /// with CloudTrail in scope.
    Covers(String),
    /// It would not notice: why.
    No(String),
}

/// Judge one budget against the profile's `budgets` section: by its type, its cost filter
/// (CloudTrail in scope; only logging services, or else a limit small enough) and its limit
/// (at most `max_amount`, default `amount`). Notifications are judged by the caller.
pub fn watch(b: &model::Budget, want: &profile::BudgetBaseline) -> Watch {
    if b.budget_type != model::BudgetType::Cost {
        return Watch::No(format!("budget '{}' is not a cost budget", b.name));
    }
    let filter = &b.service_filter;
    if !filter.is_empty() && !filter.iter().any(|s| s == "AWS CloudTrail") {
        return Watch::No(format!(
            "budget '{}' does not include AWS CloudTrail",
            b.name
        ));
    }
    let logging = |s: &String| LOGGING_SERVICES.contains(&s.as_str()) || want.services.contains(s);
    let focused = !filter.is_empty() && !b.other_filters && filter.iter().all(logging);
    let ceiling = want.max_amount.or(want.amount);
    let unit = b.limit_unit.as_deref().unwrap_or("");
    match (ceiling, b.limit) {
        (Some(c), Some(l)) if l > c => Watch::No(format!(
            "budget '{}' of {l} {unit} is above the {c} the profile accepts for the logging bill (budgets.max_amount, else budgets.amount): a runaway logging bill would not reach it",
            b.name
        )),
        _ if focused => Watch::Covers(format!(
            "cost budget '{}' watches {}",
            b.name,
            filter.join(", ")
        )),
        (Some(c), Some(l)) => Watch::Covers(format!(
            "cost budget '{}' of {l} {unit} covers CloudTrail, within the {c} the profile accepts",
            b.name
        )),
        _ => Watch::No(format!(
            "budget '{}' watches {} with no limit the profile accepts: a runaway logging bill would not stand out (set budgets.max_amount to accept budgets up to an amount, or filter it on the logging services)",
            b.name,
            if filter.is_empty() || b.other_filters { "the whole bill".to_string() } else { format!("services beyond logging ({})", filter.join(", ")) }
        )),
    }
}
