//! Flow-log checks.

use crate::sources::vpc_flow_logs::model::*;
use crate::baseline;
use crate::inventory::*;
use crate::rules::testutil::*;
use crate::rules::*;

#[test]
fn flow_logs_must_be_active_and_capture_the_baseline_traffic() {
    let mut inv = org();
    let fl = |id: &str, vpc: &str, traffic: &str, status: &str| FlowLog {
        id: id.into(),
        resource_id: vpc.into(),
        traffic_type: Some(traffic.into()),
        flow_log_status: Some(status.into()),
        deliver_logs_status: Some("SUCCESS".into()),
        destination_type: Some("s3".into()),
        destination: Some("arn:aws:s3:::flow".into()),
    };
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.vpc_flow_logs.vpcs = ok(["vpc-all", "vpc-reject", "vpc-inactive", "vpc-none", "vpc-split"]
        .iter()
        .map(|v| Vpc {
            tags: Default::default(),
            id: v.to_string(),
            is_default: false,
        })
        .collect());
    r.data.vpc_flow_logs.flow_logs = ok(vec![
        fl("fl-1", "vpc-all", "ALL", "ACTIVE"),
        fl("fl-2", "vpc-reject", "REJECT", "ACTIVE"),
        fl("fl-3", "vpc-inactive", "ALL", "INACTIVE"),
        // An ACCEPT log and a REJECT log: together, ALL.
        fl("fl-4", "vpc-split", "ACCEPT", "ACTIVE"),
        fl("fl-5", "vpc-split", "REJECT", "ACTIVE"),
    ]);
    let e = evaluate(&inv, &recommended());
    let st = |id: &str| {
        find(&e, "vpc.flow_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == id)
            .unwrap()
            .status
    };
    assert_eq!(st("vpc-all"), Status::Pass);
    assert_eq!(st("vpc-reject"), Status::Fail);
    assert_eq!(st("vpc-inactive"), Status::Fail);
    assert_eq!(st("vpc-none"), Status::Fail);
    assert_eq!(st("vpc-split"), Status::Pass);
    let split = &find(&e, "vpc.flow_logs", MEMBER, Some(R1))
        .into_iter()
        .find(|f| f.resource == "vpc-split")
        .unwrap()
        .message;
    assert!(split.contains("fl-4 (ACCEPT) and fl-5 (REJECT) together capture ALL"), "{split}");
    let cis = baseline::load("cis-aws-v3").unwrap().baseline;
    let e = evaluate(&inv, &cis);
    assert_eq!(
        find(&e, "vpc.flow_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == "vpc-reject")
            .unwrap()
            .status,
        Status::Pass
    );
    // A flow-log destination bucket is a log bucket.
    assert!(Ctx::new(&inv, &cis).log_buckets.contains("flow"));
    // VPCs selected by tag: the others are not judged.
    let mut tagged = recommended();
    tagged.vpc_flow_logs.as_mut().unwrap().vpc_tags =
        [("env".to_string(), "prod".to_string())].into();
    if let Collected::Ok { value } = &mut acct(&mut inv, MEMBER).regions[0].data.vpc_flow_logs.vpcs {
        value[3].tags.insert("env".into(), "prod".into());
    }
    let e = evaluate(&inv, &tagged);
    let st = |id: &str| {
        find(&e, "vpc.flow_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == id)
            .unwrap()
            .status
    };
    assert_eq!(
        st("vpc-none"),
        Status::Fail,
        "tagged and without a flow log"
    );
    assert_eq!(
        st("vpc-reject"),
        Status::NotApplicable,
        "untagged: outside the baseline"
    );
}
