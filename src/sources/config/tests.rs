//! AWS Config checks.

use crate::finding::*;
use crate::rules::testutil::*;
use crate::sources::config::model::*;

#[test]
fn config_recorders_global_resources_and_aggregator() {
    let mut inv = org();
    let rec = |global: bool, recording: bool| ConfigRecorder {
        name: "default".into(),
        excluded_types: vec![],
        included_types: vec![],
        all_supported: true,
        include_global_resource_types: global,
        recording: ok(recording),
        last_status: ok(Some("Success".into())),
        last_start_time: None,
        daily: DailyRecording::None,
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
        excluded_types: vec![],
        included_types: vec![],
        all_supported: true,
        include_global_resource_types: true,
        recording: ok(recording),
        last_status: ok(Some("Success".into())),
        last_start_time: start.map(String::from),
        daily: DailyRecording::None,
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

/// An audit narrowed by `--regions` may miss an aggregator made in a region it left out: the
/// management account's other regions are read for it (unknown until they are); the global
/// recording is judged within the audited regions, saying which were not read.
#[test]
fn regions_left_out_by_regions_are_read_for_the_aggregator_and_named() {
    let rec = |global: bool| ConfigRecorder {
        name: "default".into(),
        excluded_types: vec![],
        included_types: vec![],
        all_supported: true,
        include_global_resource_types: global,
        recording: ok(true),
        last_status: ok(Some("Success".into())),
        last_start_time: None,
        daily: DailyRecording::None,
    };
    let mut inv = org();
    for a in [MGMT, MEMBER] {
        for r in &mut acct(&mut inv, a).regions {
            r.data.config.recorders = ok(vec![rec(false)]);
            r.data.config.aggregators = ok(vec![]);
        }
    }
    // Every enabled region read: nothing found is a failure.
    let e = evaluate(&inv, &recommended());
    assert_eq!(status(&e, "config.aggregator", MGMT, None), Status::Fail);
    assert_eq!(
        status(&e, "config.global_resources", MEMBER, None),
        Status::Fail
    );
    // us-west-2 left out: the aggregator is unknown until that region is read; the global
    // recording is judged within the audited regions, and the message says what was not read.
    inv.regions_left_out = vec!["us-west-2".into()];
    let e = evaluate(&inv, &recommended());
    for (check, account, want) in [
        ("config.aggregator", MGMT, Status::Unknown),
        ("config.global_resources", MEMBER, Status::Fail),
    ] {
        let f = &find(&e, check, account, None)[0];
        assert_eq!(f.status, want, "{check}: {}", f.message);
        assert!(
            f.message.contains("us-west-2") && f.message.contains("--regions"),
            "{check}: {}",
            f.message
        );
    }
    // The baseline names an audited region for them: not recorded there fails, whatever
    // the regions left out hold.
    let mut named = recommended();
    named.config.global_resources_region = Some(R1.into());
    let f = &find(
        &evaluate(&inv, &named),
        "config.global_resources",
        MEMBER,
        None,
    )[0]
    .clone();
    assert_eq!(f.status, Status::Fail, "{}", f.message);
    assert!(f.message.contains(R1), "{}", f.message);
    // The management account's left-out regions are read on their own: the aggregator is
    // found there, or known to be nowhere, or unknown when that read failed.
    let agg = |arn: &str| ConfigAggregator {
        name: "org".into(),
        arn: arn.into(),
        organization_wide: true,
        all_regions: true,
    };
    let m = acct(&mut inv, MGMT);
    m.data.config.aggregators_left_out = Some(ok(vec![agg(
        "arn:aws:config:us-west-2:111111111111:config-aggregator/config-aggregator-x",
    )]));
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "config.aggregator", MGMT, None)[0];
    assert_eq!(f.status, Status::Pass, "{}", f.message);
    assert!(f.message.contains("(us-west-2)"), "{}", f.message);
    acct(&mut inv, MGMT).data.config.aggregators_left_out = Some(ok(vec![]));
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "config.aggregator", MGMT, None)[0];
    assert_eq!(f.status, Status::Fail, "{}", f.message);
    assert!(f.message.contains("left out by --regions"), "{}", f.message);
    acct(&mut inv, MGMT).data.config.aggregators_left_out = Some(denied(
        MGMT,
        Some("us-west-2"),
        "DescribeConfigurationAggregators",
        "config:DescribeConfigurationAggregators",
    ));
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "config.aggregator", MGMT, None)[0];
    assert_eq!(f.status, Status::Unknown, "{}", f.message);
    assert!(
        f.message
            .contains("config:DescribeConfigurationAggregators"),
        "{}",
        f.message
    );
    // Found in an audited region: judged as usual.
    acct(&mut inv, MEMBER).regions[1].data.config.recorders = ok(vec![rec(true)]);
    acct(&mut inv, MGMT).regions[0].data.config.aggregators = ok(vec![ConfigAggregator {
        name: "org".into(),
        arn: "arn".into(),
        organization_wide: true,
        all_regions: true,
    }]);
    let e = evaluate(&inv, &recommended());
    assert_eq!(status(&e, "config.aggregator", MGMT, None), Status::Pass);
    assert_eq!(
        status(&e, "config.global_resources", MEMBER, None),
        Status::Pass
    );
}

