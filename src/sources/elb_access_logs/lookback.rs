//! How far back each account's load-balancer access logs can answer: per load balancer the
//! profile asks to log, how long its bucket keeps the objects under its key prefix
//! (`[prefix/]AWSLogs/ACCOUNT/elasticloadbalancing/REGION/`, the bucket's lifecycle expiration);
//! 0 for one that writes no access logs. A bucket that never expires them gives no figure (when
//! the logging started is not known); one whose lifecycle was not read gives none either.

use super::model::LoadBalancerKind;
use crate::finding::Lookback;
use crate::rules::lookback_per_account;
use crate::sources::Ctx;

/// What reports say of this source's lookback.
pub const NOTE: &str = "Load balancer access logs: the load balancer whose logs reach back least (its bucket's lifecycle expiration for its prefix; 0 for one writing none; a bucket that keeps them indefinitely, or whose lifecycle was not read, gives no figure)";

pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let b = &ctx.b.elb_access_logs;
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let lbs = r.data.elb_access_logs.load_balancers.value()?;
        let mut out = Vec::new();
        for lb in lbs {
            let (required, kind) = match lb.kind {
                LoadBalancerKind::Application => (b.alb, "ALB"),
                LoadBalancerKind::Classic => (b.clb, "Classic Load Balancer"),
                LoadBalancerKind::Network => (b.nlb, "NLB"),
                LoadBalancerKind::Gateway => (false, ""),
            };
            if !required {
                continue;
            }
            if !*lb.access_logs_enabled.value()? {
                out.push((
                    0,
                    format!("{kind} {} in {} writes no access logs", lb.name, r.region),
                ));
                continue;
            }
            let Some(bucket) = lb.access_logs_bucket.as_deref() else {
                continue;
            };
            let prefix = lb
                .access_logs_prefix
                .as_deref()
                .unwrap_or("")
                .trim_matches('/');
            let key = if prefix.is_empty() {
                format!(
                    "AWSLogs/{}/elasticloadbalancing/{}/",
                    a.account_id, r.region
                )
            } else {
                format!(
                    "{prefix}/AWSLogs/{}/elasticloadbalancing/{}/",
                    a.account_id, r.region
                )
            };
            if let Some(Some(k)) = crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &key)
            {
                out.push((
                    k,
                    format!(
                        "{kind} {}: bucket {bucket} keeps its logs {k} days",
                        lb.name
                    ),
                ));
            }
        }
        Some(out)
    })
}
