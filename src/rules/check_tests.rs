//! Table-style tests of the checks, including the traps other auditors fall into.

use super::testutil::*;
use super::*;
use crate::baseline::{self, Baseline};
use crate::inventory::*;

fn recommended() -> Baseline {
    baseline::load("recommended").unwrap().baseline
}

/// (status, message) of the finding of `check` for `account`/`region`/`resource`.
fn find<'a>(
    e: &'a Evaluation,
    check: &str,
    account: &str,
    region: Option<&str>,
) -> Vec<&'a Finding> {
    e.findings
        .iter()
        .filter(|f| {
            f.check_id == check
                && f.account_id.as_deref() == Some(account)
                && (region.is_none() || f.region.as_deref() == region)
        })
        .collect()
}

fn status(e: &Evaluation, check: &str, account: &str, region: Option<&str>) -> Status {
    let f = find(e, check, account, region);
    assert_eq!(f.len(), 1, "{check} {account} {region:?}: {f:#?}");
    f[0].status
}

fn cov(e: &Evaluation, account: &str, region: &str, source: Source) -> CoverageState {
    e.coverage
        .iter()
        .find(|c| c.account_id == account && c.region == region && c.source == source)
        .unwrap()
        .state
}

#[test]
fn organization_trail_in_the_management_account_covers_every_member_and_region() {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    let e = evaluate(&inv, &recommended());
    for a in [MGMT, MEMBER] {
        for r in [R1, R2] {
            assert_eq!(
                status(&e, "cloudtrail.coverage", a, Some(r)),
                Status::Pass,
                "{a} {r}"
            );
            assert_eq!(cov(&e, a, r, Source::Cloudtrail), CoverageState::Covered);
            // The shadow copy in R2 is the same trail: one copy, not two.
            assert_eq!(
                status(&e, "cloudtrail.duplicate_management_events", a, Some(r)),
                Status::Pass
            );
        }
    }
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R2))[0];
    assert!(
        f.message.contains("'org' (organization, multi-region)"),
        "{}",
        f.message
    );
    // Trail checks are reported once, for the owner, in the home region.
    let logging: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check_id == "cloudtrail.logging")
        .collect();
    assert_eq!(logging.len(), 1);
    assert_eq!(logging[0].account_id.as_deref(), Some(MGMT));
    assert_eq!(logging[0].region.as_deref(), Some(R1));
    assert!(logging[0].resource.contains("trail/org"));
}

#[test]
fn a_single_region_trail_covers_only_its_home_region() {
    let mut inv = org();
    add_trail(&mut inv, trail(MEMBER, "local", R1, false, false));
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R1)),
        Status::Pass
    );
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::Fail
    );
    assert_eq!(
        status(&e, "cloudtrail.coverage", MGMT, Some(R1)),
        Status::Fail
    );
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R2))[0];
    assert_eq!(
        f.message,
        "no trail records read and write management events for this account in this region"
    );
}

#[test]
fn a_stopped_trail_is_not_coverage() {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    if let Collected::Ok { value } = &mut t.status {
        value.is_logging = false;
    }
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R1)),
        Status::Fail
    );
    assert!(find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0]
        .message
        .contains("'org' (organization, multi-region) is not logging"));
    assert_eq!(
        status(&e, "cloudtrail.logging", MGMT, Some(R1)),
        Status::Fail
    );
}

#[test]
fn a_trail_whose_delivery_fails_is_not_coverage() {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    if let Collected::Ok { value } = &mut t.status {
        value.latest_delivery_error = Some("AccessDenied".into());
    }
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MGMT, Some(R2)),
        Status::Fail
    );
    let f = &find(&e, "cloudtrail.logging", MGMT, None)[0];
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.message.contains("fails to deliver to S3: AccessDenied"),
        "{}",
        f.message
    );
}

#[test]
fn write_only_management_events_are_partial_coverage() {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    if let Collected::Ok { value } = &mut t.selectors {
        value.basic[0].read_write_type = "WriteOnly".into();
    }
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.message.contains("misses read management events"),
        "{}",
        f.message
    );
    assert_eq!(
        cov(&e, MEMBER, R1, Source::Cloudtrail),
        CoverageState::Partial
    );
    // The same trail meets a write-only baseline.
    let mut b = recommended();
    b.cloudtrail.management_events = crate::baseline::ManagementEvents::WriteOnly;
    let e = evaluate(&inv, &b);
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R1)),
        Status::Pass
    );
}

