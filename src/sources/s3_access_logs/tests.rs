//! Server access logging checks, table-driven: each bucket's verdict from its own logging, its
//! role as another bucket's target, and the profile's exclusions.

use crate::finding::*;
use crate::rules::testutil::*;
use crate::sources::s3_access_logs::model::{Bucket, BucketLoggingTarget};

fn logging_to(name: &str, target: &str) -> Bucket {
    let mut b = bucket(name, R1);
    b.logging = ok(Some(BucketLoggingTarget {
        target_bucket: target.into(),
        target_prefix: format!("{name}/"),
        partitioned_by: None,
    }));
    b
}

#[test]
fn each_bucket_is_judged_by_its_own_logging_and_its_role_as_a_target() {
    let mut inv = org();
    let mut excluded = bucket("tmp-scratch", R1);
    excluded.logging = ok(None);
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![
        logging_to("app", "access-logs"),
        bucket("access-logs", R1),
        bucket("silent", R1),
        logging_to("narcissus", "narcissus"),
        excluded,
    ]);
    let mut b = recommended();
    b.s3_access_logs.as_mut().unwrap().exclude_buckets = vec!["tmp-*".into()];
    let e = evaluate(&inv, &b);
    let cases = [
        ("app", Status::Pass, "app logs to access-logs"),
        (
            "access-logs",
            Status::NotApplicable,
            "is an access-log target",
        ),
        (
            "silent",
            Status::Fail,
            "server access logging is off on silent",
        ),
        // Logging to itself is logging: a pass, with AWS's advice, never a not_applicable
        // that reads like a violation.
        (
            "narcissus",
            Status::Pass,
            "logs to itself: access logging is on, but AWS advises a separate target bucket",
        ),
        (
            "tmp-scratch",
            Status::NotApplicable,
            "excluded by the baseline",
        ),
    ];
    for (name, status, needle) in cases {
        let f = e
            .findings
            .iter()
            .find(|f| {
                f.check_id == "s3.access_logging" && f.resource.ends_with(&format!(":::{name}"))
            })
            .unwrap_or_else(|| panic!("no finding for {name}"));
        assert_eq!(f.status, status, "{name}: {}", f.message);
        assert!(f.message.contains(needle), "{name}: {}", f.message);
    }
}

#[test]
fn plan_never_turns_on_logging_for_a_bucket_that_may_be_a_target_it_could_not_read() {
    use crate::plan::testutil::{managed_org, plan, profile, NOW};
    let b = profile("s3_access_logs: {}\n");
    // data logs to data-logs; the logging of other could not be read, so any bucket of its
    // account and region (spare) may be its target.
    let build = |other_readable: bool| {
        let mut inv = managed_org();
        let mut other = bucket("other", R1);
        if !other_readable {
            other.logging = denied(MEMBER, Some(R1), "GetBucketLogging", "s3:GetBucketLogging");
        }
        acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![
            logging_to("data", "data-logs"),
            bucket("data-logs", R1),
            other,
            bucket("spare", R1),
        ]);
        inv
    };
    let addresses = |p: &crate::sources::Plan| -> Vec<String> {
        p.changes
            .iter()
            .flat_map(|c| c.attributes.iter().map(|a| a.name.clone()))
            .filter(|n| n.ends_with("access logging"))
            .collect()
    };
    // Everything read: spare and other get logging; data-logs, a target, does not.
    let clean = plan(&b, "t.yaml", &build(true), NOW).unwrap();
    let logged = addresses(&clean);
    assert!(
        logged.contains(&"spare access logging".to_string()),
        "{logged:?}"
    );
    assert!(
        !logged.iter().any(|n| n.starts_with("data-logs")),
        "{logged:?}"
    );
    // other's logging unread: spare may be its target; nothing is planned for it, and it says so.
    let partial = plan(&b, "t.yaml", &build(false), NOW).unwrap();
    let logged = addresses(&partial);
    assert!(!logged.iter().any(|n| n.starts_with("spare")), "{logged:?}");
    let note = partial
        .unknown
        .iter()
        .find(|n| n.resource == "s3_bucket.spare")
        .unwrap_or_else(|| panic!("{:#?}", partial.unknown));
    assert!(
        note.message.contains("may be an access-log target")
            && note.message.contains("the logging of bucket other"),
        "{}",
        note.message
    );
}

