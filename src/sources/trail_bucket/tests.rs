//! Trail bucket checks, read through the bucket owner.

use crate::finding::*;
use crate::inventory::Collected;
use crate::rules::testutil::*;
use crate::sources::s3_access_logs::model::{
    BucketDetails, BucketLoggingTarget, LifecycleRule, LifecycleTransition, PublicAccessBlock,
};

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
        partitioned_by: None,
    }));
    archive.details = Some(BucketDetails {
        public_access_block: ok(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: false,
        })),
        lifecycle_rules: ok(vec![LifecycleRule {
            tag_filtered: false,
            expiration_date: None,
            size_filtered: false,
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
        ..protected_details()
    });
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets =
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
fn a_bucket_made_public_by_its_acl_is_public() {
    let cases: Vec<(&str, Collected<Vec<String>>, Status, &str)> = vec![
        (
            "ACL grants READ to everyone",
            ok(vec!["READ to AllUsers".into()]),
            Status::Fail,
            "the ACL of archive makes it public: it grants READ to AllUsers",
        ),
        (
            "ACL grants WRITE to any AWS account",
            ok(vec!["WRITE to AuthenticatedUsers".into()]),
            Status::Fail,
            "grants WRITE to AuthenticatedUsers",
        ),
        // No public grant (or ACLs ignored or disabled: the collector reports none).
        (
            "private ACL",
            ok(vec![]),
            Status::Fail,
            "public access block of archive leaves off",
        ),
        (
            "ACL unreadable",
            denied(MEMBER, Some(R1), "GetBucketAcl", "s3:GetBucketAcl"),
            Status::Unknown,
            "grant s3:GetBucketAcl",
        ),
    ];
    for (name, grants, status, needle) in cases {
        let mut inv = org();
        let mut t = trail(MGMT, "org", R1, true, true);
        t.s3_bucket_name = Some("archive".into());
        add_trail(&mut inv, t);
        let mut archive = bucket("archive", R1);
        archive.details = Some(BucketDetails {
            // Public ACLs neither blocked nor ignored.
            public_access_block: ok(Some(PublicAccessBlock {
                block_public_acls: false,
                ignore_public_acls: false,
                block_public_policy: true,
                restrict_public_buckets: true,
            })),
            acl_public_grants: grants,
            ..protected_details()
        });
        acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![archive]);
        let e = evaluate(&inv, &recommended());
        let f = &find(&e, "trail_bucket.public_access", MEMBER, None)[0];
        assert_eq!(f.status, status, "{name}: {}", f.message);
        assert!(f.message.contains(needle), "{name}: {}", f.message);
    }
}

