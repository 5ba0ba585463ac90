//! The log archive's reads for `plan`: its KMS key, found by alias or ARN, with its policy and
//! rotation status.

use super::model::{ManagedKey, PlanData};
use crate::aws::{AccountSession, CallCtx};
use crate::inventory::Collected;
use crate::sources::PlanReadCtx;

/// The log archive key (`log_archive.kms_key`: `create`, found by its alias, or an ARN), with
/// its policy and rotation; `None` when it does not exist.
pub async fn archive_key(
    kms_key: &str,
    alias: &str,
    s: &AccountSession,
    default_region: &str,
    ctx: &CallCtx,
) -> Collected<Option<ManagedKey>> {
    let (key_ref, region) = if kms_key == "create" {
        (alias.to_string(), default_region.to_string())
    } else {
        let region = crate::arn::region_of(kms_key)
            .unwrap_or(default_region)
            .to_string();
        (kms_key.to_string(), region)
    };
    let client = crate::client!(aws_sdk_kms, s, &region);
    let ctx = ctx.in_region(&region);
    let described = ctx
        .call_opt(
            "kms:DescribeKey",
            &["NotFoundException"],
            client.describe_key().key_id(&key_ref).send(),
        )
        .await;
    let meta = match described {
        Err(error) => return Collected::Failed { error },
        Ok(None) => return Collected::ok(None),
        Ok(Some(o)) => match o.key_metadata() {
            Some(m) => (
                m.arn().unwrap_or_default().to_string(),
                m.key_id().to_string(),
            ),
            None => return Collected::ok(None),
        },
    };
    let (arn, key_id) = meta;
    let policy = Collected::from(
        ctx.call(
            "kms:GetKeyPolicy",
            client
                .get_key_policy()
                .key_id(&key_id)
                .policy_name("default")
                .send(),
        )
        .await
        .map(|o| o.policy().map(String::from)),
    );
    let rotation_enabled = Collected::from(
        ctx.call(
            "kms:GetKeyRotationStatus",
            client.get_key_rotation_status().key_id(&key_id).send(),
        )
        .await
        .map(|o| o.key_rotation_enabled()),
    );
    Collected::ok(Some(ManagedKey {
        arn,
        key_id,
        policy,
        rotation_enabled,
    }))
}

/// The log archive's region: `log_archive.region`, else the caller's.
pub fn archive_region(ctx: &PlanReadCtx<'_>) -> String {
    ctx.b
        .log_archive
        .region
        .clone()
        .unwrap_or_else(|| ctx.org.caller.home_region())
}

/// Where the log archive is (the account named by id or name, resolved before anything is
/// read; plan stops when it is not an active account in scope) and its key.
pub async fn plan(ctx: &PlanReadCtx<'_>) -> Result<PlanData, String> {
    let la = &ctx.b.log_archive;
    let account_id = match &la.account {
        None => ctx.management_id().to_string(),
        Some(a) => ctx
            .org
            .accounts
            .iter()
            .find(|t| &t.id == a || t.name.as_deref() == Some(a.as_str()))
            .map(|t| t.id.clone())
            .ok_or_else(|| {
                format!(
                    "the log archive account `{a}` (log_archive.account) is not an active account in scope\n  hint: name an account id or name that `logwarden audit` lists, and keep it in the profile's scope"
                )
            })?,
    };
    let region = archive_region(ctx);
    let archive = ctx.session(&account_id).await?;
    let key = archive_key(
        &la.kms_key,
        &la.kms_key_alias,
        archive,
        &region,
        &ctx.call(&account_id, Some(&region)),
    )
    .await;
    Ok(PlanData {
        account_id,
        region,
        key,
    })
}