#[test]
fn lookback_is_the_targets_expiration_for_the_prefix_and_zero_for_a_silent_bucket() {
    use crate::inventory::bucket::LifecycleRule;
    let b = recommended();
    let mut target = bucket("access-logs", R1);
    let mut details = protected_details();
    details.lifecycle_rules = ok(vec![
        LifecycleRule {
            tag_filtered: false,
            expiration_date: None,
            size_filtered: false,
            id: Some("app".into()),
            enabled: true,
            prefix: "app/".into(),
            transitions: vec![],
            expiration_days: Some(120),
            noncurrent_expiration_days: None,
            abort_incomplete_upload_days: None,
        },
        LifecycleRule {
            tag_filtered: false,
            expiration_date: None,
            size_filtered: false,
            id: Some("other".into()),
            enabled: true,
            prefix: "other/".into(),
            transitions: vec![],
            expiration_days: Some(7),
            noncurrent_expiration_days: None,
            abort_incomplete_upload_days: None,
        },
    ]);
    target.details = Some(details);
    let days = |buckets: Vec<Bucket>| {
        let mut inv = org();
        acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(buckets);
        evaluate(&inv, &b)
            .lookback
            .into_iter()
            .find(|l| l.account_id == MEMBER && l.source == "s3_access_logs")
            .map(|l| (l.days, l.basis))
    };
    // app/ is kept 120 days (the rule for other/ does not cover it); the target is not judged.
    assert_eq!(
        days(vec![logging_to("app", "access-logs"), target.clone()]),
        Some((
            120,
            "bucket app: its target access-logs keeps the logs 120 days".into()
        ))
    );
    // A bucket that logs nothing: 0.
    assert_eq!(
        days(vec![
            logging_to("app", "access-logs"),
            target.clone(),
            bucket("silent", R1)
        ]),
        Some((0, "bucket silent logs no requests".into()))
    );
    // The target's lifecycle not read: no figure, never a guess.
    assert_eq!(days(vec![logging_to("app", "elsewhere")]), None);
}

/// A lifecycle rule as AWS returns it: its prefix (the filter's, the `And`'s, or the legacy
/// one), and whether its filter names object tags or bounds object sizes, which decide whether
/// it acts on log objects.
#[test]
fn lifecycle_rules_keep_what_decides_whether_they_act_on_logs() {
    use aws_sdk_s3::types::{
        ExpirationStatus, LifecycleExpiration, LifecycleRule as Sdk, LifecycleRuleAndOperator,
        LifecycleRuleFilter as Filter, Tag,
    };
    let tag = || {
        Tag::builder()
            .key("class")
            .value("tmp")
            .build()
            .expect("tag")
    };
    let with = |f: Option<Filter>| {
        Sdk::builder()
            .id("r")
            .status(ExpirationStatus::Enabled)
            .set_filter(f)
            .expiration(LifecycleExpiration::builder().days(30).build())
            .build()
            .expect("rule")
    };
    #[allow(deprecated)]
    let legacy = Sdk::builder()
        .status(ExpirationStatus::Enabled)
        .prefix("old/")
        .build()
        .expect("rule");
    let cases = [
        ("no filter", with(None), "", false, false),
        ("legacy prefix", legacy, "old/", false, false),
        (
            "prefix",
            with(Some(Filter::builder().prefix("AWSLogs/").build())),
            "AWSLogs/",
            false,
            false,
        ),
        (
            "tag",
            with(Some(Filter::builder().tag(tag()).build())),
            "",
            true,
            false,
        ),
        (
            "prefix and tag",
            with(Some(
                Filter::builder()
                    .and(
                        LifecycleRuleAndOperator::builder()
                            .prefix("AWSLogs/")
                            .tags(tag())
                            .build(),
                    )
                    .build(),
            )),
            "AWSLogs/",
            true,
            false,
        ),
        (
            "size",
            with(Some(
                Filter::builder().object_size_greater_than(1024).build(),
            )),
            "",
            false,
            true,
        ),
        (
            "prefix and size",
            with(Some(
                Filter::builder()
                    .and(
                        LifecycleRuleAndOperator::builder()
                            .prefix("AWSLogs/")
                            .object_size_less_than(1 << 20)
                            .build(),
                    )
                    .build(),
            )),
            "AWSLogs/",
            false,
            true,
        ),
    ];
    for (what, sdk, prefix, tags, sizes) in cases {
        let r = super::collect::convert_rule(&sdk);
        assert_eq!(
            (r.prefix.as_str(), r.tag_filtered, r.size_filtered),
            (prefix, tags, sizes),
            "{what}"
        );
        // On the logs under AWSLogs/111/: a tag-filtered rule never; a size-filtered one on
        // some of them, not all.
        let logs = "AWSLogs/111111111111/";
        let on_path = logs.starts_with(prefix);
        assert_eq!(r.touches(logs), on_path && !tags, "{what}");
        assert_eq!(r.covers(logs), on_path && !tags && !sizes, "{what}");
    }
}

