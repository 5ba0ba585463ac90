//! Unit tests of the planner: what it creates, in which order, and what it never weakens.

use super::*;
use crate::baseline::{self, Baseline};
use crate::rules::testutil::*;
use crate::sources::cloudtrail::model::{AdvancedSelector, EventSelectors, FieldSelector};
use crate::sources::s3_access_logs::model::{
    BucketDetails, BucketEncryption, BucketLoggingTarget, LifecycleRule, PublicAccessBlock,
    Versioning,
};

const NOW: time::OffsetDateTime = time::macros::datetime!(2026-12-01 12:00:00 UTC);

fn profile(extra: &str) -> Baseline {
    let text = format!(
        "version: 1\nname: t\nbudgets:\n  logging_cost: true\n  amount: 50\n  notifications: [{{type: actual, threshold_percent: 80, emails: [ops@example.com]}}]\n{extra}"
    );
    baseline::parse(&text, "t.yaml").unwrap_or_else(|e| panic!("{e}"))
}

fn managed_org() -> Inventory {
    let mut inv = org();
    acct(&mut inv, MGMT).data.budgets.budgets = Some(ok(vec![]));
    inv.managed = Some(ManagedState {
        archive_account_id: MGMT.into(),
        archive_region: R1.into(),
        trail_region: R1.into(),
        trusted_access: ok(vec![]),
        archive_key: ok(None),
        log_group: Some(ok(None)),
        roles: vec![
            ManagedRole {
                name: "logwarden-cloudtrail-cloudwatch-logs".into(),
                arn: ok(None),
            },
            ManagedRole {
                name: AGGREGATOR_ROLE.into(),
                arn: ok(None),
            },
        ],
    });
    inv
}

fn addresses(p: &Plan) -> Vec<&str> {
    p.changes.iter().map(|c| c.address.as_str()).collect()
}

fn change<'a>(p: &'a Plan, address: &str) -> &'a Change {
    p.changes
        .iter()
        .find(|c| c.address == address)
        .unwrap_or_else(|| panic!("no {address} in {:?}", addresses(p)))
}

fn pos(p: &Plan, address: &str) -> usize {
    addresses(p).iter().position(|a| *a == address).unwrap()
}

const ARCHIVE: &str = "o-example-logs-111111111111";

#[test]
fn a_bare_organization_gets_everything_in_dependency_order() {
    let p = plan(&profile(""), "t.yaml", &managed_org(), NOW).unwrap();
    let key = "kms_key.alias/logwarden-log-archive";
    let bucket = format!("s3_bucket.{ARCHIVE}");
    let trail = "cloudtrail_trail.logwarden-organization-trail";
    for a in [
        "organizations_service_access.cloudtrail.amazonaws.com",
        key,
        &bucket,
        "cloudwatch_log_group./logwarden/organization-trail",
        "iam_role.logwarden-cloudtrail-cloudwatch-logs",
        trail,
        "config_recorder.222222222222.eu-west-1",
        "config_aggregator.logwarden-organization",
        "budget.logwarden-logging-cost",
    ] {
        assert!(
            addresses(&p).contains(&a),
            "{a} missing: {:?}",
            addresses(&p)
        );
    }
    assert!(pos(&p, key) < pos(&p, &bucket) && pos(&p, &bucket) < pos(&p, trail));
    let t = change(&p, trail);
    assert_eq!(t.action, Action::Create);
    for dep in [
        key,
        bucket.as_str(),
        "organizations_service_access.cloudtrail.amazonaws.com",
    ] {
        assert!(
            t.depends_on.iter().any(|d| d == dep),
            "{dep} not in {:?}",
            t.depends_on
        );
    }
    // Create, then selectors, then start: logging is the last step.
    assert!(
        matches!(t.ops.first(), Some(Op::CreateTrail { settings, .. })
        if settings.organization == Some(true) && settings.log_file_validation == Some(true)
            && settings.bucket.as_deref() == Some(ARCHIVE))
    );
    assert!(matches!(t.ops.last(), Some(Op::StartLogging { .. })));
    // Every delivery into the archive waits for its policy.
    let cfg = change(&p, "config_recorder.222222222222.us-east-1");
    assert!(cfg.depends_on.contains(&bucket));
    assert!(matches!(
        cfg.ops[0],
        Op::PutRecorder {
            include_global_resource_types: true,
            ..
        }
    ));
    let cfg2 = change(&p, "config_recorder.222222222222.eu-west-1");
    assert!(matches!(
        cfg2.ops[0],
        Op::PutRecorder {
            include_global_resource_types: false,
            ..
        }
    ));
    assert_eq!(
        p.summary(),
        format!(
            "Plan: {} to create, {} to change, 0 manual.",
            p.count(Action::Create),
            p.count(Action::Update)
        )
    );
    assert!(p.changes.iter().all(|c| !c.irreversible));
    assert_eq!(p.fingerprint, fingerprint(&p.changes));
}