/// The lifecycle check counts the rules that act on the trail's logs: the earliest expiration
/// of any rule on the logs (a region's folder too) against the minimum; the transitions and
/// the latest expiry only from rules on all the logs; never a rule on tagged objects (logs are
/// written untagged).
#[test]
fn trail_bucket_lifecycle_counts_the_rules_that_act_on_the_logs() {
    let rule = |prefix: &str, glacier: bool, expire: Option<i32>| LifecycleRule {
        tag_filtered: false,
        expiration_date: None,
        size_filtered: false,
        abort_incomplete_upload_days: None,
        id: Some(format!("r-{prefix}")),
        enabled: true,
        prefix: prefix.into(),
        transitions: if glacier {
            vec![LifecycleTransition {
                days: 90,
                storage_class: "GLACIER_IR".into(),
            }]
        } else {
            vec![]
        },
        expiration_days: expire,
        noncurrent_expiration_days: None,
    };
    let tagged = |r: LifecycleRule| LifecycleRule {
        tag_filtered: true,
        ..r
    };
    let sized = |r: LifecycleRule| LifecycleRule {
        size_filtered: true,
        ..r
    };
    let region_folder = format!("AWSLogs/o-example/{MEMBER}/CloudTrail/{R1}/");
    let verdict = |rules: Vec<LifecycleRule>, max: Option<u32>| {
        let mut inv = org();
        let mut t = trail(MGMT, "org", R1, true, true);
        t.s3_bucket_name = Some("archive".into());
        add_trail(&mut inv, t);
        let mut archive = bucket("archive", R1);
        archive.details = Some(BucketDetails {
            lifecycle_rules: ok(rules),
            ..protected_details()
        });
        acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![archive]);
        let mut b = recommended();
        let lc = b.trail_bucket.lifecycle.as_mut().expect("recommended");
        lc.transitions.truncate(1); // GLACIER_IR within 90 days
        lc.min_retention_days = Some(365);
        lc.max_retention_days = max;
        let e = evaluate(&inv, &b);
        let f = find(&e, "trail_bucket.lifecycle", MEMBER, None);
        assert_eq!(f.len(), 1);
        (f[0].status, f[0].message.clone())
    };
    let pass = (
        Status::Pass,
        "logs in archive expire after 3000 days and move through the baseline's tiers".to_string(),
    );
    type Case = (
        &'static str,
        Vec<LifecycleRule>,
        Option<u32>,
        (Status, String),
    );
    let cases: Vec<Case> = vec![
        (
            "one rule on the whole bucket",
            vec![rule("", true, Some(3000))],
            None,
            pass.clone(),
        ),
        (
            "a rule on AWSLogs/",
            vec![rule("AWSLogs/", true, Some(3000))],
            None,
            pass.clone(),
        ),
        (
            "and a 30-day rule on tagged objects",
            vec![
                rule("", true, Some(3000)),
                tagged(rule("", false, Some(30))),
            ],
            None,
            pass.clone(),
        ),
        (
            "and a 30-day rule on another folder",
            vec![rule("", true, Some(3000)), rule("tmp/", false, Some(30))],
            None,
            pass.clone(),
        ),
        (
            "and a 30-day rule on one region's folder",
            vec![
                rule("", true, Some(3000)),
                rule(&region_folder, false, Some(30)),
            ],
            None,
            (
                Status::Fail,
                "archive: logs expire after 30 days, the baseline keeps them 365".into(),
            ),
        ),
        (
            "and a date-based rule on AWSLogs/ whose date has passed",
            vec![
                rule("", true, Some(3000)),
                LifecycleRule {
                    expiration_date: Some("2025-06-01T00:00:00Z".into()),
                    ..rule("AWSLogs/", false, None)
                },
            ],
            None,
            (
                Status::Fail,
                "archive: logs expire after 0 days, the baseline keeps them 365".into(),
            ),
        ),
        (
            "the transition on one region's folder only",
            vec![rule(&region_folder, true, None)],
            None,
            (
                Status::Fail,
                "archive: no transition to GLACIER_IR within 90 days".into(),
            ),
        ),
        (
            "the transition on objects of some sizes only",
            vec![sized(rule("", true, None))],
            None,
            (
                Status::Fail,
                "archive: no transition to GLACIER_IR within 90 days".into(),
            ),
        ),
        (
            "the transition on tagged objects only",
            vec![tagged(rule("", true, None))],
            None,
            (
                Status::Fail,
                "archive: no transition to GLACIER_IR within 90 days".into(),
            ),
        ),
        (
            "a latest expiry asked, met on the whole bucket",
            vec![rule("", true, Some(3000))],
            Some(3650),
            pass.clone(),
        ),
        (
            "a latest expiry asked, met on one region's folder only",
            vec![rule("", true, None), rule(&region_folder, false, Some(3000))],
            Some(3650),
            (
                Status::Fail,
                "archive: only part of the logs expire (the rules that expire them act on some folders or sizes), the baseline expires them all by day 3650".into(),
            ),
        ),
        (
            "expiries differing by folder",
            vec![
                rule("", true, Some(3000)),
                rule(&region_folder, false, Some(2000)),
            ],
            Some(3650),
            (
                Status::Pass,
                "logs in archive expire after 2000 to 3000 days and move through the baseline's tiers".into(),
            ),
        ),
    ];
    for (what, rules, max, want) in cases {
        assert_eq!(verdict(rules, max), want, "{what}");
    }
}
