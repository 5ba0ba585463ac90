//! Buckets as logwarden wants them ([`BucketSpec`], [`bucket_change`]: the log archive, the
//! access-log targets and the load balancer log buckets), and server access logging for every
//! bucket that lacks it.

use super::model::{Bucket, LifecycleRule, MfaDelete, VersioningStatus};
use crate::plan::merge::{kept_expiration, OWNED_PREFIX};
use crate::plan::{encryption_label, Action, AttrChange, KeyRef};
use crate::plan::{note, policy_change, Lookup};
use crate::sources::log_archive::plan::ARCHIVE_RULE_ID;
use crate::sources::trail_bucket::profile::ObjectLockMode;
use crate::sources::Change;
use crate::sources::PlanCtx;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// A bucket as logwarden wants it.
pub struct BucketSpec {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub versioning: bool,
    pub kms: Option<KeyRef>,
    pub public_access_block: bool,
    pub statements: Vec<Value>,
    pub lifecycle: Option<Value>,
    pub object_lock: Option<crate::sources::trail_bucket::profile::ObjectLockBaseline>,
    pub logging_target: Option<String>,
    pub mfa_delete: bool,
    pub depends_on: Vec<String>,
}

/// The access-log target bucket of `account` and `region` (planned once), and the change it
/// depends on, if any.
pub fn access_log_target(ctx: &mut PlanCtx, account: &str, region: &str) -> (String, Vec<String>) {
    let template = ctx
        .b
        .s3_access_logs
        .clone()
        .unwrap_or_default()
        .target_bucket;
    let name = ctx.template(&template, account, region);
    if ctx.planned_buckets.insert(name.clone()) {
        let spec = BucketSpec {
            name: name.clone(),
            account_id: account.into(),
            region: region.into(),
            versioning: false,
            kms: None,
            public_access_block: true,
            statements: super::policies::access_log_bucket(&ctx.inv.partition, &name, account),
            lifecycle: None,
            object_lock: None,
            logging_target: None,
            mfa_delete: false,
            depends_on: vec![],
        };
        crate::sources::s3_access_logs::plan::bucket_change(ctx, spec);
    }
    let dep = format!("s3_bucket.{name}");
    let deps = ctx
        .changes
        .iter()
        .filter(|c| c.address == dep)
        .map(|c| c.address.clone())
        .collect();
    (name, deps)
}

