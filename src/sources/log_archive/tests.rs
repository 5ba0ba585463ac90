//! The log archive's plan: its key and bucket created or completed, never weakened.

use crate::plan::testutil::*;
use crate::plan::*;
use crate::rules::testutil::*;
use crate::sources::log_archive::plan::ARCHIVE_RULE_ID;
use crate::sources::s3_access_logs::apply::Op as BucketOp;
use crate::sources::s3_access_logs::model::{
    BucketDetails, BucketEncryption, BucketLoggingTarget, LifecycleRule,
};
use crate::sources::Inventory;
use serde_json::json;

#[test]
fn the_bucket_policy_carries_only_owned_statements_with_source_conditions() {
    let p = plan(&profile(""), "t.yaml", &managed_org(), NOW).unwrap();
    let b = change(&p, &format!("s3_bucket.{ARCHIVE}"));
    let stmts = b
        .ops
        .iter()
        .find_map(|o| match o {
            Op::Buckets(crate::sources::s3_access_logs::apply::Op::MergeBucketPolicy {
                statements,
                ..
            }) => Some(statements),
            _ => None,
        })
        .unwrap();
    for s in stmts {
        assert!(s["Sid"].as_str().unwrap().starts_with("Logwarden"));
    }
    let write = stmts
        .iter()
        .find(|s| s["Sid"] == "LogwardenCloudTrailWrite")
        .unwrap();
    assert_eq!(
        write["Condition"]["StringEquals"]["aws:SourceArn"],
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/logwarden-organization-trail"
    );
    let config = stmts
        .iter()
        .find(|s| s["Sid"] == "LogwardenConfigWrite")
        .unwrap();
    assert_eq!(
        config["Condition"]["StringEquals"]["aws:SourceOrgID"],
        "o-example"
    );
    assert!(stmts
        .iter()
        .any(|s| s["Sid"] == "LogwardenDenyInsecureTransport"));
}

/// An adopted organization trail already delivering to the archive under its own key prefix
/// keeps it (plan never moves a trail's logs): the delivery statement names where it writes,
/// not the profile's prefix.
#[test]
fn the_trail_statement_follows_an_adopted_trails_own_prefix() {
    let write_resources = |inv: &Inventory| {
        let p = plan(&profile(""), "t.yaml", inv, NOW).unwrap();
        let b = change(&p, &format!("s3_bucket.{ARCHIVE}"));
        b.ops
            .iter()
            .find_map(|o| match o {
                Op::Buckets(BucketOp::MergeBucketPolicy { statements, .. }) => statements
                    .iter()
                    .find(|s| s["Sid"] == "LogwardenCloudTrailWrite")
                    .cloned(),
                _ => None,
            })
            .unwrap()["Resource"]
            .clone()
    };
    let mut inv = managed_org();
    let mut t = trail(MGMT, "org", R1, true, true);
    t.s3_bucket_name = Some(ARCHIVE.into());
    t.s3_key_prefix = Some("org/ct".into());
    add_trail(&mut inv, t.clone());
    assert_eq!(
        write_resources(&inv),
        json!([
            format!("arn:aws:s3:::{ARCHIVE}/org/ct/AWSLogs/{MGMT}/*"),
            format!("arn:aws:s3:::{ARCHIVE}/org/ct/AWSLogs/o-example/*")
        ])
    );
    // Delivering elsewhere, it is not the archive's writer: the profile's prefix (none) is.
    let mut inv = managed_org();
    t.s3_bucket_name = Some("elsewhere".into());
    add_trail(&mut inv, t);
    assert_eq!(
        write_resources(&inv),
        json!([
            format!("arn:aws:s3:::{ARCHIVE}/AWSLogs/{MGMT}/*"),
            format!("arn:aws:s3:::{ARCHIVE}/AWSLogs/o-example/*")
        ])
    );
}

