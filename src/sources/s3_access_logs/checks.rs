//! S3 server access logs: every bucket logs its requests, except the buckets that receive
//! access logs themselves.

use crate::finding::{Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    account_unreachable, need, not_required, CheckInfo, Fix, Raw, Resource, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// S3 buckets, judged one by one.
pub static BUCKET: Resource = Resource {
    id: "bucket",
    label: "bucket",
    cloudformation_type: "AWS::S3::Bucket",
    asff_type: "AwsS3Bucket",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "s3.access_logging",
        title: "S3 buckets have server access logging (except access-log target buckets)",
        severity: Severity::Low,
        scope: Subject::Resource(&BUCKET),
        looks_at: "ListBuckets and GetBucketLogging of every bucket",
        rationale: "Server access logs record requests that data events do not (and cost nothing but storage).",
        remediation: "`aws s3api put-bucket-logging --bucket BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"ACCESS_LOG_BUCKET\",\"TargetPrefix\":\"BUCKET/\"}}'` (target in the same account and region, SSE-S3).",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["S3.9"]), (Nist80053, &["AU-2", "AU-12"])],
        },
        eval: s3_access_logging,
    },
];

pub fn s3_access_logging(ctx: &Ctx) -> Vec<Raw> {
    let mut out = Vec::new();
    for a in &ctx.inv.accounts {
        let acct = Some(a.account_id.as_str());
        if let Some(raw) = account_unreachable(a, None, &a.account_id) {
            out.push(raw);
            continue;
        }
        let buckets = match need(&a.data.s3_access_logs.buckets) {
            Err(e) => {
                out.push(Raw::new(
                    Status::Unknown,
                    acct,
                    None,
                    a.account_id.clone(),
                    format!("bucket list {e}"),
                ));
                continue;
            }
            Ok(b) => b,
        };
        for bk in buckets {
            let region = bk.region.value().cloned();
            // Buckets outside the audited regions are not judged here.
            if region
                .as_ref()
                .is_some_and(|r| !ctx.inv.regions.contains(r))
            {
                continue;
            }
            let res = crate::arn::Partition(&ctx.inv.partition).s3_bucket(&bk.name);
            let (status, msg) = match &ctx.b.s3_access_logs {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "S3 server access logging"),
                ),
                Some(_)
                    if bk
                        .logging
                        .value()
                        .is_some_and(|l| l.as_ref().is_some_and(|t| t.target_bucket == bk.name)) =>
                {
                    (
                        Status::Pass,
                        format!(
                            "{} logs to itself: access logging is on, but AWS advises a separate target bucket (each log delivery to it is itself logged, so its logs grow without end)",
                            bk.name
                        ),
                    )
                }
                Some(_) if super::buckets::access_log_targets(ctx).contains(&bk.name) => (
                    Status::NotApplicable,
                    format!(
                        "{} is an access-log target (it must not log to itself)",
                        bk.name
                    ),
                ),
                Some(cfg) if cfg.excludes(&bk.name) => (
                    Status::NotApplicable,
                    format!("{} is excluded by the baseline", bk.name),
                ),
                Some(_) => match need(&bk.logging) {
                    Err(e) => (Status::Unknown, format!("logging of {} {e}", bk.name)),
                    Ok(Some(t)) => (
                        Status::Pass,
                        format!("{} logs to {}", bk.name, t.target_bucket),
                    ),
                    Ok(None) => match super::buckets::access_log_targets(ctx)
                        .doubt_about(&a.account_id, region.as_deref())
                    {
                        // It may be an access-log target, which must not log to itself.
                        Some(why) => (
                            Status::Unknown,
                            format!(
                                "server access logging is off on {}, which may be an access-log target: {why}",
                                bk.name
                            ),
                        ),
                        None => (
                            Status::Fail,
                            format!("server access logging is off on {}", bk.name),
                        ),
                    },
                },
            };
            out.push(Raw::new(status, acct, region.as_deref(), res, msg));
        }
    }
    out
}