/// Create the bucket, or bring an existing one up to the spec without weakening anything.
pub fn bucket_change(ctx: &mut PlanCtx, spec: BucketSpec) {
    let address = format!("s3_bucket.{}", spec.name);
    if crate::sources::control_tower::plan::is_control_tower_bucket(&spec.name) {
        return;
    }
    let bucket = spec.name.clone();
    let existing = super::buckets::lookup(ctx, &spec.account_id, &spec.name);
    let mut ops = Vec::new();
    let mut attributes = Vec::new();
    let action;
    let mut region = spec.region.clone();
    // Object Lock is its own change: irreversible, it needs --allow-irreversible, and
    // everything else about the bucket is made without it.
    let mut lock_change: Option<(AttrChange, crate::sources::Op)> = None;
    let mut manual_mfa = false;
    match existing {
        Lookup::Unknown(e) => {
            let e = e.clone();
            ctx.unknown(
                &address,
                &spec.account_id,
                &spec.region,
                "the bucket list",
                &e,
            );
            return;
        }
        Lookup::Missing => {
            action = Action::Create;
            ops.push(
                super::apply::Op::CreateBucket {
                    bucket: bucket.clone(),
                }
                .into(),
            );
            attributes.push(AttrChange::new(
                "region",
                None::<String>,
                spec.region.clone(),
            ));
            if spec.versioning {
                ops.push(
                    super::apply::Op::PutVersioning {
                        bucket: bucket.clone(),
                    }
                    .into(),
                );
                attributes.push(AttrChange::new("versioning", None::<String>, "Enabled"));
            }
            ops.push(
                super::apply::Op::PutEncryption {
                    bucket: bucket.clone(),
                    kms_key: spec.kms.clone(),
                }
                .into(),
            );
            attributes.push(AttrChange::new(
                "encryption",
                None::<String>,
                encryption_label(&spec.kms),
            ));
            if spec.public_access_block {
                ops.push(
                    super::apply::Op::PutPublicAccessBlock {
                        bucket: bucket.clone(),
                    }
                    .into(),
                );
                attributes.push(AttrChange::new(
                    "public access block",
                    None::<String>,
                    "all four on",
                ));
            }
            if !spec.statements.is_empty() {
                attributes.push(AttrChange::new(
                    "policy",
                    None::<String>,
                    sid_list(&spec.statements),
                ));
                ops.push(
                    super::apply::Op::MergeBucketPolicy {
                        bucket: bucket.clone(),
                        statements: spec.statements.clone(),
                    }
                    .into(),
                );
            }
            if let Some(rule) = &spec.lifecycle {
                attributes.push(AttrChange::new(
                    "lifecycle",
                    None::<String>,
                    rule_label(rule),
                ));
                ops.push(
                    super::apply::Op::MergeLifecycle {
                        bucket: bucket.clone(),
                        rules: vec![rule.clone()],
                    }
                    .into(),
                );
            }
            if let Some(lock) = &spec.object_lock {
                lock_change = Some((
                    AttrChange::new(
                        "object lock",
                        Some("off"),
                        format!("{:?} {} days", lock.mode, lock.days),
                    ),
                    super::apply::Op::PutObjectLock {
                        bucket: bucket.clone(),
                        mode: format!("{:?}", lock.mode),
                        days: lock.days,
                    }
                    .into(),
                ));
            }
            if let Some(t) = &spec.logging_target {
                attributes.push(AttrChange::new(
                    "access logging",
                    None::<String>,
                    format!("s3://{t}/{bucket}/"),
                ));
                ops.push(
                    super::apply::Op::PutBucketLogging {
                        bucket: bucket.clone(),
                        target_bucket: t.clone(),
                        target_prefix: format!("{bucket}/"),
                    }
                    .into(),
                );
            }
            manual_mfa = spec.mfa_delete;
        }
        Lookup::Found(bk) => {
            action = Action::Update;
            if let Some(r) = bk.region.value() {
                if r != &spec.region {
                    ctx.kept.push(note(
                        &address,
                        &spec.account_id,
                        r,
                        format!(
                            "the bucket exists in {r}, not {}; it is used where it is",
                            spec.region
                        ),
                    ));
                    region = r.clone();
                }
            }
            let Some(d) = &bk.details else {
                ctx.unknown.push(note(
                    &address,
                    &spec.account_id,
                    &region,
                    "the bucket's settings were not read; nothing is planned for it",
                ));
                return;
            };
            let mut missing = Vec::new();
            match d.versioning.as_result() {
                Ok(v) => {
                    if spec.versioning && v.status != Some(VersioningStatus::Enabled) {
                        attributes.push(AttrChange::new(
                            "versioning",
                            Some(v.status.clone().unwrap_or_else(|| "Disabled".into())),
                            "Enabled",
                        ));
                        ops.push(
                            super::apply::Op::PutVersioning {
                                bucket: bucket.clone(),
                            }
                            .into(),
                        );
                    }
                    manual_mfa = spec.mfa_delete && v.mfa_delete != Some(MfaDelete::Enabled);
                }
                Err(e) => missing.push(("versioning", e.clone())),
            }
            match d.encryption.as_ref().map(|c| c.as_result()) {
                None => ctx.unknown.push(note(
                    &address,
                    &spec.account_id,
                    &region,
                    "default encryption was not read",
                )),
                Some(Err(e)) => missing.push(("default encryption", e.clone())),
                Some(Ok(current)) => {
                    let algo = current.as_ref().map(|e| e.algorithm.as_str());
                    match (&spec.kms, algo) {
                        (Some(_), Some(a)) if a.starts_with("aws:kms") => {}
                        (Some(_), before) => {
                            attributes.push(AttrChange::new(
                                "encryption",
                                Some(before.unwrap_or("none")),
                                encryption_label(&spec.kms),
                            ));
                            ops.push(
                                super::apply::Op::PutEncryption {
                                    bucket: bucket.clone(),
                                    kms_key: spec.kms.clone(),
                                }
                                .into(),
                            );
                        }
                        (None, None) => {
                            attributes.push(AttrChange::new("encryption", Some("none"), "AES256"));
                            ops.push(
                                super::apply::Op::PutEncryption {
                                    bucket: bucket.clone(),
                                    kms_key: None,
                                }
                                .into(),
                            );
                        }
                        (None, Some("AES256")) => {}
                        (None, Some(other)) => {
                            ctx.push(Change::manual_step(
format!("s3_bucket_encryption.{bucket}"),
spec.account_id.clone(),
region.clone(),
AttrChange::new("encryption", Some(other), "AES256"),
format!("bucket {bucket} receives load balancer or S3 server access logs, which are delivered only to SSE-S3 buckets, but it is encrypted with {other}; logwarden never changes encryption to a weaker kind"),
format!("aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"AES256\"}}}}]}}'"),
));
                        }
                    }
                }
            }
            if spec.public_access_block {
                match d.public_access_block.as_result() {
                    Ok(Some(p))
                        if p.block_public_acls
                            && p.ignore_public_acls
                            && p.block_public_policy
                            && p.restrict_public_buckets => {}
                    Ok(p) => {
                        let before = match p {
                            None => "none".to_string(),
                            Some(_) => "partly on".to_string(),
                        };
                        attributes.push(AttrChange::new(
                            "public access block",
                            Some(before),
                            "all four on",
                        ));
                        ops.push(
                            super::apply::Op::PutPublicAccessBlock {
                                bucket: bucket.clone(),
                            }
                            .into(),
                        );
                    }
                    Err(e) => missing.push(("public access block", e.clone())),
                }
            }
            if !spec.statements.is_empty() {
                match d.policy.as_result() {
                    Ok(current) => {
                        if let Some(attr) = policy_change(
                            ctx,
                            current.as_deref(),
                            &spec.statements,
                            "bucket policy",
                            &address,
                            &spec.account_id,
                            &region,
                        ) {
                            attributes.push(attr);
                            ops.push(
                                super::apply::Op::MergeBucketPolicy {
                                    bucket: bucket.clone(),
                                    statements: spec.statements.clone(),
                                }
                                .into(),
                            );
                        }
                    }
                    Err(e) => missing.push(("bucket policy", e.clone())),
                }
            }
            if let Some(rule) = &spec.lifecycle {
                match d.lifecycle_rules.as_result() {
                    Ok(rules) => {
                        let owned = rules
                            .iter()
                            .find(|r| r.id.as_deref() == Some(ARCHIVE_RULE_ID));
                        let mut want = rule.clone();
                        // Never shorten: an owned rule's longer expiration (or none) stays.
                        if let Some(o) = owned {
                            let asked = want["Expiration"]["Days"].as_i64();
                            let old = o.expiration_days.map(i64::from);
                            match kept_expiration(old.is_some(), old, asked) {
                                k if k == asked => {}
                                None => {
                                    want.as_object_mut().map(|w| w.remove("Expiration"));
                                    ctx.kept.push(note(&address, &spec.account_id, &region, format!("lifecycle rule {ARCHIVE_RULE_ID} never expires objects; the expiration the profile asks for is not added")));
                                }
                                Some(d) => {
                                    want["Expiration"]["Days"] = json!(d);
                                    ctx.kept.push(note(&address, &spec.account_id, &region, format!("lifecycle rule {ARCHIVE_RULE_ID} keeps objects {d} days, longer than the profile asks; kept")));
                                }
                            }
                        }
                        // Never shorten a foreign rule's longer retention of the logs either:
                        // where rules overlap, S3 applies the earliest expiration, so
                        // logwarden's whole-bucket rule would cut the team's. It keeps the
                        // longest instead (other prefixes then keep more than asked, never less).
                        if let Some(asked) = want["Expiration"]["Days"].as_i64() {
                            let prefixes = archive_log_prefixes(ctx);
                            let longer = rules
                                .iter()
                                .filter(|r| {
                                    r.enabled
                                        && !r.id.as_deref().unwrap_or("").starts_with(OWNED_PREFIX)
                                        && prefixes.iter().any(|l| {
                                            l.starts_with(&r.prefix)
                                                || r.prefix.starts_with(l.as_str())
                                        })
                                })
                                .filter_map(|r| r.expiration_days.map(|e| (i64::from(e), r)))
                                .filter(|(e, _)| *e > asked)
                                .max_by_key(|(e, _)| *e);
                            if let Some((days, r)) = longer {
                                want["Expiration"]["Days"] = json!(days);
                                ctx.kept.push(note(&address, &spec.account_id, &region, format!(
                                    "lifecycle rule {} keeps {} for {days} days, longer than the {asked} the profile asks; logwarden's rule {ARCHIVE_RULE_ID} expires objects after {days} days so it never shortens it",
                                    r.id.as_deref().unwrap_or("(no id)"),
                                    if r.prefix.is_empty() { "the whole bucket".to_string() } else { format!("{}*", r.prefix) }
                                )));
                            }
                        }
                        if owned.map(|o| !rule_matches(o, &want)).unwrap_or(true) {
                            attributes.push(AttrChange::new(
                                "lifecycle",
                                owned.map(inventory_rule_label),
                                rule_label(&want),
                            ));
                            ops.push(
                                super::apply::Op::MergeLifecycle {
                                    bucket: bucket.clone(),
                                    rules: vec![want],
                                }
                                .into(),
                            );
                        }
                        // Rules on the whole bucket only: a rule on a prefix (tmp/) does not
                        // shorten the logs' retention.
                        for r in rules.iter().filter(|r| {
                            r.prefix.is_empty()
                                && !r.id.as_deref().unwrap_or("").starts_with(OWNED_PREFIX)
                        }) {
                            if let (Some(exp), Some(min)) = (
                                r.expiration_days,
                                ctx.b
                                    .trail_bucket
                                    .lifecycle
                                    .as_ref()
                                    .and_then(|l| l.min_retention_days),
                            ) {
                                if r.enabled && exp < min as i32 {
                                    ctx.kept.push(note(&address, &spec.account_id, &region, format!("lifecycle rule {} expires objects after {exp} days, before the {min} days the profile asks; logwarden never changes rules it does not own", r.id.as_deref().unwrap_or("(no id)"))));
                                }
                            }
                        }
                    }
                    Err(e) => missing.push(("lifecycle rules", e.clone())),
                }
            }
            if let Some(lock) = &spec.object_lock {
                match d.object_lock.as_result() {
                    Ok(current) => {
                        let have_days = current
                            .as_ref()
                            .and_then(|c| {
                                c.days.map(|d| d as u32).or(c.years.map(|y| y as u32 * 365))
                            })
                            .unwrap_or(0);
                        let have_mode = current
                            .as_ref()
                            .and_then(|c| c.mode.clone())
                            .map(String::from);
                        let enabled = current.as_ref().is_some_and(|c| c.enabled);
                        let stronger_mode = have_mode.as_deref() == Some("COMPLIANCE")
                            || lock.mode == ObjectLockMode::GOVERNANCE;
                        if enabled && have_mode.is_some() && have_days >= lock.days && stronger_mode
                        {
                            // As strong as asked, or stronger: kept.
                        } else if enabled
                            && have_mode.is_some()
                            && (have_days > lock.days || have_mode.as_deref() == Some("COMPLIANCE"))
                        {
                            ctx.kept.push(note(&address, &spec.account_id, &region, format!("Object Lock {} {} days is kept (stronger in one respect than the profile)", have_mode.unwrap_or_default(), have_days)));
                        } else {
                            let before = if enabled {
                                format!(
                                    "{} {} days",
                                    have_mode.unwrap_or_else(|| "no default".into()),
                                    have_days
                                )
                            } else {
                                "off".into()
                            };
                            lock_change = Some((
                                AttrChange::new(
                                    "object lock",
                                    Some(before),
                                    format!("{:?} {} days", lock.mode, lock.days),
                                ),
                                super::apply::Op::PutObjectLock {
                                    bucket: bucket.clone(),
                                    mode: format!("{:?}", lock.mode),
                                    days: lock.days,
                                }
                                .into(),
                            ));
                        }
                    }
                    Err(e) => missing.push(("Object Lock", e.clone())),
                }
            }
            if let Some(t) = &spec.logging_target {
                match bk.logging.as_result() {
                    Ok(Some(_)) => {}
                    Ok(None) => {
                        attributes.push(AttrChange::new(
                            "access logging",
                            Some("off"),
                            format!("s3://{t}/{bucket}/"),
                        ));
                        ops.push(
                            super::apply::Op::PutBucketLogging {
                                bucket: bucket.clone(),
                                target_bucket: t.clone(),
                                target_prefix: format!("{bucket}/"),
                            }
                            .into(),
                        );
                    }
                    Err(e) => missing.push(("access logging", e.clone())),
                }
            }
            for (what, e) in missing {
                ctx.unknown(
                    &address,
                    &spec.account_id,
                    &region,
                    &format!("the bucket's {what}"),
                    &e,
                );
            }
        }
    }
    if !ops.is_empty() {
        ctx.push(Change {
            address: address.clone(),
            action,
            account_id: spec.account_id.clone(),
            region: region.clone(),
            attributes,
            irreversible: false,
            manual: None,
            depends_on: spec.depends_on.clone(),
            ops,
        });
    }
    if let Some((attr, op)) = lock_change {
        let depends_on = ctx
            .changes
            .iter()
            .filter(|c| c.address == address)
            .map(|c| c.address.clone())
            .collect();
        ctx.push(Change {
            address: format!("s3_bucket_object_lock.{bucket}"),
            action: Action::Update,
            account_id: spec.account_id.clone(),
            region: region.clone(),
            attributes: vec![attr],
            irreversible: true,
            manual: None,
            depends_on,
            ops: vec![op],
        });
    }
    if manual_mfa {
        let account = &spec.account_id;
        ctx.push(Change::manual_step(
format!("s3_bucket_mfa_delete.{bucket}"),
account.clone(),
region,
AttrChange::new("MFA delete", Some("Disabled"), "Enabled"),
format!("only the root user of account {account}, signed in with its MFA device, can enable MFA delete (through the API or CLI, never the console)"),
format!("aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{} CODE\"", crate::arn::Partition(&ctx.inv.partition).arn("iam", "", account, "mfa/root-account-mfa-device")),
));
    }
}

