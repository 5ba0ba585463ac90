//! Network Firewall logging: the check, table-driven over a firewall's log destinations; the
//! lookback; and the plan.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::model::LogGroup;

fn firewall(name: &str, logging: Vec<LogDestination>) -> Firewall {
    Firewall {
        name: name.into(),
        arn: format!("arn:aws:network-firewall:{R1}:{MEMBER}:firewall/{name}"),
        logging: ok(logging),
    }
}

fn to_s3(log_type: &str, bucket: &str, prefix: Option<&str>) -> LogDestination {
    let mut destination = std::collections::BTreeMap::new();
    destination.insert("bucketName".to_string(), bucket.to_string());
    if let Some(p) = prefix {
        destination.insert("prefix".to_string(), p.to_string());
    }
    LogDestination {
        log_type: log_type.into(),
        destination_type: "S3".into(),
        destination,
    }
}

fn to_group(log_type: &str, group: &str) -> LogDestination {
    LogDestination {
        log_type: log_type.into(),
        destination_type: "CloudWatchLogs".into(),
        destination: [("logGroup".to_string(), group.to_string())].into(),
    }
}

fn org_with(firewalls: Vec<Firewall>) -> crate::sources::Inventory {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .network_firewall
        .firewalls = ok(firewalls);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    find(
        &evaluate(inv, b),
        "network_firewall.logging",
        MEMBER,
        Some(R1),
    )
    .iter()
    .map(|f| (f.status, f.message.clone()))
    .collect()
}

