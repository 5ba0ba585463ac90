//! How far back each account's S3 server access logs can answer: per bucket the check judges
//! (in an audited region, neither excluded nor an access-log target), how long its target bucket
//! keeps the objects under its target prefix (the target's lifecycle expiration); 0 for a bucket
//! that logs no requests. A target that never expires them, or whose lifecycle was not read,
//! gives no figure.

use crate::finding::Lookback;
use crate::rules::lookback_per_account;
use crate::sources::Ctx;

/// What reports say of this source's lookback.
pub const NOTE: &str = "S3 server access logs: the bucket whose access logs reach back least (its target bucket's lifecycle expiration for its prefix; 0 for a bucket that logs nothing; a target that keeps them indefinitely, or whose lifecycle was not read, gives no figure)";

pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.s3_access_logs else {
        return vec![];
    };
    let targets = super::buckets::access_log_targets(ctx);
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let buckets = a.data.s3_access_logs.buckets.value()?;
        let mut out = Vec::new();
        for bk in buckets {
            if bk.region.value() != Some(&r.region)
                || want.excludes(&bk.name)
                || targets.contains(&bk.name)
            {
                continue;
            }
            match bk.logging.value()? {
                None => out.push((0, format!("bucket {} logs no requests", bk.name))),
                Some(t) => {
                    if let Some(Some(k)) =
                        super::buckets::keeps(ctx, &t.target_bucket, &t.target_prefix)
                    {
                        out.push((
                            k,
                            format!(
                                "bucket {}: its target {} keeps the logs {k} days",
                                bk.name, t.target_bucket
                            ),
                        ));
                    }
                }
            }
        }
        Some(out)
    })
}
