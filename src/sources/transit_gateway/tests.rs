//! Transit Gateway flow logs: the check, table-driven over a gateway's flow logs; and the plan.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::vpc_flow_logs::model::FlowLog;

const TGW: &str = "tgw-0a";

fn gateway(owner: &str, state: &str) -> TransitGateway {
    TransitGateway {
        id: TGW.into(),
        arn: format!("arn:aws:ec2:{R1}:{owner}:transit-gateway/{TGW}"),
        owner_id: owner.into(),
        state: state.into(),
    }
}

fn log(status: &str, delivery: &str) -> FlowLog {
    FlowLog {
        id: "fl-tgw".into(),
        resource_id: TGW.into(),
        traffic_type: None,
        flow_log_status: Some(status.into()),
        deliver_logs_status: Some(delivery.into()),
        destination_type: Some("s3".into()),
        destination: Some("arn:aws:s3:::net-logs".into()),
        log_format: None,
        file_format: None,
        hive_compatible: false,
        per_hour: false,
        creation_time: None,
    }
}

fn org_with(g: TransitGateway, logs: Vec<FlowLog>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.transit_gateway.gateways = ok(vec![g]);
    r.data.vpc_flow_logs.flow_logs = ok(logs);
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    find(
        &evaluate(inv, b),
        "transit_gateway.flow_logs",
        MEMBER,
        Some(R1),
    )
    .iter()
    .map(|f| (f.status, f.message.clone()))
    .collect()
}

#[test]
fn a_gateway_is_judged_by_its_flow_logs_in_the_account_that_owns_it() {
    let b = recommended();
    type Case<'a> = (
        &'a str,
        TransitGateway,
        Vec<FlowLog>,
        Option<(Status, &'a str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "active",
            gateway(MEMBER, "available"),
            vec![log("ACTIVE", "SUCCESS")],
            Some((
                Status::Pass,
                "flow log fl-tgw logs transit gateway tgw-0a to arn:aws:s3:::net-logs",
            )),
        ),
        (
            "none",
            gateway(MEMBER, "available"),
            vec![],
            Some((Status::Fail, "transit gateway tgw-0a has no flow log")),
        ),
        (
            "delivery failing",
            gateway(MEMBER, "available"),
            vec![log("ACTIVE", "FAILED")],
            Some((Status::Fail, "none is active and delivering (fl-tgw)")),
        ),
        (
            "shared with the member: its owner's finding",
            gateway(MGMT, "available"),
            vec![],
            None,
        ),
        ("deleted", gateway(MEMBER, "deleted"), vec![], None),
    ];
    for (name, g, logs, want) in cases {
        let v = verdicts(&org_with(g, logs), &b);
        match want {
            None => assert!(v.is_empty(), "{name}: {v:?}"),
            Some((status, needle)) => {
                assert_eq!(v.len(), 1, "{name}: {v:?}");
                assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
                assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
            }
        }
    }
}

#[test]
fn what_could_not_be_read_is_unknown_and_the_section_decides() {
    let mut inv = org_with(gateway(MEMBER, "available"), vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .vpc_flow_logs
        .flow_logs = denied(MEMBER, Some(R1), "DescribeFlowLogs", "ec2:DescribeFlowLogs");
    let v = verdicts(&inv, &recommended());
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("ec2:DescribeFlowLogs"), "{v:?}");
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .transit_gateway
        .gateways = denied(
        MEMBER,
        Some(R1),
        "DescribeTransitGateways",
        "ec2:DescribeTransitGateways",
    );
    let v = verdicts(&inv, &recommended());
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
    let mut b = recommended();
    b.transit_gateway_flow_logs = None;
    let v = verdicts(&org_with(gateway(MEMBER, "available"), vec![]), &b);
    assert_eq!(v[0].0, Status::NotApplicable);
}

const ADDRESS: &str = "transit_gateway_flow_logs.222222222222.us-east-1";

