//! CloudFront logging: every distribution writes access logs, by standard logging (legacy or
//! v2); real-time log configurations are named.

use super::model::{Distribution, V2Delivery};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, CisAwsV7, Nist80053};
use crate::inventory::Collected;
use crate::rules::{
    lookback_per_account, not_required, per_account_listed, unknown_because, CheckInfo, Fix, Raw,
    Resource, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// CloudFront distributions, judged one by one.
pub static DISTRIBUTION: Resource = Resource {
    id: "cloudfront_distribution",
    label: "CloudFront distribution",
    cloudformation_type: "AWS::CloudFront::Distribution",
    asff_type: "AwsCloudFrontDistribution",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "cloudfront.logging",
        title: "Every CloudFront distribution writes access logs (standard logging, legacy or v2)",
        severity: Severity::Medium,
        scope: Subject::Resource(&DISTRIBUTION),
        looks_at: "ListDistributions and the account's CloudWatch Logs deliveries (DescribeDeliverySources, DescribeDeliveries, DescribeDeliveryDestinations), once per account in us-east-1; GetDistributionConfig only for a distribution no v2 delivery logs (legacy logging is not in the listing). Real-time log configurations are read from the cache behaviours in the listing",
        rationale: "A distribution's access logs are the only record of what the edge served: the scans, the credential stuffing, the bulk download of an object that should not have been public. CloudFront writes none unless told where to.",
        remediation: "Enable standard logging v2 to S3: `aws logs put-delivery-source --region us-east-1 --name cf-DIST_ID --resource-arn DIST_ARN --log-type ACCESS_LOGS`, `aws logs put-delivery-destination --name cf-archive --delivery-destination-configuration destinationResourceArn=arn:aws:s3:::BUCKET`, `aws logs create-delivery --delivery-source-name cf-DIST_ID --delivery-destination-arn DEST_ARN` (`logwarden plan` proposes them, to the log archive bucket).",
        fix: Fix::Plan,
        frameworks: &[
            (CisAwsV7, &["4.10"]),
            (AwsFsbp, &["CloudFront.5"]),
            (Nist80053, &["AU-2", "AU-12", "SI-4"]),
        ],
    },
    eval: logging,
}];

/// Why a distribution is logged, or why not; `Err` when what decides it was not read.
pub enum Logged {
    Yes(String),
    No,
}

/// Whether a distribution writes access logs, and where.
pub fn logged(d: &Distribution, deliveries: &Collected<Vec<V2Delivery>>) -> Result<Logged, String> {
    let mut to: Vec<String> = Vec::new();
    if let Ok(v2) = deliveries.as_result() {
        to.extend(
            v2.iter()
                .filter(|v| v.distribution_arn == d.arn)
                .map(|v| format!("standard logging v2 to {}", v.describe())),
        );
    }
    match d.legacy.as_ref().map(|l| l.as_result()) {
        Some(Ok(l)) if l.enabled => to.push(format!(
            "standard logging (legacy) to {}{}",
            l.bucket.trim_end_matches(".s3.amazonaws.com"),
            if l.prefix.is_empty() {
                String::new()
            } else {
                format!("/{}", l.prefix.trim_end_matches('/'))
            }
        )),
        Some(Err(e)) if to.is_empty() => {
            return Err(format!("its logging configuration {}", unknown_because(e)))
        }
        _ => {}
    }
    if !to.is_empty() {
        return Ok(Logged::Yes(to.join(", ")));
    }
    // Not logged by legacy; whether by v2 is known only if the deliveries were read.
    match deliveries.as_result() {
        Ok(_) => Ok(Logged::No),
        Err(e) => Err(format!("its v2 deliveries {}", unknown_because(e))),
    }
}

