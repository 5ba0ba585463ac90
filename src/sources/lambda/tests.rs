//! Lambda function logs: the check, table-driven over a function's group; the lookback; the
//! profile section; and the plan.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::cloudwatch_logs::model::LogGroup;

fn function(name: &str, custom: Option<&str>) -> Function {
    Function {
        name: name.into(),
        arn: format!("arn:aws:lambda:{R1}:{MEMBER}:function:{name}"),
        runtime: Some("python3.12".into()),
        log_group: custom
            .map(String::from)
            .unwrap_or_else(|| default_log_group(name)),
        custom_log_group: custom.is_some(),
        log_format: custom.map(|_| "JSON".into()),
        application_log_level: custom.map(|_| "INFO".into()),
        system_log_level: custom.map(|_| "WARN".into()),
    }
}

fn org_with(functions: Vec<Function>, groups: Vec<LogGroup>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.lambda.functions = ok(functions);
    r.data.cloudwatch_logs.groups = ok(groups);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    let e = evaluate(inv, b);
    find(&e, "lambda.log_group", MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

#[test]
fn a_function_is_judged_by_the_group_it_writes_to() {
    let b = recommended();
    let old = "2025-01-01T00:00:00Z";
    let cases: Vec<(&str, Function, Vec<LogGroup>, Status, &str)> = vec![
        ("default group, kept a year", function("orders", None), vec![LogGroup::sample("/aws/lambda/orders", Some(365), old)], Status::Pass, "function orders logs to log group /aws/lambda/orders (kept 365 days; Text)"),
        ("custom group, JSON", function("billing", Some("/apps/billing")), vec![LogGroup::sample("/apps/billing", None, old)], Status::Pass, "function billing logs to log group /apps/billing (its logging config's group) (never expires; JSON, application INFO, system WARN)"),
        ("custom group missing, the default exists", function("billing", Some("/apps/billing")), vec![LogGroup::sample("/aws/lambda/billing", Some(365), old)], Status::Fail, "function billing has no log group /apps/billing (its logging config's group): it has never run, or its execution role cannot create the group"),
        ("no group", function("reports", None), vec![], Status::Fail, "function reports has no log group /aws/lambda/reports"),
    ];
    for (name, f, groups, status, needle) in cases {
        let v = verdicts(&org_with(vec![f], groups), &b);
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
}

#[test]
fn what_could_not_be_read_is_unknown_and_exclusions_and_profiles_are_honoured() {
    let b = recommended();
    // The log groups could not be listed: unknown, naming the action.
    let mut inv = org_with(vec![function("orders", None)], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = denied(
        MEMBER,
        Some(R1),
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v[0].0, Status::Unknown, "{v:?}");
    assert!(v[0].1.contains("logs:DescribeLogGroups"), "{v:?}");
    // The functions could not be listed: one unknown for the region.
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.lambda.functions =
        denied(MEMBER, Some(R1), "ListFunctions", "lambda:ListFunctions");
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("lambda:ListFunctions"), "{v:?}");
    // Excluded by prefix; not asked at all.
    let inv = org_with(vec![function("team-x-etl", None)], vec![]);
    let mut b2 = b.clone();
    b2.lambda = Some(super::profile::LambdaBaseline {
        exclude_functions: vec!["team-x-*".into()],
    });
    assert_eq!(verdicts(&inv, &b2)[0].0, Status::NotApplicable);
    b2.lambda = None;
    let v = verdicts(&inv, &b2);
    assert_eq!(v[0].0, Status::NotApplicable);
    assert!(v[0].1.contains("not required"), "{v:?}");
}

#[test]
fn lookback_is_the_shortest_groups_reach_and_zero_without_a_group() {
    let b = recommended();
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "lambda")
            .map(|l| (l.days, l.basis))
    };
    let inv = org_with(
        vec![function("orders", None), function("billing", None)],
        vec![
            LogGroup::sample("/aws/lambda/orders", Some(7), "2025-01-01T00:00:00Z"),
            LogGroup::sample("/aws/lambda/billing", Some(400), "2025-01-01T00:00:00Z"),
        ],
    );
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 7, "{basis}");
    assert!(
        basis.contains("function orders: log group /aws/lambda/orders"),
        "{basis}"
    );
    let inv = org_with(vec![function("reports", None)], vec![]);
    assert_eq!(days(&inv).unwrap().0, 0);
    let mut inv = org_with(vec![function("reports", None)], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = denied(
        MEMBER,
        Some(R1),
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    );
    assert_eq!(days(&inv), None);
}

#[test]
fn profile_section_bad_names_point_at_the_line() {
    let b = parse_profile("version: 1\nname: t\nlambda: {}\n", "t.yaml").unwrap();
    assert!(b.lambda.unwrap().exclude_functions.is_empty());
    let e = parse_profile(
        "version: 1\nname: t\nlambda:\n  exclude_functions: [\"bad name!\"]\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("`bad name!` is not a function name"), "{e}");
}

#[test]
fn plan_creates_missing_groups_once_at_the_floor_and_nothing_it_could_not_read() {
    let shared = "/apps/shared";
    let inv = org_with(
        vec![
            function("orders", None),
            function("a", Some(shared)),
            function("b", Some(shared)),
            function("billing", None),
        ],
        vec![LogGroup::sample(
            "/aws/lambda/billing",
            Some(7),
            "2025-01-01T00:00:00Z",
        )],
    );
    let p = planned(&inv, "lambda: {}\nlog_group_retention: {min_days: 365}\n");
    let c = change(
        &p,
        &format!("cloudwatch_log_group.{MEMBER}.{R1}./aws/lambda/orders"),
    );
    assert_eq!(c.action, Action::Create);
    assert!(
        matches!(&c.ops[..], [Op::CloudwatchLogs(LogsOp::EnsureLogGroup { name, retention_days: 365 })] if name == "/aws/lambda/orders"),
        "{:?}",
        c.ops
    );
    let c = change(&p, &format!("cloudwatch_log_group.{MEMBER}.{R1}.{shared}"));
    assert_eq!(c.attributes[1].after, "Lambda function a, b");
    // The existing group is not this source's: only its retention is raised, by cloudwatch_logs.
    let billing: Vec<_> = addresses(&p)
        .into_iter()
        .filter(|a| a.ends_with("/aws/lambda/billing"))
        .collect();
    assert_eq!(billing.len(), 1, "{billing:?}");
    // Without a floor: created as AWS would, no retention invented.
    let p = planned(&inv, "lambda: {}\n");
    let c = change(
        &p,
        &format!("cloudwatch_log_group.{MEMBER}.{R1}./aws/lambda/orders"),
    );
    assert!(
        matches!(
            &c.ops[..],
            [Op::CloudwatchLogs(LogsOp::CreateLogGroup { .. })]
        ),
        "{:?}",
        c.ops
    );
    // Groups unreadable: nothing planned, unknown instead.
    let mut inv = inv.clone();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = denied(
        MEMBER,
        Some(R1),
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    );
    let p = planned(&inv, "lambda: {}\n");
    assert!(
        !addresses(&p).iter().any(|a| a.contains("/aws/lambda/")),
        "{:?}",
        addresses(&p)
    );
    assert!(p
        .unknown
        .iter()
        .any(|n| n.resource == format!("lambda.{MEMBER}.{R1}")));
}

#[test]
fn a_group_the_plan_creates_is_protected_as_it_is_made_when_the_baseline_asks() {
    let inv = org_with(vec![function("orders", None)], vec![]);
    let address = format!("cloudwatch_log_group.{MEMBER}.{R1}./aws/lambda/orders");
    let p = planned(
        &inv,
        "lambda: {}\nlog_group_retention: {min_days: 365, deletion_protection: true}\n",
    );
    let c = change(&p, &address);
    assert!(
        matches!(
            &c.ops[..],
            [
                Op::CloudwatchLogs(LogsOp::EnsureLogGroup { name: a, retention_days: 365 }),
                Op::CloudwatchLogs(LogsOp::ProtectFromDeletion { name: b }),
            ] if a == "/aws/lambda/orders" && b == a
        ),
        "{:?}",
        c.ops
    );
    assert!(
        c.attributes
            .iter()
            .any(|a| a.name == "deletion_protection" && a.after == "on (/aws/lambda/orders)"),
        "{:?}",
        c.attributes
    );
    // Protected in the same change: nothing else plans it a second time.
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("cloudwatch_log_group_protection.")));
    // Not asked: created as before, unprotected.
    let p = planned(&inv, "lambda: {}\nlog_group_retention: {min_days: 365}\n");
    assert_eq!(change(&p, &address).ops.len(), 1);
}