#[test]
fn plan_logs_unlogged_gateways_to_the_archive_with_the_flow_log_statements_once() {
    let p = planned(
        &org_with(gateway(MEMBER, "available"), vec![]),
        "transit_gateway_flow_logs: {}\n",
    );
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Create);
    assert!(
        c.depends_on
            .iter()
            .any(|d| d == &format!("s3_bucket.{ARCHIVE}")),
        "{:?}",
        c.depends_on
    );
    match &c.ops[..] {
        [Op::TransitGateway(super::apply::Op::CreateTransitGatewayFlowLogs {
            gateway_ids,
            bucket,
            log_format,
        })] => {
            assert_eq!(gateway_ids, &[TGW]);
            assert_eq!(bucket, ARCHIVE);
            assert!(log_format.is_none());
        }
        other => panic!("{other:?}"),
    }
    // The archive bucket lets log delivery write under each account's vpcflowlogs/ prefix.
    let policy = serde_json::to_string(&change(&p, &format!("s3_bucket.{ARCHIVE}")).ops).unwrap();
    assert!(
        policy.contains(&format!("{ARCHIVE}/AWSLogs/{MEMBER}/vpcflowlogs/*")),
        "{policy}"
    );
    // With VPC flow logs to the archive too, the statements appear once.
    let p = planned(
        &org_with(gateway(MEMBER, "available"), vec![]),
        "transit_gateway_flow_logs: {}\nvpc_flow_logs: {destination: log_archive}\n",
    );
    let policy = serde_json::to_string(&change(&p, &format!("s3_bucket.{ARCHIVE}")).ops).unwrap();
    let sid = policy.matches("vpcflowlogs/*").count();
    let alone = serde_json::to_string(
        &change(
            &planned(
                &org_with(gateway(MEMBER, "available"), vec![]),
                "transit_gateway_flow_logs: {}\n",
            ),
            &format!("s3_bucket.{ARCHIVE}"),
        )
        .ops,
    )
    .unwrap()
    .matches("vpcflowlogs/*")
    .count();
    assert_eq!(sid, alone, "{policy}");
}

#[test]
fn plan_converges_waits_for_available_gateways_and_never_guesses() {
    let extra = "transit_gateway_flow_logs: {}\n";
    let p = planned(
        &org_with(gateway(MEMBER, "available"), vec![log("ACTIVE", "SUCCESS")]),
        extra,
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    let p = planned(&org_with(gateway(MEMBER, "pending"), vec![]), extra);
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(
        p.kept.iter().any(|n| n.message.contains("is pending")),
        "{:?}",
        p.kept
    );
    let mut inv = org_with(gateway(MEMBER, "available"), vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .vpc_flow_logs
        .flow_logs = denied(MEMBER, Some(R1), "DescribeFlowLogs", "ec2:DescribeFlowLogs");
    let p = planned(&inv, extra);
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(p.unknown.iter().any(|n| n.resource == ADDRESS));
}

#[test]
fn a_log_format_that_is_not_one_is_refused_at_its_line() {
    let e = parse_profile(
        "version: 1\nname: t\ntransit_gateway_flow_logs:\n  log_format: version account\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("is not a flow-log format"), "{e}");
}

#[test]
fn lookback_is_the_flow_logs_age_and_zero_without_one() {
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "transit_gateway")
            .map(|l| (l.days, l.basis))
    };
    let mut l = log("ACTIVE", "SUCCESS");
    l.creation_time = Some("2026-11-01T00:00:00Z".into());
    let mut inv = org_with(gateway(MEMBER, "available"), vec![l]);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 30, "{basis}");
    assert!(
        basis.contains("transit gateway tgw-0a in us-east-1: flow log fl-tgw created 30 days ago"),
        "{basis}"
    );
    let inv = org_with(gateway(MEMBER, "available"), vec![]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(basis.contains("has no active flow log"), "{basis}");
    let mut inv = org_with(gateway(MEMBER, "available"), vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .vpc_flow_logs
        .flow_logs = denied(MEMBER, Some(R1), "DescribeFlowLogs", "ec2:DescribeFlowLogs");
    assert_eq!(days(&inv), None);
}
