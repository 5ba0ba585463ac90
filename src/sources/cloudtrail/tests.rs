//! CloudTrail checks, including the traps other auditors fall into: organization trails seen
//! from members, shadow trails, stopped or failing trails, selectors that narrow.

use crate::finding::*;
use crate::inventory::*;
use crate::rules::testutil::*;
use crate::rules::*;
use crate::sources::cloudtrail::model::*;
use crate::sources::s3_access_logs::model::{BucketDetails, LifecycleRule};
use crate::sources::Inventory;

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
            assert_eq!(cov(&e, a, r, "cloudtrail"), CoverageState::Covered);
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
fn global_service_events_are_judged_in_the_global_region_only() {
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    t.include_global_service_events = false;
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    // us-east-1 is where IAM, STS and CloudFront events are delivered: the trail misses them.
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Fail, "{}", f.message);
    assert!(
        f.message.contains(
            "trail 'org' (organization, multi-region) misses global service events (IAM, STS, CloudFront) (IncludeGlobalServiceEvents is off)"
        ),
        "{}",
        f.message
    );
    assert_eq!(cov(&e, MEMBER, R1, "cloudtrail"), CoverageState::Partial);
    // Every other region has no global service events to miss.
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::Pass
    );
    // A trail of the member's own that includes them records us-east-1 in full.
    add_trail(&mut inv, trail(MEMBER, "local", R1, false, false));
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Pass, "{}", f.message);
    assert!(
        f.message.contains("recorded by trail 'local'"),
        "{}",
        f.message
    );
    // A write-only local trail with them and the organization trail without them: each
    // records part, the two together all of it.
    let mut inv = org();
    let mut t = trail(MGMT, "org", R1, true, true);
    t.include_global_service_events = false;
    add_trail(&mut inv, t);
    let mut local = trail(MEMBER, "local", R1, false, false);
    if let Collected::Ok { value } = &mut local.selectors {
        value.basic[0].read_write_type = "WriteOnly".into();
    }
    add_trail(&mut inv, local);
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Pass, "{}", f.message);
    assert!(f.message.contains("together"), "{}", f.message);
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
    assert_eq!(cov(&e, MEMBER, R1, "cloudtrail"), CoverageState::Partial);
    // The same trail meets a write-only baseline.
    let mut b = recommended();
    b.cloudtrail.management_events = super::profile::ManagementEvents::WriteOnly;
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
        r.data.cloudtrail.trails = ok(vec![trail_ref(&t)]);
    }
    t.status = denied(
        MEMBER,
        Some(R1),
        "GetTrailStatus",
        "cloudtrail:GetTrailStatus",
    );
    acct(&mut inv, MEMBER)
        .data
        .cloudtrail
        .trails
        .push(t.clone());
    let e = evaluate(&inv, &recommended());
    assert_eq!(
        status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
        Status::Unknown
    );
    // With its status readable, the organization trail covers the member.
    t.status = trail(MGMT, "org", R1, true, true).status;
    acct(&mut inv, MEMBER).data.cloudtrail.trails = vec![t];
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
    m.data.cloudtrail.trails.clear();
    m.access = denied(MGMT, None, "AssumeRole", "sts:AssumeRole");
    let t = trail(MGMT, "org", R1, true, true);
    for r in acct(&mut inv, MEMBER).regions.iter_mut() {
        r.data.cloudtrail.trails = ok(vec![trail_ref(&t)]);
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
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets =
        ok(vec![bucket("app-data", R1), bucket("prod-reports", R2)]);
    acct(&mut inv, MGMT).data.s3_access_logs.buckets = ok(vec![bucket("org-trail-logs", R1)]);
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
fn a_logging_trail_that_stopped_delivering_fails_logging_and_coverage_only_for_s3() {
    // The inventory was collected at 2026-01-01T00:00:00Z.
    struct Case {
        name: &'static str,
        s3_last: Option<&'static str>,
        started: Option<&'static str>,
        cw_last: Option<&'static str>,
        cw_error: Option<&'static str>,
        logging: Status,
        needle: &'static str,
        coverage: Status,
    }
    let cases = [
        Case {
            name: "fresh",
            s3_last: Some("2025-12-31T22:00:00Z"),
            started: Some("2025-01-01T00:00:00Z"),
            cw_last: None,
            cw_error: None,
            logging: Status::Pass,
            needle: "is logging and delivering",
            coverage: Status::Pass,
        },
        Case {
            name: "stale S3",
            s3_last: Some("2025-12-29T00:00:00Z"),
            started: Some("2025-01-01T00:00:00Z"),
            cw_last: Some("2025-12-31T22:00:00Z"),
            cw_error: None,
            logging: Status::Fail,
            needle:
                "has delivered nothing to S3 since 2025-12-29T00:00:00Z (3 days before the audit)",
            coverage: Status::Fail,
        },
        Case {
            name: "never delivered",
            s3_last: None,
            started: Some("2025-12-20T00:00:00Z"),
            cw_last: Some("2025-12-31T22:00:00Z"),
            cw_error: None,
            logging: Status::Fail,
            needle: "since it started logging on 2025-12-20",
            coverage: Status::Fail,
        },
        Case {
            name: "just started",
            s3_last: None,
            started: Some("2025-12-31T23:00:00Z"),
            cw_last: None,
            cw_error: None,
            logging: Status::Pass,
            needle: "is logging and delivering",
            coverage: Status::Pass,
        },
        Case {
            name: "stale CloudWatch Logs",
            s3_last: Some("2025-12-31T23:00:00Z"),
            started: Some("2025-01-01T00:00:00Z"),
            cw_last: Some("2025-12-30T00:00:00Z"),
            cw_error: None,
            logging: Status::Fail,
            needle: "has delivered nothing to CloudWatch Logs since 2025-12-30",
            coverage: Status::Pass,
        },
        Case {
            name: "CloudWatch Logs error",
            s3_last: Some("2025-12-31T23:00:00Z"),
            started: Some("2025-01-01T00:00:00Z"),
            cw_last: Some("2025-12-31T23:00:00Z"),
            cw_error: Some("AccessDenied"),
            logging: Status::Fail,
            needle: "fails to deliver to CloudWatch Logs: AccessDenied",
            coverage: Status::Pass,
        },
    ];
    for c in cases {
        let mut inv = org();
        let mut t = trail(MGMT, "org", R1, true, true);
        t.cloudwatch_logs_log_group_arn =
            Some("arn:aws:logs:us-east-1:111111111111:log-group:ct:*".into());
        if let Collected::Ok { value } = &mut t.status {
            value.latest_delivery_time = c.s3_last.map(String::from);
            value.start_logging_time = c.started.map(String::from);
            value.latest_cloudwatch_logs_delivery_time = c.cw_last.map(String::from);
            value.latest_cloudwatch_logs_delivery_error = c.cw_error.map(String::from);
        }
        add_trail(&mut inv, t);
        let e = evaluate(&inv, &recommended());
        let f = &find(&e, "cloudtrail.logging", MGMT, Some(R1))[0];
        assert_eq!(f.status, c.logging, "{}: {}", c.name, f.message);
        assert!(f.message.contains(c.needle), "{}: {}", c.name, f.message);
        assert_eq!(
            status(&e, "cloudtrail.coverage", MEMBER, Some(R2)),
            c.coverage,
            "{}",
            c.name
        );
    }
}

fn mgmt_selector(name: &str, read_only: Option<&str>) -> AdvancedSelector {
    let mut fields = vec![s3_field("eventCategory", &["Management"], &[], &[])];
    if let Some(ro) = read_only {
        fields.push(s3_field("readOnly", &[ro], &[], &[]));
    }
    AdvancedSelector {
        name: Some(name.into()),
        field_selectors: fields,
    }
}

#[test]
fn management_coverage_is_the_union_of_the_logging_trails() {
    let cases: Vec<(&str, Vec<Option<&str>>, Status, &str)> = vec![
        (
            "write-only plus read-only",
            vec![Some("false"), Some("true")],
            Status::Pass,
            "recorded by trails 'w' (multi-region) and 'r' (multi-region) together",
        ),
        (
            "one trail with all",
            vec![None],
            Status::Pass,
            "recorded by trail 'w' (multi-region)",
        ),
        (
            "write-only alone",
            vec![Some("false")],
            Status::Fail,
            "trail 'w' (multi-region) misses read management events",
        ),
        (
            "two write-only",
            vec![Some("false"), Some("false")],
            Status::Fail,
            "misses read management events",
        ),
    ];
    for (name, trails, want, needle) in cases {
        let mut inv = org();
        for (i, ro) in trails.iter().enumerate() {
            let mut t = trail(MEMBER, ["w", "r"][i], R1, true, false);
            t.selectors = ok(EventSelectors {
                basic: vec![],
                advanced: vec![mgmt_selector("m", *ro)],
            });
            add_trail(&mut inv, t);
        }
        let e = evaluate(&inv, &recommended());
        let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
        assert_eq!(f.status, want, "{name}: {}", f.message);
        assert!(f.message.contains(needle), "{name}: {}", f.message);
    }
}

#[test]
fn data_selectors_that_narrow_by_event_name_or_identity_are_partial_and_say_why() {
    let data = |extra: FieldSelector| AdvancedSelector {
        name: Some("s3".into()),
        field_selectors: vec![
            s3_field("eventCategory", &["Data"], &[], &[]),
            s3_field("resources.type", &["AWS::S3::Object"], &[], &[]),
            extra,
        ],
    };
    let cases = [
        (
            "deletions excluded",
            FieldSelector { field: "eventName".into(), not_equals: vec!["DeleteObject".into()], ..Default::default() },
            "recorded only in part: read events on any new bucket in us-east-1, write events on any new bucket in us-east-1",
        ),
        (
            "deletions excluded by suffix",
            FieldSelector { field: "eventName".into(), not_ends_with: vec!["DeleteObject".into()], ..Default::default() },
            "(selector 's3' keeps only events where eventName NotEndsWith [DeleteObject])",
        ),
        (
            "one role only",
            FieldSelector { field: "userIdentity.arn".into(), starts_with: vec!["arn:aws:iam::222222222222:role/app".into()], ..Default::default() },
            "selector 's3' keeps only events where userIdentity.arn StartsWith [arn:aws:iam::222222222222:role/app]",
        ),
        (
            "console sessions only",
            FieldSelector { field: "sessionCredentialFromConsole".into(), equals: vec!["true".into()], ..Default::default() },
            "sessionCredentialFromConsole Equals [true]",
        ),
    ];
    for (name, extra, needle) in cases {
        let (_, e) = with_s3_selectors(EventSelectors {
            basic: vec![],
            advanced: vec![data(extra)],
        });
        let f = e
            .findings
            .iter()
            .find(|f| {
                f.check_id == "cloudtrail.s3_data_events" && f.account_id.as_deref() == Some(MEMBER)
            })
            .unwrap();
        assert_eq!(f.status, Status::Fail, "{name}: {}", f.message);
        assert!(f.message.contains(needle), "{name}: {}", f.message);
    }
}

#[test]
fn a_management_selector_with_a_field_aws_does_not_accept_is_reported_as_such() {
    let mut inv = org();
    let mut t = trail(MEMBER, "odd", R1, true, false);
    let mut sel = mgmt_selector("m", None);
    sel.field_selectors.push(FieldSelector {
        field: "userIdentity.arn".into(),
        not_starts_with: vec!["arn:aws:iam::222222222222:role/noisy".into()],
        ..Default::default()
    });
    t.selectors = ok(EventSelectors {
        basic: vec![],
        advanced: vec![sel],
    });
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Fail, "{}", f.message);
    assert!(f.message.contains("uses userIdentity.arn, which AWS does not accept in a trail's management-event selector"), "{}", f.message);
}

