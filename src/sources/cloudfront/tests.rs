//! CloudFront logging: the check, table-driven over legacy and v2 logging; and the plan.

use super::model::*;
use crate::finding::*;
use crate::inventory::Collected;
use crate::plan::testutil::*;
use crate::plan::Action;
use crate::rules::testutil::*;

fn dist(id: &str, legacy: Option<Collected<LegacyLogging>>) -> Distribution {
    Distribution {
        id: id.into(),
        arn: format!("arn:aws:cloudfront::{MEMBER}:distribution/{id}"),
        domain_name: format!("{}.cloudfront.net", id.to_lowercase()),
        enabled: true,
        realtime_log_configs: vec![],
        legacy,
    }
}

fn legacy(enabled: bool) -> Option<Collected<LegacyLogging>> {
    Some(ok(LegacyLogging {
        enabled,
        bucket: if enabled {
            "edge-logs.s3.amazonaws.com".into()
        } else {
            String::new()
        },
        prefix: if enabled { "cf/".into() } else { String::new() },
    }))
}

fn v2(id: &str) -> V2Delivery {
    V2Delivery {
        distribution_arn: format!("arn:aws:cloudfront::{MEMBER}:distribution/{id}"),
        destination_type: "S3".into(),
        destination: "arn:aws:s3:::edge-v2".into(),
    }
}

fn org_with(
    dists: Vec<Distribution>,
    deliveries: Collected<Vec<V2Delivery>>,
) -> crate::sources::Inventory {
    let mut inv = org();
    let a = acct(&mut inv, MEMBER);
    a.data.cloudfront.distributions = ok(dists);
    a.data.cloudfront.deliveries = deliveries;
    inv
}

fn verdicts(
    inv: &crate::sources::Inventory,
    b: &crate::sources::Baseline,
) -> Vec<(Status, String)> {
    find(&evaluate(inv, b), "cloudfront.logging", MEMBER, Some(R1))
        .iter()
        .map(|f| (f.status, f.message.clone()))
        .collect()
}

#[test]
fn a_distribution_is_judged_by_legacy_or_v2_logging() {
    let b = recommended();
    let denied_v2 = || {
        denied(
            MEMBER,
            Some(R1),
            "DescribeDeliveries",
            "logs:DescribeDeliveries",
        )
    };
    let mut realtime = dist("E5", legacy(false));
    realtime.realtime_log_configs =
        vec!["arn:aws:cloudfront::222222222222:realtime-log-config/rt".into()];
    let mut off = dist("E6", legacy(false));
    off.enabled = false;
    type Case<'a> = (
        &'a str,
        Distribution,
        Collected<Vec<V2Delivery>>,
        Status,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        ("v2", dist("E1", None), ok(vec![v2("E1")]), Status::Pass,
         "CloudFront distribution E1 (e1.cloudfront.net) logs by standard logging v2 to S3 arn:aws:s3:::edge-v2"),
        ("legacy", dist("E2", legacy(true)), ok(vec![]), Status::Pass,
         "logs by standard logging (legacy) to edge-logs/cf"),
        ("nothing", dist("E3", legacy(false)), ok(vec![]), Status::Fail,
         "CloudFront distribution E3 (e3.cloudfront.net) writes no access logs"),
        ("legacy on, v2 unread", dist("E4", legacy(true)), denied_v2(), Status::Pass, "standard logging (legacy)"),
        ("legacy off, v2 unread", dist("E4", legacy(false)), denied_v2(), Status::Unknown, "logs:DescribeDeliveries"),
        ("legacy unread", dist("E4", Some(denied(MEMBER, Some(R1), "GetDistributionConfig", "cloudfront:GetDistributionConfig"))), ok(vec![]), Status::Unknown, "cloudfront:GetDistributionConfig"),
        ("real-time only: named, not a log", realtime, ok(vec![]), Status::Fail, "writes no access logs; real-time logs: arn:aws:cloudfront::222222222222:realtime-log-config/rt"),
        ("disabled", off, ok(vec![]), Status::NotApplicable, "is disabled"),
    ];
    for (name, d, deliveries, status, needle) in cases {
        let v = verdicts(&org_with(vec![d], deliveries), &b);
        assert_eq!(v.len(), 1, "{name}: {v:?}");
        assert_eq!(v[0].0, status, "{name}: {}", v[0].1);
        assert!(v[0].1.contains(needle), "{name}: {}", v[0].1);
    }
    // The listing unread: one unknown finding for the account.
    let mut inv = org();
    acct(&mut inv, MEMBER).data.cloudfront.distributions = denied(
        MEMBER,
        Some(R1),
        "ListDistributions",
        "cloudfront:ListDistributions",
    );
    let v = verdicts(&inv, &b);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].0, Status::Unknown);
    assert!(
        v[0].1.contains("cloudfront:ListDistributions"),
        "{}",
        v[0].1
    );
}