#[test]
fn a_member_trail_beside_the_organization_trail_is_a_billed_duplicate() {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    add_trail(&mut inv, trail(MEMBER, "own", R1, true, false));
    let e = evaluate(&inv, &recommended());
    let f = &find(
        &e,
        "cloudtrail.duplicate_management_events",
        MEMBER,
        Some(R2),
    )[0];
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.message
            .starts_with("2 trails record management events here"),
        "{}",
        f.message
    );
    assert_eq!(
        status(&e, "cloudtrail.duplicate_management_events", MGMT, Some(R2)),
        Status::Pass
    );
}

#[test]
fn an_unreadable_trail_status_is_unknown_never_pass_or_fail() {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    t.status = denied(
        MGMT,
        Some(R1),
        "GetTrailStatus",
        "cloudtrail:GetTrailStatus",
    );
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Unknown);
    assert!(
        f.message.contains("cloudtrail:GetTrailStatus"),
        "{}",
        f.message
    );
    assert_eq!(
        status(&e, "cloudtrail.logging", MGMT, None),
        Status::Unknown
    );
    // But another trail that is known to cover makes it a pass.
    add_trail(&mut inv, trail(MEMBER, "own", R1, true, false));
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R1)),
        Status::Pass
    );
}

#[test]
fn organization_trail_seen_from_a_member_in_single_account_mode() {
    // The member is audited alone; it sees the organization trail (owned by the management
    // account) in DescribeTrails, and may not read its status.
    let mut inv = org();
    inv.mode = ScopeMode::SingleAccount;
    inv.caller_account_id = MEMBER.into();
    inv.accounts.retain(|a| a.account_id == MEMBER);
    let mut t = trail(MGMT, "org", R1, true, true);
    for r in acct(&mut inv, MEMBER).regions.iter_mut() {
        r.trails = ok(vec![trail_ref(&t)]);
    }
    t.status = denied(
        MEMBER,
        Some(R1),
        "GetTrailStatus",
        "cloudtrail:GetTrailStatus",
    );
    acct(&mut inv, MEMBER).trails.push(t.clone());
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::Unknown
    );
    // With its status readable, the organization trail covers the member.
    t.status = trail(MGMT, "org", R1, true, true).status;
    acct(&mut inv, MEMBER).trails = vec![t];
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::Pass
    );
}

#[test]
fn a_trail_of_an_account_that_was_not_audited_makes_coverage_unknown() {
    let mut inv = org();
    let t = trail(MGMT, "org", R1, true, true);
    add_trail(&mut inv, t);
    // The management account's role could not be assumed: its trails were not read.
    let m = acct(&mut inv, MGMT);
    m.trails.clear();
    m.access = denied(MGMT, None, "AssumeRole", "sts:AssumeRole");
    let t = trail(MGMT, "org", R1, true, true);
    for r in acct(&mut inv, MEMBER).regions.iter_mut() {
        r.trails = ok(vec![trail_ref(&t)]);
    }
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Unknown, "{}", f.message);
    assert!(f.message.contains("was not audited"));
    for f in e
        .findings
        .iter()
        .filter(|f| f.account_id.as_deref() == Some(MGMT))
    {
        assert_ne!(f.status, Status::Pass, "{f:?}");
        assert_ne!(f.status, Status::Fail, "{f:?}");
    }
}

fn with_s3_selectors(sel: EventSelectors) -> (Inventory, Evaluation) {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    let mut all = all_mgmt_selectors();
    all.advanced = sel.advanced;
    all.basic.extend(sel.basic);
    if !all.advanced.is_empty() {
        all.basic.clear();
        all.advanced.push(AdvancedSelector {
            name: None,
            field_selectors: vec![FieldSelector {
                field: "eventCategory".into(),
                equals: vec!["Management".into()],
                ..Default::default()
            }],
        });
    }
    t.selectors = ok(all);
    t.s3_bucket_name = Some("org-trail-logs".into());
    add_trail(&mut inv, t);
    acct(&mut inv, MEMBER).buckets = ok(vec![bucket("app-data", R1), bucket("prod-reports", R2)]);
    acct(&mut inv, MGMT).buckets = ok(vec![bucket("org-trail-logs", R1)]);
    let e = evaluate(&inv, &recommended());
    (inv, e)
}

