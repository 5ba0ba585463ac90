//! What apply does to buckets: create them and set versioning, encryption, the public access
//! block, policy statements and lifecycle rules (both merged into what the bucket has), Object
//! Lock and server access logging.

use crate::aws::apply::{same_doc, Apply};
use crate::inventory::CallError;
use crate::plan::merge::{kept_expiration, merge_owned, merge_policy};
use serde_json::Value;

/// The operations apply performs for this source (a plan's `ops`): the shared bucket planner's
/// ([`BucketOp`]); this file makes them.
pub use crate::plan::bucket::BucketOp as Op;

impl Op {
    /// Make the change in the account and region of `x`.
    pub async fn run(&self, x: &Apply<'_>) -> Result<(), CallError> {
        let (s, w, region) = (x.session, &x.writes, x.region);
        match self {
            Op::CreateBucket { bucket } => {
                let mut req = crate::aws::client::s3(s, region)
                    .create_bucket()
                    .bucket(bucket);
                if region != "us-east-1" {
                    req = req.create_bucket_configuration(
                        aws_sdk_s3::types::CreateBucketConfiguration::builder()
                            .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                                region,
                            ))
                            .build(),
                    );
                }
                w.call_opt("s3:CreateBucket", &["BucketAlreadyOwnedByYou"], req.send())
                    .await?;
            }
            Op::PutVersioning { bucket } => {
                use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
                w.call(
                    "s3:PutBucketVersioning",
                    crate::aws::client::s3(s, region)
                        .put_bucket_versioning()
                        .bucket(bucket)
                        .versioning_configuration(
                            VersioningConfiguration::builder()
                                .status(BucketVersioningStatus::Enabled)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
            Op::PutEncryption { bucket, kms_key } => put_encryption(x, bucket, kms_key).await?,
            Op::PutPublicAccessBlock { bucket } => {
                w.call(
                    "s3:PutBucketPublicAccessBlock",
                    crate::aws::client::s3(s, region)
                        .put_public_access_block()
                        .bucket(bucket)
                        .public_access_block_configuration(
                            aws_sdk_s3::types::PublicAccessBlockConfiguration::builder()
                                .block_public_acls(true)
                                .ignore_public_acls(true)
                                .block_public_policy(true)
                                .restrict_public_buckets(true)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
            Op::MergeBucketPolicy { bucket, statements } => {
                merge_bucket_policy(x, bucket, statements).await?
            }
            Op::MergeLifecycle { bucket, rules } => {
                merge_lifecycle(x, bucket, rules).await?;
            }
            Op::PutObjectLock { bucket, mode, days } => {
                put_object_lock(x, bucket, mode, *days).await?
            }
            Op::PutBucketLogging {
                bucket,
                target_bucket,
                target_prefix,
            } => {
                use aws_sdk_s3::types::*;
                let enabled = LoggingEnabled::builder()
                    .target_bucket(target_bucket)
                    .target_prefix(target_prefix)
                    .build()
                    .map_err(|e| w.error("s3:PutBucketLogging", "Build", e.to_string()))?;
                w.call(
                    "s3:PutBucketLogging",
                    crate::aws::client::s3(s, region)
                        .put_bucket_logging()
                        .bucket(bucket)
                        .bucket_logging_status(
                            BucketLoggingStatus::builder()
                                .logging_enabled(enabled)
                                .build(),
                        )
                        .send(),
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// SSE-S3, or SSE-KMS with the key (resolved from its alias) and a bucket key.
async fn put_encryption(
    x: &Apply<'_>,
    bucket: &str,
    kms_key: &Option<crate::plan::KeyRef>,
) -> Result<(), CallError> {
    let (s, w, region) = (x.session, &x.writes, x.region);
    use aws_sdk_s3::types::*;
    let default = match kms_key {
        None => {
            ServerSideEncryptionByDefault::builder().sse_algorithm(ServerSideEncryption::Aes256)
        }
        Some(k) => {
            let (arn, _) = x.exec.resolve_key(k).await?;
            ServerSideEncryptionByDefault::builder()
                .sse_algorithm(ServerSideEncryption::AwsKms)
                .kms_master_key_id(arn)
        }
    }
    .build()
    .map_err(|e| w.error("s3:PutEncryptionConfiguration", "Build", e.to_string()))?;
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(default)
        .bucket_key_enabled(kms_key.is_some())
        .build();
    let cfg = ServerSideEncryptionConfiguration::builder()
        .rules(rule)
        .build()
        .map_err(|e| w.error("s3:PutEncryptionConfiguration", "Build", e.to_string()))?;
    w.call(
        "s3:PutEncryptionConfiguration",
        crate::aws::client::s3(s, region)
            .put_bucket_encryption()
            .bucket(bucket)
            .server_side_encryption_configuration(cfg)
            .send(),
    )
    .await?;
    Ok(())
}

/// The statements logwarden owns, merged into the policy read just before writing.
async fn merge_bucket_policy(
    x: &Apply<'_>,
    bucket: &str,
    statements: &[Value],
) -> Result<(), CallError> {
    let (s, r, w, region) = (x.session, &x.reads, &x.writes, x.region);
    let s3 = crate::aws::client::s3(s, region);
    let current = r
        .call_opt(
            "s3:GetBucketPolicy",
            &["NoSuchBucketPolicy"],
            s3.get_bucket_policy().bucket(bucket).send(),
        )
        .await?
        .and_then(|o| o.policy().map(String::from));
    let merged = merge_policy(current.as_deref(), statements, "bucket policy")
        .map_err(|e| w.error("s3:PutBucketPolicy", "UnreadablePolicy", e.to_string()))?;
    if !same_doc(current.as_deref(), &merged) {
        x.exec
            .retrying(w, "s3:PutBucketPolicy", &["MalformedPolicy"], || {
                s3.put_bucket_policy()
                    .bucket(bucket)
                    .policy(merged.to_string())
                    .send()
            })
            .await?;
    }
    Ok(())
}

/// Object Lock with a default retention (irreversible: apply asks `--allow-irreversible`).
async fn put_object_lock(
    x: &Apply<'_>,
    bucket: &str,
    mode: &str,
    days: u32,
) -> Result<(), CallError> {
    let (s, w, region) = (x.session, &x.writes, x.region);
    use aws_sdk_s3::types::*;
    let retention = DefaultRetention::builder()
        .mode(ObjectLockRetentionMode::from(mode))
        .days(days as i32)
        .build();
    w.call(
        "s3:PutBucketObjectLockConfiguration",
        crate::aws::client::s3(s, region)
            .put_object_lock_configuration()
            .bucket(bucket)
            .object_lock_configuration(
                ObjectLockConfiguration::builder()
                    .object_lock_enabled(ObjectLockEnabled::Enabled)
                    .rule(
                        ObjectLockRule::builder()
                            .default_retention(retention)
                            .build(),
                    )
                    .build(),
            )
            .send(),
    )
    .await?;
    Ok(())
}

async fn merge_lifecycle(x: &Apply<'_>, bucket: &str, desired: &[Value]) -> Result<(), CallError> {
    let (s, r, w, region) = (x.session, &x.reads, &x.writes, x.region);
    use aws_sdk_s3::types::BucketLifecycleConfiguration;
    let s3 = crate::aws::client::s3(s, region);
    let current = r
        .call_opt(
            "s3:GetLifecycleConfiguration",
            &["NoSuchLifecycleConfiguration"],
            s3.get_bucket_lifecycle_configuration()
                .bucket(bucket)
                .send(),
        )
        .await?;
    let existing: Vec<aws_sdk_s3::types::LifecycleRule> = current
        .as_ref()
        .map(|o| o.rules().to_vec())
        .unwrap_or_default();
    let wanted: Vec<aws_sdk_s3::types::LifecycleRule> = desired
        .iter()
        .map(to_sdk_rule)
        .collect::<Result<_, _>>()
        .map_err(|e| w.error("s3:PutLifecycleConfiguration", "Build", e))?;
    // Rules logwarden does not own stay as AWS returned them, in their place; an owned
    // rule never gets a shorter expiration than it has now.
    let out = merge_owned(
        &existing,
        &wanted,
        |r| r.id(),
        |old, new| {
            let mut new = new.clone();
            let want = new.expiration().and_then(|e| e.days()).map(i64::from);
            let had = old.expiration().is_some();
            let old_days = old.expiration().and_then(|e| e.days()).map(i64::from);
            match kept_expiration(had, old_days, want) {
                Some(d) => {
                    new.expiration = Some(
                        aws_sdk_s3::types::LifecycleExpiration::builder()
                            .days(d as i32)
                            .build(),
                    )
                }
                None if want.is_some() => new.expiration = None,
                None => {}
            }
            new
        },
    );
    if out == existing {
        return Ok(());
    }
    let cfg = BucketLifecycleConfiguration::builder()
        .set_rules(Some(out))
        .build()
        .map_err(|e| w.error("s3:PutLifecycleConfiguration", "Build", e.to_string()))?;
    let mut req = s3
        .put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(cfg);
    if let Some(size) = current
        .as_ref()
        .and_then(|c| c.transition_default_minimum_object_size())
    {
        req = req.transition_default_minimum_object_size(size.clone());
    }
    w.call("s3:PutLifecycleConfiguration", req.send()).await?;
    Ok(())
}

fn to_sdk_rule(v: &Value) -> Result<aws_sdk_s3::types::LifecycleRule, String> {
    use aws_sdk_s3::types::*;
    let days = |v: &Value| v.as_i64().map(|d| d as i32);
    let mut b = LifecycleRule::builder()
        .set_id(v["ID"].as_str().map(String::from))
        .status(ExpirationStatus::from(
            v["Status"].as_str().unwrap_or("Enabled"),
        ))
        .filter(
            LifecycleRuleFilter::builder()
                .prefix(v["Filter"]["Prefix"].as_str().unwrap_or(""))
                .build(),
        );
    for t in v["Transitions"].as_array().into_iter().flatten() {
        b = b.transitions(
            Transition::builder()
                .set_days(days(&t["Days"]))
                .set_storage_class(t["StorageClass"].as_str().map(TransitionStorageClass::from))
                .build(),
        );
    }
    if let Some(d) = days(&v["Expiration"]["Days"]) {
        b = b.expiration(LifecycleExpiration::builder().days(d).build());
    }
    if let Some(d) = days(&v["NoncurrentVersionExpiration"]["NoncurrentDays"]) {
        b = b.noncurrent_version_expiration(
            NoncurrentVersionExpiration::builder()
                .noncurrent_days(d)
                .build(),
        );
    }
    if let Some(d) = days(&v["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"]) {
        b = b.abort_incomplete_multipart_upload(
            AbortIncompleteMultipartUpload::builder()
                .days_after_initiation(d)
                .build(),
        );
    }
    b.build().map_err(|e| e.to_string())
}
