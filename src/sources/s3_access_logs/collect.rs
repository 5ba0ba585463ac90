//! S3 reads of one account: every bucket (ListBuckets is global) with its region and server
//! access logging; and, for the buckets trails deliver to and the buckets `plan` manages, the
//! settings that protect the logs (versioning, public access, policy, lifecycle, Object Lock,
//! encryption).

use super::model::*;
use crate::aws::client::s3;
use crate::aws::collect::AccountCtx;
use crate::aws::{AccountSession, CallCtx};
use crate::inventory::bucket::policy_grants_only_fixed_principals;
use crate::inventory::{CallError, Collected};
use crate::profile::templates::render_template;
use futures::future::join_all;

pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let home = ctx.session.home_region();
    let listed = list_buckets(&s3(ctx.session, &home), &ctx.call.in_region(&home)).await;
    let buckets = match listed {
        Err(error) => Collected::Failed { error },
        Ok(list) => Collected::ok(
            join_all(
                list.into_iter()
                    .map(|(name, region)| bucket(ctx, name, region, &home)),
            )
            .await,
        ),
    };
    AccountData { buckets }
}

/// One bucket: its region (from ListBuckets, else GetBucketLocation), its access logging, and
/// its details when a trail delivers to it or `plan` manages it.
async fn bucket(ctx: &AccountCtx<'_>, name: String, listed: Option<String>, home: &str) -> Bucket {
    let region = match listed {
        Some(r) => Collected::ok(r),
        None => bucket_region(&s3(ctx.session, home), &ctx.call.in_region(home), &name).await,
    };
    let Some(r) = region.value() else {
        let e = region
            .error()
            .cloned()
            .expect("a region that is not a value is an error");
        return Bucket {
            name,
            logging: Collected::Failed { error: e },
            region,
            details: None,
        };
    };
    let call = ctx.call.in_region(r);
    let logging = logging(&s3(ctx.session, r), &call, &name).await;
    let managed = ctx
        .org
        .request
        .managed_buckets
        .iter()
        .any(|t| render_template(t, &ctx.org.template_values(&ctx.account.id, r)) == name);
    let details = if managed || ctx.org.detail_buckets.wanted(&name).await {
        Some(details(ctx.session, &call, &name, r, managed).await)
    } else {
        None
    };
    Bucket {
        name,
        region,
        logging,
        details,
    }
}

/// (name, region if ListBuckets told it), sorted by name.
pub async fn list_buckets(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
) -> Result<Vec<(String, Option<String>)>, CallError> {
    let pages = ctx
        .pages(
            "s3:ListAllMyBuckets",
            client.list_buckets().into_paginator().send(),
        )
        .await?;
    let mut out: Vec<(String, Option<String>)> = pages
        .iter()
        .flat_map(|p| p.buckets())
        .filter_map(|b| Some((b.name()?.to_string(), b.bucket_region().map(String::from))))
        .collect();
    out.sort();
    Ok(out)
}

pub async fn bucket_region(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<String> {
    ctx.call(
        "s3:GetBucketLocation",
        client.get_bucket_location().bucket(name).send(),
    )
    .await
    .map(|o| {
        let loc = o
            .location_constraint()
            .map(|c| c.as_str().to_string())
            .unwrap_or_default();
        match loc.as_str() {
            "" => "us-east-1".to_string(),
            "EU" => "eu-west-1".to_string(),
            other => other.to_string(),
        }
    })
    .into()
}

pub async fn logging(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Option<BucketLoggingTarget>> {
    ctx.call(
        "s3:GetBucketLogging",
        client.get_bucket_logging().bucket(name).send(),
    )
    .await
    .map(|o| {
        o.logging_enabled().map(|l| BucketLoggingTarget {
            target_bucket: l.target_bucket().to_string(),
            target_prefix: l.target_prefix().to_string(),
            partitioned_by: l
                .target_object_key_format()
                .and_then(|f| f.partitioned_prefix())
                .map(|p| {
                    p.partition_date_source()
                        .map_or("EventTime", |s| s.as_str())
                        .to_string()
                }),
        })
    })
    .into()
}

/// The protections of a bucket a trail delivers to (and, for the buckets `plan` manages, its
/// default encryption).
pub async fn details(
    session: &AccountSession,
    ctx: &CallCtx,
    name: &str,
    region: &str,
    with_encryption: bool,
) -> BucketDetails {
    let client = s3(session, region);
    let ctx = ctx.in_region(region);
    // Independent reads run together; the policy status and the ACL wait only for what
    // decides whether they are needed.
    let (
        versioning,
        (public_access_block, policy, policy_is_public, acl_public_grants),
        lifecycle_rules,
        object_lock,
        encryption,
    ) = tokio::join!(
        read_versioning(&client, &ctx, name),
        read_exposure(&client, &ctx, name),
        read_lifecycle_rules(&client, &ctx, name),
        read_object_lock(&client, &ctx, name),
        read_encryption(&client, &ctx, name, with_encryption),
    );
    BucketDetails {
        encryption,
        versioning,
        public_access_block,
        acl_public_grants,
        policy_is_public,
        policy,
        lifecycle_rules,
        object_lock,
    }
}

async fn read_versioning(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Versioning> {
    Collected::from(
        ctx.call(
            "s3:GetBucketVersioning",
            client.get_bucket_versioning().bucket(name).send(),
        )
        .await
        .map(|o| Versioning {
            status: o.status().map(|s| VersioningStatus::from(s.as_str())),
            mfa_delete: o.mfa_delete().map(|s| MfaDelete::from(s.as_str())),
        }),
    )
}

/// The public access block and the policy, then, only where they do not decide it already,
/// whether the policy makes the bucket public and the ACL's public grants.
pub async fn read_exposure(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> (
    Collected<Option<PublicAccessBlock>>,
    Collected<Option<String>>,
    Collected<Option<bool>>,
    Collected<Vec<String>>,
) {
    let (public_access_block, policy) = tokio::join!(
        async {
            Collected::from(
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
                                restrict_public_buckets: c
                                    .restrict_public_buckets()
                                    .unwrap_or(false),
                            })
                    })
                }),
            )
        },
        async {
            Collected::from(
                ctx.call_opt(
                    "s3:GetBucketPolicy",
                    &["NoSuchBucketPolicy"],
                    client.get_bucket_policy().bucket(name).send(),
                )
                .await
                .map(|o| o.and_then(|o| o.policy().map(String::from))),
            )
        }
    );
    // No policy, a policy that names every principal it allows (never public), or a public
    // access block that neutralises public policies: no call needed.
    let fully_blocked = matches!(public_access_block.value(), Some(Some(p)) if p.all_on());
    let ignores_acls = matches!(public_access_block.value(), Some(Some(p)) if p.ignore_public_acls);
    let policy_status = async {
        match &policy {
            Collected::Ok { value: None } => Collected::ok(Some(false)),
            Collected::Ok { value: Some(doc) } if policy_grants_only_fixed_principals(doc) => {
                Collected::ok(Some(false))
            }
            _ if fully_blocked => Collected::ok(None),
            _ => Collected::from(
                ctx.call_opt(
                    "s3:GetBucketPolicyStatus",
                    &["NoSuchBucketPolicy"],
                    client.get_bucket_policy_status().bucket(name).send(),
                )
                .await
                .map(|o| o.and_then(|o| o.policy_status().and_then(|s| s.is_public()))),
            ),
        }
    };
    // A public access block that ignores public ACLs makes them harmless: no call needed.
    let acl = async {
        if ignores_acls {
            return Collected::ok(vec![]);
        }
        public_acl_grants(client, ctx, name).await
    };
    let (policy_is_public, acl_public_grants) = tokio::join!(policy_status, acl);
    (
        public_access_block,
        policy,
        policy_is_public,
        acl_public_grants,
    )
}