fn s3_field(field: &str, equals: &[&str], not_starts: &[&str], starts: &[&str]) -> FieldSelector {
    FieldSelector {
        field: field.into(),
        equals: equals.iter().map(|s| s.to_string()).collect(),
        not_starts_with: not_starts.iter().map(|s| s.to_string()).collect(),
        starts_with: starts.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn s3_data_events_all_buckets_except_the_log_bucket_pass() {
    let (_, e) = with_s3_selectors(EventSelectors {
        basic: vec![],
        advanced: vec![AdvancedSelector {
            name: Some("s3".into()),
            field_selectors: vec![
                s3_field("eventCategory", &["Data"], &[], &[]),
                s3_field("resources.type", &["AWS::S3::Object"], &[], &[]),
                s3_field("resources.ARN", &[], &["arn:aws:s3:::org-trail-logs/"], &[]),
            ],
        }],
    });
    let f = &find(&e, "cloudtrail.s3_data_events", MEMBER, None)[0];
    assert_eq!(f.status, Status::Pass, "{}", f.message);
    assert_eq!(f.region, None);
    // Management events still covered by the advanced management selector.
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R1)),
        Status::Pass
    );
}

#[test]
fn s3_data_events_restricted_to_a_prefix_name_the_missing_buckets() {
    let (_, e) = with_s3_selectors(EventSelectors {
        basic: vec![],
        advanced: vec![AdvancedSelector {
            name: Some("Log all S3 data events".into()),
            field_selectors: vec![
                s3_field("eventCategory", &["Data"], &[], &[]),
                s3_field("resources.type", &["AWS::S3::Object"], &[], &[]),
                s3_field("resources.ARN", &[], &[], &["arn:aws:s3:::prod-"]),
            ],
        }],
    });
    let f = &find(&e, "cloudtrail.s3_data_events", MEMBER, None)[0];
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.message.contains("read events on bucket app-data"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("any new bucket in us-east-1"),
        "{}",
        f.message
    );
    assert!(!f.message.contains("prod-reports"), "{}", f.message);
}

#[test]
fn s3_data_events_that_exclude_a_workload_bucket_fail() {
    let (_, e) = with_s3_selectors(EventSelectors {
        basic: vec![],
        advanced: vec![AdvancedSelector {
            name: None,
            field_selectors: vec![
                s3_field("eventCategory", &["Data"], &[], &[]),
                s3_field("resources.type", &["AWS::S3::Object"], &[], &[]),
                s3_field(
                    "resources.ARN",
                    &[],
                    &["arn:aws:s3:::org-trail-logs/", "arn:aws:s3:::app-data/"],
                    &[],
                ),
            ],
        }],
    });
    let f = &find(&e, "cloudtrail.s3_data_events", MEMBER, None)[0];
    assert_eq!(f.status, Status::Fail);
    assert_eq!(f.message, "S3 object-level events not recorded: read events on bucket app-data, write events on bucket app-data");
    // The excluded bucket is the member's: the management account is not blamed for it.
    assert_eq!(
        status(&e, "cloudtrail.s3_data_events", MGMT, None),
        Status::Pass
    );
}

#[test]
fn basic_s3_write_only_data_events_miss_reads() {
    let (_, e) = with_s3_selectors(EventSelectors {
        basic: vec![BasicSelector {
            read_write_type: "WriteOnly".into(),
            include_management_events: false,
            exclude_management_event_sources: vec![],
            data_resources: vec![DataResource {
                resource_type: "AWS::S3::Object".into(),
                values: vec!["arn:aws:s3".into()],
            }],
        }],
        advanced: vec![],
    });
    let f = &find(&e, "cloudtrail.s3_data_events", MEMBER, None)[0];
    assert_eq!(f.status, Status::Fail);
    assert!(f.message.contains("read events on bucket app-data"));
    assert!(!f.message.contains("write events"), "{}", f.message);
}

