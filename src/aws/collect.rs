//! What collection works in: the organization discovered ([`discover`]: the caller, the
//! accounts in scope, the regions), each account's session and enabled regions (made once, when
//! a read first needs them), and the contexts the sources' collectors get ([`AccountCtx`],
//! [`RegionCtx`]). The driver that runs every source's collectors is `crate::engine::collect`.
//!
//! Reads several sources need (an account's trails, a region's VPCs) are made once through
//! [`Account::memo`]. A read that depends on other accounts (the bucket a trail in another
//! account delivers to) waits for exactly what it needs, so one slow retry chain delays only
//! what depends on it.

use super::call::{CallCtx, Counter};
use super::client::{self, AccountSession, AwsOptions};
use super::memo::Memo;
use super::organizations;
use super::Failure as Error;
use crate::inventory::*;
use indicatif::ProgressBar;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tokio::sync::{Notify, OnceCell};

/// What to collect.
#[derive(Debug, Clone)]
pub struct CollectRequest {
    pub aws: AwsOptions,
    /// Explicit regions, or `None` for every region enabled for the caller.
    pub regions: Option<Vec<String>>,
    pub accounts: Option<Vec<String>>,
    pub exclude_accounts: Vec<String>,
    /// `--shard K/N`: only the accounts of shard K are read (every account's trail list is
    /// still read, so the buckets the organization's trails name are known to every shard).
    pub shard: Option<(u32, u32)>,
    pub concurrency: usize,
    /// The profile's scope (accounts, OUs, regions).
    pub scope: crate::profile::Scope,
    /// Bucket name templates (`{org_id}`, `{account_id}`, `{region}`...) whose buckets are read
    /// in detail, encryption included, besides the trail buckets: the buckets `plan` manages.
    pub managed_buckets: Vec<String>,
    /// For `plan`: the sources' plan-time reads are made too (what the profile names beyond
    /// the audit: the log archive key, the delivery roles...).
    pub plan: bool,
}

/// The organization being read: shared by every collector.
pub struct Org {
    pub partition: String,
    /// The audit's regions, in order.
    pub regions: Vec<String>,
    pub mode: ScopeMode,
    pub organization: Option<Organization>,
    pub caller: AccountSession,
    /// The account whose budgets are read (the management account, or the single account).
    pub payer: String,
    pub accounts: Vec<Account>,
    pub counter: Counter,
    pub request: CollectRequest,
    /// Why the audit reads only the caller's account, when it does.
    pub mode_reason: Option<String>,
    caller_regions: Result<Vec<(String, bool)>, CallError>,
    /// The caller's enabled regions in the profile's scope that `--regions` left out.
    pub regions_left_out: Vec<String>,
    /// Reads shared across accounts.
    pub memo: Memo,
    /// Buckets some source needs read in detail (the buckets trails deliver to).
    pub detail_buckets: DetailBuckets,
}

/// Buckets whose protection some source needs read in detail, named as the reads that find
/// them arrive (a trail's bucket, as soon as its DescribeTrails answers); complete once every
/// organization-wide read has ended (`crate::engine::collect` says so), so a bucket no source
/// named is then known not to need it.
#[derive(Default)]
pub struct DetailBuckets {
    named: Mutex<BTreeSet<String>>,
    complete: AtomicBool,
    arrived: Notify,
}

impl DetailBuckets {
    /// These buckets need reading in detail.
    pub fn add(&self, names: impl IntoIterator<Item = String>) {
        self.named
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(names);
        self.arrived.notify_waiters();
    }

    /// No source will name another bucket.
    pub fn finish(&self) {
        self.complete.store(true, Ordering::SeqCst);
        self.arrived.notify_waiters();
    }

    /// Whether some source needs `bucket` read in detail: "yes" as soon as one names it, "no"
    /// only once every source that may name one is done.
    pub async fn wanted(&self, bucket: &str) -> bool {
        loop {
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            let named = self
                .named
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .contains(bucket);
            if named {
                return true;
            }
            if self.complete.load(Ordering::SeqCst) {
                return false;
            }
            arrived.await;
        }
    }
}

/// One account of the organization.
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    role_arn: String,
    session: OnceCell<Result<AccountSession, CallError>>,
    regions: OnceCell<Option<Vec<(String, bool)>>>,
    /// Reads shared by this account's collectors.
    pub memo: Memo,
}

/// What a source's account collector gets.
pub struct AccountCtx<'a> {
    pub org: &'a Org,
    pub account: &'a Account,
    pub session: &'a AccountSession,
    /// For account-wide calls (region `None`).
    pub call: CallCtx,
    /// The audit's regions enabled for this account.
    pub regions: Vec<String>,
}

