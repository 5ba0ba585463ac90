//! AWS Client VPN connection logging: the check, table-driven over endpoints; what could not
//! be read; the plan; the profile section; the lookback.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::cloudwatch_logs::model::LogGroup;

fn endpoint(id: &str, logging: bool, group: Option<&str>) -> Endpoint {
    Endpoint {
        id: id.into(),
        description: Some("staff".into()),
        status: Some("available".into()),
        connection_logging: logging,
        log_group: group.map(String::from),
        log_stream: None,
    }
}

fn org_with(endpoints: Vec<Endpoint>) -> crate::sources::Inventory {
    let mut inv = org();
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    acct(&mut inv, MEMBER).regions[0].data.client_vpn.endpoints = ok(endpoints);
    inv
}

fn verdicts(inv: &crate::sources::Inventory) -> Vec<(Status, String)> {
    find(
        &evaluate(inv, &recommended()),
        "client_vpn.connection_logging",
        MEMBER,
        Some(R1),
    )
    .iter()
    .map(|f| (f.status, f.message.clone()))
    .collect()
}

#[test]
fn an_endpoint_is_judged_by_its_connection_log_options() {
    let cases = [
        (
            endpoint("cvpn-endpoint-1", true, Some("/vpn/staff")),
            Status::Pass,
            "Client VPN endpoint cvpn-endpoint-1 (staff) logs its client connections to log group /vpn/staff",
        ),
        (
            endpoint("cvpn-endpoint-2", false, None),
            Status::Fail,
            "Client VPN endpoint cvpn-endpoint-2 (staff) does not log its client connections",
        ),
        // Turned off, its old group still named: off is off.
        (
            endpoint("cvpn-endpoint-3", false, Some("/vpn/old")),
            Status::Fail,
            "Client VPN endpoint cvpn-endpoint-3 (staff) does not log its client connections",
        ),
        (
            endpoint("cvpn-endpoint-4", true, None),
            Status::Fail,
            "Client VPN endpoint cvpn-endpoint-4 (staff) has connection logging on but names no log group",
        ),
    ];
    for (e, status, message) in cases {
        let v = verdicts(&org_with(vec![e]));
        assert_eq!(v, vec![(status, message.to_string())]);
    }
    // No endpoint: no finding; not asked for: not applicable.
    assert!(verdicts(&org_with(vec![])).is_empty());
    let e = evaluate(
        &org_with(vec![endpoint("cvpn-endpoint-2", false, None)]),
        &parse_profile("version: 1\nname: t\n", "t.yaml").unwrap(),
    );
    let f = find(&e, "client_vpn.connection_logging", MEMBER, Some(R1));
    assert_eq!(f[0].status, Status::NotApplicable);
    assert_eq!(f[0].resource, "cvpn-endpoint-2");
    assert_eq!(
        f[0].frameworks.of(crate::frameworks::Framework::AwsFsbp),
        ["EC2.51"]
    );
}

#[test]
fn endpoints_that_could_not_be_listed_are_unknown() {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.client_vpn.endpoints = denied(
        MEMBER,
        Some(R1),
        "DescribeClientVpnEndpoints",
        "ec2:DescribeClientVpnEndpoints",
    );
    let v = verdicts(&inv);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("ec2:DescribeClientVpnEndpoints"), "{v:?}");
}

const ADDRESS: &str = "client_vpn_logging.222222222222.us-east-1";

#[test]
fn plan_logs_the_silent_endpoints_to_a_group_at_the_floor_and_keeps_the_others() {
    let inv = org_with(vec![
        endpoint("cvpn-endpoint-1", true, Some("/vpn/staff")),
        endpoint("cvpn-endpoint-2", false, None),
        endpoint("cvpn-endpoint-4", true, None),
    ]);
    let p = planned(
        &inv,
        "client_vpn_logging: {}\nlog_group_retention: {min_days: 365}\n",
    );
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Update);
    match &c.ops[..] {
        [Op::CloudwatchLogs(LogsOp::EnsureLogGroup {
            name,
            retention_days: 365,
        }), Op::ClientVpn(super::apply::Op::EnableConnectionLogging {
            endpoint_ids,
            log_group,
        })] => {
            assert_eq!(name, "/aws/client-vpn/logwarden");
            assert_eq!(log_group, "/aws/client-vpn/logwarden");
            assert_eq!(endpoint_ids, &["cvpn-endpoint-2", "cvpn-endpoint-4"]);
        }
        other => panic!("{other:?}"),
    }
    // Converged: nothing when every endpoint logs.
    let p = planned(
        &org_with(vec![endpoint("cvpn-endpoint-1", true, Some("/vpn/staff"))]),
        "client_vpn_logging: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    // Not asked for: nothing.
    let p = planned(&inv, "");
    assert!(!addresses(&p).contains(&ADDRESS));
    // Unreadable: unknown, nothing planned.
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.client_vpn.endpoints = denied(
        MEMBER,
        Some(R1),
        "DescribeClientVpnEndpoints",
        "ec2:DescribeClientVpnEndpoints",
    );
    let p = planned(&inv, "client_vpn_logging: {}\n");
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(p.unknown.iter().any(|n| n.resource == ADDRESS));
}

