//! Amazon Redshift: every provisioned cluster writes its audit logs (the connection log, the
//! user log and, when the baseline asks, the user activity log: each query before it runs) to
//! S3 or CloudWatch Logs, and they are delivered; and how far back each account's Redshift
//! audit logs can answer.

use super::collect::USER_ACTIVITY;
use super::model::{Cluster, LoggingStatus};
use super::profile::RedshiftAuditLoggingBaseline;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, need, not_required, per_enabled_region, CheckInfo, Fix, Raw,
    Resource, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// Redshift provisioned clusters, judged one by one.
pub static CLUSTER: Resource = Resource {
    id: "redshift_cluster",
    label: "Redshift cluster",
    cloudformation_type: "AWS::Redshift::Cluster",
    asff_type: "AwsRedshiftCluster",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "redshift.audit_logging",
        title: "Every Amazon Redshift cluster writes audit logs: connections, user changes and (when the baseline asks) the queries run",
        severity: Severity::Medium,
        scope: Subject::Resource(&CLUSTER),
        looks_at: "DescribeClusters (once per account and region, paginated; clusters being deleted left out), then for each cluster DescribeLoggingStatus (on or off, S3 or CloudWatch Logs, the log types exported, the last delivery and the last failure) and, once per parameter group the clusters use, DescribeClusterParameters (enable_user_activity_logging)",
        rationale: "A data warehouse is where an intruder goes for the data. Redshift's connection log says who connected from which address and how they authenticated, the user log records users created or changed, and the user activity log records each query before it runs: what was read. The same records in the cluster's system tables last a few days and go with the cluster; only the audit logs written out outlive it.",
        remediation: "`aws redshift enable-logging --cluster-identifier CLUSTER --log-destination-type cloudwatch --log-exports connectionlog userlog useractivitylog` (`logwarden plan` proposes it, creating the log groups at the retention floor first); for the user activity log, set `enable_user_activity_logging` to true in the cluster's (non-default) parameter group and reboot the cluster (a manual step in the plan).",
        fix: Fix::Plan,
        frameworks: &[
            (AwsFsbp, &["Redshift.4"]),
            (Nist80053, &["AU-2", "AU-3", "AU-12"]),
        ],
    },
    eval: audit_logging,
}];

/// The log types Redshift writes, in AWS's names: the connection log and the user log always,
/// the user activity log when the baseline asks for it.
pub fn wanted(want: &RedshiftAuditLoggingBaseline) -> Vec<&'static str> {
    let mut v = vec!["connectionlog", "userlog"];
    if want.user_activity_log {
        v.push("useractivitylog");
    }
    v
}

/// The log types a cluster logging to CloudWatch Logs does not send (none for S3, which gets
/// them all).
pub fn missing_exports(
    l: &LoggingStatus,
    want: &RedshiftAuditLoggingBaseline,
) -> Vec<&'static str> {
    if !l.to_cloudwatch() {
        return vec![];
    }
    wanted(want)
        .into_iter()
        .filter(|t| !l.log_exports.iter().any(|x| x == t))
        .collect()
}