/// What a source's plan-time reads get: the organization being read and the profile (`B`,
/// the registry's), with sessions in the accounts `plan` must reach.
pub struct PlanReadCtx<'a, B> {
    pub org: &'a Org,
    pub b: &'a B,
}

impl<'a, B> PlanReadCtx<'a, B> {
    /// The management account (the caller's account outside an organization).
    pub fn management_id(&self) -> &'a str {
        self.org
            .organization
            .as_ref()
            .map(|o| o.management_account_id.as_str())
            .unwrap_or(&self.org.caller.account_id)
    }

    /// A session in an account `plan` must reach, or why it cannot be had (plan stops then:
    /// what it would build there could not be read).
    pub async fn session(&self, id: &str) -> Result<&'a AccountSession, String> {
        match self.org.account(id) {
            None => Err(format!(
                "account {id} is outside the scope being planned\n  hint: the management and log archive accounts must be in scope"
            )),
            Some(a) => a.session(self.org).await.map_err(|e| {
                format!(
                    "cannot reach account {id}: {} failed ({}: {})\n  hint: plan needs the management and log archive accounts; check --role-name",
                    e.iam_action, e.code, e.message
                )
            }),
        }
    }

    /// A call context in `account` (and `region`, or a global call).
    pub fn call(&self, account: &str, region: Option<&str>) -> CallCtx {
        CallCtx::new(account, region, &self.org.counter)
    }
}

/// What a source's region collector gets.
pub struct RegionCtx<'a> {
    pub org: &'a Org,
    pub account: &'a Account,
    pub session: &'a AccountSession,
    pub region: &'a str,
    pub call: CallCtx,
}

impl Org {
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// Values for the profile's bucket-name templates in `account` and `region`.
    pub fn template_values<'a>(
        &'a self,
        account: &'a str,
        region: &'a str,
    ) -> crate::profile::templates::TemplateValues<'a> {
        let mgmt = self
            .organization
            .as_ref()
            .map(|o| o.management_account_id.as_str())
            .unwrap_or(&self.caller.account_id);
        crate::profile::templates::TemplateValues {
            org_id: self
                .organization
                .as_ref()
                .map(|o| o.id.as_str())
                .unwrap_or(""),
            account_id: account,
            region,
            management_account_id: mgmt,
        }
    }
}

impl Account {
    /// The account's session: the caller's own, or the role assumed in it (once).
    pub async fn session(&self, org: &Org) -> Result<&AccountSession, CallError> {
        self.session
            .get_or_init(|| async {
                if self.id == org.caller.account_id {
                    return Ok(org.caller.clone());
                }
                let ctx = CallCtx::new(&self.id, None, &org.counter);
                client::assume_role(
                    &org.caller.sts(),
                    &org.caller,
                    &ctx,
                    &self.id,
                    client::RoleAssumption {
                        role_arn: &self.role_arn,
                        external_id: org.request.aws.external_id.as_deref(),
                        session_name: &org.request.aws.session_name,
                    },
                )
                .await
            })
            .await
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The audit's regions and whether each is enabled for this account (the caller's answer
    /// is reused for the caller's account; an account that cannot list them is read everywhere).
    pub async fn region_status(&self, org: &Org) -> Vec<(String, Collected<()>)> {
        let listed = self
            .regions
            .get_or_init(|| async {
                if self.id == org.caller.account_id {
                    return org.caller_regions.clone().ok();
                }
                let session = self.session(org).await.ok()?;
                let signing = org.caller.home_region();
                let ctx = CallCtx::new(&self.id, Some(&signing), &org.counter);
                organizations::describe_regions(
                    &crate::client!(aws_sdk_ec2, session, &signing),
                    &ctx,
                    &org.partition,
                )
                .await
                .ok()
            })
            .await;
        org.regions
            .iter()
            .map(|region| {
                let ctx = CallCtx::new(&self.id, Some(region), &org.counter);
                let status = match listed {
                    None => Collected::ok(()),
                    Some(list) => match list.iter().find(|(n, _)| n == region) {
                        Some((_, true)) => Collected::ok(()),
                        Some((_, false)) => Collected::failed(&ctx.error(
                            "ec2:DescribeRegions",
                            "RegionNotEnabled",
                            format!(
                                "region {region} is not enabled (opt-in) for account {}",
                                self.id
                            ),
                        )),
                        None => Collected::failed(&ctx.error(
                            "ec2:DescribeRegions",
                            "UnknownRegion",
                            format!("region {region} does not exist in this partition"),
                        )),
                    },
                };
                (region.clone(), status)
            })
            .collect()
    }
}

/// The caller, the organization (or single-account mode), the accounts in scope, the regions.
pub async fn discover(req: &CollectRequest, progress: &ProgressBar) -> Result<Org, Error> {
    let counter = Counter::new(req.concurrency);
    let (caller, partition) = identify(req, &counter).await?;
    let cctx = CallCtx::new(&caller.account_id, None, &counter);
    let Scope {
        mode,
        mode_reason,
        organization,
        accounts,
    } = scope(req, &caller, &cctx, progress).await?;
    let (regions, caller_regions) = audit_regions(req, &caller, &cctx, &partition).await?;
    let regions_left_out = left_out(&regions, &caller_regions, req);
    let caller_id = caller.account_id.clone();
    let payer = organization
        .as_ref()
        .filter(|_| mode == ScopeMode::Organization)
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| caller_id.clone());
    let p = crate::arn::Partition(&partition);
    let accounts = accounts
        .into_iter()
        .map(|a| Account {
            role_arn: p.iam_role(&a.id, &req.aws.role_name),
            id: a.id,
            name: a.name,
            session: OnceCell::new(),
            regions: OnceCell::new(),
            memo: Memo::default(),
        })
        .collect();
    Ok(Org {
        partition,
        regions,
        mode,
        organization,
        caller,
        payer,
        accounts,
        counter,
        request: req.clone(),
        mode_reason,
        caller_regions,
        regions_left_out,
        memo: Memo::default(),
        detail_buckets: DetailBuckets::default(),
    })
}