/// Which log folders a rule acts on: holding the path, inside it, or beside it.
#[test]
fn a_lifecycle_rule_touches_or_covers_a_log_path() {
    use crate::sources::s3_access_logs::model::LifecycleRule;
    let rule = |prefix: &str, enabled: bool| LifecycleRule {
        id: None,
        enabled,
        prefix: prefix.into(),
        transitions: vec![],
        expiration_days: Some(30),
        noncurrent_expiration_days: None,
        abort_incomplete_upload_days: None,
        tag_filtered: false,
        expiration_date: None,
        size_filtered: false,
    };
    let logs = "ct/AWSLogs/o-1/111111111111/";
    for (prefix, enabled, touches, covers) in [
        ("", true, true, true),
        ("ct/", true, true, true),
        ("ct/AWSLogs/o-1/111111111111/", true, true, true),
        (
            "ct/AWSLogs/o-1/111111111111/CloudTrail/us-east-1/",
            true,
            true,
            false,
        ),
        ("ct/AWSLogs/o-1/222222222222/", true, false, false),
        ("tmp/", true, false, false),
        ("ct/", false, false, false),
    ] {
        let r = rule(prefix, enabled);
        assert_eq!(
            (r.touches(logs), r.covers(logs)),
            (touches, covers),
            "{prefix:?} {enabled}"
        );
    }
}

/// A date-based expiration keeps a log written now only until the date, and none once it has
/// passed (S3 goes on expiring every new object after the date).
#[test]
fn a_date_based_expiration_keeps_logs_until_its_date_and_none_after() {
    use crate::sources::s3_access_logs::model::LifecycleRule;
    let rule = |days: Option<i32>, date: Option<&str>| LifecycleRule {
        id: None,
        enabled: true,
        prefix: String::new(),
        transitions: vec![],
        expiration_days: days,
        expiration_date: date.map(String::from),
        noncurrent_expiration_days: None,
        abort_incomplete_upload_days: None,
        tag_filtered: false,
        size_filtered: false,
    };
    let now = crate::timefmt::parse("2026-01-01T00:00:00Z");
    for (what, r, at, want) in [
        ("no expiration", rule(None, None), now, None),
        ("days", rule(Some(30), None), now, Some(30)),
        (
            "a past date",
            rule(None, Some("2025-06-01T00:00:00Z")),
            now,
            Some(0),
        ),
        (
            "today",
            rule(None, Some("2026-01-01T00:00:00Z")),
            now,
            Some(0),
        ),
        (
            "a date ten days on",
            rule(None, Some("2026-01-11T00:00:00Z")),
            now,
            Some(10),
        ),
        (
            "days and a later date",
            rule(Some(5), Some("2026-01-11T00:00:00Z")),
            now,
            Some(5),
        ),
        (
            "no known now",
            rule(None, Some("2027-01-01T00:00:00Z")),
            None,
            Some(0),
        ),
        ("an unreadable date", rule(None, Some("soon")), now, Some(0)),
    ] {
        assert_eq!(r.expires_after(at), want, "{what}");
    }
    // As AWS returns it: midnight UTC.
    let sdk = aws_sdk_s3::types::LifecycleRule::builder()
        .status(aws_sdk_s3::types::ExpirationStatus::Enabled)
        .expiration(
            aws_sdk_s3::types::LifecycleExpiration::builder()
                .date(aws_smithy_types::DateTime::from_secs(1_767_225_600))
                .build(),
        )
        .build()
        .expect("rule");
    let r = super::collect::convert_rule(&sdk);
    assert_eq!(
        (r.expiration_days, r.expiration_date.as_deref()),
        (None, Some("2026-01-01T00:00:00Z"))
    );
}