async fn read_lifecycle_rules(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Vec<LifecycleRule>> {
    Collected::from(
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
    )
}

async fn read_object_lock(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Option<ObjectLock>> {
    Collected::from(
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
                        mode: ret
                            .and_then(|r| r.mode())
                            .map(|m| RetentionMode::from(m.as_str())),
                        days: ret.and_then(|r| r.days()).filter(|d| *d > 0),
                        years: ret.and_then(|r| r.years()).filter(|y| *y > 0),
                    }
                })
            })
        }),
    )
}

async fn read_encryption(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
    with_encryption: bool,
) -> Option<Collected<Option<BucketEncryption>>> {
    if !with_encryption {
        return None;
    }
    Some(Collected::from(
        // permissions: plan (only the buckets plan manages are read for their encryption)
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
                    algorithm: SseAlgorithm::from(d.sse_algorithm().as_str()),
                    kms_key_id: d.kms_master_key_id().map(String::from),
                })
            })
        }),
    ))
}

pub(crate) fn convert_rule(r: &aws_sdk_s3::types::LifecycleRule) -> LifecycleRule {
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
        expiration_date: r
            .expiration()
            .and_then(|e| e.date())
            .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
        noncurrent_expiration_days: r
            .noncurrent_version_expiration()
            .and_then(|n| n.noncurrent_days()),
        abort_incomplete_upload_days: r
            .abort_incomplete_multipart_upload()
            .and_then(|a| a.days_after_initiation()),
        tag_filtered: r
            .filter()
            .is_some_and(|f| f.tag().is_some() || f.and().is_some_and(|a| !a.tags().is_empty())),
        size_filtered: r.filter().is_some_and(|f| {
            f.object_size_greater_than().is_some()
                || f.object_size_less_than().is_some()
                || f.and().is_some_and(|a| {
                    a.object_size_greater_than().is_some() || a.object_size_less_than().is_some()
                })
        }),
    }
}

/// The grants of the bucket's ACL to everyone (`AllUsers`) or to any AWS account
/// (`AuthenticatedUsers`), as "READ to AllUsers" — unless Object Ownership is
/// BucketOwnerEnforced, which disables ACLs.
async fn public_acl_grants(
    client: &aws_sdk_s3::Client,
    ctx: &CallCtx,
    name: &str,
) -> Collected<Vec<String>> {
    let (acl, ownership) = tokio::join!(
        ctx.call(
            "s3:GetBucketAcl",
            client.get_bucket_acl().bucket(name).send()
        ),
        ctx.call_opt(
            "s3:GetBucketOwnershipControls",
            &["OwnershipControlsNotFoundError"],
            client.get_bucket_ownership_controls().bucket(name).send(),
        )
    );
    let enforced = match ownership {
        Ok(o) => o
            .and_then(|o| o.ownership_controls().map(|c| c.rules().to_vec()))
            .is_some_and(|rules| {
                rules
                    .iter()
                    .any(|r| r.object_ownership().as_str() == "BucketOwnerEnforced")
            }),
        Err(e) => return Collected::failed(&e),
    };
    match acl {
        Err(e) => Collected::failed(&e),
        Ok(_) if enforced => Collected::ok(vec![]),
        Ok(o) => Collected::ok(
            o.grants()
                .iter()
                .filter_map(|g| {
                    let uri = g.grantee()?.uri()?;
                    let who = ["AllUsers", "AuthenticatedUsers"]
                        .into_iter()
                        .find(|w| uri.ends_with(&format!("/global/{w}")))?;
                    let what = g
                        .permission()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_default();
                    Some(format!("{what} to {who}"))
                })
                .collect(),
        ),
    }
}