/// Who the caller is (from the credential chain), and the partition it is in.
async fn identify(
    req: &CollectRequest,
    counter: &Counter,
) -> Result<(AccountSession, String), Error> {
    let base_cfg = client::base_config(&req.aws).await;
    let path_style = req.aws.endpoint_url.is_some()
        || std::env::var_os("AWS_ENDPOINT_URL").is_some()
        || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
    let mut caller = AccountSession {
        account_id: String::new(),
        config: base_cfg,
        path_style,
    };
    let gctx = CallCtx::new("caller", None, counter);
    let (caller_id, caller_arn) = client::caller_identity(&caller.sts(), &gctx)
        .await
        .map_err(|e| Error::Credentials(Box::new(e)))?;
    caller.account_id = caller_id.clone();
    let partition = crate::arn::Partition::of_arn(&caller_arn)
        .name()
        .to_string();

    Ok((caller, partition))
}

/// The accounts an audit reads and how it reached them.
struct Scope {
    mode: ScopeMode,
    mode_reason: Option<String>,
    organization: Option<Organization>,
    accounts: Vec<organizations::OrgAccount>,
}

/// The organization (or single-account mode, with the reason) and the accounts in scope:
/// `--accounts`, the profile's scope, `--exclude-accounts`.
async fn scope(
    req: &CollectRequest,
    caller: &AccountSession,
    cctx: &CallCtx,
    progress: &ProgressBar,
) -> Result<Scope, Error> {
    let caller_id = &caller.account_id;
    // The organization, or single-account mode with the reason.
    progress.set_message("reading the organization");
    let org = organizations::describe_organization(&caller.organizations(), cctx).await;
    let listed = match &org {
        Ok(_) => Some(organizations::list_active_accounts(&caller.organizations(), cctx).await),
        Err(_) => None,
    };
    let only_caller = || {
        vec![organizations::OrgAccount {
            id: caller_id.clone(),
            name: None,
        }]
    };
    // Only the accounts named with --accounts, when the organization cannot tell them.
    let named = || -> Option<Vec<organizations::OrgAccount>> {
        req.accounts.as_ref().map(|ids| {
            ids.iter()
                .map(|id| organizations::OrgAccount {
                    id: id.clone(),
                    name: None,
                })
                .collect()
        })
    };
    let (mode, mode_reason, organization, mut accounts) = match (org, listed) {
        (Ok((id, mgmt)), Some(Ok(list))) => (
            ScopeMode::Organization,
            None,
            Some(Organization { id, management_account_id: mgmt }),
            list,
        ),
        // In an organization whose accounts this caller may not list: only the accounts
        // named, never a silent shrink to the caller's.
        (Ok((id, mgmt)), Some(Err(e))) => match named() {
            Some(list) => (
                ScopeMode::Organization,
                Some(format!(
                    "the accounts of organization {id} could not be listed ({}: {}); the accounts given with --accounts are audited",
                    e.iam_action, e.code
                )),
                Some(Organization { id, management_account_id: mgmt }),
                list,
            ),
            None => return Err(Error::Organization(Box::new(e))),
        },
        (Err(e), _) if e.code == "AWSOrganizationsNotInUseException" => (
            ScopeMode::SingleAccount,
            Some(format!(
                "account {caller_id} is not in an organization; only this account is audited"
            )),
            None,
            only_caller(),
        ),
        (Err(e), _) => match named() {
            Some(list) => (
                ScopeMode::Accounts,
                Some(format!(
                    "the organization could not be read ({}: {}); the accounts given with --accounts are audited",
                    e.iam_action, e.code
                )),
                None,
                list,
            ),
            None => return Err(Error::Organization(Box::new(e))),
        },
        (Ok(_), None) => unreachable!("listing follows a successful DescribeOrganization"),
    };
    if let Some(only) = &req.accounts {
        accounts.retain(|a| only.contains(&a.id));
    }
    if !req.scope.is_empty() {
        let ancestors = if req.scope.uses_ous() && mode == ScopeMode::Organization {
            progress.set_message("reading organizational units");
            organizations::account_ancestors(&caller.organizations(), cctx)
                .await
                .map_err(|e| {
                    Error::Usage(format!(
                        "the profile's scope names organizational units, but {} in account {} failed ({}: {})\n  hint: run from the management account or a delegated administrator, or scope by `accounts`",
                        e.iam_action, e.account_id, e.code, e.message
                    ))
                })?
        } else {
            BTreeMap::new()
        };
        accounts.retain(|a| {
            let ous = ancestors.get(&a.id).cloned().unwrap_or_default();
            req.scope.includes_account(&a.id, a.name.as_deref(), &ous)
        });
    }
    accounts.retain(|a| !req.exclude_accounts.contains(&a.id));
    if accounts.is_empty() {
        return Err(Error::Usage(
            "no account left to audit after --accounts / --exclude-accounts".into(),
        ));
    }
    Ok(Scope {
        mode,
        mode_reason,
        organization,
        accounts,
    })
}

