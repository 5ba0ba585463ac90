//! The log archive's plan: its KMS key (created, or an existing key's policy completed and
//! rotation turned on) and its bucket (created, or completed without weakening anything).

use crate::plan::{note, policy_change};

use crate::plan::bucket::BucketSpec;
use crate::plan::{Action, AttrChange, KeyRef};
use crate::sources::Change;
use crate::sources::PlanCtx;
use serde_json::json;

/// The lifecycle rule logwarden owns on the log archive bucket.
pub const ARCHIVE_RULE_ID: &str = "logwarden-log-archive";

/// The key, then the bucket (encrypted with it).
pub fn plan(ctx: &mut PlanCtx) {
    archive_key(ctx);
    archive_bucket(ctx);
}

fn archive_key(ctx: &mut PlanCtx) {
    if !ctx.b.cloudtrail.kms_encryption {
        return;
    }
    let la = &ctx.b.log_archive;
    let account = ctx.plan_reads.log_archive.account_id.clone();
    let key_ref = if la.kms_key == "create" {
        KeyRef::Alias {
            alias: la.kms_key_alias.clone(),
            account_id: account.clone(),
            region: ctx.plan_reads.log_archive.region.clone(),
        }
    } else {
        KeyRef::Arn {
            arn: la.kms_key.clone(),
        }
    };
    let region = match &key_ref {
        KeyRef::Alias { region, .. } => region.clone(),
        KeyRef::Arn { arn } => crate::arn::region_of(arn)
            .unwrap_or(&ctx.plan_reads.log_archive.region)
            .to_string(),
    };
    let key_account = match &key_ref {
        KeyRef::Alias { .. } => account.clone(),
        KeyRef::Arn { arn } => crate::arn::account_of(arn).unwrap_or(&account).to_string(),
    };
    let address = format!(
        "kms_key.{}",
        if la.kms_key == "create" {
            &la.kms_key_alias
        } else {
            &la.kms_key
        }
    );
    if let Some(e) = crate::sources::log_archive::archive(ctx).waits_for.clone() {
        // Its policy names the organization trail, which could not be read.
        ctx.unknown(
            &address,
            &key_account,
            &region,
            "the organization trail its policy names",
            &e,
        );
        crate::sources::log_archive::archive_mut(ctx).key_address = Some(address);
        crate::sources::log_archive::archive_mut(ctx).key = Some(key_ref);
        return;
    }
    let owned = super::policies::archive_key(ctx);
    let (action, attributes, ops) = match ctx.plan_reads.log_archive.key.as_result() {
        Err(e) => {
            // Whether the key exists is unknown: what encrypts with it depends on it.
            let e = e.clone();
            ctx.unknown(&address, &key_account, &region, "the log archive key", &e);
            crate::sources::log_archive::archive_mut(ctx).key_address = Some(address);
            crate::sources::log_archive::archive_mut(ctx).key = Some(key_ref);
            return;
        }
        Ok(None) if la.kms_key != "create" => {
            ctx.unknown.push(note(
                &address,
                &key_account,
                &region,
                format!("the key {} does not exist or is not visible from account {account}; nothing is planned for it", la.kms_key),
            ));
            crate::sources::log_archive::archive_mut(ctx).key_address = Some(address);
            crate::sources::log_archive::archive_mut(ctx).key = Some(key_ref);
            return;
        }
        Ok(None) => new_key(ctx, &key_ref, &key_account, owned),
        Ok(Some(k)) => {
            let (attributes, ops) =
                existing_key(ctx, k, &key_ref, owned, &address, &key_account, &region);
            (Action::Update, attributes, ops)
        }
    };
    if !ops.is_empty() {
        ctx.push(Change::new(
            address.clone(),
            action,
            key_account,
            region,
            attributes,
            ops,
        ));
        crate::sources::log_archive::archive_mut(ctx).key_address = Some(address);
    }
    crate::sources::log_archive::archive_mut(ctx).key = Some(key_ref);
}

