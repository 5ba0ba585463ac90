//! Reads for `plan` beyond the audit: the resources the profile names (the log archive key by
//! alias, the trail's CloudWatch Logs group, the IAM roles logwarden creates, trusted access).
//! A handful of calls per run, all read-only.

use super::call::CallCtx;
use super::client::AccountSession;
use crate::inventory::{Collected, ManagedKey, ManagedLogGroup, ManagedRole, ManagedState};

/// What to look for.
#[derive(Debug, Clone)]
pub struct ManagedRequest {
    /// `log_archive.account` (id or name); default: the management account.
    pub archive_account: Option<String>,
    pub archive_region: Option<String>,
    pub trail_region: Option<String>,
    /// `create` or a key ARN.
    pub kms_key: String,
    pub kms_alias: String,
    /// The trail's log group, when CloudWatch Logs delivery is wanted.
    pub log_group: Option<String>,
    /// Roles in the management account.
    pub role_names: Vec<String>,
}

fn collected<T>(r: Result<T, crate::inventory::CallError>) -> Collected<T> {
    match r {
        Ok(value) => Collected::ok(value),
        Err(error) => Collected::Failed { error },
    }
}

pub struct Resolved<'a> {
    pub archive: &'a AccountSession,
    pub archive_region: String,
    pub management: &'a AccountSession,
    pub trail_region: String,
    pub is_organization: bool,
}

pub async fn read(req: &ManagedRequest, r: Resolved<'_>, ctx: &CallCtx) -> ManagedState {
    let mctx = CallCtx::new(&r.management.account_id, None, &ctx.counter);
    let trusted_access = if r.is_organization {
        collected(
            mctx.call(
                "organizations:ListAWSServiceAccessForOrganization",
                r.management
                    .organizations()
                    .list_aws_service_access_for_organization()
                    .send(),
            )
            .await
            .map(|o| {
                let mut v: Vec<String> = o
                    .enabled_service_principals()
                    .iter()
                    .filter_map(|p| p.service_principal().map(String::from))
                    .collect();
                v.sort();
                v
            }),
        )
    } else {
        Collected::ok(vec![])
    };
    let actx = CallCtx::new(&r.archive.account_id, Some(&r.archive_region), &ctx.counter);
    let archive_key = archive_key(req, r.archive, &r.archive_region, &actx).await;
    let log_group = match &req.log_group {
        None => None,
        Some(name) => {
            let lctx = mctx.in_region(&r.trail_region);
            Some(collected(
                lctx.call(
                    "logs:DescribeLogGroups",
                    r.management
                        .logs(&r.trail_region)
                        .describe_log_groups()
                        .log_group_name_prefix(name)
                        .send(),
                )
                .await
                .map(|o| {
                    o.log_groups()
                        .iter()
                        .find(|g| g.log_group_name() == Some(name.as_str()))
                        .map(|g| ManagedLogGroup {
                            arn: g.arn().unwrap_or_default().to_string(),
                            retention_days: g.retention_in_days(),
                        })
                }),
            ))
        }
    };
    let mut roles = Vec::new();
    for name in &req.role_names {
        let arn = collected(
            mctx.call_opt(
                "iam:GetRole",
                &["NoSuchEntity"],
                r.management.iam().get_role().role_name(name).send(),
            )
            .await
            .map(|o| o.and_then(|o| o.role().map(|r| r.arn().to_string()))),
        );
        roles.push(ManagedRole {
            name: name.clone(),
            arn,
        });
    }
    ManagedState {
        archive_account_id: r.archive.account_id.clone(),
        archive_region: r.archive_region.clone(),
        trail_region: r.trail_region.clone(),
        trusted_access,
        archive_key,
        log_group,
        roles,
    }
}

async fn archive_key(
    req: &ManagedRequest,
    s: &AccountSession,
    default_region: &str,
    ctx: &CallCtx,
) -> Collected<Option<ManagedKey>> {
    let (key_ref, region) = if req.kms_key == "create" {
        (req.kms_alias.clone(), default_region.to_string())
    } else {
        let region = crate::arn::region_of(&req.kms_key)
            .unwrap_or(default_region)
            .to_string();
        (req.kms_key.clone(), region)
    };
    let client = s.kms(&region);
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
    let policy = collected(
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
    let rotation_enabled = collected(
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
