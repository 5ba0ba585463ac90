//! The shared bucket planner: a bucket logwarden wants ([`BucketSpec`]: the log archive, the
//! access-log targets, the load balancer log buckets), created or brought up to the spec without
//! weakening anything, and the operations that do it ([`BucketOp`], run by the S3 access logs
//! source's `apply.rs`).
//!
//! Each setting is its own step ([`bucket_change`] runs them in order): versioning, default
//! encryption, the public access block, the policy, the lifecycle rule, Object Lock and access
//! logging. A setting whose read failed is `unknown` (nothing is planned from it); Object Lock,
//! irreversible, is a change of its own; MFA delete, which only the root user can enable, is a
//! manual step.

use super::ctx::{note, policy_change, Lookup, PlanCtx};
use super::merge::{kept_expiration, OWNED_PREFIX};
use super::{encryption_label, Action, AttrChange, Change, KeyRef};
use crate::inventory::bucket::{Bucket, BucketDetails, LifecycleRule, MfaDelete, VersioningStatus};
use crate::inventory::CallError;
use crate::shape::Shape;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A bucket as logwarden wants it.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketSpec {
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub versioning: bool,
    /// SSE-KMS with this key, or SSE-S3 (`None`).
    pub kms: Option<KeyRef>,
    pub public_access_block: bool,
    /// Statements logwarden owns in the bucket's policy (merged into what it has).
    pub statements: Vec<Value>,
    /// The lifecycle rule logwarden owns (its `ID` names it), merged into the bucket's rules.
    pub lifecycle: Option<Value>,
    /// Key prefixes logs are delivered under: a foreign rule's longer expiration of them is
    /// never shortened by logwarden's whole-bucket rule.
    pub log_prefixes: Vec<String>,
    /// Rules of others on the whole bucket or the logs' folders that expire objects sooner than
    /// this are named (kept).
    pub min_retention_days: Option<u32>,
    pub object_lock: Option<ObjectLockSpec>,
    /// Where the bucket's server access logs go.
    pub logging_target: Option<String>,
    pub mfa_delete: bool,
    pub depends_on: Vec<String>,
}

/// Object Lock's default retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectLockSpec {
    /// COMPLIANCE (nobody can shorten it, root included) rather than GOVERNANCE.
    pub compliance: bool,
    pub days: u32,
}

impl ObjectLockSpec {
    /// The mode as S3 names it.
    pub fn mode(&self) -> &'static str {
        if self.compliance {
            "COMPLIANCE"
        } else {
            "GOVERNANCE"
        }
    }

    fn label(&self) -> String {
        format!("{} {} days", self.mode(), self.days)
    }
}

/// What apply does to buckets: create them and set versioning, encryption, the public access
/// block, policy statements and lifecycle rules (both merged into what the bucket has), Object
/// Lock and server access logging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum BucketOp {
    CreateBucket {
        bucket: String,
    },
    PutVersioning {
        bucket: String,
    },
    PutEncryption {
        bucket: String,
        /// `None`: SSE-S3 (AES256).
        kms_key: Option<KeyRef>,
    },
    PutPublicAccessBlock {
        bucket: String,
    },
    MergeBucketPolicy {
        bucket: String,
        statements: Vec<Value>,
    },
    MergeLifecycle {
        bucket: String,
        rules: Vec<Value>,
    },
    PutObjectLock {
        bucket: String,
        mode: String,
        days: u32,
    },
    PutBucketLogging {
        bucket: String,
        target_bucket: String,
        target_prefix: String,
    },
}