/// Server access logging for every bucket in scope that lacks it.
pub fn plan(ctx: &mut PlanCtx) {
    let Some(s3) = ctx.b.s3_access_logs.clone() else {
        return;
    };
    let scoped: BTreeSet<&str> = ctx.inv.regions.iter().map(String::as_str).collect();
    // Buckets that already receive access logs are targets: they never log to themselves,
    // and the audit does not require it of them.
    let targets: BTreeSet<String> = ctx
        .inv
        .accounts
        .iter()
        .flat_map(|a| a.data.s3_access_logs.buckets.value().into_iter().flatten())
        .filter_map(|b| {
            b.logging
                .value()
                .cloned()
                .flatten()
                .map(|t| t.target_bucket)
        })
        .collect();
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        let buckets = match a.data.s3_access_logs.buckets.as_result() {
            Ok(v) => v,
            Err(e) => {
                let e = e.clone();
                ctx.unknown(
                    &format!("s3_access_logs.{}", a.account_id),
                    &a.account_id,
                    "global",
                    "the bucket list",
                    &e,
                );
                continue;
            }
        };
        let mut by_region: std::collections::BTreeMap<String, Vec<&Bucket>> = Default::default();
        for bk in buckets {
            let region = match bk.region.as_result() {
                Ok(r) => r,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("s3_bucket.{}", bk.name),
                        &a.account_id,
                        "global",
                        "the bucket's region",
                        &e,
                    );
                    continue;
                }
            };
            if !scoped.contains(region.as_str())
                || s3.excludes(&bk.name)
                || crate::sources::control_tower::plan::is_control_tower_bucket(&bk.name)
            {
                continue;
            }
            let is_target = ctx.template(&s3.target_bucket, &a.account_id, region) == bk.name;
            if is_target || targets.contains(&bk.name) || ctx.planned_buckets.contains(&bk.name) {
                continue; // targets never log to themselves; planned buckets get logging with their change
            }
            match bk.logging.as_result() {
                Ok(None) => by_region.entry(region.clone()).or_default().push(bk),
                Ok(Some(_)) => {}
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("s3_bucket.{}", bk.name),
                        &a.account_id,
                        region,
                        "the bucket's access logging",
                        &e,
                    );
                }
            }
        }
        for (region, list) in by_region {
            let (target, depends_on) = crate::sources::s3_access_logs::plan::access_log_target(
                ctx,
                &a.account_id,
                &region,
            );
            ctx.push(Change {
                address: format!("s3_access_logs.{}.{}", a.account_id, region),
                action: Action::Update,
                account_id: a.account_id.clone(),
                region: region.clone(),
                attributes: list
                    .iter()
                    .map(|bk| {
                        AttrChange::new(
                            &format!("{} access logging", bk.name),
                            Some("off"),
                            format!("s3://{target}/{}/", bk.name),
                        )
                    })
                    .collect(),
                irreversible: false,
                manual: None,
                depends_on,
                ops: list
                    .iter()
                    .map(|bk| {
                        super::apply::Op::PutBucketLogging {
                            bucket: bk.name.clone(),
                            target_bucket: target.clone(),
                            target_prefix: format!("{}/", bk.name),
                        }
                        .into()
                    })
                    .collect(),
            });
        }
    }
}

