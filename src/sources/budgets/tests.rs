//! Budget checks and plan: a budget is judged by its type, its cost filter, its limit and its
//! notifications, against the profile.

use crate::finding::*;
use crate::rules::testutil::*;
use crate::sources::budgets::model::*;

pub fn budget(name: &str, filter: &[&str], limit: Option<f64>, notifications: usize) -> Budget {
    Budget {
        name: name.into(),
        budget_type: "COST".into(),
        service_filter: filter.iter().map(|s| s.to_string()).collect(),
        notification_count: ok(notifications),
        limit,
        limit_unit: limit.map(|_| "USD".into()),
        other_filters: false,
    }
}

fn verdict(budgets: Vec<Budget>, section: &str) -> (Status, String) {
    let mut inv = org();
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(budgets));
    let b = crate::rules::testutil::parse_profile(
        &format!("version: 1\nname: t\nbudgets: {section}\n"),
        "t.yaml",
    )
    .unwrap();
    let e = evaluate(&inv, &b);
    let f = &find(&e, "budgets.logging_cost", MGMT, None)[0];
    (f.status, f.message.clone())
}

#[test]
fn a_budget_covers_the_logging_bill_only_if_it_would_notice_it() {
    let none = "{logging_cost: true}";
    let asks_350 = "{logging_cost: true, amount: 350, notifications: [{type: actual, threshold_percent: 80, emails: [a@example.com]}]}";
    let cases: Vec<(&str, Vec<Budget>, &str, Status, &str)> = vec![
        (
            "focused on logging",
            vec![budget(
                "logs",
                &["AWS CloudTrail", "AWS Config"],
                Some(100.0),
                1,
            )],
            none,
            Status::Pass,
            "cost budget 'logs' watches AWS CloudTrail, AWS Config, with 1 notification(s)",
        ),
        (
            "focused but silent",
            vec![budget("logs", &["AWS CloudTrail"], Some(100.0), 0)],
            none,
            Status::Fail,
            "watches AWS CloudTrail but notifies no one",
        ),
        (
            "other services only",
            vec![budget(
                "ec2",
                &["Amazon Elastic Compute Cloud - Compute"],
                Some(10.0),
                1,
            )],
            none,
            Status::Fail,
            "does not include AWS CloudTrail",
        ),
        // The whole bill, with no limit the profile accepts: it would not notice.
        (
            "whole bill, no ceiling",
            vec![budget("all", &[], Some(25000.0), 2)],
            none,
            Status::Fail,
            "watches the whole bill with no limit the profile accepts",
        ),
        (
            "whole bill above the ask",
            vec![budget("all", &[], Some(25000.0), 2)],
            asks_350,
            Status::Fail,
            "budget 'all' of 25000 USD is above the 350",
        ),
        (
            "whole bill within max_amount",
            vec![budget("all", &[], Some(300.0), 2)],
            asks_350,
            Status::Pass,
            "of 300 USD covers CloudTrail, within the 350",
        ),
        (
            "focused but too large",
            vec![budget("logs", &["AWS CloudTrail"], Some(5000.0), 1)],
            "{logging_cost: true, max_amount: 1000}",
            Status::Fail,
            "above the 1000",
        ),
        (
            "focused and the org budget beside it",
            vec![
                budget("all", &[], Some(25000.0), 2),
                budget("logs", &["AWS CloudTrail"], Some(350.0), 1),
            ],
            asks_350,
            Status::Pass,
            "'logs' watches AWS CloudTrail",
        ),
    ];
    for (name, budgets, section, status, needle) in cases {
        let (got, msg) = verdict(budgets, section);
        assert_eq!(got, status, "{name}: {msg}");
        assert!(msg.contains(needle), "{name}: {msg}");
    }
    // Unreadable: unknown.
    let mut inv = org();
    acct(&mut inv, MGMT).data.budgets.budgets =
        Some(denied(MGMT, None, "DescribeBudgets", "budgets:ViewBudget"));
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "budgets.logging_cost", MGMT, None),
        Status::Unknown
    );
}

mod plan {
    use super::budget;
    use crate::plan::testutil::*;
    use crate::plan::*;
    use crate::rules::testutil::*;

    #[test]
    fn no_amount_makes_the_budget_a_manual_step() {
        let b = crate::rules::testutil::parse_profile(
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

    #[test]
    fn the_manual_steps_budget_is_one_shell_word_of_json_whatever_its_name() {
        let b = crate::rules::testutil::parse_profile(
            "version: 1\nname: t\nbudgets: {logging_cost: true, name: \"Ops' \\\"logs\\\" $HOME\"}\n",
            "t.yaml",
        )
        .unwrap();
        let p = plan(&b, "t.yaml", &managed_org(), NOW).unwrap();
        let c = change(&p, "budget.Ops' \"logs\" $HOME");
        let command = &c.manual.as_ref().unwrap().command;
        let words = shlex::split(command.split_once("; or: ").unwrap().1).unwrap();
        let at = words.iter().position(|w| w == "--budget").unwrap();
        let budget: serde_json::Value = serde_json::from_str(&words[at + 1]).unwrap();
        assert_eq!(budget["BudgetName"], "Ops' \"logs\" $HOME");
        assert_eq!(budget["BudgetType"], "COST");
        assert_eq!(words[at + 2], "--notifications-with-subscribers");
    }

    #[test]
    fn an_organization_wide_budget_does_not_stand_in_for_the_logging_budget() {
        let b = profile("");
        // The profile (testutil) asks 50 USD with a notification; the organization has a
        // 25,000 USD budget on the whole bill, with notifications.
        let mut inv = managed_org();
        acct(&mut inv, MGMT).data.budgets.budgets =
            Some(ok(vec![budget("org-wide", &[], Some(25000.0), 2)]));
        let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
        assert_eq!(
            change(&p, "budget.logwarden-logging-cost").action,
            Action::Create
        );
        // A focused one does, and the plan says so under Kept.
        acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![budget(
            "team-logging",
            &["AWS CloudTrail"],
            Some(40.0),
            1,
        )]));
        let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
        assert!(!addresses(&p).contains(&"budget.logwarden-logging-cost"));
        assert!(
            p.kept.iter().any(|n| n.message.contains("team-logging")
                && n.message
                    .contains("stands in for the budget `logwarden-logging-cost`")),
            "{:?}",
            p.kept
        );
    }
}
