//! Reads for `plan` beyond the audit: the resources the profile names (the log archive key by
//! alias, the trail's CloudWatch Logs group, the IAM roles logwarden creates, trusted access).
//! A handful of calls per run, all read-only.

use super::call::CallCtx;
use super::client::AccountSession;
use super::collect::Org;
use crate::error::Error;
use crate::inventory::{
    Collected, ManagedKey, ManagedLogGroup, ManagedRole, ManagedState, ScopeMode,
};

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

/// The accounts and regions the managed resources live in, resolved from the profile.
pub struct Resolved {
    pub archive_account_id: String,
    pub archive_region: String,
    pub management_account_id: String,
    pub trail_region: String,
    pub is_organization: bool,
}

/// Resolve the log archive account (by id or name) and the regions, before anything is read.
pub fn resolve(req: &ManagedRequest, org: &Org) -> Result<Resolved, Error> {
    let mgmt = org
        .organization
        .as_ref()
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| org.caller.account_id.clone());
    let archive_account_id = match &req.archive_account {
        None => mgmt.clone(),
        Some(a) => org
            .accounts
            .iter()
            .find(|t| &t.id == a || t.name.as_deref() == Some(a.as_str()))
            .map(|t| t.id.clone())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "the log archive account `{a}` (log_archive.account) is not an active account in scope\n  hint: name an account id or name that `logwarden audit` lists, and keep it in the profile's scope"
                ))
            })?,
    };
    let archive_region = req
        .archive_region
        .clone()
        .unwrap_or_else(|| org.caller.home_region());
    let trail_region = req
        .trail_region
        .clone()
        .unwrap_or_else(|| archive_region.clone());
    Ok(Resolved {
        archive_account_id,
        archive_region,
        management_account_id: mgmt,
        trail_region,
        is_organization: org.mode == ScopeMode::Organization,
    })
}

/// A session in an account `plan` must reach.
async fn session_of<'a>(org: &'a Org, id: &str) -> Result<&'a AccountSession, Error> {
    match org.account(id) {
        None => Err(Error::Usage(format!(
            "account {id} is outside the scope being planned\n  hint: the management and log archive accounts must be in scope"
        ))),
        Some(a) => a.session(org).await.map_err(|e| {
            Error::Usage(format!(
                "cannot reach account {id}: {} failed ({}: {})\n  hint: plan needs the management and log archive accounts; check --role-name",
                e.iam_action, e.code, e.message
            ))
        }),
    }
}

pub async fn read(req: &ManagedRequest, r: &Resolved, org: &Org) -> Result<ManagedState, Error> {
    let management = session_of(org, &r.management_account_id).await?;
    let archive = session_of(org, &r.archive_account_id).await?;
    let mctx = CallCtx::new(&management.account_id, None, &org.counter);
    let trusted_access = if r.is_organization {
        collected(
            mctx.call(
                "organizations:ListAWSServiceAccessForOrganization",
                management
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
    let actx = CallCtx::new(&archive.account_id, Some(&r.archive_region), &org.counter);
    let archive_key = archive_key(req, archive, &r.archive_region, &actx).await;
    let log_group = match &req.log_group {
        None => None,
        Some(name) => {
            let lctx = mctx.in_region(&r.trail_region);
            Some(collected(
                lctx.call(
                    "logs:DescribeLogGroups",
                    aws_sdk_cloudwatchlogs::Client::new(&management.config_in(&r.trail_region))
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
                aws_sdk_iam::Client::new(&management.config)
                    .get_role()
                    .role_name(name)
                    .send(),
            )
            .await
            .map(|o| o.and_then(|o| o.role().map(|r| r.arn().to_string()))),
        );
        roles.push(ManagedRole {
            name: name.clone(),
            arn,
        });
    }
    Ok(ManagedState {
        archive_account_id: r.archive_account_id.clone(),
        archive_region: r.archive_region.clone(),
        trail_region: r.trail_region.clone(),
        trusted_access,
        archive_key,
        log_group,
        roles,
    })
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
    let client = aws_sdk_kms::Client::new(&s.config_in(&region));
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