impl BucketOp {
    /// The IAM action this operation needs (for messages, docs and `logwarden permissions`).
    pub fn iam_action(&self) -> &'static str {
        match self {
            BucketOp::CreateBucket { .. } => "s3:CreateBucket",
            BucketOp::PutVersioning { .. } => "s3:PutBucketVersioning",
            BucketOp::PutEncryption { .. } => "s3:PutEncryptionConfiguration",
            BucketOp::PutPublicAccessBlock { .. } => "s3:PutBucketPublicAccessBlock",
            BucketOp::MergeBucketPolicy { .. } => "s3:PutBucketPolicy",
            BucketOp::MergeLifecycle { .. } => "s3:PutLifecycleConfiguration",
            BucketOp::PutObjectLock { .. } => "s3:PutBucketObjectLockConfiguration",
            BucketOp::PutBucketLogging { .. } => "s3:PutBucketLogging",
        }
    }

    /// Server access logging of `bucket` to `target`, under the bucket's name.
    pub fn logging(bucket: &str, target: &str) -> BucketOp {
        BucketOp::PutBucketLogging {
            bucket: bucket.to_string(),
            target_bucket: target.to_string(),
            target_prefix: format!("{bucket}/"),
        }
    }
}

/// The bucket's change as it is drawn up, setting by setting.
struct Draft {
    address: String,
    bucket: String,
    account: String,
    region: String,
    attributes: Vec<AttrChange>,
    ops: Vec<BucketOp>,
    /// Object Lock is its own change: irreversible, it needs `--allow-irreversible`, and
    /// everything else about the bucket is made without it.
    lock: Option<(AttrChange, BucketOp)>,
    manual_mfa: bool,
    /// Settings whose read failed: nothing is planned from them.
    unread: Vec<(&'static str, CallError)>,
}

impl Draft {
    fn set(&mut self, attribute: AttrChange, op: BucketOp) {
        self.attributes.push(attribute);
        self.ops.push(op);
    }
}

/// Create the bucket, or bring the `existing` one up to the spec without weakening anything.
pub fn bucket_change<S: Shape>(ctx: &mut PlanCtx<S>, spec: BucketSpec, existing: Lookup<Bucket>)
where
    S::Op: From<BucketOp>,
{
    let mut draft = Draft {
        address: format!("s3_bucket.{}", spec.name),
        bucket: spec.name.clone(),
        account: spec.account_id.clone(),
        region: spec.region.clone(),
        attributes: vec![],
        ops: vec![],
        lock: None,
        manual_mfa: false,
        unread: vec![],
    };
    let action = match existing {
        Lookup::Unknown(e) => {
            let e = e.clone();
            ctx.unknown(
                &draft.address,
                &spec.account_id,
                &spec.region,
                "the bucket list",
                &e,
            );
            return;
        }
        Lookup::Missing => {
            create(&spec, &mut draft);
            Action::Create
        }
        Lookup::Found(bk) => {
            if let Some(r) = bk.region.value().filter(|r| **r != spec.region) {
                ctx.kept.push(note(
                    &draft.address,
                    &spec.account_id,
                    r,
                    format!(
                        "the bucket exists in {r}, not {}; it is used where it is",
                        spec.region
                    ),
                ));
                draft.region = r.clone();
            }
            let Some(d) = &bk.details else {
                ctx.unknown.push(note(
                    &draft.address,
                    &spec.account_id,
                    &draft.region,
                    "the bucket's settings were not read; nothing is planned for it",
                ));
                return;
            };
            update(ctx, &spec, bk, d, &mut draft);
            Action::Update
        }
    };
    push(ctx, &spec, action, draft);
}

/// A new bucket: every setting the spec asks for.
fn create(spec: &BucketSpec, d: &mut Draft) {
    let bucket = spec.name.clone();
    d.set(
        AttrChange::new("region", None::<String>, spec.region.clone()),
        BucketOp::CreateBucket {
            bucket: bucket.clone(),
        },
    );
    if spec.versioning {
        d.set(
            AttrChange::new("versioning", None::<String>, "Enabled"),
            BucketOp::PutVersioning {
                bucket: bucket.clone(),
            },
        );
    }
    d.set(
        AttrChange::new("encryption", None::<String>, encryption_label(&spec.kms)),
        BucketOp::PutEncryption {
            bucket: bucket.clone(),
            kms_key: spec.kms.clone(),
        },
    );
    if spec.public_access_block {
        d.set(
            AttrChange::new("public access block", None::<String>, "all four on"),
            BucketOp::PutPublicAccessBlock {
                bucket: bucket.clone(),
            },
        );
    }
    if !spec.statements.is_empty() {
        d.set(
            AttrChange::new("policy", None::<String>, sid_list(&spec.statements)),
            BucketOp::MergeBucketPolicy {
                bucket: bucket.clone(),
                statements: spec.statements.clone(),
            },
        );
    }
    if let Some(rule) = &spec.lifecycle {
        d.set(
            AttrChange::new("lifecycle", None::<String>, rule_label(rule)),
            BucketOp::MergeLifecycle {
                bucket: bucket.clone(),
                rules: vec![rule.clone()],
            },
        );
    }
    if let Some(lock) = &spec.object_lock {
        d.lock = Some(lock_change(&bucket, "off".into(), lock));
    }
    if let Some(t) = &spec.logging_target {
        d.set(
            AttrChange::new(
                "access logging",
                None::<String>,
                format!("s3://{t}/{bucket}/"),
            ),
            BucketOp::logging(&bucket, t),
        );
    }
    d.manual_mfa = spec.mfa_delete;
}

/// An existing bucket: each setting the spec asks for that it lacks, from what was read of it.
fn update<S: Shape>(
    ctx: &mut PlanCtx<S>,
    spec: &BucketSpec,
    bk: &Bucket,
    details: &BucketDetails,
    d: &mut Draft,
) {
    versioning(spec, details, d);
    encryption(ctx, spec, details, d);
    public_access_block(spec, details, d);
    policy(ctx, spec, details, d);
    lifecycle(ctx, spec, details, d);
    object_lock(ctx, spec, details, d);
    logging(spec, bk, d);
    for (what, e) in std::mem::take(&mut d.unread) {
        ctx.unknown(
            &d.address,
            &spec.account_id,
            &d.region,
            &format!("the bucket's {what}"),
            &e,
        );
    }
}

fn versioning(spec: &BucketSpec, details: &BucketDetails, d: &mut Draft) {
    match details.versioning.as_result() {
        Ok(v) => {
            if spec.versioning && v.status != Some(VersioningStatus::Enabled) {
                let before = v
                    .status
                    .as_ref()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|| "Disabled".into());
                d.set(
                    AttrChange::new("versioning", Some(before), "Enabled"),
                    BucketOp::PutVersioning {
                        bucket: d.bucket.clone(),
                    },
                );
            }
            d.manual_mfa = spec.mfa_delete && v.mfa_delete != Some(MfaDelete::Enabled);
        }
        Err(e) => d.unread.push(("versioning", e.clone())),
    }
}

