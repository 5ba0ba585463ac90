//! AWS's request rate limits as token buckets, one per account, region and API (or per the
//! group of APIs AWS meters together), with the rates AWS publishes; and the per-call latency.
//!
//! Rates are requests per second (refill) and the bucket's size (burst), from the services'
//! quota pages: EC2's non-mutating Describe* share one bucket of 100 refilled at 20/s; Route 53
//! allows 5 requests per second per account (every region, every API); CloudTrail's read APIs
//! 10/s (LookupEvents 2/s); CloudWatch Logs' Describe* 5 to 10/s; Security Hub 10/s (burst 30);
//! Lambda's control plane 15/s; STS 600/s; S3 5,500 GET/HEAD per second per prefix. APIs
//! without a published figure get 10/s with a burst of 20 (the common default).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::wire::Call;

/// (refill per second, bucket size) for a call, and the key of the bucket it draws from.
pub fn rate(call: &Call, account: &str) -> (f64, f64, String) {
    let op = call.operation.as_str();
    let (per_second, burst, group): (f64, f64, &str) = match call.service.as_str() {
        "ec2" if op.starts_with("Describe") => (20.0, 100.0, "describe"),
        "route53" => (5.0, 5.0, "all"),
        "cloudtrail" if op == "LookupEvents" => (2.0, 2.0, op),
        "cloudtrail" => (10.0, 10.0, op),
        "logs" if op == "DescribeLogGroups" => (10.0, 10.0, op),
        "logs" => (5.0, 5.0, op),
        "securityhub" => (10.0, 30.0, op),
        "lambda" => (15.0, 15.0, "control-plane"),
        "sts" => (600.0, 600.0, op),
        "s3" => (5500.0, 5500.0, op),
        "kms" => (2000.0, 2000.0, "read"),
        "monitoring" if op == "DescribeAlarms" => (9.0, 9.0, op),
        "config" => (7.0, 14.0, op),
        "organizations" => (20.0, 40.0, op),
        _ => (10.0, 20.0, op),
    };
    // Route 53, CloudFront, Organizations, IAM and Budgets are global: one bucket per account.
    let region = match call.service.as_str() {
        "route53" | "cloudfront" | "organizations" | "iam" | "budgets" => "global",
        _ => call.region.as_str(),
    };
    let key = format!("{account}/{region}/{}/{group}", call.service);
    (per_second, burst, key)
}

struct Bucket {
    tokens: f64,
    last: Instant,
    per_second: f64,
    burst: f64,
    /// Calls that drew (or tried to draw) from this bucket.
    calls: u64,
}

/// Every bucket, created full on first use.
#[derive(Default)]
pub struct Buckets {
    inner: Mutex<HashMap<String, Bucket>>,
}

impl Buckets {
    /// Takes a token for the call; false when the bucket is empty (AWS throttles the call).
    pub fn take(&self, key: String, per_second: f64, burst: f64) -> bool {
        let now = Instant::now();
        let mut all = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let b = all.entry(key).or_insert(Bucket {
            tokens: burst,
            last: now,
            per_second,
            burst,
            calls: 0,
        });
        b.calls += 1;
        b.tokens =
            (b.tokens + now.duration_since(b.last).as_secs_f64() * b.per_second).min(b.burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// The least time the busiest bucket needs for the calls it saw: (calls - burst) / rate,
    /// with its key.
    pub fn drain_bound(&self) -> (f64, String) {
        let all = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        all.iter()
            .map(|(k, b)| {
                (
                    ((b.calls as f64 - b.burst).max(0.0)) / b.per_second,
                    k.clone(),
                )
            })
            .fold((0.0, String::new()), |a, b| if b.0 > a.0 { b } else { a })
    }
}

/// Per-call latency: log-normal with the given median, a long tail (sigma 0.8: 90th percentile
/// about 2.8x the median, 99th 6.4x), cut at `max`.
pub fn latency(median_ms: f64, max_ms: f64) -> Duration {
    // Box-Muller from two uniforms in (0, 1].
    let u1 = 1.0 - fastrand::f64();
    let u2 = fastrand::f64();
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    let ms = (median_ms * (0.8 * z).exp()).min(max_ms);
    Duration::from_secs_f64(ms / 1000.0)
}

/// The mean of that distribution (without the cut, a slight overestimate): median x e^(sigma^2 / 2).
pub fn mean_latency_ms(median_ms: f64) -> f64 {
    median_ms * (0.8f64 * 0.8 / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses() {
        let b = Buckets::default();
        let taken = (0..30).filter(|_| b.take("k".into(), 1.0, 20.0)).count();
        assert_eq!(taken, 20);
        let (secs, key) = b.drain_bound();
        assert_eq!(key, "k");
        assert!((secs - 10.0).abs() < 1e-9);
    }

    #[test]
    fn latency_median_is_near_the_given_one() {
        let mut v: Vec<f64> = (0..20_000)
            .map(|_| latency(40.0, 400.0).as_secs_f64() * 1000.0)
            .collect();
        v.sort_by(|a, b| a.total_cmp(b));
        let median = v[v.len() / 2];
        assert!((36.0..44.0).contains(&median), "median {median}");
        assert!(v[v.len() - 1] <= 400.0);
    }
}
