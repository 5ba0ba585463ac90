//! Helpers for a source's lookback: how far back its logs can answer, per account.

use super::Ctx;
use crate::finding::Lookback;
use crate::inventory::{AccountInventory, RegionInventory};
use crate::shape::Shape;

/// The lookback of `source` per account: the smallest of the (days, basis) candidates `f` gives
/// for each enabled region of each reachable account. `f` answers `None` when the region could
/// not be read: the account is then left out (its findings are `unknown`), never guessed.
pub fn lookback_per_account<'a, S: Shape>(
    ctx: &Ctx<'a, S>,
    source: &str,
    mut f: impl FnMut(&'a AccountInventory<S>, &'a RegionInventory<S>) -> Option<Vec<(u32, String)>>,
) -> Vec<Lookback> {
    let mut out = Vec::new();
    'accounts: for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        let mut worst: Option<(u32, String)> = None;
        for r in ctx.enabled_regions(a) {
            let Some(candidates) = f(a, r) else {
                continue 'accounts;
            };
            for c in candidates {
                if worst.as_ref().is_none_or(|(d, _)| c.0 < *d) {
                    worst = Some(c);
                }
            }
        }
        if let Some((days, basis)) = worst {
            out.push(Lookback {
                account_id: a.account_id.clone(),
                source: source.into(),
                days,
                basis,
                floor: None,
            });
        }
    }
    out
}

/// Days since `since` (ISO 8601) at the audit's time, when both are known.
pub fn age_days<S: Shape>(ctx: &Ctx<S>, since: Option<&str>) -> Option<u32> {
    match (ctx.now, since.and_then(crate::timefmt::parse)) {
        (Some(n), Some(t)) => Some((n - t).whole_days().max(0) as u32),
        _ => None,
    }
}