#[test]
fn an_event_source_excluded_by_suffix_is_probed() {
    let mut inv = org();
    let mut t = trail(MEMBER, "t", R1, true, false);
    let mut sel = mgmt_selector("m", None);
    sel.field_selectors.push(FieldSelector {
        field: "eventSource".into(),
        not_ends_with: vec!["kms.amazonaws.com".into()],
        ..Default::default()
    });
    t.selectors = ok(EventSelectors {
        basic: vec![],
        advanced: vec![sel],
    });
    add_trail(&mut inv, t);
    let e = evaluate(&inv, &recommended());
    let f = &find(&e, "cloudtrail.coverage", MEMBER, Some(R1))[0];
    assert_eq!(f.status, Status::Fail, "{}", f.message);
    assert!(
        f.message
            .contains("write management events from kms.amazonaws.com"),
        "{}",
        f.message
    );
}

#[test]
fn s3_data_events_name_the_stopped_trail_that_would_record_them() {
    let mut inv = org();
    let mut t = trail(MEMBER, "data", R1, true, false);
    t.selectors = ok(EventSelectors {
        basic: vec![],
        advanced: vec![
            mgmt_selector("m", None),
            AdvancedSelector {
                name: Some("s3".into()),
                field_selectors: vec![
                    s3_field("eventCategory", &["Data"], &[], &[]),
                    s3_field("resources.type", &["AWS::S3::Object"], &[], &[]),
                ],
            },
        ],
    });
    if let Collected::Ok { value } = &mut t.status {
        value.is_logging = false;
    }
    add_trail(&mut inv, t);
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bucket("app-data", R1)]);
    let e = evaluate(&inv, &recommended());
    let f = e
        .findings
        .iter()
        .find(|f| {
            f.check_id == "cloudtrail.s3_data_events" && f.account_id.as_deref() == Some(MEMBER)
        })
        .unwrap();
    assert_eq!(f.status, Status::Fail);
    assert!(
        f.message
            .contains("trail 'data' (multi-region) would record them but is not logging"),
        "{}",
        f.message
    );
}

