//! How far back each account's configuration history can answer ("what did this security
//! group look like last March?"): per region, the recorder's retention (the retention
//! configuration, or AWS's default of 2,557 days), bounded by when it last started recording;
//! the account's lookback is its region that reaches back least (0 for a region with no
//! recording recorder).

use crate::finding::Lookback;
use crate::rules::{age_days, lookback_per_account};
use crate::sources::Ctx;

/// AWS Config keeps configuration items 7 years unless a retention configuration says less.
pub const DEFAULT_RETENTION_DAYS: u32 = 2557;

/// What reports say of this source's lookback.
pub const NOTE: &str = "Config: the region whose configuration history reaches back least (its retention, 2,557 days by default, bounded by when its recorder last started; 0 for a region not recorded)";

pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if !ctx.b.config.recorder {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let d = &r.data.config;
        let recorders = d.recorders.value()?;
        let Some(rec) = recorders
            .iter()
            .find(|x| x.recording.value() == Some(&true))
        else {
            // Unknown when the recording state itself could not be read.
            if recorders.iter().any(|x| x.recording.error().is_some()) {
                return None;
            }
            return Some(vec![(
                0,
                format!("no Config recorder is recording in {}", r.region),
            )]);
        };
        let (keeps, how) = match d.retention_days.value()? {
            Some(days) => (*days, "its retention configuration"),
            None => (DEFAULT_RETENTION_DAYS, "AWS's default retention"),
        };
        Some(vec![match age_days(ctx, rec.last_start_time.as_deref()) {
            Some(age) if age < keeps => (
                age,
                format!(
                    "recorder {} in {} recording since {age} days ago (keeps {keeps} days by {how})",
                    rec.name, r.region
                ),
            ),
            Some(_) => (
                keeps,
                format!(
                    "recorder {} in {}: {keeps} days by {how}",
                    rec.name, r.region
                ),
            ),
            None => (
                keeps,
                format!(
                    "recorder {} in {}: {keeps} days by {how} (when it started recording was not read)",
                    rec.name, r.region
                ),
            ),
        }])
    })
}
