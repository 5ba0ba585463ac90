//! EKS control-plane logging: the check, table-driven over what a cluster sends; the lookback;
//! the profile section; and the plan.

use super::model::*;
use crate::finding::*;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;
use crate::sources::cloudwatch_logs::model::LogGroup;

const CLUSTER: &str = "prod";

fn cluster(types: &[&str], status: ClusterStatus) -> Cluster {
    Cluster {
        name: CLUSTER.into(),
        details: ok(ClusterDetails {
            arn: format!("arn:aws:eks:{R1}:{MEMBER}:cluster/{CLUSTER}"),
            status,
            version: Some("1.31".into()),
            created: Some("2026-06-01T00:00:00Z".into()),
            enabled_log_types: types.iter().map(|t| t.to_string()).collect(),
        }),
    }
}

fn group(retention: Option<i32>, created: &str) -> LogGroup {
    LogGroup::sample(&format!("/aws/eks/{CLUSTER}/cluster"), retention, created)
}

/// An organization whose member has this cluster (and these log groups) in us-east-1.
fn org_with(c: Cluster, groups: Vec<LogGroup>) -> crate::sources::Inventory {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.eks.clusters = ok(vec![c]);
    r.data.cloudwatch_logs.groups = ok(groups);
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    let e = evaluate(inv, b);
    find(&e, "eks.control_plane_logging", MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

#[test]
fn a_cluster_is_judged_by_the_log_types_it_sends() {
    let b = recommended();
    let denied_describe = Cluster {
        name: CLUSTER.into(),
        details: denied(MEMBER, Some(R1), "DescribeCluster", "eks:DescribeCluster"),
    };
    let all = ["api", "audit", "authenticator"];
    let cases: Vec<(&str, Cluster, Vec<LogGroup>, Status, &str)> = vec![
        ("all three, group kept a year", cluster(&all, ClusterStatus::Active), vec![group(Some(365), "2026-06-01T00:00:00Z")], Status::Pass, "sends api, audit, authenticator to log group /aws/eks/prod/cluster (kept 365 days)"),
        ("all five", cluster(&["api", "audit", "authenticator", "controllerManager", "scheduler"], ClusterStatus::Active), vec![], Status::Pass, "to log group /aws/eks/prod/cluster"),
        ("partial: api only", cluster(&["api"], ClusterStatus::Active), vec![group(None, "2026-06-01T00:00:00Z")], Status::Fail, "sends api but not audit, authenticator (to log group /aws/eks/prod/cluster (never expires))"),
        ("nothing", cluster(&[], ClusterStatus::Active), vec![], Status::Fail, "sends no control-plane logs: api, audit, authenticator not enabled"),
        ("updating, nothing", cluster(&[], ClusterStatus::Updating), vec![], Status::Fail, "sends no control-plane logs (cluster UPDATING)"),
        ("description denied", denied_describe, vec![], Status::Unknown, "the logging configuration of EKS cluster prod could not be read: eks DescribeCluster returned AccessDenied"),
    ];
    for (name, c, groups, status, needle) in cases {
        let v = verdicts(&org_with(c, groups), &b);
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
}

#[test]
fn the_profile_decides_which_types_count_and_whether_any_is_asked() {
    let mut b = recommended();
    let inv = org_with(cluster(&["audit"], ClusterStatus::Active), vec![]);
    b.eks = Some(super::profile::EksBaseline {
        log_types: vec![super::profile::LogType::Audit],
    });
    assert_eq!(verdicts(&inv, &b)[0].0, Status::Pass);
    b.eks = None;
    let v = verdicts(&inv, &b);
    assert_eq!(v[0].0, Status::NotApplicable, "{v:?}");
    assert!(v[0].1.contains("not required"), "{v:?}");
}

#[test]
fn a_cluster_list_that_could_not_be_read_is_unknown_never_missing() {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.eks.clusters =
        denied(MEMBER, Some(R1), "ListClusters", "eks:ListClusters");
    let v = verdicts(&inv, &recommended());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, Status::Unknown);
    assert!(v[0].1.contains("eks:ListClusters"), "{v:?}");
    // Accounts without clusters have no finding at all.
    assert!(verdicts(&org(), &recommended()).is_empty());
}

#[test]
fn lookback_is_the_log_groups_reach_and_zero_for_a_cluster_that_logs_nothing() {
    let b = recommended();
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "eks")
            .map(|l| (l.days, l.basis))
    };
    let all = ["api", "audit", "authenticator"];
    // Kept 30 days, created long ago: 30.
    let inv = org_with(
        cluster(&all, ClusterStatus::Active),
        vec![group(Some(30), "2025-01-01T00:00:00Z")],
    );
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 30, "{basis}");
    assert!(
        basis.contains("EKS cluster prod: log group /aws/eks/prod/cluster"),
        "{basis}"
    );
    // Never expires, created 10 days before the collection: 10.
    let inv = org_with(
        cluster(&all, ClusterStatus::Active),
        vec![group(None, "2026-11-21T00:00:00Z")],
    );
    assert_eq!(days(&inv).unwrap().0, 10);
    // Sends nothing: 0.
    let inv = org_with(
        cluster(&[], ClusterStatus::Active),
        vec![group(Some(365), "2025-01-01T00:00:00Z")],
    );
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 0);
    assert!(basis.contains("sends no control-plane logs"), "{basis}");
    // The log groups could not be read: the account is left out, not guessed.
    let mut inv = org_with(cluster(&all, ClusterStatus::Active), vec![]);
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
fn profile_section_defaults_and_bad_values() {
    let b = parse_profile("version: 1\nname: t\neks: {}\n", "t.yaml").unwrap();
    let types: Vec<&str> = b
        .eks
        .unwrap()
        .log_types
        .iter()
        .map(|t| t.as_str())
        .collect();
    assert_eq!(types, ["api", "audit", "authenticator"]);
    let e = parse_profile("version: 1\nname: t\neks:\n  log_types: []\n", "t.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("remove the `eks` section"), "{e}");
    let e = parse_profile(
        "version: 1\nname: t\neks:\n  log_types: [api, kubelet]\n",
        "t.yaml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("t.yaml:4:"), "{e}");
    assert!(e.contains("kubelet"), "{e}");
}

const ADDRESS: &str = "eks_cluster.222222222222.us-east-1.prod";

#[test]
fn plan_enables_the_missing_types_keeping_the_others_and_creates_the_group_first() {
    let inv = org_with(cluster(&["scheduler"], ClusterStatus::Active), vec![]);
    let p = planned(&inv, "eks: {}\nlog_group_retention: {min_days: 365}\n");
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Update);
    assert_eq!(c.attributes[0].before.as_deref(), Some("scheduler"));
    assert_eq!(
        c.attributes[0].after,
        "scheduler, api, audit, authenticator"
    );
    assert!(c
        .attributes
        .iter()
        .any(|a| a.name == "cost" && a.after.contains("billed")));
    match &c.ops[..] {
        [Op::CloudwatchLogs(crate::sources::cloudwatch_logs::apply::Op::EnsureLogGroup {
            name,
            retention_days,
        }), Op::Eks(super::apply::Op::EnableControlPlaneLogging { cluster, log_types })] => {
            assert_eq!(name, "/aws/eks/prod/cluster");
            assert_eq!(*retention_days, 365);
            assert_eq!(cluster, CLUSTER);
            assert_eq!(log_types, &["api", "audit", "authenticator"]);
        }
        other => panic!("{other:?}"),
    }
    // The group exists: its retention is cloudwatch_logs' business; only the types change.
    let inv = org_with(
        cluster(&[], ClusterStatus::Active),
        vec![group(Some(7), "2026-01-01T00:00:00Z")],
    );
    let p = planned(&inv, "eks: {}\nlog_group_retention: {min_days: 365}\n");
    assert!(matches!(&change(&p, ADDRESS).ops[..], [Op::Eks(_)]));
    // No retention asked: no group made.
    let p = planned(
        &org_with(cluster(&[], ClusterStatus::Active), vec![]),
        "eks: {}\n",
    );
    assert!(matches!(&change(&p, ADDRESS).ops[..], [Op::Eks(_)]));
}

#[test]
fn plan_converges_never_guesses_and_waits_for_an_active_cluster() {
    let all = ["api", "audit", "authenticator"];
    let p = planned(
        &org_with(cluster(&all, ClusterStatus::Active), vec![]),
        "eks: {}\n",
    );
    assert!(
        !addresses(&p).iter().any(|a| a.starts_with("eks")),
        "{:?}",
        addresses(&p)
    );
    // Updating: named under Kept, nothing planned.
    let p = planned(
        &org_with(cluster(&[], ClusterStatus::Updating), vec![]),
        "eks: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(
        p.kept
            .iter()
            .any(|n| n.resource == ADDRESS && n.message.contains("is UPDATING")),
        "{:?}",
        p.kept
    );
    // A description that failed: unknown, nothing planned.
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[0].data.eks.clusters = ok(vec![Cluster {
        name: CLUSTER.into(),
        details: denied(MEMBER, Some(R1), "DescribeCluster", "eks:DescribeCluster"),
    }]);
    let p = planned(&inv, "eks: {}\n");
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(
        p.unknown.iter().any(|n| n.resource == ADDRESS),
        "{:?}",
        p.unknown
    );
    // The log groups could not be read while a retention floor is asked: whether the group
    // must be made first is unknown, so nothing is planned.
    let mut inv = org_with(cluster(&[], ClusterStatus::Active), vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = denied(
        MEMBER,
        Some(R1),
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    );
    let p = planned(&inv, "eks: {}\nlog_group_retention: {min_days: 365}\n");
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(
        p.unknown
            .iter()
            .any(|n| n.resource == ADDRESS && n.message.contains("logs:DescribeLogGroups")),
        "{:?}",
        p.unknown
    );
    // Without a floor the groups do not matter.
    let p = planned(&inv, "eks: {}\n");
    assert!(addresses(&p).contains(&ADDRESS));
    // The list failed: unknown at the region's scope.
    acct(&mut inv, MEMBER).regions[0].data.eks.clusters =
        denied(MEMBER, Some(R1), "ListClusters", "eks:ListClusters");
    let p = planned(&inv, "eks: {}\n");
    assert!(
        p.unknown
            .iter()
            .any(|n| n.resource == format!("eks.{MEMBER}.{R1}")),
        "{:?}",
        p.unknown
    );
}