fn archive_details(policy: Option<&str>, rules: Vec<LifecycleRule>) -> BucketDetails {
    BucketDetails {
        policy: ok(policy.map(String::from)),
        lifecycle_rules: ok(rules),
        encryption: Some(ok(Some(BucketEncryption {
            algorithm: "aws:kms".into(),
            kms_key_id: Some("k".into()),
        }))),
        ..protected_details()
    }
}

fn with_archive(inv: &mut Inventory, d: BucketDetails) {
    let mut b = bucket(ARCHIVE, R1);
    b.details = Some(d);
    b.logging = ok(Some(BucketLoggingTarget {
        target_bucket: "t".into(),
        target_prefix: "p/".into(),
        partitioned_by: None,
    }));
    acct(inv, MGMT).data.s3_access_logs.buckets = ok(vec![b]);
}

#[test]
fn a_longer_retention_is_kept_and_foreign_rules_are_not_touched() {
    let b = profile("trail_bucket:\n  lifecycle:\n    transitions: [{after_days: 90, storage_class: GLACIER_IR}]\n    expiration_days: 400\n");
    let mut inv = managed_org();
    let owned = LifecycleRule {
        tag_filtered: false,
        expiration_date: None,
        size_filtered: false,
        id: Some(ARCHIVE_RULE_ID.into()),
        enabled: true,
        prefix: String::new(),
        transitions: vec![],
        expiration_days: Some(800),
        noncurrent_expiration_days: None,
        abort_incomplete_upload_days: None,
    };
    let foreign = LifecycleRule {
        tag_filtered: false,
        expiration_date: None,
        size_filtered: false,
        id: Some("team-tmp".into()),
        expiration_days: Some(1),
        prefix: "tmp/".into(),
        ..owned.clone()
    };
    with_archive(&mut inv, archive_details(None, vec![foreign, owned]));
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    let c = change(&p, &format!("s3_bucket.{ARCHIVE}"));
    let rules = c
        .ops
        .iter()
        .find_map(|o| match o {
            Op::Buckets(crate::sources::s3_access_logs::apply::Op::MergeLifecycle {
                rules,
                ..
            }) => Some(rules),
            _ => None,
        })
        .expect("the transition is added");
    assert_eq!(
        rules.len(),
        1,
        "only the owned rule is written; the merge keeps the rest"
    );
    assert_eq!(rules[0]["Expiration"]["Days"], 800, "never shortened");
    assert!(p.kept.iter().any(|n| n.message.contains("800 days")));
}

#[test]
fn an_unreadable_policy_is_never_overwritten() {
    let mut inv = managed_org();
    with_archive(&mut inv, archive_details(Some("{not json"), vec![]));
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let c = p
        .changes
        .iter()
        .find(|c| c.address == format!("s3_bucket.{ARCHIVE}"));
    assert!(c.is_none_or(|c| !c.ops.iter().any(|o| matches!(
        o,
        Op::Buckets(crate::sources::s3_access_logs::apply::Op::MergeBucketPolicy { .. })
    ))));
    assert!(
        p.unknown
            .iter()
            .any(|n| n.message.contains("refusing to overwrite")),
        "{:?}",
        p.unknown
    );
}

#[test]
fn an_archive_already_as_asked_needs_nothing() {
    let mut inv = managed_org();
    let b = profile("trail_bucket:\n  lifecycle: null\n");
    // The statements logwarden would add to a bucket without a policy...
    with_archive(&mut inv, archive_details(None, vec![]));
    let first = plan(&b, "t.yaml", &inv, NOW).unwrap();
    let owned = change(&first, &format!("s3_bucket.{ARCHIVE}"))
        .ops
        .iter()
        .find_map(|op| match op {
            Op::Buckets(BucketOp::MergeBucketPolicy { statements, .. }) => Some(statements.clone()),
            _ => None,
        })
        .expect("a policy is planned for a bucket without one");
    // ...are all it needs when the team's statement is beside them.
    let mut statements = vec![
        json!({"Sid": "TeamRead", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "s3:GetObject", "Resource": "*"}),
    ];
    statements.extend(owned);
    let doc = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    with_archive(&mut inv, archive_details(Some(&doc), vec![]));
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    assert!(
        !addresses(&p).contains(&format!("s3_bucket.{ARCHIVE}").as_str()),
        "{:#?}",
        p.changes.iter().find(|c| c.address.contains(ARCHIVE))
    );
}

