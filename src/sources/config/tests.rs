//! AWS Config checks.

use crate::finding::*;
use crate::rules::testutil::*;
use crate::sources::config::model::*;

#[test]
fn config_recorders_global_resources_and_aggregator() {
    let mut inv = org();
    let rec = |global: bool, recording: bool| ConfigRecorder {
        name: "default".into(),
        all_supported: true,
        include_global_resource_types: global,
        recording: ok(recording),
        last_status: ok(Some("Success".into())),
        last_start_time: None,
    };
    let m = acct(&mut inv, MGMT);
    m.regions[0].data.config.recorders = ok(vec![rec(true, true)]);
    m.regions[1].data.config.recorders = ok(vec![rec(false, true)]);
    m.regions[0].data.config.delivery_channels = ok(vec!["default".into()]);
    m.regions[0].data.config.aggregators = ok(vec![ConfigAggregator {
        name: "org".into(),
        arn: "arn".into(),
        organization_wide: true,
        all_regions: true,
    }]);
    let w = acct(&mut inv, MEMBER);
    w.regions[0].data.config.recorders = ok(vec![rec(true, false)]);
    w.regions[1].data.config.recorders = ok(vec![rec(true, true)]);
    let e = evaluate(&inv, &recommended());
    assert_eq!(status(&e, "config.recorder", MGMT, Some(R1)), Status::Pass);
    assert_eq!(
        status(&e, "config.recorder", MEMBER, Some(R1)),
        Status::Fail
    );
    assert_eq!(
        status(&e, "config.global_resources", MGMT, None),
        Status::Pass
    );
    // The stopped recorder does not count: one region records global types.
    assert_eq!(
        status(&e, "config.global_resources", MEMBER, None),
        Status::Pass
    );
    assert_eq!(status(&e, "config.delivery", MGMT, Some(R1)), Status::Pass);
    assert_eq!(status(&e, "config.delivery", MGMT, Some(R2)), Status::Fail);
    assert_eq!(status(&e, "config.aggregator", MGMT, None), Status::Pass);
    acct(&mut inv, MEMBER).regions[0].data.config.recorders = ok(vec![rec(true, true)]);
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "config.global_resources", MEMBER, None),
        Status::Fail
    );
    // A recorder whose status could not be read makes the count unknown, never a duplicate...
    let mut unread = rec(true, true);
    unread.recording = denied(
        MEMBER,
        Some(R1),
        "DescribeConfigurationRecorderStatus",
        "config:DescribeConfigurationRecorderStatus",
    );
    acct(&mut inv, MEMBER).regions[0].data.config.recorders = ok(vec![unread.clone()]);
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "config.global_resources", MEMBER, None)[0];
    assert_eq!(f.status, Status::Unknown, "{}", f.message);
    assert!(
        f.message
            .contains("config:DescribeConfigurationRecorderStatus"),
        "{}",
        f.message
    );
    // ...nor a pass beside one known recording region.
    acct(&mut inv, MGMT).regions[0].data.config.recorders = ok(vec![unread]);
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "config.global_resources", MGMT, None),
        Status::Unknown
    );
}

#[test]
fn global_resources_are_not_judged_when_recorders_are_not_required() {
    let inv = org();
    let mut b = recommended();
    assert_eq!(
        status(&evaluate(&inv, &b), "config.global_resources", MEMBER, None),
        Status::Fail
    );
    b.config.recorder = false;
    assert_eq!(
        status(&evaluate(&inv, &b), "config.global_resources", MEMBER, None),
        Status::NotApplicable
    );
}

#[test]
fn lookback_is_the_retention_bounded_by_the_recorders_start_region_by_region() {
    let b = recommended();
    let rec = |start: Option<&str>, recording: bool| ConfigRecorder {
        name: "default".into(),
        all_supported: true,
        include_global_resource_types: true,
        recording: ok(recording),
        last_status: ok(Some("Success".into())),
        last_start_time: start.map(String::from),
    };
    let with = |r1: Vec<ConfigRecorder>, keep1: Option<u32>, r2: Vec<ConfigRecorder>| {
        let mut inv = org();
        inv.collected_at = "2026-12-01T00:00:00Z".into();
        let m = acct(&mut inv, MEMBER);
        m.regions[0].data.config.recorders = ok(r1);
        m.regions[0].data.config.retention_days = ok(keep1);
        m.regions[1].data.config.recorders = ok(r2);
        inv
    };
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "config")
            .map(|l| (l.days, l.basis))
    };
    let old = Some("2016-01-01T00:00:00Z");
    // Both regions recording for years: AWS's default 2,557 days.
    let (d, basis) = days(&with(vec![rec(old, true)], None, vec![rec(old, true)])).unwrap();
    assert_eq!(d, 2557, "{basis}");
    assert!(basis.contains("AWS's default retention"), "{basis}");
    // A 30-day retention configuration in one region bounds the account.
    let (d, basis) = days(&with(vec![rec(old, true)], Some(30), vec![rec(old, true)])).unwrap();
    assert_eq!(d, 30);
    assert!(basis.contains(&format!("in {R1}")), "{basis}");
    // Started 10 days ago.
    let inv = with(
        vec![rec(Some("2026-11-21T00:00:00Z"), true)],
        None,
        vec![rec(old, true)],
    );
    assert_eq!(days(&inv).unwrap().0, 10);
    // A region whose recorder is stopped: 0.
    let (d, basis) = days(&with(vec![rec(old, true)], None, vec![rec(old, false)])).unwrap();
    assert_eq!(d, 0);
    assert!(
        basis.contains(&format!("no Config recorder is recording in {R2}")),
        "{basis}"
    );
    // The retention could not be read: the account is left out, never guessed.
    let mut inv = with(vec![rec(old, true)], None, vec![rec(old, true)]);
    acct(&mut inv, MEMBER).regions[0].data.config.retention_days = denied(
        MEMBER,
        Some(R1),
        "DescribeRetentionConfigurations",
        "config:DescribeRetentionConfigurations",
    );
    assert_eq!(days(&inv), None);
}
