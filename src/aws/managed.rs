//! Reads for `plan` beyond the audit: where the profile builds (the log archive account and
//! region, the trail's home region) and the resources it names there, each read by its source
//! (trusted access, the log archive key, the trail's log group, the delivery roles). A handful of
//! calls per run, all read-only.

use super::call::CallCtx;
use super::client::AccountSession;
use super::collect::Org;
use super::Failure as Error;
use crate::inventory::{Collected, ManagedState, ScopeMode};

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
        crate::sources::organization::collect::trusted_access(management, &mctx).await
    } else {
        Collected::ok(vec![])
    };
    let actx = CallCtx::new(&archive.account_id, Some(&r.archive_region), &org.counter);
    let archive_key = crate::sources::log_archive::collect::archive_key(
        &req.kms_key,
        &req.kms_alias,
        archive,
        &r.archive_region,
        &actx,
    )
    .await;
    let log_group = match &req.log_group {
        None => None,
        Some(name) => Some(
            crate::sources::cloudwatch_logs::collect::log_group(
                management,
                &mctx.in_region(&r.trail_region),
                name,
            )
            .await,
        ),
    };
    let roles = futures::future::join_all(
        req.role_names
            .iter()
            .map(|name| crate::sources::delivery_roles::collect::role(management, &mctx, name)),
    )
    .await;
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