mod plan {
    use super::*;
    use crate::plan::testutil::*;
    use crate::sources::config::apply::Op as ConfigOp;

    fn include_global(p: &crate::sources::Plan, address: &str) -> bool {
        match &change(p, address).ops[0] {
            Op::Config(ConfigOp::PutRecorder {
                include_global_resource_types,
                ..
            }) => *include_global_resource_types,
            other => panic!("{address}: {other:?}"),
        }
    }

    /// A new recorder in the global region records no global types when another region
    /// already does: one copy, never two.
    #[test]
    fn global_types_are_never_recorded_twice() {
        let mut inv = org();
        acct(&mut inv, MEMBER).regions[1].data.config.recorders = ok(vec![ConfigRecorder {
            name: "default".into(),
            excluded_types: vec![],
            included_types: vec![],
            all_supported: true,
            include_global_resource_types: true,
            recording: ok(true),
            last_status: ok(Some("Success".into())),
            last_start_time: None,
            daily: DailyRecording::None,
        }]);
        let p = planned(&inv, "");
        assert!(!include_global(
            &p,
            "config_recorder.222222222222.us-east-1"
        ));
        // The management account records them nowhere: its global region gets them.
        assert!(include_global(&p, "config_recorder.111111111111.us-east-1"));
        assert!(!include_global(
            &p,
            "config_recorder.111111111111.eu-west-1"
        ));
    }

    /// A plan narrowed by `--regions` plans the aggregator and the global recording in the
    /// home region when it read it; when it left the home region out, neither (it never read
    /// what is there) and the plan says why.
    #[test]
    fn nothing_is_planned_in_a_region_the_plan_left_out() {
        let mut inv = org();
        for r in &mut acct(&mut inv, MGMT).regions {
            r.data.config.aggregators = ok(vec![]);
        }
        inv.regions_left_out = vec!["us-west-2".into()];
        let p = planned(&inv, "");
        assert!(addresses(&p).contains(&"config_aggregator.logwarden-organization"));
        assert!(include_global(&p, "config_recorder.222222222222.us-east-1"));
        assert!(p.unknown.is_empty(), "{:?}", p.unknown);
        // Only eu-west-1 read: the home region (us-east-1) is left out.
        inv.regions = vec![R2.into()];
        inv.regions_left_out = vec![R1.into(), "us-west-2".into()];
        for a in [MGMT, MEMBER] {
            acct(&mut inv, a).regions.retain(|r| r.region == R2);
        }
        let p = planned(&inv, "");
        assert!(!addresses(&p).contains(&"config_aggregator.logwarden-organization"));
        assert!(!include_global(
            &p,
            "config_recorder.222222222222.eu-west-1"
        ));
        for resource in [
            "config_aggregator.logwarden-organization",
            "config_recorder.222222222222.us-east-1",
        ] {
            let n = p
                .unknown
                .iter()
                .find(|n| n.resource == resource)
                .unwrap_or_else(|| panic!("no note for {resource}: {:?}", p.unknown));
            assert!(
                n.message.contains("us-east-1") && n.message.contains("--regions"),
                "{}",
                n.message
            );
        }
        // The management account's left-out regions read: the aggregator is planned in the
        // home region when none exists anywhere, and not at all when one does.
        acct(&mut inv, MGMT).data.config.aggregators_left_out = Some(ok(vec![]));
        let p = planned(&inv, "");
        assert!(addresses(&p).contains(&"config_aggregator.logwarden-organization"));
        acct(&mut inv, MGMT).data.config.aggregators_left_out = Some(ok(vec![ConfigAggregator {
            name: "org".into(),
            arn: "arn:aws:config:us-east-1:111111111111:config-aggregator/x".into(),
            organization_wide: true,
            all_regions: true,
        }]));
        let p = planned(&inv, "");
        assert!(!addresses(&p).contains(&"config_aggregator.logwarden-organization"));
        assert!(
            !p.unknown
                .iter()
                .any(|n| n.resource == "config_aggregator.logwarden-organization"),
            "{:?}",
            p.unknown
        );
    }
}