#[test]
fn a_firewall_is_judged_by_the_log_types_it_sends() {
    let b = recommended();
    let cases: Vec<(&str, Vec<LogDestination>, Status, &str)> = vec![
        (
            "alert and flow",
            vec![
                to_s3("ALERT", "net-logs", Some("nfw")),
                to_group("FLOW", "/nfw/flow"),
            ],
            Status::Pass,
            "Network Firewall firewall edge sends ALERT to S3 bucket net-logs/nfw, FLOW to log group /nfw/flow",
        ),
        (
            "nothing",
            vec![],
            Status::Fail,
            "Network Firewall firewall edge sends no logs: ALERT, FLOW not logged",
        ),
        (
            "alert only",
            vec![to_s3("ALERT", "net-logs", None)],
            Status::Fail,
            "sends ALERT to S3 bucket net-logs but not FLOW",
        ),
        (
            "flow to Firehose, TLS extra",
            vec![
                to_s3("ALERT", "net-logs", None),
                LogDestination {
                    log_type: "FLOW".into(),
                    destination_type: "KinesisDataFirehose".into(),
                    destination: [("deliveryStream".to_string(), "nfw-flow".to_string())].into(),
                },
                to_s3("TLS", "net-logs", None),
            ],
            Status::Pass,
            "FLOW to Firehose stream nfw-flow, TLS to S3 bucket net-logs",
        ),
    ];
    for (name, logging, status, needle) in cases {
        let v = verdicts(&org_with(vec![firewall("edge", logging)]), &b);
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
    // A profile asking for TLS too fails a firewall without it.
    let b = profile("network_firewall_logging: {log_types: [ALERT, FLOW, TLS]}\n");
    let v = verdicts(
        &org_with(vec![firewall(
            "edge",
            vec![to_s3("ALERT", "b", None), to_s3("FLOW", "b", None)],
        )]),
        &b,
    );
    assert_eq!(v[0].0, Status::Fail);
    assert!(v[0].1.ends_with("but not TLS"), "{}", v[0].1);
    // Without the section: not applicable, said so.
    let v = verdicts(&org_with(vec![firewall("edge", vec![])]), &profile(""));
    assert_eq!(v[0].0, Status::NotApplicable);
}

#[test]
fn what_could_not_be_read_is_unknown_at_its_scope() {
    let b = recommended();
    // One firewall's logging denied: that firewall unknown, the other judged.
    let mut broken = firewall("core", vec![]);
    broken.logging = denied(
        MEMBER,
        Some(R1),
        "DescribeLoggingConfiguration",
        "network-firewall:DescribeLoggingConfiguration",
    );
    let v = verdicts(&org_with(vec![broken, firewall("edge", vec![])]), &b);
    assert_eq!(v.len(), 2, "{v:?}");
    let core = v.iter().find(|(_, m)| m.contains("core")).unwrap();
    assert_eq!(core.0, Status::Unknown);
    assert!(
        core.1
            .contains("network-firewall:DescribeLoggingConfiguration"),
        "{}",
        core.1
    );
    assert!(v
        .iter()
        .any(|(s, m)| *s == Status::Fail && m.contains("edge")));
    // The listing denied: one unknown finding for the region.
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .network_firewall
        .firewalls = denied(
        MEMBER,
        Some(R1),
        "ListFirewalls",
        "network-firewall:ListFirewalls",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(
        v[0].1.contains("network-firewall:ListFirewalls"),
        "{}",
        v[0].1
    );
}

#[test]
fn lookback_is_the_wanted_type_that_reaches_back_least() {
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "network_firewall")
            .map(|l| (l.days, l.basis))
    };
    let mut inv = org_with(vec![firewall(
        "edge",
        vec![
            to_group("ALERT", "/nfw/alert"),
            to_group("FLOW", "/nfw/flow"),
        ],
    )]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = ok(vec![
        LogGroup::sample("/nfw/alert", Some(400), "2025-01-01T00:00:00Z"),
        LogGroup::sample("/nfw/flow", Some(14), "2025-01-01T00:00:00Z"),
    ]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 14, "{basis}");
    assert!(
        basis.contains("firewall edge FLOW: log group /nfw/flow"),
        "{basis}"
    );
    // A firewall missing a type answers nothing for it.
    let inv = org_with(vec![firewall("edge", vec![to_s3("ALERT", "b", None)])]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(basis.contains("sends no FLOW logs"), "{basis}");
    // Unreadable logging: no figure, never a guess.
    let mut broken = firewall("edge", vec![]);
    broken.logging = denied(
        MEMBER,
        Some(R1),
        "DescribeLoggingConfiguration",
        "network-firewall:DescribeLoggingConfiguration",
    );
    assert_eq!(days(&org_with(vec![broken])), None);
}

const ADDRESS: &str = "network_firewall_logging.222222222222.us-east-1";

#[test]
fn plan_adds_only_the_missing_types_to_the_archive_with_its_statements() {
    let inv = org_with(vec![
        firewall("edge", vec![to_group("ALERT", "/nfw/alert")]),
        firewall("core", vec![]),
        firewall(
            "done",
            vec![to_s3("ALERT", "b", None), to_s3("FLOW", "b", None)],
        ),
    ]);
    let p = planned(&inv, "network_firewall_logging: {}\n");
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Update);
    assert!(
        c.depends_on
            .iter()
            .any(|d| d == &format!("s3_bucket.{ARCHIVE}")),
        "{:?}",
        c.depends_on
    );
    match &c.ops[..] {
        [Op::NetworkFirewall(super::apply::Op::AddS3Logging { firewalls, bucket })] => {
            assert_eq!(bucket, ARCHIVE);
            let got: Vec<(&str, Vec<&str>)> = firewalls
                .iter()
                .map(|f| {
                    (
                        f.name.as_str(),
                        f.log_types.iter().map(String::as_str).collect(),
                    )
                })
                .collect();
            assert_eq!(
                got,
                vec![("edge", vec!["FLOW"]), ("core", vec!["ALERT", "FLOW"])]
            );
        }
        other => panic!("{other:?}"),
    }
    // The archive bucket lets log delivery write under each account's network-firewall/ only.
    let policy = serde_json::to_string(&change(&p, &format!("s3_bucket.{ARCHIVE}")).ops).unwrap();
    assert!(
        policy.contains(&format!("{ARCHIVE}/AWSLogs/{MEMBER}/network-firewall/*")),
        "{policy}"
    );
    assert!(policy.contains("LogwardenNetworkFirewallWrite"), "{policy}");
    // Converged: nothing when every firewall sends both types.
    let p = planned(
        &org_with(vec![firewall(
            "done",
            vec![to_s3("ALERT", "b", None), to_s3("FLOW", "b", None)],
        )]),
        "network_firewall_logging: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    // A firewall whose logging could not be read: unknown, the others still planned.
    let mut broken = firewall("core", vec![]);
    broken.logging = denied(
        MEMBER,
        Some(R1),
        "DescribeLoggingConfiguration",
        "network-firewall:DescribeLoggingConfiguration",
    );
    let p = planned(
        &org_with(vec![broken, firewall("edge", vec![])]),
        "network_firewall_logging: {}\n",
    );
    match &change(&p, ADDRESS).ops[..] {
        [Op::NetworkFirewall(super::apply::Op::AddS3Logging { firewalls, .. })] => {
            assert_eq!(firewalls.len(), 1);
            assert_eq!(firewalls[0].name, "edge");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        p.unknown
            .iter()
            .any(|n| n.resource.ends_with("firewall/core")),
        "{:?}",
        p.unknown
    );
}

#[test]
fn an_empty_log_type_list_is_refused_at_its_line() {
    let e = parse_profile(
        "version: 1\nname: t\nnetwork_firewall_logging:\n  log_types: []\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("`log_types` is empty"), "{e}");
}

#[test]
fn some_types_are_partial_coverage_and_none_is_missing() {
    use crate::finding::CoverageState;
    let b = recommended();
    let e = evaluate(
        &org_with(vec![firewall("edge", vec![to_s3("ALERT", "b", None)])]),
        &b,
    );
    assert_eq!(
        cov(&e, MEMBER, R1, "network_firewall"),
        CoverageState::Partial
    );
    let e = evaluate(&org_with(vec![firewall("edge", vec![])]), &b);
    assert_eq!(
        cov(&e, MEMBER, R1, "network_firewall"),
        CoverageState::Missing
    );
}