#[test]
fn profile_section_defaults_and_bad_names() {
    let b = parse_profile("version: 1\nname: t\nclient_vpn_logging: {}\n", "t.yaml").unwrap();
    assert_eq!(
        b.client_vpn_logging.unwrap().log_group,
        "/aws/client-vpn/logwarden"
    );
    let e = parse_profile(
        "version: 1\nname: t\nclient_vpn_logging:\n  log_group: 'vpn logs'\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("t.yaml:4:") && e.contains("not a log group name"),
        "{e}"
    );
}

#[test]
fn lookback_is_the_endpoint_whose_group_keeps_least_and_zero_for_a_silent_one() {
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "client_vpn")
            .map(|l| (l.days, l.basis))
    };
    let with_group = |retention: Option<i32>| {
        let mut inv = org_with(vec![endpoint("cvpn-endpoint-1", true, Some("/vpn/staff"))]);
        acct(&mut inv, MEMBER).regions[0]
            .data
            .cloudwatch_logs
            .groups = ok(vec![LogGroup::sample(
            "/vpn/staff",
            retention,
            "2025-01-01T00:00:00Z",
        )]);
        inv
    };
    let (d, basis) = days(&with_group(Some(90))).unwrap();
    assert_eq!(d, 90, "{basis}");
    assert!(
        basis.contains("Client VPN endpoint cvpn-endpoint-1: log group /vpn/staff"),
        "{basis}"
    );
    // Never expires: the group's age.
    assert_eq!(days(&with_group(None)).unwrap().0, 699);
    // An endpoint that logs nothing answers nothing.
    let mut inv = with_group(Some(90));
    acct(&mut inv, MEMBER).regions[0].data.client_vpn.endpoints = ok(vec![
        endpoint("cvpn-endpoint-1", true, Some("/vpn/staff")),
        endpoint("cvpn-endpoint-2", false, None),
    ]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(
        basis.contains("cvpn-endpoint-2 in us-east-1 logs no connections"),
        "{basis}"
    );
    // The group holds a source's logs: the retention check judges it.
    let e = evaluate(&with_group(Some(30)), &recommended());
    let f = find(&e, "cloudwatch_logs.retention", MEMBER, Some(R1));
    assert!(
        f.iter().any(|f| f
            .message
            .contains("/vpn/staff (30 days; Client VPN endpoint cvpn-endpoint-1)")),
        "{f:?}"
    );
}

/// `logwarden query`: Logs Insights queries over every logging endpoint's group (each group
/// once, whatever the number of endpoints writing to it), none when no endpoint logs, and a note
/// where the endpoints could not be read.
#[test]
fn query_writes_insights_over_the_connection_log_groups() {
    let qctx = crate::query::testutil::query_ctx();
    let mut inv = org_with(vec![
        endpoint("cvpn-endpoint-1", true, Some("/vpn/staff")),
        endpoint("cvpn-endpoint-2", true, Some("/vpn/staff")),
        endpoint("cvpn-endpoint-3", false, Some("/vpn/old")),
    ]);
    acct(&mut inv, MEMBER).regions[1].data.client_vpn.endpoints = denied(
        MEMBER,
        Some(R2),
        "DescribeClientVpnEndpoints",
        "ec2:DescribeClientVpnEndpoints",
    );
    let c = super::query::query(&inv, &qctx);
    let names: Vec<&str> = c.insights.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["client_vpn_connections", "client_vpn_failed_attempts"]
    );
    for i in &c.insights {
        let groups: Vec<(&str, &str, &str)> = i
            .log_groups
            .iter()
            .map(|g| (g.account.as_str(), g.region.as_str(), g.name.as_str()))
            .collect();
        assert_eq!(groups, [(MEMBER, R1, "/vpn/staff")]);
    }
    // Who connected is told by the device's public address, not the address the VPN gave it.
    assert!(c.insights[0]
        .query
        .contains("by `client-vpn-endpoint-id`, username, `common-name`, `device-ip`"));
    assert!(c.insights[1]
        .query
        .contains("filter `connection-attempt-status` = \"failed\""));
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert!(
        c.notes[0].contains("ec2:DescribeClientVpnEndpoints"),
        "{:?}",
        c.notes
    );
    // No endpoint logs: no query.
    let c = super::query::query(
        &org_with(vec![endpoint("cvpn-endpoint-3", false, None)]),
        &qctx,
    );
    assert!(c.insights.is_empty());
}
