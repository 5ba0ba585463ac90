//! S3: the account's buckets with region and access logging; for trail buckets, the settings
//! that protect the logs (versioning, public access, policy, lifecycle, Object Lock).

use super::call::CallCtx;
use super::client::AccountSession;
use crate::inventory::*;

/// (name, region if ListBuckets told it).
pub async fn list_buckets(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
) -> Result<Vec<(String, Option<String>)>, CallError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = ctx
            .call(
                "s3:ListAllMyBuckets",
                client
                    .list_buckets()
                    .set_continuation_token(token.clone())
                    .send(),
            )
            .await?;
        for b in page.buckets() {
            if let Some(name) = b.name() {
                out.push((name.to_string(), b.bucket_region().map(String::from)));
            }
        }
        token = page
            .continuation_token()
            .map(String::from)
            .filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    out.sort();
    Ok(out)
}

pub async fn bucket_region(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<String> {
    match ctx
        .call(
            "s3:GetBucketLocation",
            client.get_bucket_location().bucket(name).send(),
        )
        .await
    {
        Ok(o) => {
            let loc = o
                .location_constraint()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default();
            Collected::ok(match loc.as_str() {
                "" => "us-east-1".to_string(),
                "EU" => "eu-west-1".to_string(),
                other => other.to_string(),
            })
        }
        Err(error) => Collected::Failed { error },
    }
}

pub async fn logging(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Option<BucketLoggingTarget>> {
    match ctx
        .call(
            "s3:GetBucketLogging",
            client.get_bucket_logging().bucket(name).send(),
        )
        .await
    {
        Ok(o) => Collected::ok(o.logging_enabled().map(|l| BucketLoggingTarget {
            target_bucket: l.target_bucket().to_string(),
            target_prefix: l.target_prefix().to_string(),
        })),
        Err(error) => Collected::Failed { error },
    }
}

fn collected<T>(r: Result<T, CallError>) -> Collected<T> {
    match r {
        Ok(value) => Collected::ok(value),
        Err(error) => Collected::Failed { error },
    }
}

/// The protections of a bucket a trail delivers to.
pub async fn trail_bucket_details(
    session: &AccountSession,
    ctx: &CallCtx,
    name: &str,
    region: &str,
    with_encryption: bool,
) -> TrailBucketDetails {
    let client = session.s3(region);
    let ctx = ctx.in_region(region);
    let versioning = collected(
        ctx.call(
            "s3:GetBucketVersioning",
            client.get_bucket_versioning().bucket(name).send(),
        )
        .await
        .map(|o| Versioning {
            status: o.status().map(|s| s.as_str().to_string()),
            mfa_delete: o.mfa_delete().map(|s| s.as_str().to_string()),
        }),
    );
    let public_access_block = collected(
        ctx.call_opt(
            "s3:GetBucketPublicAccessBlock",
            &["NoSuchPublicAccessBlockConfiguration"],
            client.get_public_access_block().bucket(name).send(),
        )
        .await
        .map(|o| {
            o.and_then(|o| {
                o.public_access_block_configuration()
                    .map(|c| PublicAccessBlock {
                        block_public_acls: c.block_public_acls().unwrap_or(false),
                        ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                        block_public_policy: c.block_public_policy().unwrap_or(false),
                        restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                    })
            })
        }),
    );
    let policy = collected(
        ctx.call_opt(
            "s3:GetBucketPolicy",
            &["NoSuchBucketPolicy"],
            client.get_bucket_policy().bucket(name).send(),
        )
        .await
        .map(|o| o.and_then(|o| o.policy().map(String::from))),
    );
    // No policy, or a public access block that neutralises public policies: no call needed.
    let fully_blocked = matches!(
        public_access_block.value(),
        Some(Some(p)) if p.block_public_acls && p.ignore_public_acls && p.block_public_policy && p.restrict_public_buckets
    );
    let policy_is_public = match &policy {
        Collected::Ok { value: None } => Collected::ok(Some(false)),
        _ if fully_blocked => Collected::ok(None),
        _ => collected(
            ctx.call_opt(
                "s3:GetBucketPolicyStatus",
                &["NoSuchBucketPolicy"],
                client.get_bucket_policy_status().bucket(name).send(),
            )
            .await
            .map(|o| o.and_then(|o| o.policy_status().and_then(|s| s.is_public()))),
        ),
    };
    let lifecycle_rules = collected(
        ctx.call_opt(
            "s3:GetLifecycleConfiguration",
            &["NoSuchLifecycleConfiguration"],
            client
                .get_bucket_lifecycle_configuration()
                .bucket(name)
                .send(),
        )
        .await
        .map(|o| {
            o.map(|o| o.rules().iter().map(convert_rule).collect())
                .unwrap_or_default()
        }),
    );
    let object_lock = collected(
        ctx.call_opt(
            "s3:GetBucketObjectLockConfiguration",
            &["ObjectLockConfigurationNotFoundError"],
            client.get_object_lock_configuration().bucket(name).send(),
        )
        .await
        .map(|o| {
            o.and_then(|o| {
                o.object_lock_configuration().map(|c| {
                    let ret = c.rule().and_then(|r| r.default_retention());
                    ObjectLock {
                        enabled: c
                            .object_lock_enabled()
                            .map(|e| e.as_str() == "Enabled")
                            .unwrap_or(false),
                        mode: ret.and_then(|r| r.mode()).map(|m| m.as_str().to_string()),
                        days: ret.and_then(|r| r.days()).filter(|d| *d > 0),
                        years: ret.and_then(|r| r.years()).filter(|y| *y > 0),
                    }
                })
            })
        }),
    );
    let encryption = if with_encryption {
        Some(collected(
            ctx.call_opt(
                "s3:GetEncryptionConfiguration",
                &["ServerSideEncryptionConfigurationNotFoundError"],
                client.get_bucket_encryption().bucket(name).send(),
            )
            .await
            .map(|o| {
                o.and_then(|o| {
                    let rule = o.server_side_encryption_configuration()?.rules().first()?;
                    let d = rule.apply_server_side_encryption_by_default()?;
                    Some(BucketEncryption {
                        algorithm: d.sse_algorithm().as_str().to_string(),
                        kms_key_id: d.kms_master_key_id().map(String::from),
                    })
                })
            }),
        ))
    } else {
        None
    };
    TrailBucketDetails {
        encryption,
        versioning,
        public_access_block,
        policy_is_public,
        policy,
        lifecycle_rules,
        object_lock,
    }
}

fn convert_rule(r: &aws_sdk_s3::types::LifecycleRule) -> LifecycleRule {
    #[allow(deprecated)]
    let legacy_prefix = r.prefix().map(String::from);
    let filter_prefix = r.filter().and_then(|f| {
        f.prefix()
            .map(String::from)
            .or_else(|| f.and().and_then(|a| a.prefix()).map(String::from))
    });
    LifecycleRule {
        id: r.id().map(String::from),
        enabled: r.status().as_str() == "Enabled",
        prefix: filter_prefix.or(legacy_prefix).unwrap_or_default(),
        transitions: r
            .transitions()
            .iter()
            .filter_map(|t| {
                Some(LifecycleTransition {
                    days: t.days()?,
                    storage_class: t.storage_class()?.as_str().to_string(),
                })
            })
            .collect(),
        expiration_days: r.expiration().and_then(|e| e.days()).filter(|d| *d > 0),
        noncurrent_expiration_days: r
            .noncurrent_version_expiration()
            .and_then(|n| n.noncurrent_days()),
        abort_incomplete_upload_days: r
            .abort_incomplete_multipart_upload()
            .and_then(|a| a.days_after_initiation()),
    }
}