/// Default encryption: SSE-KMS where a key is wanted (any KMS key already there is kept);
/// SSE-S3 otherwise, which log-delivery services need (a KMS-encrypted access-log or ELB log
/// bucket is a manual step: logwarden never changes encryption to a weaker kind).
fn encryption<S: Shape>(
    ctx: &mut PlanCtx<S>,
    spec: &BucketSpec,
    details: &BucketDetails,
    d: &mut Draft,
) {
    let current = match details.encryption.as_ref().map(|c| c.as_result()) {
        None => {
            ctx.unknown.push(note(
                &d.address,
                &spec.account_id,
                &d.region,
                "default encryption was not read",
            ));
            return;
        }
        Some(Err(e)) => {
            d.unread.push(("default encryption", e.clone()));
            return;
        }
        Some(Ok(current)) => current,
    };
    let algorithm = current.as_ref().map(|e| e.algorithm.as_str());
    let bucket = d.bucket.clone();
    match (&spec.kms, algorithm) {
        (Some(_), Some(a)) if a.starts_with("aws:kms") => {}
        (None, Some("AES256")) => {}
        (Some(_), before) | (None, before @ None) => d.set(
            AttrChange::new(
                "encryption",
                Some(before.unwrap_or("none")),
                if spec.kms.is_some() {
                    encryption_label(&spec.kms)
                } else {
                    "AES256".into()
                },
            ),
            BucketOp::PutEncryption {
                bucket,
                kms_key: spec.kms.clone(),
            },
        ),
        (None, Some(other)) => ctx.push(Change::manual_step(
            format!("s3_bucket_encryption.{bucket}"),
            spec.account_id.clone(),
            d.region.clone(),
            AttrChange::new("encryption", Some(other), "AES256"),
            format!("bucket {bucket} receives load balancer or S3 server access logs, which are delivered only to SSE-S3 buckets, but it is encrypted with {other}; logwarden never changes encryption to a weaker kind"),
            format!("aws s3api put-bucket-encryption --bucket {bucket} --server-side-encryption-configuration '{{\"Rules\":[{{\"ApplyServerSideEncryptionByDefault\":{{\"SSEAlgorithm\":\"AES256\"}}}}]}}'"),
        )),
    }
}

