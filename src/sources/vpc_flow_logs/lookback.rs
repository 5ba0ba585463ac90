//! How far back each account's flow logs can answer: per VPC in scope, the active, delivering
//! flow log that reaches back furthest (its age, bounded by how long its destination keeps the
//! records: the S3 bucket's lifecycle expiration for the account's key prefix, or the log
//! group's retention); the account's lookback is its VPC that reaches back least (0 for one
//! without a flow log).

use super::model::{DeliveryStatus, DestinationType, FlowLog, FlowLogStatus};
use crate::finding::Lookback;
use crate::rules::{age_days, lookback_per_account};
use crate::sources::{Ctx, RegionInventory};

/// What reports say of this source's lookback.
pub const NOTE: &str = "VPC flow logs: the VPC whose flow log reaches back least (the log's age, bounded by its bucket's lifecycle or its log group's retention; 0 for a VPC without one)";

pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    let Some(want) = &ctx.b.vpc_flow_logs else {
        return vec![];
    };
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let vpcs = r.data.vpc_flow_logs.vpcs.value()?;
        let logs = r.data.vpc_flow_logs.flow_logs.value()?;
        let mut out = Vec::new();
        for v in vpcs.iter().filter(|v| {
            v.shared_by(&a.account_id).is_none()
                && want
                    .vpc_tags
                    .iter()
                    .all(|(k, val)| v.tags.get(k) == Some(val))
        }) {
            if !super::checks::vpc_is_logged(&v.id, logs, want.traffic_type) {
                out.push((
                    0,
                    format!("VPC {} in {} has no active flow log", v.id, r.region),
                ));
                continue;
            }
            let best = logs
                .iter()
                .filter(|f| {
                    f.resource_id == v.id
                        && f.flow_log_status == Some(FlowLogStatus::Active)
                        && f.deliver_logs_status != Some(DeliveryStatus::Failed)
                })
                .filter_map(|f| reach(ctx, &a.account_id, r, f))
                .max_by_key(|(d, _)| *d);
            if let Some((days, why)) = best {
                out.push((days, format!("VPC {} in {}: {why}", v.id, r.region)));
            }
        }
        Some(out)
    })
}

/// How far back one flow log reaches, with the reason; `None` when neither its age nor its
/// destination's retention is known. (Transit Gateway flow logs reach back the same way.)
pub fn reach(ctx: &Ctx, account: &str, r: &RegionInventory, f: &FlowLog) -> Option<(u32, String)> {
    let age = age_days(ctx, f.creation_time.as_deref());
    // Some(None): kept indefinitely; None: not known.
    let keeps: Option<Option<u32>> = match (&f.destination_type, f.destination.as_deref()) {
        (Some(DestinationType::S3), Some(d)) => {
            let arn = crate::arn::Arn::parse(d)?;
            let bucket = arn.s3_bucket()?;
            let prefix = arn
                .resource
                .strip_prefix(bucket)
                .unwrap_or("")
                .trim_start_matches('/');
            let prefix = if prefix.is_empty() || prefix.ends_with('/') {
                prefix.to_string()
            } else {
                format!("{prefix}/")
            };
            let key = if f.hive_compatible {
                format!("{prefix}AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={}/", r.region)
            } else {
                format!("{prefix}AWSLogs/{account}/vpcflowlogs/{}/", r.region)
            };
            crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &key)
        }
        (Some(DestinationType::CloudWatchLogs), Some(d)) => {
            let name = d
                .split_once(":log-group:")
                .map(|(_, n)| n.trim_end_matches(":*"))
                .unwrap_or(d);
            r.data
                .cloudwatch_logs
                .groups
                .value()
                .and_then(|gs| gs.iter().find(|g| g.name == name))
                .map(|g| g.retention_days.and_then(|x| u32::try_from(x).ok()))
        }
        _ => None,
    };
    let to = f.destination.as_deref().unwrap_or("its destination");
    match (age, keeps) {
        (Some(age), Some(Some(k))) if k < age => {
            Some((k, format!("flow log {}: {to} keeps records {k} days", f.id)))
        }
        (Some(age), Some(_)) => Some((age, format!("flow log {} created {age} days ago", f.id))),
        (Some(age), None) => Some((
            age,
            format!(
                "flow log {} created {age} days ago (how long {to} keeps records was not read)",
                f.id
            ),
        )),
        (None, Some(Some(k))) => {
            Some((k, format!("flow log {}: {to} keeps records {k} days", f.id)))
        }
        (None, _) => None,
    }
}