/// The caller's enabled regions, in the profile's scope, that an explicit `--regions` left out
/// (none when the list could not be read: then nothing is known to be missing).
fn left_out(
    regions: &[String],
    caller_regions: &Result<Vec<(String, bool)>, CallError>,
    req: &CollectRequest,
) -> Vec<String> {
    match (&req.regions, caller_regions) {
        (Some(_), Ok(known)) => known
            .iter()
            .filter(|(name, on)| *on && req.scope.includes_region(name) && !regions.contains(name))
            .map(|(name, _)| name.clone())
            .collect(),
        _ => Vec::new(),
    }
}

/// The audit's regions: the explicit list (each must exist), else every region enabled for the
/// caller; then the profile's scope. Also the caller's answer, reused for its own account.
async fn audit_regions(
    req: &CollectRequest,
    caller: &AccountSession,
    cctx: &CallCtx,
    partition: &str,
) -> Result<(Vec<String>, Result<Vec<(String, bool)>, CallError>), Error> {
    let signing_region = caller.home_region();
    // Regions: the caller's enabled regions, or the explicit list.
    let caller_regions = organizations::describe_regions(
        &crate::client!(aws_sdk_ec2, caller, &signing_region),
        &cctx.in_region(&signing_region),
        partition,
    )
    .await;
    let regions: Vec<String> = match (&req.regions, &caller_regions) {
        (Some(r), Ok(known)) => {
            if let Some(bad) = r.iter().find(|r| !known.iter().any(|(k, _)| k == *r)) {
                return Err(Error::Usage(format!(
                    "region `{bad}` does not exist in partition {partition}\n  hint: known regions: {}",
                    known.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", ")
                )));
            }
            r.clone()
        }
        (Some(r), Err(_)) => r.clone(),
        (None, Ok(list)) => list
            .iter()
            .filter(|(_, on)| *on)
            .map(|(n, _)| n.clone())
            .collect(),
        (None, Err(e)) => {
            return Err(Error::Usage(format!(
                "cannot list the enabled regions ({}: {}); pass --regions explicitly",
                e.iam_action, e.code
            )))
        }
    };
    let regions: Vec<String> = regions
        .into_iter()
        .filter(|r| req.scope.includes_region(r))
        .collect();
    if regions.is_empty() {
        return Err(Error::Usage(
            "no region left after the profile's scope (`scope.regions` / `scope.exclude_regions`)"
                .into(),
        ));
    }
    Ok((regions, caller_regions))
}
