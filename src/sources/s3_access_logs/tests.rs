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