/// Where the cluster's audit logs go, for messages.
fn destination(c: &Cluster, l: &LoggingStatus) -> String {
    if l.to_cloudwatch() {
        format!(
            "CloudWatch Logs ({})",
            l.log_exports
                .iter()
                .map(|t| super::log_group(&c.id, t))
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        match (&l.bucket, &l.prefix) {
            (Some(b), Some(p)) => format!("S3 bucket {b} (prefix {p})"),
            (Some(b), None) => format!("S3 bucket {b}"),
            _ => "S3 (no bucket named)".into(),
        }
    }
}

/// Why the last delivery failed, when a failure is more recent than the last success.
fn failing(l: &LoggingStatus) -> Option<String> {
    let failed = crate::timefmt::parse(l.last_failure.as_deref()?)?;
    let delivered = l.last_delivery.as_deref().and_then(crate::timefmt::parse);
    if delivered.is_some_and(|d| d >= failed) {
        return None;
    }
    Some(format!(
        "its last delivery failed ({}{})",
        l.last_failure.as_deref().unwrap_or_default(),
        l.last_failure_message
            .as_deref()
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    ))
}

/// The verdict on one cluster.
pub fn judge(c: &Cluster, want: &RedshiftAuditLoggingBaseline) -> (Status, String) {
    let label = format!("Redshift cluster {}", c.id);
    let l = match need(&c.logging) {
        Ok(l) => l,
        Err(e) => return (Status::Unknown, format!("the audit logging of {label} {e}")),
    };
    if !l.enabled {
        return (
            Status::Fail,
            format!("{label} writes no audit logs (audit logging is off)"),
        );
    }
    if !l.to_cloudwatch() && l.bucket.is_none() {
        return (
            Status::Fail,
            format!("{label} has audit logging on but names no bucket"),
        );
    }
    let mut gaps = Vec::new();
    let missing = missing_exports(l, want);
    if !missing.is_empty() {
        gaps.push(format!(
            "it does not send {} to CloudWatch Logs",
            missing.join(", ")
        ));
    }
    let mut doubt = None;
    if want.user_activity_log {
        let group = c.parameter_group.as_deref().unwrap_or("(none)");
        match need(&c.user_activity_logging) {
            Err(e) => doubt = Some(format!("its parameter group {group}'s {USER_ACTIVITY} {e}")),
            Ok(Some(true)) if c.parameter_status.as_deref() == Some("pending-reboot") => {
                gaps.push(format!("its parameter group {group} turns {USER_ACTIVITY} on, but only at the cluster's next reboot"))
            }
            Ok(Some(true)) => {}
            Ok(_) => gaps.push(format!(
                "its parameter group {group} leaves {USER_ACTIVITY} off, so the queries run are not logged"
            )),
        }
    }
    gaps.extend(failing(l));
    let to = destination(c, l);
    if !gaps.is_empty() {
        return (
            Status::Fail,
            format!("{label} writes audit logs to {to}, but {}", gaps.join("; ")),
        );
    }
    if let Some(why) = doubt {
        return (
            Status::Unknown,
            format!("{label} writes audit logs to {to}; whether it logs the queries run is unknown: {why}"),
        );
    }
    let what = if want.user_activity_log {
        "connections, user changes and the queries run"
    } else {
        "connections and user changes"
    };
    (Status::Pass, format!("{label} logs {what} to {to}"))
}

pub fn audit_logging(ctx: &Ctx) -> Vec<Raw> {
    let partition = ctx.inv.partition.clone();
    per_enabled_region(ctx, |a, r, out| {
        let Some(clusters) = listed(a, r, &r.data.redshift.clusters, "Redshift clusters", out)
        else {
            return;
        };
        for c in clusters {
            let (status, msg) = match &ctx.b.redshift_audit_logging {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "Redshift audit logging"),
                ),
                Some(want) => judge(c, want),
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                format!(
                    "arn:{partition}:redshift:{}:{}:cluster:{}",
                    r.region, a.account_id, c.id
                ),
                msg,
            ));
        }
    })
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "Redshift: the cluster whose audit logs reach back least (the retention of its CloudWatch Logs groups, or their age when younger; for a cluster writing to S3, its bucket's lifecycle expiration for the cluster's prefix; 0 for a cluster that writes none); a bucket that keeps them indefinitely, or whose lifecycle was not read (logwarden reads it for the trails' buckets and those the profile manages), gives no figure";

/// How far back each account's Redshift audit logs can answer: the cluster that reaches back
/// least. Accounts whose clusters could not be read are left out (their findings are
/// `unknown`); a log group not in the account's listing gives no figure, nor does an S3
/// bucket whose lifecycle was not read or that never expires the cluster's logs (under
/// `[prefix/]AWSLogs/ACCOUNT/redshift/REGION/`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.redshift_audit_logging else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let clusters = r.data.redshift.clusters.value()?;
        let mut out = Vec::new();
        for c in clusters {
            let Some(l) = c.logging.value() else { continue };
            if !l.enabled {
                out.push((
                    0,
                    format!(
                        "Redshift cluster {} in {} writes no audit logs",
                        c.id, r.region
                    ),
                ));
                continue;
            }
            if !l.to_cloudwatch() {
                let Some(bucket) = l.bucket.as_deref() else {
                    continue;
                };
                let key = format!(
                    "{}AWSLogs/{}/redshift/{}/",
                    crate::query::key_prefix(l.prefix.as_deref()),
                    a.account_id,
                    r.region
                );
                if let Some(Some(k)) =
                    crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &key)
                {
                    out.push((
                        k,
                        format!(
                            "Redshift cluster {}: bucket {bucket} keeps its audit logs {k} days",
                            c.id
                        ),
                    ));
                }
                continue;
            }
            for t in wanted(want) {
                let g = super::log_group(&c.id, t);
                if l.log_exports.iter().any(|x| x == t) {
                    out.extend(
                        crate::sources::cloudwatch_logs::checks::reach_named(ctx, r, &g)
                            .map(|(days, why)| (days, format!("Redshift cluster {}: {why}", c.id))),
                    );
                } else {
                    out.push((
                        0,
                        format!(
                            "Redshift cluster {} in {} does not export its {t}",
                            c.id, r.region
                        ),
                    ));
                }
            }
        }
        Some(out)
    })
}