fn archive_bucket(ctx: &mut PlanCtx) {
    let tb = ctx.b.trail_bucket.clone();
    let account = ctx.plan_reads.log_archive.account_id.clone();
    let region = ctx.plan_reads.log_archive.region.clone();
    let name = crate::sources::log_archive::archive(ctx).bucket.clone();
    ctx.planned_buckets.insert(name.clone());
    if let Some(e) = crate::sources::log_archive::archive(ctx).waits_for.clone() {
        // Its policy names the organization trail, which could not be read.
        let address = format!("s3_bucket.{name}");
        ctx.unknown(
            &address,
            &account,
            &region,
            "the organization trail its policy names",
            &e,
        );
        return;
    }
    let mut depends_on = crate::sources::log_archive::key_dep(ctx);
    let logging_target = if tb.access_logging || ctx.b.s3_access_logs.is_some() {
        let (target, deps) =
            crate::sources::s3_access_logs::plan::access_log_target(ctx, &account, &region);
        depends_on.extend(deps);
        Some(target)
    } else {
        None
    };
    let statements = super::policies::archive_bucket(ctx, tb.tls_only);
    let lifecycle = tb.lifecycle.as_ref().map(|lc| {
        let mut rule =
            json!({"ID": ARCHIVE_RULE_ID, "Status": "Enabled", "Filter": {"Prefix": ""}});
        if !lc.transitions.is_empty() {
            rule["Transitions"] = lc
                .transitions
                .iter()
                .map(|t| json!({"Days": t.after_days, "StorageClass": t.storage_class.as_str()}))
                .collect();
        }
        if let Some(d) = lc.effective_expiration() {
            rule["Expiration"] = json!({"Days": d});
        }
        if let Some(d) = lc.noncurrent_expiration_days {
            rule["NoncurrentVersionExpiration"] = json!({"NoncurrentDays": d});
        }
        if let Some(d) = lc.abort_incomplete_upload_days {
            rule["AbortIncompleteMultipartUpload"] = json!({"DaysAfterInitiation": d});
        }
        rule
    });
    let spec = BucketSpec {
        name,
        account_id: account,
        region,
        versioning: tb.versioning || tb.object_lock.is_some(),
        kms: crate::sources::log_archive::archive(ctx).key.clone(),
        public_access_block: tb.public_access_block,
        statements,
        lifecycle,
        log_prefixes: log_prefixes(ctx),
        min_retention_days: tb.lifecycle.as_ref().and_then(|l| l.min_retention_days),
        object_lock: tb.object_lock.as_ref().map(|l| l.spec()),
        logging_target,
        mfa_delete: tb.mfa_delete,
        depends_on,
    };
    crate::sources::s3_access_logs::plan::plan_bucket(ctx, spec);
}

/// The prefixes logs are delivered under in the log archive bucket: `AWSLogs/` (CloudTrail,
/// Config, flow logs, Resolver query logs), and the organization trail's key prefix.
fn log_prefixes(ctx: &PlanCtx) -> Vec<String> {
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

/// A new key: its policy (the account's IAM and every delivering source's statements) and
/// rotation.
fn new_key(
    ctx: &PlanCtx,
    key_ref: &KeyRef,
    key_account: &str,
    owned: Vec<serde_json::Value>,
) -> (Action, Vec<AttrChange>, Vec<crate::sources::Op>) {
    let la = &ctx.b.log_archive;
    let mut ops = vec![super::apply::Op::CreateKey {
        alias: la.kms_key_alias.clone(),
        description: "logwarden log archive (CloudTrail, Config, VPC flow logs)".into(),
        policy: super::policies::new_key_policy(&ctx.inv.partition, key_account, owned),
    }
    .into()];
    let mut attributes = vec![
        AttrChange::new("alias", None::<String>, la.kms_key_alias.clone()),
        AttrChange::new(
            "key policy",
            None::<String>,
            "account IAM + CloudTrail, Config and flow-log delivery",
        ),
    ];
    if ctx.b.cloudtrail.kms_key_rotation {
        ops.push(
            super::apply::Op::EnableKeyRotation {
                key: key_ref.clone(),
            }
            .into(),
        );
        attributes.push(AttrChange::new("rotation", None::<String>, "enabled"));
    }
    (Action::Create, attributes, ops)
}

/// An existing key: the statements logwarden owns merged into its policy (a decrypt grant only
/// where its policy does not let the account's IAM grant it), rotation turned on.
fn existing_key(
    ctx: &mut PlanCtx,
    k: &super::model::ManagedKey,
    key_ref: &KeyRef,
    mut owned: Vec<serde_json::Value>,
    address: &str,
    key_account: &str,
    region: &str,
) -> (Vec<AttrChange>, Vec<crate::sources::Op>) {
    let mut ops = Vec::new();
    let mut attributes = Vec::new();
    match k.policy.as_result() {
        Err(e) => {
            let e = e.clone();
            ctx.unknown(address, key_account, region, "the key policy", &e);
        }
        Ok(current) => {
            // Readers decrypt through IAM: a grant only where the key's own policy
            // does not already let the account's IAM grant it.
            if !super::policies::root_administers(
                current.as_deref(),
                &ctx.inv.partition,
                key_account,
            ) {
                owned.push(super::policies::decrypt_trail_logs(
                    &ctx.inv.partition,
                    key_account,
                ));
            }
            if let Some(attr) = policy_change(
                ctx,
                current.as_deref(),
                &owned,
                "key policy",
                address,
                key_account,
                region,
            ) {
                attributes.push(attr);
                ops.push(
                    super::apply::Op::MergeKeyPolicy {
                        key: key_ref.clone(),
                        statements: owned,
                    }
                    .into(),
                );
            }
        }
    }
    if ctx.b.cloudtrail.kms_key_rotation {
        match k.rotation_enabled.as_result() {
            Ok(true) => {}
            Ok(false) => {
                attributes.push(AttrChange::new("rotation", Some("disabled"), "enabled"));
                ops.push(
                    super::apply::Op::EnableKeyRotation {
                        key: key_ref.clone(),
                    }
                    .into(),
                );
            }
            Err(e) => {
                let e = e.clone();
                ctx.unknown(address, key_account, region, "key rotation", &e);
            }
        }
    }
    (attributes, ops)
}
