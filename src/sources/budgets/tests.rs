//! Budget checks.

use crate::sources::budgets::model::*;
use crate::rules::testutil::*;
use crate::rules::*;

#[test]
fn budgets_need_cloudtrail_in_scope_and_a_notification() {
    let mut inv = org();
    let b = |name: &str, filter: &[&str], n: usize| Budget {
        name: name.into(),
        budget_type: "COST".into(),
        service_filter: filter.iter().map(|s| s.to_string()).collect(),
        notification_count: ok(n),
    };
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![
        b("ec2", &["Amazon Elastic Compute Cloud - Compute"], 1),
        b("logs", &["AWS CloudTrail"], 0),
    ]));
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "budgets.logging_cost", MGMT, None)[0];
    assert_eq!(
        (f.status, f.message.as_str()),
        (
            Status::Fail,
            "cost budget(s) logs cover CloudTrail but notify no one"
        )
    );
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![b("all", &[], 2)]));
    let e = evaluate(&inv, &recommended());
    assert_eq!(status(&e, "budgets.logging_cost", MGMT, None), Status::Pass);
    acct(&mut inv, MGMT).data.budgets.budgets =
        Some(denied(MGMT, None, "DescribeBudgets", "budgets:ViewBudget"));
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "budgets.logging_cost", MGMT, None),
        Status::Unknown
    );
}

mod plan {
    use crate::baseline;
    use crate::plan::testutil::*;
    use crate::plan::*;

    #[test]
    fn no_amount_makes_the_budget_a_manual_step() {
        let b = baseline::parse(
            "version: 1\nname: t\nbudgets: {logging_cost: true}\n",
            "t.yaml",
        )
        .unwrap();
        let p = plan(&b, "t.yaml", &managed_org(), NOW).unwrap();
        let c = change(&p, "budget.logwarden-logging-cost");
        assert_eq!(c.action, Action::Manual);
        assert!(c
            .manual
            .as_ref()
            .unwrap()
            .command
            .contains("budgets.amount"));
    }
}
