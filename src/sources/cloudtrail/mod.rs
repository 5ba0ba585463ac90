//! CloudTrail: trails (organization, multi-region, shadow copies counted once), their event
//! selectors judged by what they capture, their status and delivery, their KMS key, insights,
//! and how far back management events can be read.

pub mod apply;
pub mod checks;
pub mod collect;
pub mod data_events;
pub mod lookback;
pub mod merge;
pub mod model;
pub mod plan;
pub mod policies;
pub mod profile;
pub mod query;
pub mod selectors;

use super::SourceDef;
use crate::inventory::CallError;
use crate::report::Coverage;
use crate::rules::{unknown_because, DoubtScope, Gap, LogBuckets};
use crate::sources::{AccountInventory, Ctx, Inventory};
use model::Trail;
use std::collections::BTreeMap;

pub static SOURCE: SourceDef = SourceDef {
    id: "cloudtrail",
    title: "CloudTrail management and data events",
    checks: checks::CHECKS,
    coverage: Some(Coverage {
        label: "trail",
        checks: &["cloudtrail.coverage"],
    }),
    log_buckets,
    facts: Some(publish),
    lookback: Some(lookback::lookback),
    lookback_note: Some(lookback::NOTE),
    organization: Some(|org| Box::pin(collect::organization(org))),
    validate: profile::validate,
    plan_facts: Some(plan::publish),
    plan: Some(plan::plan),
    control_tower_managed: true,
    trusted_access: |_| Some("cloudtrail.amazonaws.com"),
    archive_bucket_statements: policies::archive_bucket,
    archive_key_statements: policies::archive_key,
    query: Some(query::query),
    ..SourceDef::NONE
};

/// Every trail delivers to a bucket, in any account and region: an account whose trails could
/// not all be listed may deliver to any bucket.
fn log_buckets(inv: &Inventory, out: &mut LogBuckets) {
    for a in &inv.accounts {
        for t in &a.data.cloudtrail.trails {
            out.names.extend(t.s3_bucket_name.clone());
        }
        if let Some(e) = listing_error(a) {
            out.doubt(
                DoubtScope::Anywhere,
                format!(
                    "the trails of account {} (which may deliver to it) could not be read ({}: {})",
                    a.account_id, e.iam_action, e.code
                ),
            );
        }
    }
}

/// Every trail whose details were read, once, by ARN (the owner's read preferred), as
/// (account, trail) positions in the inventory: published for the checks of every source.
#[derive(Debug, Default)]
pub struct Trails(BTreeMap<String, (usize, usize)>);

/// The read trails by owner account, and the organization trails (positions in the inventory,
/// in ARN order): what [`checks::trails_for`] looks up for every account and region, so its cost
/// grows with the account's own trails, never with the organization's.
#[derive(Debug, Default)]
pub struct TrailIndex {
    pub by_owner: BTreeMap<String, Vec<(usize, usize)>>,
    pub organization: Vec<(usize, usize)>,
}

/// Where trails could not be listed (an unreachable account, a region whose trails or whose
/// status could not be read): [`trails`] is complete everywhere else. Checks over trails, or
/// over what trails name (their buckets), report each gap as `unknown`, so nothing they would
/// have judged silently disappears.
#[derive(Debug, Default)]
pub struct TrailGaps(pub Vec<Gap>);

fn publish(ctx: &mut Ctx) {
    let mut by_arn: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (i, a) in ctx.inv.accounts.iter().enumerate() {
        for (j, t) in a.data.cloudtrail.trails.iter().enumerate() {
            let owned = crate::arn::account_of(&t.arn) == Some(a.account_id.as_str());
            if owned || !by_arn.contains_key(&t.arn) {
                by_arn.insert(t.arn.clone(), (i, j));
            }
        }
    }
    let gaps = trail_gaps(ctx.inv);
    let mut index = TrailIndex::default();
    for (arn, (i, j)) in &by_arn {
        if let Some(owner) = crate::arn::account_of(arn) {
            index
                .by_owner
                .entry(owner.to_string())
                .or_default()
                .push((*i, *j));
        }
        let t = ctx
            .inv
            .accounts
            .get(*i)
            .and_then(|a| a.data.cloudtrail.trails.get(*j));
        if t.is_some_and(|t| t.is_organization_trail) {
            index.organization.push((*i, *j));
        }
    }
    ctx.facts.insert(index);
    ctx.facts.insert(Trails(by_arn));
    ctx.facts.insert(TrailGaps(gaps));
}

/// Every trail whose details were read, by ARN.
pub fn trails<'c, 'a>(ctx: &'c Ctx<'a>) -> impl Iterator<Item = &'a Trail> + 'c {
    let inv = ctx.inv;
    ctx.facts
        .get::<Trails>()
        .into_iter()
        .flat_map(|t| t.0.values())
        .filter_map(move |(i, j)| inv.accounts.get(*i)?.data.cloudtrail.trails.get(*j))
}

/// Whether the details of the trail with this ARN were read.
pub fn is_read(ctx: &Ctx, arn: &str) -> bool {
    ctx.facts
        .get::<Trails>()
        .is_some_and(|t| t.0.contains_key(arn))
}

/// Where trails could not be listed.
pub fn gaps<'c>(ctx: &'c Ctx) -> &'c [Gap] {
    ctx.facts.get::<TrailGaps>().map_or(&[], |g| g.0.as_slice())
}

/// Where the trails could not be listed.
fn trail_gaps(inv: &Inventory) -> Vec<Gap> {
    let mut out = Vec::new();
    for a in &inv.accounts {
        if let Some(e) = a.access.error() {
            out.push(Gap {
                account_id: a.account_id.clone(),
                region: None,
                reason: format!(
                    "the account was not audited ({} failed: {}: {})",
                    e.iam_action, e.code, e.message
                ),
            });
            continue;
        }
        for r in &a.regions {
            let failed = match r.enabled.error() {
                Some(e) if e.code == "RegionNotEnabled" => continue,
                Some(e) => Some(e),
                None => r.data.cloudtrail.trails.error(),
            };
            if let Some(e) = failed {
                out.push(Gap {
                    account_id: a.account_id.clone(),
                    region: Some(r.region.clone()),
                    reason: format!("its trails {}", unknown_because(e)),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;

/// Why the account's trails may be incomplete: the account was not reached, or a region that
/// may be enabled could not be listed (the first such error).
pub fn listing_error(a: &AccountInventory) -> Option<&CallError> {
    if let Some(e) = a.access.error() {
        return Some(e);
    }
    a.regions.iter().find_map(|r| match r.enabled.error() {
        Some(e) if e.code == "RegionNotEnabled" => None,
        Some(e) => Some(e),
        None => r.data.cloudtrail.trails.error(),
    })
}