fn public_access_block(spec: &BucketSpec, details: &BucketDetails, d: &mut Draft) {
    if !spec.public_access_block {
        return;
    }
    match details.public_access_block.as_result() {
        Ok(Some(p)) if p.all_on() => {}
        Ok(p) => {
            let before = if p.is_some() { "partly on" } else { "none" };
            d.set(
                AttrChange::new("public access block", Some(before), "all four on"),
                BucketOp::PutPublicAccessBlock {
                    bucket: d.bucket.clone(),
                },
            );
        }
        Err(e) => d.unread.push(("public access block", e.clone())),
    }
}

fn policy<S: Shape>(
    ctx: &mut PlanCtx<S>,
    spec: &BucketSpec,
    details: &BucketDetails,
    d: &mut Draft,
) {
    if spec.statements.is_empty() {
        return;
    }
    match details.policy.as_result() {
        Ok(current) => {
            if let Some(attr) = policy_change(
                ctx,
                current.as_deref(),
                &spec.statements,
                "bucket policy",
                &d.address,
                &spec.account_id,
                &d.region,
            ) {
                d.set(
                    attr,
                    BucketOp::MergeBucketPolicy {
                        bucket: d.bucket.clone(),
                        statements: spec.statements.clone(),
                    },
                );
            }
        }
        Err(e) => d.unread.push(("bucket policy", e.clone())),
    }
}

