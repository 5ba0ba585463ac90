//! How far back management events can be read, per account: the best logging trail that covers
//! the account (bounded by its bucket's expiration and by when it started logging), never less
//! than the 90-day event history.

use super::checks::{not_logging_reason, trails_for};
use super::selectors;
use crate::finding::Lookback;
use crate::sources::Ctx;

/// The free CloudTrail event history: 90 days of management events per region, with no trail.
const EVENT_HISTORY_DAYS: u32 = 90;

/// How reports name a lookback only the event history answers.
const EVENT_HISTORY: &str = "event history";

/// What reports say of this source's lookback.
pub const NOTE: &str = "CloudTrail: management events; grey: only the 90-day event history, which has no data events and is searched region by region";

/// How many days back management events can be read, per account: the best logging trail that
/// covers the account (bounded by its bucket's lifecycle expiration and by when it started
/// logging), never less than the 90-day event history.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let now = ctx.now;
    let org_id = ctx.inv.organization.as_ref().map(|o| o.id.as_str());
    ctx.inv
        .accounts
        .iter()
        .map(|a| {
            let mut best: Option<(u32, String)> = None;
            let mut seen = std::collections::BTreeSet::new();
            for r in &a.regions {
                for t in trails_for(ctx, a, &r.region) {
                    if !seen.insert(t.arn.clone()) || !matches!(not_logging_reason(t, ctx.now), Ok(None)) {
                        continue;
                    }
                    if !t.selectors.value().is_some_and(selectors::records_management_events) {
                        continue;
                    }
                    let age = match (
                        now,
                        t.status.value().and_then(|s| s.start_logging_time.as_deref()).and_then(crate::timefmt::parse),
                    ) {
                        (Some(n), Some(start)) => Some(((n - start).whole_days().max(0)) as u32),
                        _ => None,
                    };
                    // The rules that expire this account's log files: the whole bucket's, and
                    // those scoped to `AWSLogs/` or to the account's own folder.
                    let expiry = t.s3_bucket_name.as_deref().and_then(|b| {
                        let key = t.account_logs_prefix(&a.account_id, org_id);
                        crate::sources::s3_access_logs::buckets::keeps(ctx, b, &key).flatten()
                    });
                    let (days, basis) = match (expiry, age) {
                        (Some(e), Some(age)) if age < e => {
                            (age, format!("trail '{}' started logging {age} days ago (its bucket keeps logs {e} days)", t.name))
                        }
                        (Some(e), _) => (e, format!("trail '{}': its bucket expires logs after {e} days", t.name)),
                        (None, Some(age)) => (age, format!("trail '{}' started logging {age} days ago; its bucket keeps logs indefinitely", t.name)),
                        (None, None) => continue,
                    };
                    if best.as_ref().is_none_or(|(d, _)| days > *d) {
                        best = Some((days, basis));
                    }
                }
            }
            let (days, basis, floor) = match best {
                Some((d, b)) if d >= EVENT_HISTORY_DAYS => (d, b, None),
                Some((d, b)) => (EVENT_HISTORY_DAYS, format!("90-day event history ({b}, only {d} days)"), Some(EVENT_HISTORY)),
                None => (EVENT_HISTORY_DAYS, "90-day CloudTrail event history only: no logging trail with a known start or retention".into(), Some(EVENT_HISTORY)),
            };
            Lookback {
                account_id: a.account_id.clone(),
                source: super::SOURCE.id.into(),
                days,
                basis,
                floor,
            }
        })
        .collect()
}