#[test]
fn trail_bucket_checks_read_through_the_owner_and_log_buckets_skip_access_logging() {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    t.s3_bucket_name = Some("archive".into());
    add_trail(&mut inv, t);
    let mut archive = bucket("archive", R1);
    archive.logging = ok(Some(BucketLoggingTarget {
        target_bucket: "access-logs".into(),
        target_prefix: "archive/".into(),
    }));
    archive.trail_bucket = Some(TrailBucketDetails {
        encryption: None,
        versioning: ok(Versioning {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        public_access_block: ok(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: false,
        })),
        policy_is_public: ok(Some(false)),
        policy: ok(None),
        lifecycle_rules: ok(vec![LifecycleRule {
            abort_incomplete_upload_days: None,
            id: Some("tiers".into()),
            enabled: true,
            prefix: String::new(),
            transitions: vec![LifecycleTransition {
                days: 90,
                storage_class: "GLACIER_IR".into(),
            }],
            expiration_days: Some(400),
            noncurrent_expiration_days: None,
        }]),
        object_lock: ok(None),
    });
    acct(&mut inv, MEMBER).buckets =
        ok(vec![archive, bucket("access-logs", R1), bucket("app", R2)]);
    let e = evaluate(&inv, &recommended());
    let f = |c: &str| {
        let v = find(&e, c, MEMBER, None);
        assert_eq!(v.len(), 1, "{c}");
        v[0].clone()
    };
    assert_eq!(f("trail_bucket.access_logging").status, Status::Pass);
    assert_eq!(f("trail_bucket.access_logging").region.as_deref(), Some(R1));
    assert!(f("trail_bucket.access_logging")
        .resource
        .contains("archive"));
    assert_eq!(f("trail_bucket.versioning").status, Status::Pass);
    assert_eq!(f("trail_bucket.mfa_delete").status, Status::NotApplicable);
    let pab = f("trail_bucket.public_access");
    assert_eq!(
        (pab.status, pab.message.as_str()),
        (
            Status::Fail,
            "public access block of archive leaves off RestrictPublicBuckets"
        )
    );
    let lc = f("trail_bucket.lifecycle");
    assert_eq!(lc.status, Status::Fail);
    assert_eq!(lc.message, "archive: logs expire after 400 days, the baseline keeps them 2555; no transition to DEEP_ARCHIVE within 365 days");
    assert_eq!(f("trail_bucket.tls_only").status, Status::Fail);
    assert_eq!(f("trail_bucket.object_lock").status, Status::NotApplicable);
    let s3: Vec<_> = find(&e, "s3.access_logging", MEMBER, None);
    let by = |name: &str| {
        s3.iter()
            .find(|f| f.resource.ends_with(name))
            .unwrap()
            .status
    };
    assert_eq!(by("access-logs"), Status::NotApplicable);
    assert_eq!(by(":::archive"), Status::Pass);
    assert_eq!(by(":::app"), Status::Fail);
}

#[test]
fn a_trail_bucket_outside_the_audit_is_unknown() {
    let mut inv = org();
    add_trail(&mut inv, trail(MGMT, "org", R1, true, true));
    let e = evaluate(&inv, &recommended());
    let f: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.check_id == "trail_bucket.versioning")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].status, Status::Unknown);
    assert!(f[0].resource.contains("org-bucket"));
}