#[test]
fn lookback_counts_the_lifecycle_rules_that_reach_each_accounts_log_files() {
    // An organization trail logging for 400 days into "org-bucket" (prefix "ct"); its bucket's
    // lifecycle rules decide how far back each account's management events reach.
    let days = |rules: Vec<LifecycleRule>| {
        let mut inv = org();
        inv.collected_at = "2026-12-01T00:00:00Z".into();
        let mut t = trail(MGMT, "org", R1, true, true);
        t.s3_bucket_name = Some("org-bucket".into());
        t.s3_key_prefix = Some("ct".into());
        if let Collected::Ok { value } = &mut t.status {
            value.start_logging_time = Some("2025-10-27T00:00:00Z".into());
            value.latest_delivery_time = Some("2026-11-30T23:55:00Z".into());
        }
        add_trail(&mut inv, t);
        let mut bk = bucket("org-bucket", R1);
        bk.details = Some(BucketDetails {
            lifecycle_rules: ok(rules),
            ..protected_details()
        });
        acct(&mut inv, MGMT).data.s3_access_logs.buckets = ok(vec![bk]);
        let e = evaluate(&inv, &recommended());
        [MGMT, MEMBER].map(|a| {
            e.lookback
                .iter()
                .find(|l| l.account_id == a && l.source == "cloudtrail")
                .map(|l| (l.days, l.basis.clone()))
                .unwrap()
        })
    };
    let rule = |prefix: &str, expire: i32, enabled: bool| LifecycleRule {
        enabled,
        ..LifecycleRule::expiring(prefix, expire)
    };
    let member = format!("ct/AWSLogs/o-example/{MEMBER}/");
    let mgmt = format!("ct/AWSLogs/o-example/{MGMT}/");
    let cases: Vec<(&str, Vec<LifecycleRule>, [u32; 2])> = vec![
        ("no rule", vec![], [400, 400]),
        ("the whole bucket", vec![rule("", 200, true)], [200, 200]),
        (
            "the trail's folder",
            vec![rule("ct/", 200, true)],
            [200, 200],
        ),
        ("AWSLogs/", vec![rule("ct/AWSLogs/", 200, true)], [200, 200]),
        (
            "the organization's folder",
            vec![rule("ct/AWSLogs/o-example/", 200, true)],
            [200, 200],
        ),
        (
            "the member's folder",
            vec![rule(&member, 200, true)],
            [400, 200],
        ),
        (
            "the management account's folder",
            vec![rule(&mgmt, 200, true)],
            [200, 400],
        ),
        (
            "another organization's folder",
            vec![rule("ct/AWSLogs/o-other/", 200, true)],
            [400, 400],
        ),
        (
            "another prefix",
            vec![rule("AWSLogs/", 200, true)],
            [400, 400],
        ),
        (
            "a disabled rule",
            vec![rule("ct/AWSLogs/", 200, false)],
            [400, 400],
        ),
        (
            "the least of two",
            vec![rule("ct/", 300, true), rule(&member, 250, true)],
            [300, 250],
        ),
        // Shorter than the event history: the 90 days it keeps are the floor.
        ("30 days", vec![rule("ct/AWSLogs/", 30, true)], [90, 90]),
        // A rule on part of an account's logs (one region's folder) expires those logs.
        (
            "the member's region folder",
            vec![rule(&format!("{member}CloudTrail/{R1}/"), 200, true)],
            [400, 200],
        ),
        // Logs are written untagged: a rule on tagged objects never expires them.
        (
            "tagged objects only",
            vec![LifecycleRule {
                tag_filtered: true,
                ..rule("", 200, true)
            }],
            [400, 400],
        ),
        // A date-based rule whose date has passed expires every log, new ones too.
        (
            "a date that has passed",
            vec![LifecycleRule {
                expiration_days: None,
                expiration_date: Some("2025-06-01T00:00:00Z".into()),
                ..rule("ct/AWSLogs/", 0, true)
            }],
            [90, 90],
        ),
        // A rule on objects of some sizes expires some logs, and no one can say which.
        (
            "objects of some sizes",
            vec![LifecycleRule {
                size_filtered: true,
                ..rule("", 200, true)
            }],
            [200, 200],
        ),
    ];
    for (what, rules, want) in cases {
        let got = days(rules);
        assert_eq!([got[0].0, got[1].0], want, "{what}: {got:?}");
    }
    let [_, (_, basis)] = days(vec![rule("ct/AWSLogs/", 30, true)]);
    assert!(basis.contains("only 30 days"), "{basis}");
}

#[test]
fn a_trails_log_path_trims_its_prefixs_slashes() {
    let mut t = trail(MGMT, "org", R1, true, true);
    for (prefix, want) in [
        (None, "AWSLogs/"),
        (Some(""), "AWSLogs/"),
        (Some("ct"), "ct/AWSLogs/"),
        (Some("/ct/"), "ct/AWSLogs/"),
    ] {
        t.s3_key_prefix = prefix.map(String::from);
        assert_eq!(t.logs_prefix(), want, "{prefix:?}");
    }
    t.s3_key_prefix = Some("ct/".into());
    assert_eq!(
        t.account_logs_prefix(MEMBER, Some("o-example")),
        format!("ct/AWSLogs/o-example/{MEMBER}/")
    );
    assert_eq!(t.account_logs_prefix(MEMBER, None), "ct/AWSLogs/");
    t.is_organization_trail = false;
    assert_eq!(
        t.account_logs_prefix(MEMBER, Some("o-example")),
        format!("ct/AWSLogs/{MEMBER}/")
    );
}