const ADDRESS: &str = "cloudfront_logging.222222222222";

#[test]
fn plan_delivers_silent_distributions_to_the_archive_and_keeps_the_rest() {
    let inv = org_with(
        vec![
            dist("E1", None),
            dist("E2", legacy(true)),
            dist("E3", legacy(false)),
        ],
        ok(vec![v2("E1")]),
    );
    let p = planned(&inv, "cloudfront_logging: {}\n");
    let c = change(&p, ADDRESS);
    assert_eq!(c.action, Action::Create);
    assert_eq!(c.region, "us-east-1");
    assert!(
        c.depends_on
            .iter()
            .any(|d| d == &format!("s3_bucket.{ARCHIVE}")),
        "{:?}",
        c.depends_on
    );
    match &c.ops[..] {
        [Op::Cloudfront(super::apply::Op::DeliverToArchive {
            distributions,
            bucket,
            suffix,
        })] => {
            let ids: Vec<&str> = distributions.iter().map(|d| d.id.as_str()).collect();
            assert_eq!(ids, ["E3"]);
            assert_eq!(bucket, ARCHIVE);
            assert_eq!(suffix, &format!("AWSLogs/{MEMBER}/CloudFront/"));
        }
        other => panic!("{other:?}"),
    }
    let policy = serde_json::to_string(&change(&p, &format!("s3_bucket.{ARCHIVE}")).ops).unwrap();
    assert!(
        policy.contains(&format!("{ARCHIVE}/AWSLogs/{MEMBER}/CloudFront/*")),
        "{policy}"
    );
    assert!(policy.contains("LogwardenCloudFrontWrite"), "{policy}");
    // Converged.
    let p = planned(
        &org_with(vec![dist("E1", None)], ok(vec![v2("E1")])),
        "cloudfront_logging: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    // Undecided: unknown, nothing planned for it.
    let p = planned(
        &org_with(
            vec![dist("E3", legacy(false))],
            denied(
                MEMBER,
                Some(R1),
                "DescribeDeliveries",
                "logs:DescribeDeliveries",
            ),
        ),
        "cloudfront_logging: {}\n",
    );
    assert!(!addresses(&p).contains(&ADDRESS));
    assert!(
        p.unknown
            .iter()
            .any(|n| n.resource.ends_with("distribution/E3")),
        "{:?}",
        p.unknown
    );
    // A disabled distribution only when the profile asks.
    let mut off = dist("E7", legacy(false));
    off.enabled = false;
    let inv = org_with(vec![off], ok(vec![]));
    assert!(!addresses(&planned(&inv, "cloudfront_logging: {}\n")).contains(&ADDRESS));
    assert!(addresses(&planned(
        &inv,
        "cloudfront_logging: {include_disabled: true}\n"
    ))
    .contains(&ADDRESS));
}

#[test]
fn lookback_counts_what_it_can_and_zero_for_a_silent_distribution() {
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &recommended())
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "cloudfront")
            .map(|l| (l.days, l.basis))
    };
    let mut inv = org_with(
        vec![dist("E1", None), dist("E2", legacy(true))],
        ok(vec![V2Delivery {
            distribution_arn: format!("arn:aws:cloudfront::{MEMBER}:distribution/E1"),
            destination_type: "CWL".into(),
            destination: format!("arn:aws:logs:us-east-1:{MEMBER}:log-group:/cf/e1:*"),
        }]),
    );
    inv.collected_at = "2026-12-01T00:00:00Z".into();
    acct(&mut inv, MEMBER).regions[0]
        .data
        .cloudwatch_logs
        .groups = ok(vec![
        crate::sources::cloudwatch_logs::model::LogGroup::sample(
            "/cf/e1",
            Some(60),
            "2025-01-01T00:00:00Z",
        ),
    ]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 60, "{basis}");
    assert!(
        basis.contains("CloudFront distribution E1: log group /cf/e1"),
        "{basis}"
    );
    // A distribution that logs nowhere answers nothing.
    let inv = org_with(vec![dist("E3", legacy(false))], ok(vec![]));
    assert_eq!(days(&inv).unwrap().0, 0);
    // Deliveries unread: no figure.
    let inv = org_with(
        vec![dist("E3", legacy(false))],
        denied(
            MEMBER,
            Some(R1),
            "DescribeDeliveries",
            "logs:DescribeDeliveries",
        ),
    );
    assert_eq!(days(&inv), None);
}
