//! The shared bucket planner's cases: a new bucket, an existing one short of the spec in each
//! setting, settings that could not be read, and nothing weakened or shortened.

use super::bucket::*;
use crate::inventory::bucket::*;
use crate::plan::testutil::{managed_org, profile};
use crate::plan::Lookup;
use crate::rules::testutil::{denied, ok, MGMT, R1, R2};
use crate::rules::Evaluation;
use crate::sources::{Baseline, Inventory, PlanCtx};
use serde_json::json;

const NAME: &str = "logs";

fn spec() -> BucketSpec {
    BucketSpec {
        name: NAME.into(),
        account_id: MGMT.into(),
        region: R1.into(),
        versioning: true,
        kms: None,
        public_access_block: true,
        statements: vec![json!({"Sid": "LogwardenX", "Effect": "Allow"})],
        lifecycle: Some(json!({"ID": "logwarden-rule", "Expiration": {"Days": 365}})),
        log_prefixes: vec!["AWSLogs/".into()],
        min_retention_days: Some(90),
        object_lock: Some(ObjectLockSpec {
            compliance: false,
            days: 30,
        }),
        logging_target: Some("target".into()),
        mfa_delete: true,
        depends_on: vec![],
    }
}

fn rule(id: &str, prefix: &str, days: Option<i32>) -> LifecycleRule {
    LifecycleRule {
        tag_filtered: false,
        expiration_date: None,
        size_filtered: false,
        id: Some(id.into()),
        enabled: true,
        prefix: prefix.into(),
        transitions: vec![],
        expiration_days: days,
        noncurrent_expiration_days: None,
        abort_incomplete_upload_days: None,
    }
}

/// A bucket that already has everything [`spec`] asks for.
fn conforming() -> Bucket {
    Bucket {
        name: NAME.into(),
        region: ok(R1.into()),
        logging: ok(Some(BucketLoggingTarget {
            target_bucket: "target".into(),
            target_prefix: "logs/".into(),
            partitioned_by: None,
        })),
        details: Some(BucketDetails {
            versioning: ok(Versioning {
                status: Some(VersioningStatus::Enabled),
                mfa_delete: Some(MfaDelete::Enabled),
            }),
            public_access_block: ok(Some(PublicAccessBlock {
                block_public_acls: true,
                ignore_public_acls: true,
                block_public_policy: true,
                restrict_public_buckets: true,
            })),
            policy_is_public: ok(Some(false)),
            acl_public_grants: ok(vec![]),
            policy: ok(Some(
                json!({"Statement": [{"Sid": "LogwardenX", "Effect": "Allow"}]}).to_string(),
            )),
            lifecycle_rules: ok(vec![rule("logwarden-rule", "", Some(365))]),
            object_lock: ok(Some(ObjectLock {
                enabled: true,
                mode: Some(RetentionMode::Governance),
                days: Some(30),
                years: None,
            })),
            encryption: Some(ok(Some(BucketEncryption {
                algorithm: SseAlgorithm::Aes256,
                kms_key_id: None,
            }))),
        }),
    }
}

/// What the planner made of `existing`: (change address, attribute name, before, after),
/// and the kept and unknown notes.
type Outcome = (
    Vec<(String, String, Option<String>, String)>,
    Vec<String>,
    Vec<String>,
);

fn run(spec: BucketSpec, existing: Lookup<Bucket>) -> Outcome {
    let inv: Inventory = managed_org();
    let b: Baseline = profile("");
    let mut ctx = PlanCtx {
        b: &b,
        inv: &inv,
        plan_reads: inv.managed.as_ref().unwrap(),
        mgmt: MGMT.into(),
        org_id: None,
        facts: Default::default(),
        changes: vec![],
        kept: vec![],
        not_manageable: vec![],
        unknown: vec![],
        planned_buckets: Default::default(),
        control_tower: false,
        evaluation: Evaluation {
            findings: vec![],
            coverage: vec![],
            lookback: vec![],
        },
        log_buckets: Default::default(),
    };
    bucket_change(&mut ctx, spec, existing);
    let attrs = ctx
        .changes
        .iter()
        .flat_map(|c| {
            c.attributes.iter().map(move |a| {
                (
                    c.address.clone(),
                    a.name.clone(),
                    a.before.clone(),
                    a.after.clone(),
                )
            })
        })
        .collect();
    let notes = |v: &[crate::plan::Note]| v.iter().map(|n| n.message.clone()).collect();
    (attrs, notes(&ctx.kept), notes(&ctx.unknown))
}

fn with(edit: impl FnOnce(&mut BucketDetails)) -> Bucket {
    let mut bk = conforming();
    edit(bk.details.as_mut().unwrap());
    bk
}

