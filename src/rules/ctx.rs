//! The evaluation context every check gets, and the helpers that make every account and region
//! appear in the report: `unknown` where an account or a listing could not be read,
//! `not_applicable` where a region is not enabled.

use super::{LogBuckets, Raw};
use crate::facts::Facts;
use crate::finding::Status;
use crate::inventory::{
    AccountInventory, CallError, Collected, Inventory, RegionInventory, ScopeMode,
};
use crate::profile::Profile;
use crate::shape::Shape;

/// What the checks share, built once per evaluation.
pub struct Ctx<'a, S: Shape> {
    pub inv: &'a Inventory<S>,
    pub b: &'a S::Baseline,
    /// What the sources published for each other before the checks ran (the trails by ARN,
    /// the buckets by name, where trails could not be listed...), by type.
    pub facts: Facts,
    /// Buckets that receive logs: trail buckets, access-log targets, flow-log and ELB log
    /// buckets; and where that list may be incomplete.
    pub log_buckets: LogBuckets,
    /// When the inventory was collected: the "now" of every judgement about time (stale
    /// deliveries, ages), so a saved inventory is judged as of its collection.
    pub now: Option<time::OffsetDateTime>,
}

impl<'a, S: Shape> Ctx<'a, S> {
    pub fn in_org(&self) -> bool {
        self.inv.mode == ScopeMode::Organization && self.inv.organization.is_some()
    }

    /// The enabled regions of an account, with their inventory.
    pub fn enabled_regions(
        &self,
        a: &'a AccountInventory<S>,
    ) -> impl Iterator<Item = &'a RegionInventory<S>> {
        a.regions.iter().filter(|r| r.enabled.value().is_some())
    }
}

/// Why something is unknown, for a message.
pub fn unknown_because(e: &CallError) -> String {
    format!(
        "could not be read: {} {} returned {} ({}); {}",
        e.service,
        e.operation,
        e.code,
        e.message,
        e.advice()
    )
}

/// `unknown` findings for an account whose role could not be assumed, or `not_applicable` ones
/// for regions that are not enabled. Checks call this so every account appears in the report.
pub fn account_unreachable<S: Shape>(
    a: &AccountInventory<S>,
    region: Option<&str>,
    resource: &str,
) -> Option<Raw> {
    let e = a.access.error()?;
    Some(Raw::new(
        Status::Unknown,
        Some(&a.account_id),
        region,
        resource,
        format!(
            "account not audited: {} failed ({}: {}); {}",
            e.operation,
            e.code,
            e.message,
            e.advice()
        ),
    ))
}

/// One finding per account (resource: the account id), all with `status`; `msg` gets the id.
pub fn every_account<S: Shape>(
    ctx: &Ctx<S>,
    status: Status,
    msg: impl Fn(&str) -> String,
) -> Vec<Raw> {
    ctx.inv
        .accounts
        .iter()
        .map(|a| {
            Raw::new(
                status,
                Some(&a.account_id),
                None,
                a.account_id.clone(),
                msg(&a.account_id),
            )
        })
        .collect()
}

/// The verdict for a region that is not enabled, if it is not.
pub fn region_not_enabled<S: Shape>(
    a: &AccountInventory<S>,
    r: &RegionInventory<S>,
    resource: &str,
) -> Option<Raw> {
    let e = r.enabled.error()?;
    Some(if e.code == "RegionNotEnabled" {
        Raw::new(
            Status::NotApplicable,
            Some(&a.account_id),
            Some(&r.region),
            resource,
            format!("region {} is not enabled for this account", r.region),
        )
    } else {
        Raw::new(
            Status::Unknown,
            Some(&a.account_id),
            Some(&r.region),
            resource,
            format!("whether the region is enabled {}", unknown_because(e)),
        )
    })
}

/// Walk every account × region: emits the right `unknown` / `not_applicable` finding for
/// unreachable accounts and regions that are not enabled, and lets `f` push the findings of each
/// reachable, enabled region (one per region, or one per resource in it).
pub fn per_enabled_region<'a, S: Shape>(
    ctx: &Ctx<'a, S>,
    mut f: impl FnMut(&'a AccountInventory<S>, &'a RegionInventory<S>, &mut Vec<Raw>),
) -> Vec<Raw> {
    let mut out = Vec::new();
    for a in &ctx.inv.accounts {
        for r in &a.regions {
            let res = format!("{}:{}", a.account_id, r.region);
            if let Some(raw) = account_unreachable(a, Some(&r.region), &res) {
                out.push(raw);
            } else if let Some(raw) = region_not_enabled(a, r, &res) {
                out.push(raw);
            } else {
                f(a, r, &mut out);
            }
        }
    }
    out
}

/// One finding per account × region (resource `ACCOUNT:REGION`).
pub fn per_account_region<'a, S: Shape>(
    ctx: &Ctx<'a, S>,
    mut f: impl FnMut(&'a AccountInventory<S>, &'a RegionInventory<S>) -> Raw,
) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| out.push(f(a, r)))
}

/// Walk every account for a source read once per account in `region` (a global service, read
/// in the partition's global region): an `unknown` finding for an unreachable account, one for
/// the account when its `list` (of `what`) failed, and `f` pushes the findings of each account's
/// listed items.
pub fn per_account_listed<'a, T: 'a, S: Shape>(
    ctx: &Ctx<'a, S>,
    region: &str,
    what: &str,
    list: impl Fn(&'a AccountInventory<S>) -> &'a Collected<Vec<T>>,
    mut f: impl FnMut(&'a AccountInventory<S>, &'a [T], &mut Vec<Raw>),
) -> Vec<Raw> {
    let mut out = Vec::new();
    for a in &ctx.inv.accounts {
        if let Some(raw) = account_unreachable(a, Some(region), &a.account_id) {
            out.push(raw);
            continue;
        }
        match need(list(a)) {
            Ok(items) => f(a, items, &mut out),
            Err(e) => out.push(Raw::new(
                Status::Unknown,
                Some(&a.account_id),
                Some(region),
                a.account_id.clone(),
                format!("{what} {e}"),
            )),
        }
    }
    out
}

/// The resources a region lists, or one `unknown` finding for the region when the list failed.
pub fn listed<'v, T, S: Shape>(
    a: &AccountInventory<S>,
    r: &RegionInventory<S>,
    list: &'v Collected<Vec<T>>,
    what: &str,
    out: &mut Vec<Raw>,
) -> Option<&'v Vec<T>> {
    match need(list) {
        Ok(v) => Some(v),
        Err(e) => {
            let res = format!("{}:{}", a.account_id, r.region);
            out.push(Raw::new(
                Status::Unknown,
                Some(&a.account_id),
                Some(&r.region),
                res,
                format!("{what} {e}"),
            ));
            None
        }
    }
}

/// The account-level findings when a check is not required by the baseline.
pub fn not_required<S: Shape>(ctx: &Ctx<S>, what: &str) -> String {
    format!("{what} is not required by baseline '{}'", ctx.b.name())
}

/// Turn a collected value into a verdict or an `unknown` finding.
pub fn need<T>(c: &Collected<T>) -> Result<&T, String> {
    c.as_result().map_err(unknown_because)
}