#[test]
fn mfa_delete_is_a_manual_step_for_the_root_user() {
    let b = profile("trail_bucket:\n  mfa_delete: true\n  lifecycle: null\n");
    let mut inv = managed_org();
    with_archive(&mut inv, archive_details(None, vec![]));
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    let m = change(&p, &format!("s3_bucket_mfa_delete.{ARCHIVE}"));
    assert_eq!(m.action, Action::Manual);
    assert!(m.ops.is_empty());
    let step = m.manual.as_ref().unwrap();
    assert!(step.reason.contains("root user"));
    assert!(step.command.contains(&format!("--bucket {ARCHIVE}")));
    assert!(step.command.contains("MFADelete=Enabled"));
    assert!(step
        .command
        .contains("arn:aws:iam::111111111111:mfa/root-account-mfa-device"));
    assert!(p.summary().contains("1 manual"));
}

#[test]
fn object_lock_is_irreversible() {
    let b = profile("config:\n  delivery_channel: false\ntrail_bucket:\n  object_lock: {mode: GOVERNANCE, days: 365}\n");
    let p = plan(&b, "t.yaml", &managed_org(), NOW).unwrap();
    let c = change(&p, &format!("s3_bucket.{ARCHIVE}"));
    assert!(
        !c.irreversible,
        "the bucket itself is made without the lock"
    );
    assert!(!c.ops.iter().any(|o| matches!(
        o,
        Op::Buckets(crate::sources::s3_access_logs::apply::Op::PutObjectLock { .. })
    )));
    let lock = change(&p, &format!("s3_bucket_object_lock.{ARCHIVE}"));
    assert!(lock.irreversible);
    assert_eq!(lock.depends_on, vec![format!("s3_bucket.{ARCHIVE}")]);
    assert!(matches!(
        lock.ops[..],
        [Op::Buckets(
            crate::sources::s3_access_logs::apply::Op::PutObjectLock { days: 365, .. }
        )]
    ));
}

#[test]
fn an_unreadable_bucket_is_unknown_never_silently_skipped() {
    let mut inv = managed_org();
    let mut no_logging = bucket("app-data", R1);
    no_logging.logging = denied(MEMBER, Some(R1), "GetBucketLogging", "s3:GetBucketLogging");
    let mut no_region = bucket("other-data", R1);
    no_region.region = denied(MEMBER, None, "GetBucketLocation", "s3:GetBucketLocation");
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![no_logging, no_region]);
    let p = plan(&profile("s3_access_logs: {}\n"), "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("s3_access_logs.222222222222")));
    for (bucket, action) in [
        ("app-data", "s3:GetBucketLogging"),
        ("other-data", "s3:GetBucketLocation"),
    ] {
        let n = p
            .unknown
            .iter()
            .find(|n| n.resource == format!("s3_bucket.{bucket}"))
            .unwrap_or_else(|| panic!("{bucket} not reported: {:?}", p.unknown));
        assert!(n.message.contains(action), "{}", n.message);
    }
}

