//! Step Functions logging: the check, table-driven over a state machine's logging; what could
//! not be read; the lookback; the profile section; and the plan's manual steps.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::model::LogGroup;

const GROUP: &str = "/aws/vendedlogs/states/orders-Logs";

fn group_arn(name: &str) -> String {
    format!("arn:aws:logs:{R1}:{MEMBER}:log-group:{name}:*")
}

fn machine(name: &str, kind: &str, level: &str, data: bool) -> StateMachine {
    StateMachine {
        name: name.into(),
        arn: format!("arn:aws:states:{R1}:{MEMBER}:stateMachine:{name}"),
        kind: kind.into(),
        logging: ok(Logging {
            level: level.into(),
            include_execution_data: data,
            destinations: if level == "OFF" {
                vec![]
            } else {
                vec![group_arn(&format!("/aws/vendedlogs/states/{name}-Logs"))]
            },
        }),
    }
}

fn org_with(machines: Vec<StateMachine>, groups: Vec<LogGroup>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.step_functions.state_machines = ok(machines);
    r.data.cloudwatch_logs.groups = ok(groups);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    let e = evaluate(inv, b);
    find(&e, "step_functions.logging", MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

fn profile_with(yaml: &str) -> crate::sources::Baseline {
    parse_profile(&format!("version: 1\nname: t\n{yaml}"), "t.yaml").unwrap()
}

#[test]
fn a_state_machine_is_judged_by_its_level_and_execution_data() {
    let error = profile_with("step_functions_logging: {}\n");
    let all_data =
        profile_with("step_functions_logging: {level: ALL, include_execution_data: true}\n");
    let cases: Vec<(&str, StateMachine, &crate::sources::Baseline, Status, &str)> = vec![
        ("ERROR meets ERROR", machine("orders", "STANDARD", "ERROR", false), &error, Status::Pass, "Standard state machine orders logs at ERROR to log group /aws/vendedlogs/states/orders-Logs (without execution data)"),
        ("ALL meets ERROR", machine("orders", "EXPRESS", "ALL", true), &error, Status::Pass, "Express state machine orders logs at ALL to log group /aws/vendedlogs/states/orders-Logs (with execution data)"),
        ("FATAL is below ERROR", machine("orders", "STANDARD", "FATAL", false), &error, Status::Fail, "Standard state machine orders logs at FATAL only, not ERROR"),
        ("OFF, Standard", machine("orders", "STANDARD", "OFF", false), &error, Status::Fail, "logs nothing (level OFF): only the 90 days of execution history the service keeps answer"),
        ("OFF, Express", machine("orders", "EXPRESS", "OFF", false), &error, Status::Fail, "logs nothing (level OFF), and an Express workflow keeps no execution history"),
        ("ERROR below ALL, no data", machine("orders", "STANDARD", "ERROR", false), &all_data, Status::Fail, "logs at ERROR only, not ALL; leaves each state's input and output out of its logs"),
        ("ALL without data", machine("orders", "STANDARD", "ALL", false), &all_data, Status::Fail, "Standard state machine orders leaves each state's input and output out of its logs"),
        ("ALL with data", machine("orders", "STANDARD", "ALL", true), &all_data, Status::Pass, "(with execution data)"),
    ];
    for (name, m, b, status, needle) in cases {
        let v = verdicts(&org_with(vec![m], vec![]), b);
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
    // Not asked: not applicable, whatever the machine does.
    let v = verdicts(
        &org_with(vec![machine("orders", "STANDARD", "OFF", false)], vec![]),
        &profile_with(""),
    );
    assert_eq!(v[0].0, Status::NotApplicable, "{v:?}");
}

#[test]
fn what_could_not_be_read_is_unknown_and_planned_as_unknown() {
    let mut inv = org_with(vec![], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .step_functions
        .state_machines = denied(
        MEMBER,
        Some(R1),
        "ListStateMachines",
        "states:ListStateMachines",
    );
    let b = profile_with("step_functions_logging: {}\n");
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("states:ListStateMachines"), "{v:?}");
    let p = planned(&inv, "step_functions_logging: {}\n");
    assert!(p
        .unknown
        .iter()
        .any(|n| n.resource == format!("step_functions.{MEMBER}.{R1}")));
    // One machine's description denied: that machine unknown, the other judged.
    let mut m = machine("billing", "STANDARD", "OFF", false);
    m.logging = denied(
        MEMBER,
        Some(R1),
        "DescribeStateMachine",
        "states:DescribeStateMachine",
    );
    let inv = org_with(vec![m, machine("orders", "STANDARD", "OFF", false)], vec![]);
    let v = verdicts(&inv, &b);
    assert_eq!(
        v.iter().map(|x| x.0).collect::<Vec<_>>(),
        vec![Status::Unknown, Status::Fail],
        "{v:?}"
    );
    assert!(v[0].1.contains("states:DescribeStateMachine"), "{v:?}");
    let p = planned(&inv, "step_functions_logging: {}\n");
    let billing = format!("step_functions_state_machine.{MEMBER}.{R1}.billing");
    assert!(
        p.unknown.iter().any(|n| n.resource == billing),
        "{:?}",
        p.unknown
    );
    assert!(!addresses(&p).contains(&billing.as_str()));
}

#[test]
fn lookback_is_the_machine_that_reaches_back_least() {
    let b = profile_with("step_functions_logging: {}\n");
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "step_functions")
            .map(|l| (l.days, l.basis))
    };
    let old = "2025-01-01T00:00:00Z";
    // A Standard workflow: never less than its 90 days of history; more when its group keeps
    // longer.
    let standard = machine("orders", "STANDARD", "ERROR", false);
    let (d, basis) = days(&org_with(
        vec![standard.clone()],
        vec![LogGroup::sample(GROUP, Some(30), old)],
    ))
    .unwrap();
    assert_eq!(d, 90, "{basis}");
    assert!(basis.contains("90 days of execution history"), "{basis}");
    let (d, basis) = days(&org_with(
        vec![standard.clone()],
        vec![LogGroup::sample(GROUP, Some(365), old)],
    ))
    .unwrap();
    assert_eq!(d, 365, "{basis}");
    assert!(
        basis.contains(&format!("state machine orders: log group {GROUP}")),
        "{basis}"
    );
    // An Express workflow: its group's reach, 0 when it logs nothing.
    let express = machine("orders", "EXPRESS", "ERROR", false);
    let (d, _) = days(&org_with(
        vec![express],
        vec![LogGroup::sample(GROUP, Some(30), old)],
    ))
    .unwrap();
    assert_eq!(d, 30);
    let (d, basis) = days(&org_with(
        vec![standard, machine("silent", "EXPRESS", "OFF", false)],
        vec![LogGroup::sample(GROUP, Some(365), old)],
    ))
    .unwrap();
    assert_eq!(d, 0, "{basis}");
    assert!(
        basis.contains("Express state machine silent in us-east-1 logs nothing"),
        "{basis}"
    );
    // Not asked: no figure.
    assert!(evaluate(
        &org_with(vec![machine("orders", "EXPRESS", "OFF", false)], vec![]),
        &profile_with("")
    )
    .lookback
    .iter()
    .all(|l| l.source != "step_functions"));
}

#[test]
fn the_profile_section_refuses_an_unknown_level_with_its_place() {
    let b = profile_with("step_functions_logging: {}\n");
    let s = b.step_functions_logging.unwrap();
    assert_eq!(s.level, super::profile::LogLevel::Error);
    assert!(!s.include_execution_data);
    let e = parse_profile(
        "version: 1\nname: t\nstep_functions_logging:\n  level: OFF\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
}

#[test]
fn plan_writes_one_manual_step_per_machine_never_lowering_what_it_has() {
    let extra = "step_functions_logging: {level: ALL}\nlog_group_retention: {min_days: 365}\n";
    let mut keeps_data = machine("billing", "STANDARD", "ERROR", true);
    keeps_data.logging = ok(Logging {
        level: "ERROR".into(),
        include_execution_data: true,
        destinations: vec![group_arn("/apps/billing")],
    });
    let inv = org_with(
        vec![
            machine("orders", "EXPRESS", "OFF", false),
            keeps_data,
            machine("done", "STANDARD", "ALL", false),
        ],
        vec![],
    );
    let p = planned(&inv, extra);
    let addr = |n: &str| format!("step_functions_state_machine.{MEMBER}.{R1}.{n}");
    assert!(!addresses(&p).contains(&addr("done").as_str()));
    // No log group: the console's name, made first at the retention floor.
    let c = change(&p, &addr("orders"));
    assert_eq!(c.action, Action::Manual);
    let cmd = &c.manual.as_ref().unwrap().command;
    assert!(cmd.starts_with(&format!("aws logs create-log-group --region {R1} --log-group-name {GROUP} && aws logs put-retention-policy --region {R1} --log-group-name {GROUP} --retention-in-days 365 && aws stepfunctions update-state-machine --region {R1} --state-machine-arn arn:aws:states:{R1}:{MEMBER}:stateMachine:orders --logging-configuration ")), "{cmd}");
    assert!(cmd.contains("\"level\":\"ALL\""), "{cmd}");
    assert!(cmd.contains("\"includeExecutionData\":false"), "{cmd}");
    assert!(cmd.contains(&group_arn(GROUP)), "{cmd}");
    assert!(cmd.ends_with(&format!("# in account {MEMBER}")), "{cmd}");
    assert_eq!(c.attributes[0].before.as_deref(), Some("OFF"));
    assert_eq!(c.attributes[0].after, "ALL");
    assert!(c
        .manual
        .as_ref()
        .unwrap()
        .reason
        .contains("logs:CreateLogDelivery"));
    // Its own group kept, its execution data kept, only the level raised.
    let c = change(&p, &addr("billing"));
    let cmd = &c.manual.as_ref().unwrap().command;
    assert!(
        cmd.starts_with("aws stepfunctions update-state-machine"),
        "{cmd}"
    );
    assert!(cmd.contains(&group_arn("/apps/billing")), "{cmd}");
    assert!(cmd.contains("\"includeExecutionData\":true"), "{cmd}");
    assert_eq!(
        c.attributes[0].before.as_deref(),
        Some("ERROR with execution data")
    );
    assert_eq!(c.attributes[0].after, "ALL with execution data");
    // The console's group already there: not made again.
    let inv = org_with(
        vec![machine("orders", "STANDARD", "OFF", false)],
        vec![LogGroup::sample(GROUP, Some(365), "2025-01-01T00:00:00Z")],
    );
    let p = planned(&inv, extra);
    let cmd = &change(&p, &addr("orders")).manual.as_ref().unwrap().command;
    assert!(
        cmd.starts_with("aws stepfunctions update-state-machine"),
        "{cmd}"
    );
    // Not asked: nothing.
    assert!(!addresses(&planned(&inv, "")).contains(&addr("orders").as_str()));
}

/// `logwarden query`: both Logs Insights queries over the groups of the machines that log (each
/// group once, whatever the number of machines sharing it), none for a silent machine, and a
/// note for a region whose machines could not be read.
#[test]
fn query_writes_insights_over_the_groups_machines_log_to() {
    let qctx = crate::query::testutil::query_ctx();
    let mut shared = machine("billing", "EXPRESS", "ERROR", false);
    shared.logging = ok(Logging {
        level: "ERROR".into(),
        include_execution_data: false,
        destinations: vec![group_arn(GROUP)],
    });
    let mut inv = org_with(
        vec![
            machine("orders", "STANDARD", "ALL", true),
            shared,
            machine("silent", "STANDARD", "OFF", false),
        ],
        vec![],
    );
    acct(&mut inv, MEMBER).regions[1]
        .data
        .step_functions
        .state_machines = denied(
        MEMBER,
        Some(R2),
        "ListStateMachines",
        "states:ListStateMachines",
    );
    let c = super::query::query(&inv, &qctx);
    let names: Vec<&str> = c.insights.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["step_functions_executions", "step_functions_failures"]
    );
    for i in &c.insights {
        let groups: Vec<String> = i
            .log_groups
            .iter()
            .map(|g| format!("{}:{}:{}", g.account, g.region, g.name))
            .collect();
        assert_eq!(groups, [format!("{MEMBER}:{R1}:{GROUP}")]);
    }
    assert!(c.insights[0]
        .query
        .contains("filter type = \"ExecutionStarted\""));
    assert!(c.insights[1].query.contains("(Failed|Aborted|TimedOut)$"));
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert!(
        c.notes[0].contains("states:ListStateMachines"),
        "{:?}",
        c.notes
    );
    // Nothing logs: no query.
    let c = super::query::query(
        &org_with(vec![machine("silent", "STANDARD", "OFF", false)], vec![]),
        &qctx,
    );
    assert!(c.insights.is_empty());
}