#[test]
fn the_bucket_policy_carries_only_owned_statements_with_source_conditions() {
    let p = plan(&profile(""), "t.yaml", &managed_org(), NOW).unwrap();
    let b = change(&p, &format!("s3_bucket.{ARCHIVE}"));
    let stmts = b
        .ops
        .iter()
        .find_map(|o| match o {
            Op::MergeBucketPolicy { statements, .. } => Some(statements),
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

fn archive_details(policy: Option<&str>, rules: Vec<LifecycleRule>) -> BucketDetails {
    BucketDetails {
        versioning: ok(Versioning {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        public_access_block: ok(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        })),
        policy_is_public: ok(Some(false)),
        policy: ok(policy.map(String::from)),
        lifecycle_rules: ok(rules),
        object_lock: ok(None),
        encryption: Some(ok(Some(BucketEncryption {
            algorithm: "aws:kms".into(),
            kms_key_id: Some("k".into()),
        }))),
    }
}

fn with_archive(inv: &mut Inventory, d: BucketDetails) {
    let mut b = bucket(ARCHIVE, R1);
    b.details = Some(d);
    b.logging = ok(Some(BucketLoggingTarget {
        target_bucket: "t".into(),
        target_prefix: "p/".into(),
    }));
    acct(inv, MGMT).data.s3_access_logs.buckets = ok(vec![b]);
}

#[test]
fn a_longer_retention_is_kept_and_foreign_rules_are_not_touched() {
    let b = profile("trail_bucket:\n  lifecycle:\n    transitions: [{after_days: 90, storage_class: GLACIER_IR}]\n    expiration_days: 400\n");
    let mut inv = managed_org();
    let owned = LifecycleRule {
        id: Some(ARCHIVE_RULE_ID.into()),
        enabled: true,
        prefix: String::new(),
        transitions: vec![],
        expiration_days: Some(800),
        noncurrent_expiration_days: None,
        abort_incomplete_upload_days: None,
    };
    let foreign = LifecycleRule {
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
            Op::MergeLifecycle { rules, .. } => Some(rules),
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
    assert!(c.is_none_or(|c| !c
        .ops
        .iter()
        .any(|o| matches!(o, Op::MergeBucketPolicy { .. }))));
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
    let owned = policies::archive_bucket(
        &policies::Origin {
            partition: "aws",
            org_id: Some("o-example"),
            management_account_id: MGMT,
        },
        ARCHIVE,
        None,
        "arn:aws:cloudtrail:us-east-1:111111111111:trail/logwarden-organization-trail",
        true,
        false,
        true,
    );
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
fn control_tower_resources_are_never_changed() {
    let mut inv = managed_org();
    add_trail(&mut inv, trail(MGMT, CONTROL_TOWER_TRAIL, R1, true, true));
    acct(&mut inv, MEMBER).data.s3_access_logs.buckets = ok(vec![bucket(
        "aws-controltower-logs-222222222222-us-east-1",
        R1,
    )]);
    let b = profile("s3_access_logs: {}\n");
    let p = plan(&b, "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("cloudtrail_trail.")
            || a.starts_with("kms_key.")
            || a.contains("aws-controltower")
            || a.starts_with("config_")
            || a.contains(ARCHIVE)));
    assert!(p
        .not_manageable
        .iter()
        .any(|n| n.resource.contains(CONTROL_TOWER_TRAIL)));
    assert!(p
        .not_manageable
        .iter()
        .any(|n| n.resource.contains("aws-controltower-logs-")));
    assert!(addresses(&p).contains(&"budget.logwarden-logging-cost"));
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
    assert!(!c.ops.iter().any(|o| matches!(o, Op::PutObjectLock { .. })));
    let lock = change(&p, &format!("s3_bucket_object_lock.{ARCHIVE}"));
    assert!(lock.irreversible);
    assert_eq!(lock.depends_on, vec![format!("s3_bucket.{ARCHIVE}")]);
    assert!(matches!(
        lock.ops[..],
        [Op::PutObjectLock { days: 365, .. }]
    ));
}

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
    assert!(!c.ops.iter().any(|o| matches!(o, Op::CreateTrail { .. })));
    assert!(c
        .ops
        .iter()
        .any(|o| matches!(o, Op::UpdateTrail { settings, .. }
        if settings.log_file_validation == Some(true) && settings.multi_region.is_none())));
    assert!(c.ops.iter().any(|o| matches!(o, Op::StartLogging { .. })));
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
    inv.managed.as_mut().unwrap().log_group = Some(ok(Some(ManagedLogGroup {
        arn: "arn:aws:logs:us-east-1:111111111111:log-group:/logwarden/organization-trail:*".into(),
        retention_days: Some(3653),
    })));
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p)
        .iter()
        .any(|a| a.starts_with("cloudwatch_log_group.")));
    assert!(p.kept.iter().any(|n| n.message.contains("3653")));
}

#[test]
fn no_amount_makes_the_budget_a_manual_step() {
    let b = baseline::parse(
        "version: 1\nname: t\nbudgets: {logging_cost: true}\n",
        "t.yaml",
    )
    .unwrap();
    let p = plan(&b, "t.yaml", &managed_org(), NOW).unwrap();
    let c = change(&p, "budget.logwarden-logging-cost");
    assert_eq!(c.action, Action::Manual);
    assert!(c
        .manual
        .as_ref()
        .unwrap()
        .command
        .contains("budgets.amount"));
}

#[test]
fn unreadable_resources_plan_nothing_and_say_so() {
    let mut inv = managed_org();
    acct(&mut inv, MEMBER).regions[0].data.config.recorders = denied(
        MEMBER,
        Some(R1),
        "DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorders",
    );
    let p = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert!(!addresses(&p).contains(&"config_recorder.222222222222.us-east-1"));
    let n = p
        .unknown
        .iter()
        .find(|n| n.resource == "config_recorder.222222222222.us-east-1")
        .unwrap();
    assert!(n.message.contains("config:DescribeConfigurationRecorders"));
}

#[test]
fn plan_needs_the_managed_state_and_the_management_account() {
    assert_eq!(
        plan(&profile(""), "t.yaml", &org(), NOW).unwrap_err(),
        PlanError::NoManagedState
    );
    let mut inv = managed_org();
    inv.caller_account_id = MEMBER.into();
    assert!(matches!(
        plan(&profile(""), "t.yaml", &inv, NOW),
        Err(PlanError::NotManagement { .. })
    ));
}

#[test]
fn planning_is_deterministic() {
    let inv = managed_org();
    let a = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    let b = plan(&profile(""), "t.yaml", &inv, NOW).unwrap();
    assert_eq!(a.changes, b.changes);
    assert_eq!(a.fingerprint, b.fingerprint);
}

#[test]
fn the_text_plan_reads_like_terraform() {
    let mut inv = managed_org();
    let mut t = trail(MGMT, "logwarden-organization-trail", R1, true, true);
    t.log_file_validation_enabled = false;
    add_trail(&mut inv, t);
    let p = plan(
        &profile("trail_bucket:\n  mfa_delete: true\n  lifecycle: null\n"),
        "t.yaml",
        &inv,
        NOW,
    )
    .unwrap();
    let text = render::text(&p);
    assert!(
        text.contains("  + kms_key.alias/logwarden-log-archive  (111111111111 us-east-1)"),
        "{text}"
    );
    assert!(
        text.contains("  ~ cloudtrail_trail.logwarden-organization-trail"),
        "{text}"
    );
    assert!(
        text.contains("      log file validation: false → true"),
        "{text}"
    );
    assert!(text.contains("  ! s3_bucket_mfa_delete."), "{text}");
    assert!(
        text.contains("      run: aws s3api put-bucket-versioning"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .lines()
            .rev()
            .any(|l| l.starts_with("Plan: ")),
        "{text}"
    );
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