fn sid_list(statements: &[Value]) -> String {
    statements
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn rule_label(rule: &Value) -> String {
    let mut parts = Vec::new();
    for t in rule["Transitions"].as_array().into_iter().flatten() {
        parts.push(format!(
            "{} after {}d",
            t["StorageClass"].as_str().unwrap_or("?"),
            t["Days"]
        ));
    }
    if let Some(d) = rule["Expiration"]["Days"].as_i64() {
        parts.push(format!("expire after {d}d"));
    }
    if let Some(d) = rule["NoncurrentVersionExpiration"]["NoncurrentDays"].as_i64() {
        parts.push(format!("noncurrent versions after {d}d"));
    }
    if let Some(d) = rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"].as_i64() {
        parts.push(format!("abort uploads after {d}d"));
    }
    format!(
        "{}: {}",
        rule["ID"].as_str().unwrap_or("?"),
        parts.join(", ")
    )
}

fn inventory_rule_label(r: &LifecycleRule) -> String {
    let mut parts: Vec<String> = r
        .transitions
        .iter()
        .map(|t| format!("{} after {}d", t.storage_class, t.days))
        .collect();
    if let Some(d) = r.expiration_days {
        parts.push(format!("expire after {d}d"));
    }
    if let Some(d) = r.noncurrent_expiration_days {
        parts.push(format!("noncurrent versions after {d}d"));
    }
    if let Some(d) = r.abort_incomplete_upload_days {
        parts.push(format!("abort uploads after {d}d"));
    }
    format!("{}: {}", r.id.as_deref().unwrap_or("?"), parts.join(", "))
}