/// The lifecycle rule logwarden owns: never shortening its own rule's longer expiration, nor a
/// foreign rule's longer retention of the log prefixes (where rules overlap, S3 applies the
/// earliest expiration); naming foreign whole-bucket rules that expire logs too soon.
fn lifecycle<S: Shape>(
    ctx: &mut PlanCtx<S>,
    spec: &BucketSpec,
    details: &BucketDetails,
    d: &mut Draft,
) {
    let Some(rule) = &spec.lifecycle else {
        return;
    };
    let rules = match details.lifecycle_rules.as_result() {
        Ok(rules) => rules,
        Err(e) => {
            d.unread.push(("lifecycle rules", e.clone()));
            return;
        }
    };
    let id = rule["ID"].as_str().unwrap_or_default();
    let now = crate::timefmt::parse(&ctx.inv.collected_at);
    let owned = rules.iter().find(|r| r.id.as_deref() == Some(id));
    let mut want = rule.clone();
    let mut keep = |message: String| {
        ctx.kept
            .push(note(&d.address, &spec.account_id, &d.region, message))
    };
    // Never shorten: an owned rule's longer expiration (or none) stays.
    if let Some(o) = owned {
        let asked = want["Expiration"]["Days"].as_i64();
        let old = o.expiration_days.map(i64::from);
        match kept_expiration(old.is_some(), old, asked) {
            k if k == asked => {}
            None => {
                if let Some(w) = want.as_object_mut() {
                    w.remove("Expiration");
                }
                keep(format!("lifecycle rule {id} never expires objects; the expiration the profile asks for is not added"));
            }
            Some(days) => {
                want["Expiration"]["Days"] = json!(days);
                keep(format!("lifecycle rule {id} keeps objects {days} days, longer than the profile asks; kept"));
            }
        }
    }
    // Never shorten a foreign rule's longer retention of the logs either: logwarden's
    // whole-bucket rule keeps the longest instead (other prefixes then keep more than asked,
    // never less).
    if let Some(asked) = want["Expiration"]["Days"].as_i64() {
        let longer = rules
            .iter()
            .filter(|r| !is_owned(r) && touches_logs(spec, r))
            .filter_map(|r| r.expiration_days.map(|e| (i64::from(e), r)))
            .filter(|(e, _)| *e > asked)
            .max_by_key(|(e, _)| *e);
        if let Some((days, r)) = longer {
            want["Expiration"]["Days"] = json!(days);
            keep(format!(
                "lifecycle rule {} keeps {} for {days} days, longer than the {asked} the profile asks; logwarden's rule {id} expires objects after {days} days so it never shortens it",
                r.id.as_deref().unwrap_or("(no id)"),
                if r.prefix.is_empty() { "the whole bucket".to_string() } else { format!("{}*", r.prefix) }
            ));
        }
    }
    // Rules on the whole bucket or the logs' folders only: a rule on another prefix (tmp/), or
    // on tagged objects, does not shorten the logs' retention.
    if let Some(min) = spec.min_retention_days {
        let on_logs =
            |r: &LifecycleRule| !r.tag_filtered && (r.prefix.is_empty() || touches_logs(spec, r));
        for r in rules.iter().filter(|r| on_logs(r) && !is_owned(r)) {
            if let Some(exp) = r
                .expires_after(now)
                .filter(|e| r.enabled && *e < min as i32)
            {
                let when = match &r.expiration_date {
                    Some(date) if r.expiration_days.is_none_or(|d| d > exp) => {
                        format!("expires every object from {date}, new ones too")
                    }
                    _ => format!("expires objects after {exp} days"),
                };
                keep(format!("lifecycle rule {} {when}, before the {min} days the profile asks; logwarden never changes rules it does not own", r.id.as_deref().unwrap_or("(no id)")));
            }
        }
    }
    if owned.is_none_or(|o| !rule_matches(o, &want)) {
        d.set(
            AttrChange::new(
                "lifecycle",
                owned.map(inventory_rule_label),
                rule_label(&want),
            ),
            BucketOp::MergeLifecycle {
                bucket: d.bucket.clone(),
                rules: vec![want],
            },
        );
    }
}

/// The rule acts on some of the logs delivered under the spec's prefixes.
fn touches_logs(spec: &BucketSpec, r: &LifecycleRule) -> bool {
    spec.log_prefixes.iter().any(|l| r.touches(l))
}

fn is_owned(r: &LifecycleRule) -> bool {
    r.id.as_deref().unwrap_or("").starts_with(OWNED_PREFIX)
}

