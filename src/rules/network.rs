//! Network and access logs: VPC flow logs, load balancer access logs, S3 server access logs.

use super::{
    account_unreachable, need, not_required, per_enabled_region, unknown_because, Ctx, Raw, Status,
};
use crate::baseline::TrafficType;
use crate::inventory::{AccountInventory, Collected, FlowLog, LoadBalancerKind, RegionInventory};

/// The resources a region lists, or one `unknown` finding for the region when the list failed.
fn listed<'v, T>(
    a: &AccountInventory,
    r: &RegionInventory,
    list: &'v Collected<Vec<T>>,
    what: &str,
    out: &mut Vec<Raw>,
) -> Option<&'v Vec<T>> {
    match need(list) {
        Ok(v) => Some(v),
        Err(e) => {
            let res = format!("{}:{}", a.account_id, r.region);
            out.push(Raw::new(
                Status::Unknown,
                Some(&a.account_id),
                Some(&r.region),
                res,
                format!("{what} {e}"),
            ));
            None
        }
    }
}

pub fn flow_logs(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let Some(vpcs) = listed(a, r, &r.vpcs, "VPCs", out) else {
            return;
        };
        for v in vpcs {
            let (status, msg) = match (&ctx.b.vpc_flow_logs, r.flow_logs.as_result()) {
                (None, _) => (Status::NotApplicable, not_required(ctx, "VPC flow logs")),
                (Some(want), _)
                    if !want
                        .vpc_tags
                        .iter()
                        .all(|(k, val)| v.tags.get(k) == Some(val)) =>
                {
                    (
                        Status::NotApplicable,
                        format!(
                            "VPC {} lacks the tags the baseline selects VPCs by ({})",
                            v.id,
                            want.vpc_tags
                                .iter()
                                .map(|(k, val)| format!("{k}={val}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                }
                (Some(_), Err(e)) => (Status::Unknown, format!("flow logs {}", unknown_because(e))),
                (Some(want), Ok(logs)) => judge_vpc(&v.id, logs, want.traffic_type),
            };
            out.push(Raw::new(status, acct, reg, v.id.clone(), msg));
        }
    })
}

/// Whether the VPC has an active, delivering flow log capturing the wanted traffic.
pub(crate) fn vpc_is_logged(vpc: &str, logs: &[FlowLog], want: TrafficType) -> bool {
    judge_vpc(vpc, logs, want).0 == Status::Pass
}

fn traffic_ok(have: Option<&str>, want: TrafficType) -> bool {
    match want {
        TrafficType::ALL => have == Some("ALL"),
        other => have == Some("ALL") || have == Some(other.as_str()),
    }
}

fn judge_vpc(vpc: &str, logs: &[FlowLog], want: TrafficType) -> (Status, String) {
    let mine: Vec<&FlowLog> = logs.iter().filter(|f| f.resource_id == vpc).collect();
    if mine.is_empty() {
        return (Status::Fail, format!("VPC {vpc} has no flow log"));
    }
    let active: Vec<&&FlowLog> = mine
        .iter()
        .filter(|f| {
            f.flow_log_status.as_deref() == Some("ACTIVE")
                && f.deliver_logs_status.as_deref() != Some("FAILED")
        })
        .collect();
    if active.is_empty() {
        return (
            Status::Fail,
            format!(
                "VPC {vpc} has flow logs but none is active and delivering ({})",
                mine.iter()
                    .map(|f| f.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    match active
        .iter()
        .find(|f| traffic_ok(f.traffic_type.as_deref(), want))
    {
        Some(f) => (
            Status::Pass,
            format!(
                "flow log {} captures {} traffic{}",
                f.id,
                f.traffic_type.as_deref().unwrap_or("?"),
                f.destination
                    .as_deref()
                    .map(|d| format!(" to {d}"))
                    .unwrap_or_default()
            ),
        ),
        None => (
            Status::Fail,
            format!(
                "VPC {vpc} flow logs capture {} traffic, the baseline wants {}",
                active
                    .iter()
                    .filter_map(|f| f.traffic_type.as_deref())
                    .collect::<Vec<_>>()
                    .join("/"),
                want.as_str()
            ),
        ),
    }
}

pub fn elb_access_logs(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let Some(lbs) = listed(a, r, &r.load_balancers, "load balancers", out) else {
            return;
        };
        let b = &ctx.b.elb_access_logs;
        for lb in lbs {
            let (required, kind) = match lb.kind {
                LoadBalancerKind::Application => (b.alb, "ALB"),
                LoadBalancerKind::Classic => (b.clb, "Classic Load Balancer"),
                LoadBalancerKind::Network => (b.nlb, "NLB"),
                LoadBalancerKind::Gateway => (false, "Gateway Load Balancer"),
            };
            let (status, msg) = if lb.kind == LoadBalancerKind::Gateway {
                (
                    Status::NotApplicable,
                    format!("{kind} {} has no access logs", lb.name),
                )
            } else if !required {
                (
                    Status::NotApplicable,
                    not_required(ctx, &format!("{kind} access logging")),
                )
            } else {
                match need(&lb.access_logs_enabled) {
                    Err(e) => (Status::Unknown, format!("attributes of {} {e}", lb.name)),
                    Ok(true) => (
                        Status::Pass,
                        format!(
                            "{kind} {} writes access logs{}",
                            lb.name,
                            lb.access_logs_bucket
                                .as_deref()
                                .map(|b| format!(" to {b}"))
                                .unwrap_or_default()
                        ),
                    ),
                    Ok(false) => (
                        Status::Fail,
                        format!("{kind} {} does not write access logs", lb.name),
                    ),
                }
            };
            out.push(Raw::new(status, acct, reg, lb.id.clone(), msg));
        }
    })
}

pub fn s3_access_logging(ctx: &Ctx) -> Vec<Raw> {
    let mut out = Vec::new();
    for a in &ctx.inv.accounts {
        let acct = Some(a.account_id.as_str());
        if let Some(raw) = account_unreachable(a, None, &a.account_id) {
            out.push(raw);
            continue;
        }
        let buckets = match need(&a.buckets) {
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
            let res = format!("arn:aws:s3:::{}", bk.name);
            let (status, msg) = match &ctx.b.s3_access_logs {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "S3 server access logging"),
                ),
                Some(_) if ctx.access_log_targets.contains(&bk.name) => (
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
                    Ok(None) => (
                        Status::Fail,
                        format!("server access logging is off on {}", bk.name),
                    ),
                },
            };
            out.push(Raw::new(status, acct, region.as_deref(), res, msg));
        }
    }
    out
}