/// Whether an existing rule (as the inventory reads it) is the rule logwarden would write.
fn rule_matches(have: &LifecycleRule, want: &Value) -> bool {
    let transitions: Vec<(i64, String)> = want["Transitions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["Days"].as_i64().unwrap_or(0),
                t["StorageClass"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let have_t: Vec<(i64, String)> = have
        .transitions
        .iter()
        .map(|t| (i64::from(t.days), t.storage_class.clone()))
        .collect();
    have.enabled
        && have.prefix.is_empty()
        && have_t == transitions
        && have.expiration_days.map(i64::from) == want["Expiration"]["Days"].as_i64()
        && have.noncurrent_expiration_days.map(i64::from)
            == want["NoncurrentVersionExpiration"]["NoncurrentDays"].as_i64()
        && have.abort_incomplete_upload_days.map(i64::from)
            == want["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"].as_i64()
}

/// The prefixes logs are delivered under in the log archive bucket: `AWSLogs/` (CloudTrail,
/// Config, flow logs, Resolver query logs), and the organization trail's key prefix.
fn archive_log_prefixes(ctx: &PlanCtx) -> Vec<String> {
    let mut v = vec!["AWSLogs/".to_string()];
    if let Some(p) = ctx
        .b
        .organization_trail
        .s3_key_prefix
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        v.push(format!("{}/AWSLogs/", p.trim_end_matches('/')));
    }
    v
}