#[test]
fn a_new_bucket_gets_every_setting_its_lock_apart_and_mfa_delete_as_a_manual_step() {
    let (attrs, kept, unknown) = run(spec(), Lookup::Missing);
    let names: Vec<(&str, &str)> = attrs
        .iter()
        .map(|(c, a, _, _)| (c.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("s3_bucket.logs", "region"),
            ("s3_bucket.logs", "versioning"),
            ("s3_bucket.logs", "encryption"),
            ("s3_bucket.logs", "public access block"),
            ("s3_bucket.logs", "policy"),
            ("s3_bucket.logs", "lifecycle"),
            ("s3_bucket.logs", "access logging"),
            ("s3_bucket_object_lock.logs", "object lock"),
            ("s3_bucket_mfa_delete.logs", "MFA delete"),
        ]
    );
    assert!(kept.is_empty() && unknown.is_empty());
}

#[test]
fn an_existing_bucket_is_changed_only_where_it_falls_short() {
    let s = |v: &str| Some(v.to_string());
    // (case, what the bucket has, the attribute changes expected)
    type Case = (
        &'static str,
        Bucket,
        Vec<(&'static str, Option<String>, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        ("conforming", conforming(), vec![]),
        (
            "suspended versioning",
            with(|d| {
                d.versioning = ok(Versioning {
                    status: Some(VersioningStatus::Suspended),
                    mfa_delete: Some(MfaDelete::Enabled),
                })
            }),
            vec![("versioning", s("Suspended"), "Enabled")],
        ),
        (
            "no default encryption",
            with(|d| d.encryption = Some(ok(None))),
            vec![("encryption", s("none"), "AES256")],
        ),
        (
            "public access block partly on",
            with(|d| {
                d.public_access_block = ok(Some(PublicAccessBlock {
                    block_public_acls: true,
                    ignore_public_acls: false,
                    block_public_policy: true,
                    restrict_public_buckets: true,
                }))
            }),
            vec![("public access block", s("partly on"), "all four on")],
        ),
        (
            "no policy",
            with(|d| d.policy = ok(None)),
            vec![("bucket policy", s("none"), "1 statement(s): + LogwardenX")],
        ),
        (
            "no lifecycle rule",
            with(|d| d.lifecycle_rules = ok(vec![])),
            vec![("lifecycle", None, "logwarden-rule: expire after 365d")],
        ),
        (
            "logging off",
            Bucket {
                logging: ok(None),
                ..conforming()
            },
            vec![("access logging", s("off"), "s3://target/logs/")],
        ),
        (
            "Object Lock off",
            with(|d| d.object_lock = ok(None)),
            vec![("object lock", s("off"), "GOVERNANCE 30 days")],
        ),
        (
            "Object Lock shorter",
            with(|d| {
                d.object_lock = ok(Some(ObjectLock {
                    enabled: true,
                    mode: Some(RetentionMode::Governance),
                    days: Some(7),
                    years: None,
                }))
            }),
            vec![("object lock", s("GOVERNANCE 7 days"), "GOVERNANCE 30 days")],
        ),
        (
            "Object Lock longer, in years",
            with(|d| {
                d.object_lock = ok(Some(ObjectLock {
                    enabled: true,
                    mode: Some(RetentionMode::Compliance),
                    days: None,
                    years: Some(1),
                }))
            }),
            vec![],
        ),
    ];
    for (case, bucket, want) in cases {
        let (attrs, _, unknown) = run(spec(), Lookup::Found(&bucket));
        let got: Vec<(&str, Option<String>, &str)> = attrs
            .iter()
            .map(|(_, a, before, after)| (a.as_str(), before.clone(), after.as_str()))
            .collect();
        assert_eq!(got, want, "{case}");
        assert!(unknown.is_empty(), "{case}: {unknown:?}");
    }
}

#[test]
fn a_setting_that_could_not_be_read_plans_nothing_from_it_and_says_so() {
    fn e<T>() -> crate::inventory::Collected<T> {
        denied(
            MGMT,
            Some(R1),
            "GetBucketEncryption",
            "s3:GetEncryptionConfiguration",
        )
    }
    let bucket = with(|d| {
        d.encryption = Some(e());
        d.versioning = e();
        d.lifecycle_rules = e();
    });
    let (attrs, _, unknown) = run(spec(), Lookup::Found(&bucket));
    assert!(attrs.is_empty(), "{attrs:?}");
    assert_eq!(unknown.len(), 3, "{unknown:?}");
    for what in ["versioning", "default encryption", "lifecycle rules"] {
        assert!(
            unknown
                .iter()
                .any(|u| u.starts_with(&format!("the bucket's {what} could not be read"))),
            "{what}: {unknown:?}"
        );
    }
    let list = denied::<Vec<Bucket>>(MGMT, None, "ListBuckets", "s3:ListAllMyBuckets");
    let (attrs, _, unknown) = run(spec(), Lookup::Unknown(list.error().unwrap()));
    assert!(attrs.is_empty());
    assert!(
        unknown[0].starts_with("the bucket list could not be read"),
        "{unknown:?}"
    );
}

#[test]
fn nothing_is_weakened_or_shortened() {
    // A KMS-encrypted bucket that must be SSE-S3 is a manual step, never a change.
    let kms = with(|d| {
        d.encryption = Some(ok(Some(BucketEncryption {
            algorithm: SseAlgorithm::Kms,
            kms_key_id: Some("k".into()),
        })))
    });
    let (attrs, _, _) = run(spec(), Lookup::Found(&kms));
    assert_eq!(attrs.len(), 1);
    assert_eq!(attrs[0].0, "s3_bucket_encryption.logs");
    // logwarden's own rule keeping objects longer keeps them.
    let longer = with(|d| d.lifecycle_rules = ok(vec![rule("logwarden-rule", "", Some(3650))]));
    let (attrs, kept, _) = run(spec(), Lookup::Found(&longer));
    assert!(attrs.is_empty(), "{attrs:?}");
    assert!(kept[0].contains("keeps objects 3650 days"), "{kept:?}");
    // A team's rule keeping the logs longer raises logwarden's rule to it.
    let team = with(|d| {
        d.lifecycle_rules = ok(vec![
            rule("logwarden-rule", "", Some(365)),
            rule("team", "AWSLogs/", Some(730)),
        ])
    });
    let (attrs, kept, _) = run(spec(), Lookup::Found(&team));
    assert_eq!(attrs[0].3, "logwarden-rule: expire after 730d");
    assert!(kept[0].contains("keeps AWSLogs/* for 730 days"), "{kept:?}");
    // A team's whole-bucket rule that expires logs too soon is named, never changed.
    let short = with(|d| {
        d.lifecycle_rules = ok(vec![
            rule("logwarden-rule", "", Some(365)),
            rule("cleanup", "", Some(30)),
        ])
    });
    let (attrs, kept, _) = run(spec(), Lookup::Found(&short));
    assert!(attrs.is_empty(), "{attrs:?}");
    assert!(
        kept[0].contains("cleanup expires objects after 30 days"),
        "{kept:?}"
    );
    // So is a team's rule on the logs' folder (or a folder inside it); never a rule on other
    // folders, nor one on tagged objects (logs are written untagged).
    let after_30 = Some("cleanup expires objects after 30 days");
    for (what, r, named) in [
        ("AWSLogs/", rule("cleanup", "AWSLogs/", Some(30)), after_30),
        (
            "one region's folder",
            rule(
                "cleanup",
                "AWSLogs/111111111111/CloudTrail/us-east-1/",
                Some(30),
            ),
            after_30,
        ),
        ("another folder", rule("cleanup", "tmp/", Some(30)), None),
        (
            "a date that has passed",
            LifecycleRule {
                expiration_date: Some("2025-06-01T00:00:00Z".into()),
                ..rule("cleanup", "", None)
            },
            Some("cleanup expires every object from 2025-06-01T00:00:00Z, new ones too"),
        ),
        (
            "tagged objects",
            LifecycleRule {
                tag_filtered: true,
                ..rule("cleanup", "", Some(30))
            },
            None,
        ),
    ] {
        let b = with(|d| d.lifecycle_rules = ok(vec![rule("logwarden-rule", "", Some(365)), r]));
        let (attrs, kept, _) = run(spec(), Lookup::Found(&b));
        assert!(attrs.is_empty(), "{what}: {attrs:?}");
        let cleanup: Vec<&String> = kept.iter().filter(|k| k.contains("cleanup")).collect();
        match named {
            Some(text) => assert!(
                cleanup.len() == 1 && cleanup[0].contains(text),
                "{what}: {kept:?}"
            ),
            None => assert!(cleanup.is_empty(), "{what}: {kept:?}"),
        }
    }
    // A team's longer rule on tagged objects keeps no log longer: logwarden's rule stays.
    let tagged = with(|d| {
        d.lifecycle_rules = ok(vec![
            rule("logwarden-rule", "", Some(365)),
            LifecycleRule {
                tag_filtered: true,
                ..rule("team", "", Some(730))
            },
        ])
    });
    let (attrs, kept, _) = run(spec(), Lookup::Found(&tagged));
    assert!(attrs.is_empty() && kept.is_empty(), "{attrs:?} {kept:?}");
    // Object Lock stronger in one respect is kept, and said so.
    let compliance = with(|d| {
        d.object_lock = ok(Some(ObjectLock {
            enabled: true,
            mode: Some(RetentionMode::Compliance),
            days: Some(10),
            years: None,
        }))
    });
    let (attrs, kept, _) = run(spec(), Lookup::Found(&compliance));
    assert!(attrs.is_empty(), "{attrs:?}");
    assert!(kept[0].contains("COMPLIANCE 10 days is kept"), "{kept:?}");
    // A bucket in another region is used where it is.
    let elsewhere = Bucket {
        region: ok(R2.into()),
        ..conforming()
    };
    let (_, kept, _) = run(spec(), Lookup::Found(&elsewhere));
    assert!(
        kept[0].contains("exists in eu-west-1, not us-east-1"),
        "{kept:?}"
    );
}
