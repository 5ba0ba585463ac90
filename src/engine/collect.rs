//! Collect: discover the organization and its regions, then read every account with every
//! source's collector, all at once, under one cap on in-flight calls.
//!
//! There are no phases. Each account is read by its own task: its role is assumed when a read
//! first needs it, its enabled regions are listed once, and every source's region and account
//! collectors run concurrently ([`Registry::collect_region`], [`Registry::collect_account`]).
//! Organization-wide reads (`SourceDef::organization`) run beside the accounts.
//!
//! Every account starts at once, but only [`in_progress`](crate::aws::call::in_progress)
//! account-regions (and account-level reads) collect at a time: a source's pending call holds
//! its request and client, and with every account-region of a large organization pending at
//! once memory grew with the organization (2.3 GB at 200 accounts x 17 regions). The window is wider than the calls
//! `--concurrency` lets fly, so it never idles the run; an account-region frees its place as
//! soon as its own reads end, so no phase waits on another account's slowest call.

use super::Registry;
use crate::aws::call::in_progress;
use crate::aws::call::CallCtx;
use crate::aws::collect::{
    discover, Account, AccountCtx, CollectRequest, Org, PlanReadCtx, RegionCtx,
};
use crate::aws::Failure;
use crate::inventory::*;
use futures::future::join_all;
use indicatif::ProgressBar;
use tokio::sync::Semaphore;

/// Collect the inventory. Fails only when the caller itself cannot be identified (no usable
/// credentials) or the request cannot be met; every other failure is recorded in the inventory.
pub async fn collect<R: Registry>(
    req: &CollectRequest,
    baseline: &R::Baseline,
    progress: &ProgressBar,
) -> Result<(Inventory<R>, u64), Failure> {
    let org = discover(req, progress).await?;
    // A shard reads its own accounts; the organization-wide reads below still see them all.
    let mine: Vec<&crate::aws::collect::Account> = org
        .accounts
        .iter()
        .filter(|a| req.shard.is_none_or(|(k, n)| in_shard(&a.id, k, n)))
        .collect();
    progress.set_length((mine.len() * org.regions.len()) as u64);
    progress.set_style(crate::io::progress_counting());
    progress.set_message(format!(
        "reading {} account(s) × {} region(s)",
        mine.len(),
        org.regions.len()
    ));
    let window = Semaphore::new(in_progress(req.concurrency));
    let accounts = join_all(
        mine.iter()
            .map(|a| account_inventory::<R>(&org, a, &window, progress)),
    );
    let organization_reads = async {
        join_all(
            R::sources()
                .iter()
                .filter_map(|s| s.organization)
                .map(|f| f(&org)),
        )
        .await;
        // Every source that names buckets to read in detail has named them.
        org.detail_buckets.finish();
    };
    // For plan, the sources' plan-time reads run beside the audit; one that cannot be made
    // (an account plan must reach) stops the run at once.
    let plan_ctx = PlanReadCtx {
        org: &org,
        b: baseline,
    };
    let plan_reads = async {
        if !req.plan {
            return Ok(None);
        }
        R::collect_plan(&plan_ctx)
            .await
            .map(Some)
            .map_err(Failure::Usage)
    };
    let audit = async { Ok(tokio::join!(accounts, organization_reads).0) };
    let (mut accounts, managed) = tokio::try_join!(audit, plan_reads)?;
    accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    let inv = Inventory {
        managed,
        schema_version: INVENTORY_SCHEMA_VERSION,
        collected_at: crate::timefmt::rfc3339(time::OffsetDateTime::now_utc()),
        partition: org.partition.clone(),
        mode: org.mode,
        mode_reason: org.mode_reason.clone(),
        caller_account_id: org.caller.account_id.clone(),
        organization: org.organization.clone(),
        regions: org.regions.clone(),
        regions_left_out: org.regions_left_out.clone(),
        accounts,
    };
    Ok((inv, org.counter.get()))
}

/// Everything about one account: reachable or not, each region enabled or not, every source.
async fn account_inventory<R: Registry>(
    org: &Org,
    a: &Account,
    window: &Semaphore,
    progress: &ProgressBar,
) -> AccountInventory<R> {
    let statuses = a.region_status(org).await;
    let session = match a.session(org).await {
        Ok(s) => s,
        Err(e) => {
            progress.inc(statuses.len() as u64);
            return AccountInventory {
                account_id: a.id.clone(),
                name: a.name.clone(),
                access: Collected::failed(&e),
                regions: statuses
                    .into_iter()
                    .map(|(region, _)| RegionInventory {
                        region,
                        enabled: Collected::failed(&e),
                        data: R::RegionData::failed(&e),
                    })
                    .collect(),
                data: R::AccountData::failed(&e),
            };
        }
    };
    let enabled: Vec<String> = statuses
        .iter()
        .filter(|(_, s)| s.value().is_some())
        .map(|(r, _)| r.clone())
        .collect();
    let actx = AccountCtx {
        org,
        account: a,
        session,
        call: CallCtx::new(&a.id, None, &org.counter),
        regions: enabled,
    };
    let regions = join_all(statuses.into_iter().map(|(region, enabled)| async move {
        let data = match enabled.error() {
            Some(e) => R::RegionData::failed(e),
            None => {
                let rctx = RegionCtx {
                    org,
                    account: a,
                    session,
                    region: &region,
                    call: CallCtx::new(&a.id, Some(&region), &org.counter),
                };
                // Never closed.
                let _place = window.acquire().await.expect("open semaphore");
                // Boxed: an async block is as large as its largest state, so every waiting
                // account-region would otherwise hold the whole of a running collector's
                // state (every source's pending calls) from the start.
                Box::pin(R::collect_region(&rctx)).await
            }
        };
        progress.inc(1);
        RegionInventory {
            region,
            enabled,
            data,
        }
    }));
    let account_level = async {
        let _place = window.acquire().await.expect("open semaphore");
        Box::pin(R::collect_account(&actx)).await
    };
    let (regions, data) = tokio::join!(regions, account_level);
    AccountInventory {
        account_id: a.id.clone(),
        name: a.name.clone(),
        access: Collected::ok(()),
        regions,
        data,
    }
}
