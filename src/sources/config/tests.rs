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