/// Object Lock as strong as asked, or stronger, is kept; stronger in one respect only (longer,
/// or COMPLIANCE) is kept and said so; otherwise the irreversible change is planned.
fn object_lock<S: Shape>(
    ctx: &mut PlanCtx<S>,
    spec: &BucketSpec,
    details: &BucketDetails,
    d: &mut Draft,
) {
    let Some(lock) = &spec.object_lock else {
        return;
    };
    let current = match details.object_lock.as_result() {
        Ok(c) => c,
        Err(e) => {
            d.unread.push(("Object Lock", e.clone()));
            return;
        }
    };
    let have_days = current
        .as_ref()
        .and_then(|c| c.days.map(|d| d as u32).or(c.years.map(|y| y as u32 * 365)))
        .unwrap_or(0);
    let have_mode = current
        .as_ref()
        .and_then(|c| c.mode.as_ref())
        .map(|m| m.as_str().to_string());
    let enabled = current.as_ref().is_some_and(|c| c.enabled);
    let compliance = have_mode.as_deref() == Some("COMPLIANCE");
    if enabled && have_mode.is_some() && have_days >= lock.days && (compliance || !lock.compliance)
    {
        return; // As strong as asked, or stronger.
    }
    if enabled && have_mode.is_some() && (have_days > lock.days || compliance) {
        ctx.kept.push(note(
            &d.address,
            &spec.account_id,
            &d.region,
            format!(
                "Object Lock {} {} days is kept (stronger in one respect than the profile)",
                have_mode.unwrap_or_default(),
                have_days
            ),
        ));
        return;
    }
    let before = if enabled {
        format!(
            "{} {} days",
            have_mode.unwrap_or_else(|| "no default".into()),
            have_days
        )
    } else {
        "off".into()
    };
    d.lock = Some(lock_change(&d.bucket, before, lock));
}

fn lock_change(bucket: &str, before: String, lock: &ObjectLockSpec) -> (AttrChange, BucketOp) {
    (
        AttrChange::new("object lock", Some(before), lock.label()),
        BucketOp::PutObjectLock {
            bucket: bucket.to_string(),
            mode: lock.mode().to_string(),
            days: lock.days,
        },
    )
}

fn logging(spec: &BucketSpec, bk: &Bucket, d: &mut Draft) {
    let Some(t) = &spec.logging_target else {
        return;
    };
    match bk.logging.as_result() {
        Ok(Some(_)) => {}
        Ok(None) => d.set(
            AttrChange::new(
                "access logging",
                Some("off"),
                format!("s3://{t}/{}/", d.bucket),
            ),
            BucketOp::logging(&d.bucket, t),
        ),
        Err(e) => d.unread.push(("access logging", e.clone())),
    }
}

/// The bucket's change, its Object Lock change and its MFA-delete step, as drawn up.
fn push<S: Shape>(ctx: &mut PlanCtx<S>, spec: &BucketSpec, action: Action, d: Draft)
where
    S::Op: From<BucketOp>,
{
    if !d.ops.is_empty() {
        ctx.push(
            Change::new(
                d.address.clone(),
                action,
                d.account.clone(),
                d.region.clone(),
                d.attributes,
                d.ops.into_iter().map(Into::into).collect(),
            )
            .depending_on(spec.depends_on.clone()),
        );
    }
    if let Some((attr, op)) = d.lock {
        // After the bucket's own change, when there is one.
        let depends_on = if ctx.changes.iter().any(|c| c.address == d.address) {
            vec![d.address.clone()]
        } else {
            vec![]
        };
        ctx.push(
            Change::new(
                format!("s3_bucket_object_lock.{}", d.bucket),
                Action::Update,
                d.account.clone(),
                d.region.clone(),
                vec![attr],
                vec![op.into()],
            )
            .depending_on(depends_on)
            .irreversible(),
        );
    }
    if d.manual_mfa {
        let (bucket, account) = (&d.bucket, &d.account);
        let mfa = crate::arn::Partition(&ctx.inv.partition).arn(
            "iam",
            "",
            account,
            "mfa/root-account-mfa-device",
        );
        ctx.push(Change::manual_step(
            format!("s3_bucket_mfa_delete.{bucket}"),
            account.clone(),
            d.region.clone(),
            AttrChange::new("MFA delete", Some("Disabled"), "Enabled"),
            format!("only the root user of account {account}, signed in with its MFA device, can enable MFA delete (through the API or CLI, never the console)"),
            format!("aws s3api put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{mfa} CODE\""),
        ));
    }
}

fn sid_list(statements: &[Value]) -> String {
    statements
        .iter()
        .filter_map(|s| s["Sid"].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A lifecycle rule in the API's JSON shape, for people.
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

/// A lifecycle rule as the inventory reads it, for people.
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
