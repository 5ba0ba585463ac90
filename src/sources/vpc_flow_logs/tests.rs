//! Flow-log checks.

use crate::finding::*;
use crate::inventory::*;
use crate::rules::testutil::*;
use crate::sources::vpc_flow_logs::model::*;

/// A flow log of `vpc` delivering to the bucket `flow`.
fn fl(id: &str, vpc: &str, traffic: &str, status: &str) -> FlowLog {
    FlowLog {
        id: id.into(),
        resource_id: vpc.into(),
        traffic_type: Some(traffic.into()),
        flow_log_status: Some(status.into()),
        deliver_logs_status: Some("SUCCESS".into()),
        destination_type: Some("s3".into()),
        destination: Some("arn:aws:s3:::flow".into()),
        log_format: None,
        file_format: None,
        hive_compatible: false,
        per_hour: false,
        creation_time: None,
    }
}

#[test]
fn flow_logs_must_be_active_and_capture_the_baseline_traffic() {
    let mut inv = org();
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.vpc_flow_logs.vpcs = ok([
        "vpc-all",
        "vpc-reject",
        "vpc-inactive",
        "vpc-none",
        "vpc-split",
    ]
    .iter()
    .map(|v| Vpc {
        tags: Default::default(),
        id: v.to_string(),
        is_default: false,
        owner_id: None,
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
    assert!(
        split.contains("fl-4 (ACCEPT) and fl-5 (REJECT) together capture ALL"),
        "{split}"
    );
    let cis = crate::sources::load_baseline("cis-aws-v3")
        .unwrap()
        .baseline;
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
    assert!(
        crate::engine::evaluate::context::<crate::sources::Sources>(&inv, &cis)
            .log_buckets
            .contains("flow")
    );
    // VPCs selected by tag: the others are not judged.
    let mut tagged = recommended();
    tagged.vpc_flow_logs.as_mut().unwrap().vpc_tags =
        [("env".to_string(), "prod".to_string())].into();
    if let Collected::Ok { value } = &mut acct(&mut inv, MEMBER).regions[0].data.vpc_flow_logs.vpcs
    {
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

/// Every statement with this Sid in the plan's operations.
fn statements(p: &crate::sources::Plan, sid: &str) -> Vec<serde_json::Value> {
    fn walk(v: &serde_json::Value, sid: &str, out: &mut Vec<serde_json::Value>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("Sid").and_then(|s| s.as_str()) == Some(sid) {
                    out.push(v.clone());
                }
                m.values().for_each(|x| walk(x, sid, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, sid, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for c in &p.changes {
        walk(&serde_json::to_value(&c.ops).unwrap(), sid, &mut out);
    }
    out
}

#[test]
fn flow_logs_may_write_only_under_each_accounts_flow_log_prefix() {
    use crate::plan::testutil::*;
    let inv = managed_org();
    let p = crate::plan::testutil::plan(
        &profile("vpc_flow_logs: {destination: log_archive}\nlog_archive: {kms_key: create}\n"),
        "t.yaml",
        &inv,
        NOW,
    )
    .unwrap();
    let bucket = format!("arn:aws:s3:::{ARCHIVE}");
    // The ACL check: GetBucketAcl alone (AWS's documented policy has no ListBucket).
    let acl = statements(&p, "LogwardenFlowLogsAclCheck");
    assert_eq!(acl.len(), 1, "{acl:?}");
    assert_eq!(acl[0]["Action"], "s3:GetBucketAcl");
    assert_eq!(acl[0]["Resource"], bucket.as_str());
    assert_eq!(
        acl[0]["Condition"]["StringEquals"]["aws:SourceOrgID"],
        "o-example"
    );
    assert_eq!(
        acl[0]["Condition"]["ArnLike"]["aws:SourceArn"],
        "arn:aws:logs:*:*:*"
    );
    // Writes: each account's AWSLogs/ACCOUNT/vpcflowlogs/ prefix, never CloudTrail's or Config's.
    let write = statements(&p, "LogwardenFlowLogsWrite");
    assert_eq!(write[0]["Action"], "s3:PutObject");
    let mut want: Vec<String> = inv
        .accounts
        .iter()
        .map(|a| format!("{bucket}/AWSLogs/{}/vpcflowlogs/*", a.account_id))
        .collect();
    want.sort();
    assert!(want.len() > 1);
    assert_eq!(write[0]["Resource"], serde_json::json!(want));
    assert_eq!(
        write[0]["Condition"]["StringEquals"]["s3:x-amz-acl"],
        "bucket-owner-full-control"
    );
    // The key: data keys only, for objects of the archive bucket, by the organization's deliveries.
    let key = statements(&p, "LogwardenFlowLogsEncrypt");
    assert_eq!(key[0]["Action"], "kms:GenerateDataKey*");
    assert_eq!(
        key[0]["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"],
        serde_json::json!([bucket.clone(), format!("{bucket}/*")])
    );
    assert_eq!(
        key[0]["Condition"]["StringEquals"]["aws:SourceOrgID"],
        "o-example"
    );

    // Flow logs to CloudWatch Logs: no statement in the archive's policies.
    let p = crate::plan::testutil::plan(
        &profile("vpc_flow_logs: {destination: cloudwatch_logs}\nlog_archive: {kms_key: create}\n"),
        "t.yaml",
        &inv,
        NOW,
    )
    .unwrap();
    assert!(statements(&p, "LogwardenFlowLogsWrite").is_empty());
    assert!(statements(&p, "LogwardenFlowLogsEncrypt").is_empty());
}

#[test]
fn lookback_is_the_flow_logs_age_bounded_by_its_destination() {
    use crate::sources::cloudwatch_logs::model::LogGroup;
    let b = recommended();
    let log = |id: &str, vpc: &str, kind: &str, dest: &str, created: &str| FlowLog {
        id: id.into(),
        resource_id: vpc.into(),
        traffic_type: Some("ALL".into()),
        flow_log_status: Some("ACTIVE".into()),
        deliver_logs_status: Some("SUCCESS".into()),
        destination_type: Some(kind.into()),
        destination: Some(dest.into()),
        log_format: None,
        file_format: None,
        hive_compatible: false,
        per_hour: false,
        creation_time: Some(created.into()),
    };
    let vpc = |id: &str| Vpc {
        tags: Default::default(),
        id: id.into(),
        is_default: false,
        owner_id: None,
    };
    let with = |vpcs: Vec<Vpc>, logs: Vec<FlowLog>, groups: Vec<LogGroup>| {
        let mut inv = org();
        inv.collected_at = "2026-12-01T00:00:00Z".into();
        let r = &mut acct(&mut inv, MEMBER).regions[0];
        r.data.vpc_flow_logs.vpcs = ok(vpcs);
        r.data.vpc_flow_logs.flow_logs = ok(logs);
        r.data.cloudwatch_logs.groups = ok(groups);
        inv
    };
    let days = |inv: &crate::sources::Inventory| {
        evaluate(inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "vpc_flow_logs")
            .map(|l| (l.days, l.basis))
    };
    // To a bucket whose lifecycle was not read: the log's age, saying so.
    let s3 = log(
        "fl-1",
        "vpc-a",
        "s3",
        "arn:aws:s3:::flow/net",
        "2026-11-01T00:00:00Z",
    );
    let inv = with(vec![vpc("vpc-a")], vec![s3.clone()], vec![]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 30, "{basis}");
    assert!(basis.contains("was not read"), "{basis}");
    // The bucket expires the account's flow logs (a rule on AWSLogs/ under the prefix) after 14
    // days; a rule on another prefix does not count.
    let mut inv = with(vec![vpc("vpc-a")], vec![s3], vec![]);
    let mut flow = bucket("flow", R1);
    let rule = crate::sources::s3_access_logs::model::LifecycleRule::expiring;
    flow.details = Some(crate::sources::s3_access_logs::model::BucketDetails {
        lifecycle_rules: ok(vec![rule("net/AWSLogs/", 14), rule("other/", 1)]),
        ..protected_details()
    });
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![flow]);
    let (d, basis) = days(&inv).unwrap();
    assert_eq!(d, 14, "{basis}");
    assert!(basis.contains("keeps records 14 days"), "{basis}");
    // To a log group kept 7 days.
    let cw = log(
        "fl-2",
        "vpc-a",
        "cloud-watch-logs",
        &format!("arn:aws:logs:{R1}:{MEMBER}:log-group:/flow"),
        "2026-01-01T00:00:00Z",
    );
    let group = LogGroup::sample("/flow", Some(7), None);
    assert_eq!(
        days(&with(vec![vpc("vpc-a")], vec![cw.clone()], vec![group]))
            .unwrap()
            .0,
        7
    );
    // A second VPC without a flow log: 0.
    let (d, basis) = days(&with(vec![vpc("vpc-a"), vpc("vpc-b")], vec![cw], vec![])).unwrap();
    assert_eq!(d, 0);
    assert!(basis.contains("vpc-b"), "{basis}");
    // Flow logs unreadable: the account is left out.
    let mut inv = with(vec![vpc("vpc-a")], vec![], vec![]);
    acct(&mut inv, MEMBER).regions[0]
        .data
        .vpc_flow_logs
        .flow_logs = denied(MEMBER, Some(R1), "DescribeFlowLogs", "ec2:DescribeFlowLogs");
    assert_eq!(days(&inv), None);
}

/// The member sees `vpc-shared`, whose subnets `owner` shares with it, beside a VPC of its own.
fn with_shared_vpc(owner: &str) -> crate::sources::Inventory {
    let mut inv = crate::plan::testutil::managed_org();
    let vpc = |id: &str, owner: &str| Vpc {
        id: id.into(),
        owner_id: Some(owner.into()),
        ..Vpc::default()
    };
    let r = &mut acct(&mut inv, MEMBER).regions[0];
    r.data.vpc_flow_logs.vpcs = ok(vec![vpc("vpc-own", MEMBER), vpc("vpc-shared", owner)]);
    r.data.vpc_flow_logs.flow_logs = ok(vec![]);
    inv
}

#[test]
fn a_vpc_shared_by_its_owner_is_judged_and_planned_only_in_the_owners_account() {
    let profile = "vpc_flow_logs: {}\nresolver_query_logs: {}\n";
    for (owner, want) in [
        (MGMT, Status::NotApplicable),
        ("999999999999", Status::Unknown),
    ] {
        let inv = with_shared_vpc(owner);
        let e = evaluate(&inv, &crate::plan::testutil::profile(profile));
        for (check, what) in [
            ("vpc.flow_logs", "flow logs"),
            ("route53_resolver.query_logs", "DNS query logging"),
        ] {
            let f = find(&e, check, MEMBER, Some(R1));
            let shared = f.iter().find(|f| f.resource == "vpc-shared").unwrap();
            assert_eq!(shared.status, want, "{check}: {}", shared.message);
            assert!(
                shared.message.contains(&format!(
                    "VPC vpc-shared belongs to account {owner}, which shares its subnets with this account: only the owner can see or make its {what}"
                )),
                "{}",
                shared.message
            );
            // The member's own VPC is judged as before.
            let own = f.iter().find(|f| f.resource == "vpc-own").unwrap();
            assert_eq!(own.status, Status::Fail, "{check}: {}", own.message);
        }
        // Nothing is made for it in the member: only the owner can.
        let p = crate::plan::testutil::plan(
            &crate::plan::testutil::profile(profile),
            "t.yaml",
            &inv,
            crate::plan::testutil::NOW,
        )
        .unwrap();
        let planned = serde_json::to_string(&p.changes).unwrap();
        assert!(planned.contains("vpc-own"), "{planned}");
        assert!(!planned.contains("vpc-shared"), "{planned}");
        // Nor does it cut the member's flow-log lookback to nothing: with its own VPC logged
        // for a year, the member reaches back that year.
        let mut logged = inv.clone();
        logged.collected_at = "2026-12-01T00:00:00Z".into();
        acct(&mut logged, MEMBER).regions[0]
            .data
            .vpc_flow_logs
            .flow_logs = ok(vec![FlowLog {
            creation_time: Some("2025-12-01T00:00:00Z".into()),
            ..fl("fl-own", "vpc-own", "ALL", "ACTIVE")
        }]);
        let e = evaluate(&logged, &crate::plan::testutil::profile(profile));
        let l = e
            .lookback
            .iter()
            .find(|l| l.account_id == MEMBER && l.source == "vpc_flow_logs")
            .unwrap_or_else(|| panic!("{:#?}", e.lookback));
        assert_eq!(l.days, 365, "{l:?}");
    }
}
