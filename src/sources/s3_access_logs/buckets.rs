//! The buckets of every account, by name, and the buckets that are access-log targets:
//! published for the checks of every source ([`find`], [`access_log_targets`]).

use super::model::Bucket;
use crate::plan::Lookup;
use crate::rules::LogBuckets;
use crate::sources::{AccountInventory, Ctx, PlanCtx};
use std::collections::HashMap;

/// Bucket name → (account, bucket) positions in the inventory.
#[derive(Debug, Default)]
struct Index(HashMap<String, (usize, usize)>);

/// Buckets that are themselves server-access-log targets; and where that list may be incomplete
/// (a bucket's logging could not be read: its target, in the same account and region, is
/// unknown).
#[derive(Debug, Default)]
struct AccessLogTargets(LogBuckets);

pub fn publish(ctx: &mut Ctx) {
    let mut index = HashMap::new();
    for (i, a) in ctx.inv.accounts.iter().enumerate() {
        for (j, bk) in a
            .data
            .s3_access_logs
            .buckets
            .value()
            .into_iter()
            .flatten()
            .enumerate()
        {
            index.insert(bk.name.clone(), (i, j));
        }
    }
    let mut targets = LogBuckets::default();
    super::access_log_targets(ctx.inv, &mut targets);
    ctx.facts.insert(Index(index));
    ctx.facts.insert(AccessLogTargets(targets));
}

/// The bucket of this name, with the account that owns it, if the audit read it.
pub fn find<'a>(ctx: &Ctx<'a>, name: &str) -> Option<(&'a AccountInventory, &'a Bucket)> {
    let (i, j) = *ctx.facts.get::<Index>()?.0.get(name)?;
    let a = ctx.inv.accounts.get(i)?;
    let bk = a.data.s3_access_logs.buckets.value()?.get(j)?;
    Some((a, bk))
}

/// How long the bucket `name` keeps the objects under `key`: the least expiration of its
/// lifecycle rules that act on any of them ([`LifecycleRule::touches`](crate::inventory::LifecycleRule::touches):
/// a rule on a region's folder shortens how far back that region's logs reach). `None`: the bucket or its lifecycle was not
/// read; `Some(None)`: no rule expires them.
pub fn keeps(ctx: &Ctx, name: &str, key: &str) -> Option<Option<u32>> {
    let (_, bk) = find(ctx, name)?;
    let rules = bk.details.as_ref()?.lifecycle_rules.value()?;
    Some(
        rules
            .iter()
            .filter(|r| r.touches(key))
            .filter_map(|r| r.expires_after(ctx.now))
            .min()
            .map(|d| d.max(0) as u32),
    )
}

/// The bucket `name` of `account` for a planner: found, missing, or unknown when the account's
/// buckets could not be listed.
pub fn lookup<'a>(ctx: &PlanCtx<'a>, account: &str, name: &str) -> Lookup<'a, Bucket> {
    match ctx
        .account(account)
        .map(|a| a.data.s3_access_logs.buckets.as_result())
    {
        None => Lookup::Missing,
        Some(Err(e)) => Lookup::Unknown(e),
        Some(Ok(list)) => match list.iter().find(|bk| bk.name == name) {
            Some(bk) => Lookup::Found(bk),
            None => Lookup::Missing,
        },
    }
}

/// The buckets that are access-log targets, and where that list may be incomplete.
pub fn access_log_targets<'c>(ctx: &'c Ctx) -> &'c LogBuckets {
    static NONE: LogBuckets = LogBuckets::new();
    ctx.facts.get::<AccessLogTargets>().map_or(&NONE, |t| &t.0)
}
