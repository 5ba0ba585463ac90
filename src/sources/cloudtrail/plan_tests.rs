//! The organization trail's plan: completed, never replaced or narrowed; other trails are
//! manual steps or notes, never deleted.

use crate::inventory::*;
use crate::plan::testutil::*;
use crate::plan::*;
use crate::rules::testutil::*;
use crate::sources::cloudtrail::model::{AdvancedSelector, EventSelectors, FieldSelector};
use crate::sources::s3_access_logs::model::{BucketDetails, BucketLoggingTarget};

#[test]
fn an_existing_weaker_trail_is_completed_not_replaced() {
    let mut inv = managed_org();
    let mut t = trail(MGMT, "logwarden-organization-trail", R1, true, true);
    t.log_file_validation_enabled = false;
    t.s3_bucket_name = Some(ARCHIVE.into());
    if let Collected::Ok { value } = &mut t.status {
        value.is_logging = false;
    }
    add_trail(&mut inv, t);
    let p = plan(
        &profile("cloudtrail:\n  cloudwatch_logs: false\n  kms_encryption: false\n"),
        "t.yaml",
        &inv,
        NOW,
    )
    .unwrap();
    let c = change(&p, "cloudtrail_trail.logwarden-organization-trail");
    assert_eq!(c.action, Action::Update);
    assert!(!c.ops.iter().any(|o| matches!(
        o,
        Op::Cloudtrail(crate::sources::cloudtrail::apply::Op::CreateTrail { .. })
    )));
    assert!(c
        .ops
        .iter()
        .any(|o| matches!(o, Op::Cloudtrail(crate::sources::cloudtrail::apply::Op::UpdateTrail { settings, .. })
        if settings.log_file_validation == Some(true) && settings.multi_region.is_none())));
    assert!(c.ops.iter().any(|o| matches!(
        o,
        Op::Cloudtrail(crate::sources::cloudtrail::apply::Op::StartLogging { .. })
    )));
    assert!(c
        .attributes
        .iter()
        .any(|a| a.name == "log file validation" && a.before.as_deref() == Some("false")));
}

#[test]
fn a_failing_member_trail_is_a_manual_step_naming_its_checks_never_a_deletion() {
    let mut inv = managed_org();
    let mut local = trail(MEMBER, "local", R1, true, false);
    local.log_file_validation_enabled = false;
    add_trail(&mut inv, local);
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let c = change(&p, "cloudtrail_trail_unmanaged.222222222222.local");
    assert_eq!(c.action, Action::Manual);
    assert!(
        c.ops.is_empty(),
        "logwarden never changes or deletes a trail it does not manage"
    );
    let step = c.manual.as_ref().unwrap();
    assert!(
        step.reason
            .contains("cloudtrail.duplicate_management_events"),
        "{}",
        step.reason
    );
    assert!(
        step.reason.contains("cloudtrail.log_file_validation"),
        "{}",
        step.reason
    );
    assert!(step.command.starts_with(
        "aws cloudtrail delete-trail --name arn:aws:cloudtrail:us-east-1:222222222222:trail/local"
    ));
}

#[test]
fn a_member_trail_meeting_the_baseline_is_only_noted() {
    let mut inv = managed_org();
    let mut local = trail(MEMBER, "data-only", R1, false, false);
    // Records no management events (so no duplicate copy); its other settings are judged.
    local.selectors = ok(EventSelectors {
        basic: vec![],
        advanced: vec![AdvancedSelector {
            name: None,
            field_selectors: vec![FieldSelector {
                field: "eventCategory".into(),
                equals: vec!["Data".into()],
                ..FieldSelector::default()
            }],
        }],
    });
    add_trail(&mut inv, local);
    let b = profile("cloudtrail:\n  kms_encryption: false\n  cloudwatch_logs: false\ntrail_bucket:\n  access_logging: false\n  versioning: false\n  public_access_block: false\n  tls_only: false\n");
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    assert!(
        !addresses(&p).iter().any(|a| a.contains("data-only")),
        "{:?}",
        addresses(&p)
    );
    assert!(p
        .kept
        .iter()
        .any(|n| n.resource == "cloudtrail_trail.data-only"));
}

#[test]
fn a_longer_log_group_retention_is_kept() {
    let mut inv = managed_org();
    inv.managed.as_mut().unwrap().cloudtrail.log_group = Some(ok(Some(
        crate::sources::cloudwatch_logs::model::ManagedLogGroup {
            arn: "arn:aws:logs:us-east-1:111111111111:log-group:/logwarden/organization-trail:*"
                .into(),
            retention_days: Some(3653),
        },
    )));
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("cloudwatch_log_group.")));
    assert!(p.kept.iter().any(|n| n.message.contains("3653")));
}

#[test]
fn a_trail_doing_more_than_asked_is_kept_and_said() {
    let mut inv = managed_org();
    let mut t = trail(MGMT, "logwarden-organization-trail", R1, true, true);
    t.s3_bucket_name = Some(ARCHIVE.into());
    t.kms_key_id = Some("arn:aws:kms:us-east-1:111111111111:key/k".into());
    add_trail(&mut inv, t);
    let b = profile("cloudtrail:\n  management_events: write_only\n  kms_encryption: false\n  cloudwatch_logs: false\n");
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    assert!(
        !p.changes
            .iter()
            .any(|c| c.address == "cloudtrail_trail.logwarden-organization-trail"),
        "{:?}",
        addresses(&p)
    );
    let n = p
        .kept
        .iter()
        .find(|n| n.resource == "cloudtrail_trail.logwarden-organization-trail")
        .expect("kept note");
    assert!(n.message.contains("encrypted with KMS"), "{}", n.message);
    assert!(
        n.message.contains("read management events"),
        "{}",
        n.message
    );
    assert!(n.message.contains("never narrows"), "{}", n.message);
}