#[test]
fn a_foreign_rule_keeping_the_logs_longer_is_never_shortened() {
    let b = profile("trail_bucket:\n  lifecycle:\n    expiration_days: 2555\n");
    let team = |id: &str, prefix: &str, days: i32| LifecycleRule {
        id: Some(id.into()),
        ..LifecycleRule::expiring(prefix, days)
    };
    let written = |rules: Vec<LifecycleRule>| {
        let mut inv = managed_org();
        with_archive(&mut inv, archive_details(None, rules));
        let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
        let days = change(&p, &format!("s3_bucket.{ARCHIVE}"))
            .ops
            .iter()
            .find_map(|o| match o {
                Op::Buckets(BucketOp::MergeLifecycle { rules, .. }) => {
                    rules[0]["Expiration"]["Days"].as_i64()
                }
                _ => None,
            })
            .unwrap();
        (days, p.kept)
    };
    // The team keeps AWSLogs/ ten years: logwarden's whole-bucket rule must not cut it to 7.
    let (days, kept) = written(vec![team("team-logs", "AWSLogs/", 3650)]);
    assert_eq!(days, 3650);
    assert!(
        kept.iter().any(|n| n
            .message
            .contains("team-logs keeps AWSLogs/* for 3650 days")),
        "{kept:?}"
    );
    // A rule on the whole bucket, or deeper under AWSLogs/, counts the same.
    assert_eq!(written(vec![team("all", "", 4000)]).0, 4000);
    assert_eq!(
        written(vec![team("org", "AWSLogs/o-example/", 3000)]).0,
        3000
    );
    // Rules elsewhere (tmp/), shorter ones, and disabled ones do not change what is asked.
    assert_eq!(written(vec![team("tmp", "tmp/", 9000)]).0, 2555);
    assert_eq!(written(vec![team("short", "AWSLogs/", 30)]).0, 2555);
    let mut off = team("off", "AWSLogs/", 9000);
    off.enabled = false;
    assert_eq!(written(vec![off]).0, 2555);
}

#[test]
fn a_grant_the_keys_root_statement_already_makes_is_not_added() {
    use crate::sources::log_archive::policies::root_administers;
    let root = |account: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "Enable IAM", "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:root")}, "Action": "kms:*", "Resource": "*"}]})
        .to_string()
    };
    assert!(root_administers(Some(&root(MGMT)), "aws", MGMT));
    // Another account's root, a conditioned statement, no policy: not the same grant.
    assert!(!root_administers(Some(&root(MEMBER)), "aws", MGMT));
    let conditioned = json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": MGMT},
        "Action": ["kms:*"], "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}})
    .to_string();
    assert!(!root_administers(Some(&conditioned), "aws", MGMT));
    assert!(!root_administers(None, "aws", MGMT));
    assert!(!root_administers(Some("not json"), "aws", MGMT));

    // A key logwarden creates has the root statement: no separate decrypt grant.
    let inv = managed_org();
    let p = plan(
        &profile("log_archive: {kms_key: create}\n"),
        "t.yaml",
        &inv,
        NOW,
    )
    .unwrap();
    let ops = serde_json::to_string(&p.changes).unwrap();
    assert!(ops.contains("EnableIamUserPermissions"), "{ops}");
    assert!(!ops.contains("LogwardenDecryptTrailLogs"), "{ops}");

    // An adopted key: the grant is merged only where its policy lacks the root statement.
    let adopted = |policy: String| {
        let mut inv = managed_org();
        inv.managed.as_mut().unwrap().log_archive.key = ok(Some(super::model::ManagedKey {
            arn: format!("arn:aws:kms:{R1}:{MGMT}:key/k1"),
            key_id: "k1".into(),
            policy: ok(Some(policy)),
            rotation_enabled: ok(true),
        }));
        let p = plan(
            &profile("log_archive: {kms_key: create}\n"),
            "t.yaml",
            &inv,
            NOW,
        )
        .unwrap();
        serde_json::to_string(&p.changes).unwrap()
    };
    assert!(!adopted(root(MGMT)).contains("LogwardenDecryptTrailLogs"));
    let team_only = json!({"Version": "2012-10-17", "Statement": [{"Sid": "Team", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{MGMT}:role/team")}, "Action": "kms:*", "Resource": "*"}]})
    .to_string();
    assert!(adopted(team_only).contains("LogwardenDecryptTrailLogs"));
}