pub fn logging(ctx: &Ctx) -> Vec<Raw> {
    let region = crate::arn::Partition(&ctx.inv.partition).global_region();
    per_account_listed(
        ctx,
        region,
        "CloudFront distributions",
        |a| &a.data.cloudfront.distributions,
        |a, dists, out| {
            for d in dists {
                let (status, msg) = match &ctx.b.cloudfront_logging {
                    None => (
                        Status::NotApplicable,
                        not_required(ctx, "CloudFront access logging"),
                    ),
                    Some(want) => judge(d, &a.data.cloudfront.deliveries, want.include_disabled),
                };
                out.push(Raw::new(
                    status,
                    Some(a.account_id.as_str()),
                    Some(region),
                    d.arn.clone(),
                    msg,
                ));
            }
        },
    )
}

pub fn judge(
    d: &Distribution,
    deliveries: &Collected<Vec<V2Delivery>>,
    include_disabled: bool,
) -> (Status, String) {
    let who = format!("CloudFront distribution {} ({})", d.id, d.domain_name);
    let realtime = if d.realtime_log_configs.is_empty() {
        String::new()
    } else {
        format!("; real-time logs: {}", d.realtime_log_configs.join(", "))
    };
    match logged(d, deliveries) {
        Ok(Logged::Yes(to)) => (Status::Pass, format!("{who} logs by {to}{realtime}")),
        Ok(Logged::No) if !d.enabled && !include_disabled => (
            Status::NotApplicable,
            format!("{who} is disabled and writes no access logs{realtime}"),
        ),
        Ok(Logged::No) => (
            Status::Fail,
            format!("{who} writes no access logs{realtime}"),
        ),
        Err(e) => (Status::Unknown, format!("whether {who} logs: {e}")),
    }
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "CloudFront: the distribution whose access logs reach back least (legacy logging: its bucket's lifecycle for its prefix; v2 to CloudWatch Logs: the group's retention, or its age when younger; 0 for a distribution that logs nowhere; v2 deliveries to S3 or Firehose are not counted: their key layout is the delivery's)";

/// How far back each account's CloudFront access logs can answer: per distribution the
/// destination that keeps longest, the account's lookback the distribution that reaches back
/// least. Accounts whose distributions or deliveries could not be read are left out.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.cloudfront_logging else {
        return vec![];
    };
    let region = crate::arn::Partition(&ctx.inv.partition).global_region();
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        if r.region != region {
            return Some(vec![]);
        }
        let data = &a.data.cloudfront;
        let dists = data.distributions.value()?;
        let v2 = data.deliveries.value()?;
        let mut out = Vec::new();
        for d in dists {
            if !d.enabled && !want.include_disabled {
                continue;
            }
            let mut best: Option<(u32, String)> = None;
            let mut logs = false;
            for v in v2.iter().filter(|v| v.distribution_arn == d.arn) {
                logs = true;
                if v.destination_type != "CWL" {
                    continue;
                }
                let name = v
                    .destination
                    .split_once(":log-group:")
                    .map(|(_, n)| n.trim_end_matches(":*"))
                    .unwrap_or(&v.destination);
                let g = r.data.cloudwatch_logs.groups.value()?;
                if let Some(x) = g
                    .iter()
                    .find(|g| g.name == name)
                    .and_then(|g| crate::sources::cloudwatch_logs::checks::reach(ctx, g, region))
                {
                    best = best.filter(|b| b.0 >= x.0).or(Some(x));
                }
            }
            if let Some(Ok(l)) = d.legacy.as_ref().map(|l| l.as_result()) {
                if l.enabled {
                    logs = true;
                    let bucket = l.bucket.trim_end_matches(".s3.amazonaws.com");
                    if let Some(Some(k)) =
                        crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &l.prefix)
                    {
                        let x = (k, format!("bucket {bucket} keeps its logs {k} days"));
                        best = best.filter(|b| b.0 >= x.0).or(Some(x));
                    }
                }
            } else if d.legacy.as_ref().is_some_and(|l| l.error().is_some()) && !logs {
                return None;
            }
            match (logs, best) {
                (false, _) => out.push((
                    0,
                    format!("CloudFront distribution {} writes no access logs", d.id),
                )),
                (true, Some((days, why))) => {
                    out.push((days, format!("CloudFront distribution {}: {why}", d.id)))
                }
                (true, None) => {}
            }
        }
        Some(out)
    })
}