#[test]
fn a_recorder_that_leaves_types_out_names_them() {
    let rec = |excluded: &[&str], included: &[&str]| ConfigRecorder {
        name: "team".into(),
        excluded_types: excluded.iter().map(|t| t.to_string()).collect(),
        included_types: included.iter().map(|t| t.to_string()).collect(),
        all_supported: false,
        include_global_resource_types: false,
        recording: ok(true),
        last_status: ok(Some("Success".into())),
        last_start_time: None,
        daily: DailyRecording::None,
    };
    for (r, needle) in [
        (
            rec(&["AWS::EC2::Instance", "AWS::EC2::NetworkInterface"], &[]),
            "recorder 'team' does not record all supported resource types: it excludes AWS::EC2::Instance, AWS::EC2::NetworkInterface",
        ),
        (
            rec(&[], &["AWS::S3::Bucket"]),
            "recorder 'team' does not record all supported resource types: it records only 1 selected type(s) (AWS::S3::Bucket)",
        ),
    ] {
        let mut inv = org();
        acct(&mut inv, MEMBER).regions[0].data.config.recorders = ok(vec![r]);
        let e = evaluate(&inv, &recommended());
        let f = &find(&e, "config.recorder", MEMBER, Some(R1))[0];
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        assert!(f.message.contains(needle), "{}", f.message);
    }
}

/// Daily recording (`recordingMode`) keeps one state a day: with `continuous_recording` (the
/// recommended profile) a recorder recording every type daily, or some types through daily
/// overrides, fails, naming them; without it (minimal) the same recorder passes. `plan` makes
/// it continuous, saying what was daily, and leaves it alone when the profile does not ask.
#[test]
fn daily_recording_fails_when_continuous_recording_is_asked_and_plan_makes_it_continuous() {
    use crate::plan::testutil::*;
    use crate::sources::config::apply::Op as ConfigOp;
    let rec = |daily: DailyRecording| ConfigRecorder {
        name: "team".into(),
        excluded_types: vec![],
        included_types: vec![],
        all_supported: true,
        include_global_resource_types: false,
        recording: ok(true),
        last_status: ok(Some("Success".into())),
        last_start_time: None,
        daily,
    };
    let types = DailyRecording::Types(vec![
        "AWS::EC2::Instance".into(),
        "AWS::EC2::SecurityGroup".into(),
    ]);
    let address = format!("config_recorder.{MEMBER}.{R1}");
    for (daily, asked, want, needle) in [
        (DailyRecording::None, true, Status::Pass, "records all supported resources"),
        (DailyRecording::All, true, Status::Fail, "recorder 'team' records once a day, not as changes happen"),
        (types.clone(), true, Status::Fail, "recorder 'team' records 2 resource type(s) once a day, not as they change (AWS::EC2::Instance, AWS::EC2::SecurityGroup)"),
        (DailyRecording::All, false, Status::Pass, "records all supported resources"),
        (types.clone(), false, Status::Pass, "records all supported resources"),
    ] {
        let mut inv = org();
        let r = &mut acct(&mut inv, MEMBER).regions[0].data.config;
        r.recorders = ok(vec![rec(daily.clone())]);
        r.delivery_channels = ok(vec!["default".into()]);
        let mut b = recommended();
        b.config.continuous_recording = asked;
        let e = evaluate(&inv, &b);
        let f = &find(&e, "config.recorder", MEMBER, Some(R1))[0];
        assert_eq!(f.status, want, "{daily:?} {asked}: {}", f.message);
        assert!(f.message.contains(needle), "{}", f.message);
        // The plan: continuous where asked and daily; nothing for this recorder otherwise
        // (it records, delivers, and its region does not record global types).
        let extra = format!("config: {{continuous_recording: {asked}, global_resources_once: false}}");
        let p = planned(&inv, &extra);
        let change = p.changes.iter().find(|c| c.address == address);
        if want == Status::Fail {
            let c = change.unwrap_or_else(|| panic!("{daily:?}: no change for {address}"));
            assert!(matches!(
                &c.ops[..],
                [Op::Config(ConfigOp::PutRecorder { continuous: true, include_global_resource_types: false, name, .. })] if name == "team"
            ), "{:?}", c.ops);
            let attr = c.attributes.iter().find(|a| a.name == "recording frequency").expect("attribute");
            assert_eq!(attr.before.as_deref(), daily.describe().as_deref());
        } else {
            assert!(change.is_none(), "{daily:?} {asked}: {change:?}");
        }
    }
}

/// What the findings and plan say of daily recording: nothing for none, and nothing for an
/// empty list of daily types (an edited inventory), never "0 resource type(s)".
#[test]
fn daily_recording_is_described_only_when_something_is_daily() {
    assert_eq!(DailyRecording::None.describe(), None);
    assert_eq!(DailyRecording::Types(vec![]).describe(), None);
    assert_eq!(
        DailyRecording::All.describe().as_deref(),
        Some("records once a day, not as changes happen")
    );
    assert_eq!(
        DailyRecording::Types(vec!["AWS::EC2::Instance".into()])
            .describe()
            .as_deref(),
        Some("records 1 resource type(s) once a day, not as they change (AWS::EC2::Instance)")
    );
}