#[test]
fn a_trail_that_could_not_be_judged_or_read_is_unknown_never_silently_dropped() {
    let note = |p: &crate::sources::Plan, resource: &str| -> String {
        p.unknown
            .iter()
            .find(|n| n.resource == resource)
            .unwrap_or_else(|| panic!("no unknown {resource}: {:#?}", p.unknown))
            .message
            .clone()
    };
    // A member's trails that could not be listed in one region: the place is named.
    let mut inv = managed_org();
    acct(&mut inv, MEMBER).regions[1].data.cloudtrail.trails = denied(
        MEMBER,
        Some(R2),
        "DescribeTrails",
        "cloudtrail:DescribeTrails",
    );
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let m = note(&p, "cloudtrail_trails.222222222222.eu-west-1");
    assert!(
        m.starts_with("the trails of account 222222222222 in eu-west-1")
            && m.contains("cloudtrail:DescribeTrails"),
        "{m}"
    );
    // A member trail that fails nothing, but whose status could not be read: not "meets the
    // baseline", unknown.
    let mut inv = managed_org();
    let mut local = trail(MEMBER, "local", R1, false, false);
    local.status = denied(
        MEMBER,
        Some(R1),
        "GetTrailStatus",
        "cloudtrail:GetTrailStatus",
    );
    local.selectors = denied(
        MEMBER,
        Some(R1),
        "GetEventSelectors",
        "cloudtrail:GetEventSelectors",
    );
    add_trail(&mut inv, local);
    let b = profile("cloudtrail:\n  kms_encryption: false\n  cloudwatch_logs: false\n");
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    assert!(
        !p.changes.iter().any(|c| c.address.contains("local")),
        "{:#?}",
        p.changes
    );
    assert!(
        !p.kept
            .iter()
            .any(|k| k.resource == "cloudtrail_trail.local"),
        "{:#?}",
        p.kept
    );
    let m = note(&p, "cloudtrail_trail_unmanaged.222222222222.local");
    assert!(
        m.starts_with("whether trail local meets the baseline is unknown: cloudtrail.logging"),
        "{m}"
    );
    // A trail whose own reads succeeded, but whose bucket's settings could not be read.
    let mut inv = managed_org();
    add_trail(&mut inv, trail(MEMBER, "local", R1, false, false));
    let mut bk = bucket("local-bucket", R1);
    bk.logging = ok(Some(BucketLoggingTarget {
        target_bucket: "access-logs".into(),
        target_prefix: "local/".into(),
        partitioned_by: None,
    }));
    bk.details = Some(BucketDetails {
        policy: denied(MEMBER, Some(R1), "GetBucketPolicy", "s3:GetBucketPolicy"),
        ..protected_details()
    });
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bk]);
    // (it may copy management events: that alone is allowed here)
    let b = profile(
        "cloudtrail:\n  kms_encryption: false\n  cloudwatch_logs: false\n  allow_duplicate_management_events: true\n",
    );
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    let m = note(&p, "cloudtrail_trail_unmanaged.222222222222.local");
    assert!(
        m.contains("the settings of its bucket local-bucket (s3:GetBucketPolicy: AccessDenied)"),
        "{m}"
    );
}

#[test]
fn outside_an_organization_the_accounts_own_multi_region_trail_is_adopted_not_duplicated() {
    let single = |trails: Vec<crate::sources::cloudtrail::model::Trail>| {
        let mut inv = managed_org();
        inv.mode = ScopeMode::SingleAccount;
        inv.accounts.retain(|a| a.account_id == MGMT);
        for t in trails {
            add_trail(&mut inv, t);
        }
        inv
    };
    let stopped = |mut t: crate::sources::cloudtrail::model::Trail| {
        if let Collected::Ok { value } = &mut t.status {
            value.is_logging = false;
        }
        t
    };
    // The logging multi-region trail is completed; the regional one and the stopped one are
    // not the account's trail.
    let inv = single(vec![
        trail(MGMT, "regional", R1, false, false),
        stopped(trail(MGMT, "old", R1, true, false)),
        trail(MGMT, "solo", R1, true, false),
    ]);
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert_eq!(change(&p, "cloudtrail_trail.solo").action, Action::Update);
    let all = addresses(&p);
    assert!(
        !all.iter()
            .any(|a| *a == "cloudtrail_trail.logwarden-organization-trail"
                || *a == "cloudtrail_trail.old"
                || *a == "cloudtrail_trail.regional"),
        "{all:?}"
    );
    // Only a stopped one: it is adopted, and started.
    let inv = single(vec![stopped(trail(MGMT, "old", R1, true, false))]);
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let c = change(&p, "cloudtrail_trail.old");
    assert!(c
        .attributes
        .iter()
        .any(|a| a.name == "logging" && a.after == "started"));
    // In an organization the management account's own trail is not the organization trail:
    // one is created (the member accounts need it).
    let mut inv = managed_org();
    add_trail(&mut inv, trail(MGMT, "solo", R1, true, false));
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert_eq!(
        change(&p, "cloudtrail_trail.logwarden-organization-trail").action,
        Action::Create
    );
}