#[test]
fn load_balancers_nlb_only_when_the_baseline_asks() {
    let mut inv = org();
    let lb = |id: &str, kind, on: bool| LoadBalancer {
        id: id.into(),
        name: id.into(),
        kind,
        access_logs_enabled: ok(on),
        access_logs_bucket: None,
    };
    acct(&mut inv, MEMBER).regions[0].load_balancers = ok(vec![
        lb("alb-off", LoadBalancerKind::Application, false),
        lb("alb-on", LoadBalancerKind::Application, true),
        lb("nlb-off", LoadBalancerKind::Network, false),
        lb("clb-off", LoadBalancerKind::Classic, false),
    ]);
    let e = evaluate(&inv, &recommended());
    let st = |id: &str| {
        find(&e, "elb.access_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == id)
            .unwrap()
            .status
    };
    assert_eq!(st("alb-off"), Status::Fail);
    assert_eq!(st("alb-on"), Status::Pass);
    assert_eq!(st("nlb-off"), Status::NotApplicable);
    assert_eq!(st("clb-off"), Status::Fail);
    assert_eq!(
        cov(&e, MEMBER, R1, Source::ElbAccessLogs),
        CoverageState::Partial
    );
    let mut b = recommended();
    b.elb_access_logs.nlb = true;
    let e = evaluate(&inv, &b);
    assert_eq!(
        find(&e, "elb.access_logs", MEMBER, Some(R1))
            .iter()
            .find(|f| f.resource == "nlb-off")
            .unwrap()
            .status,
        Status::Fail
    );
}

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
    r.vpcs = ok(["vpc-all", "vpc-reject", "vpc-inactive", "vpc-none"]
        .iter()
        .map(|v| Vpc {
            tags: Default::default(),
            id: v.to_string(),
            is_default: false,
        })
        .collect());
    r.flow_logs = ok(vec![
        fl("fl-1", "vpc-all", "ALL", "ACTIVE"),
        fl("fl-2", "vpc-reject", "REJECT", "ACTIVE"),
        fl("fl-3", "vpc-inactive", "ALL", "INACTIVE"),
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
    if let Collected::Ok { value } = &mut acct(&mut inv, MEMBER).regions[0].vpcs {
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
    m.regions[0].config_recorders = ok(vec![rec(true, true)]);
    m.regions[1].config_recorders = ok(vec![rec(false, true)]);
    m.regions[0].config_delivery_channels = ok(vec!["default".into()]);
    m.regions[0].config_aggregators = ok(vec![ConfigAggregator {
        name: "org".into(),
        arn: "arn".into(),
        organization_wide: true,
        all_regions: true,
    }]);
    let w = acct(&mut inv, MEMBER);
    w.regions[0].config_recorders = ok(vec![rec(true, false)]);
    w.regions[1].config_recorders = ok(vec![rec(true, true)]);
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
    acct(&mut inv, MEMBER).regions[0].config_recorders = ok(vec![rec(true, true)]);
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
    acct(&mut inv, MEMBER).regions[0].config_recorders = ok(vec![unread.clone()]);
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
    acct(&mut inv, MGMT).regions[0].config_recorders = ok(vec![unread]);
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "config.global_resources", MGMT, None),
        Status::Unknown
    );
}

#[test]
fn budgets_need_cloudtrail_in_scope_and_a_notification() {
    let mut inv = org();
    let b = |name: &str, filter: &[&str], n: usize| Budget {
        name: name.into(),
        budget_type: "COST".into(),
        service_filter: filter.iter().map(|s| s.to_string()).collect(),
        notification_count: ok(n),
    };
    acct(&mut inv, MGMT).budgets = Some(ok(vec![
        b("ec2", &["Amazon Elastic Compute Cloud - Compute"], 1),
        b("logs", &["AWS CloudTrail"], 0),
    ]));
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "budgets.logging_cost", MGMT, None)[0];
    assert_eq!(
        (f.status, f.message.as_str()),
        (
            Status::Fail,
            "cost budget(s) logs cover CloudTrail but notify no one"
        )
    );
    acct(&mut inv, MGMT).budgets = Some(ok(vec![b("all", &[], 2)]));
    let e = evaluate(&inv, &recommended());
    assert_eq!(status(&e, "budgets.logging_cost", MGMT, None), Status::Pass);
    acct(&mut inv, MGMT).budgets =
        Some(denied(MGMT, None, "DescribeBudgets", "budgets:ViewBudget"));
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "budgets.logging_cost", MGMT, None),
        Status::Unknown
    );
}

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
    r.vpcs = ok(vec![Vpc {
        tags: Default::default(),
        id: "vpc-1".into(),
        is_default: true,
    }]);
    r.load_balancers = ok(vec![LoadBalancer {
        id: "alb".into(),
        name: "alb".into(),
        kind: LoadBalancerKind::Application,
        access_logs_enabled: ok(true),
        access_logs_bucket: None,
    }]);
    acct(&mut inv, MEMBER).buckets = ok(vec![bucket("app", R1)]);
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
