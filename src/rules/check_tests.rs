//! Behaviour every check shares: regions that are not enabled, accounts that could not be
//! reached, and a finding from every check.

use crate::inventory::*;
use crate::rules::testutil::*;
use crate::rules::*;
use crate::sources::elb_access_logs::model::*;
use crate::sources::vpc_flow_logs::model::*;

#[test]
fn a_region_that_is_not_enabled_is_not_applicable_and_an_unreachable_account_is_unknown() {
    let mut inv = org();
    acct(&mut inv, MEMBER).regions[1].enabled = Collected::Failed {
        error: CallError {
            account_id: MEMBER.into(),
            region: Some(R2.into()),
            service: "ec2".into(),
            operation: "DescribeRegions".into(),
            code: "RegionNotEnabled".into(),
            message: "".into(),
            iam_action: "ec2:DescribeRegions".into(),
        },
    };
    acct(&mut inv, MGMT).access = denied(MGMT, None, "AssumeRole", "sts:AssumeRole");
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::NotApplicable
    );
    assert_eq!(
        status(&e, "config.recorder", MEMBER, Some(R2)),
        Status::NotApplicable
    );
    let f = &find(&e, "cloudtrail.coverage", MGMT, Some(R1))[0];
    assert_eq!(f.status, Status::Unknown);
    assert!(f.message.contains("sts:AssumeRole"), "{}", f.message);
    assert!(inv.errors().iter().all(|e| e.code != "RegionNotEnabled"));
}

#[test]
fn every_check_reports_on_a_small_organization() {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.vpc_flow_logs.vpcs = ok(vec![Vpc {
        tags: Default::default(),
        id: "vpc-1".into(),
        is_default: true,
    }]);
    r.data.elb_access_logs.load_balancers = ok(vec![LoadBalancer {
        id: "alb".into(),
        name: "alb".into(),
        kind: LoadBalancerKind::Application,
        access_logs_enabled: ok(true),
        access_logs_bucket: None,
    }]);
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bucket("app", R1)]);
    let e = evaluate(&inv, &recommended());
    for def in registry() {
        assert!(
            e.findings.iter().any(|f| f.check_id == def.id),
            "{} emitted nothing",
            def.id
        );
    }
    for f in &e.findings {
        assert!(!f.remediation.is_empty());
        assert!(!f.message.is_empty(), "{f:?}");
    }
}
