//! Transit Gateway flow logs: every transit gateway an account owns has an active flow log.

use super::model::TransitGateway;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::vpc_flow_logs::model::{DeliveryStatus, FlowLog, FlowLogStatus};
use crate::sources::{CheckDef, Ctx};

/// Transit gateways, judged one by one (in the account that owns them).
pub static TRANSIT_GATEWAY: Resource = Resource {
    id: "transit_gateway",
    label: "transit gateway",
    cloudformation_type: "AWS::EC2::TransitGateway",
    asff_type: "AwsEc2TransitGateway",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "transit_gateway.flow_logs",
        title: "Every transit gateway has an active flow log",
        severity: Severity::Medium,
        scope: Subject::Resource(&TRANSIT_GATEWAY),
        looks_at: "DescribeTransitGateways (once per account and region; gateways shared through AWS RAM are judged in their owner's account) and the DescribeFlowLogs listing the VPC flow-log check reads: an ACTIVE, delivering flow log whose resource is the gateway",
        rationale: "A transit gateway carries the traffic between VPCs of different accounts, VPNs and Direct Connect: its flow log shows lateral movement and exfiltration paths across the whole network in one place, including between VPCs whose own flow logs are off.",
        remediation: "`aws ec2 create-flow-logs --resource-type TransitGateway --resource-ids TGW_ID --log-destination-type s3 --log-destination LOG_ARCHIVE_BUCKET_ARN --max-aggregation-interval 60` (`logwarden plan` proposes it).",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-12", "SI-4"])],
    },
    eval: flow_logs,
}];

/// The gateways of the account it judges: its own, not deleted.
pub fn owned<'a>(account: &str, gateways: &'a [TransitGateway]) -> Vec<&'a TransitGateway> {
    gateways
        .iter()
        .filter(|g| g.owner_id == account && !matches!(g.state.as_str(), "deleting" | "deleted"))
        .collect()
}

/// A flow log that logs the gateway now.
pub fn active<'a>(gateway: &str, logs: &'a [FlowLog]) -> Option<&'a FlowLog> {
    logs.iter().find(|f| {
        f.resource_id == gateway
            && f.flow_log_status == Some(FlowLogStatus::Active)
            && f.deliver_logs_status != Some(DeliveryStatus::Failed)
    })
}

pub fn flow_logs(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(gateways) = listed(
            a,
            r,
            &r.data.transit_gateway.gateways,
            "transit gateways",
            out,
        ) else {
            return;
        };
        for g in owned(&a.account_id, gateways) {
            let (status, msg) = match (
                &ctx.b.transit_gateway_flow_logs,
                r.data.vpc_flow_logs.flow_logs.as_result(),
            ) {
                (None, _) => (
                    Status::NotApplicable,
                    not_required(ctx, "Transit Gateway flow logs"),
                ),
                (Some(_), Err(e)) => (
                    Status::Unknown,
                    format!(
                        "the flow logs of transit gateway {} {}",
                        g.id,
                        unknown_because(e)
                    ),
                ),
                (Some(_), Ok(logs)) => match active(&g.id, logs) {
                    Some(f) => (
                        Status::Pass,
                        format!(
                            "flow log {} logs transit gateway {}{}",
                            f.id,
                            g.id,
                            f.destination
                                .as_deref()
                                .map(|d| format!(" to {d}"))
                                .unwrap_or_default()
                        ),
                    ),
                    None => {
                        let mine: Vec<&str> = logs
                            .iter()
                            .filter(|f| f.resource_id == g.id)
                            .map(|f| f.id.as_str())
                            .collect();
                        if mine.is_empty() {
                            (
                                Status::Fail,
                                format!("transit gateway {} has no flow log", g.id),
                            )
                        } else {
                            (
                                Status::Fail,
                                format!(
                                    "transit gateway {} has flow logs but none is active and delivering ({})",
                                    g.id,
                                    mine.join(", ")
                                ),
                            )
                        }
                    }
                },
            };
            let resource = if g.arn.is_empty() {
                g.id.clone()
            } else {
                g.arn.clone()
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                resource,
                msg,
            ));
        }
    })
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "Transit Gateway: the gateway whose flow log reaches back least (the log's age, bounded by its bucket's lifecycle or its log group's retention; 0 for a gateway without one)";

/// How far back each account's transit gateway flow logs can answer: per gateway it owns, the
/// active flow log that reaches back furthest; the account's lookback the gateway that reaches
/// back least. Accounts whose gateways or flow logs could not be read are left out.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.transit_gateway_flow_logs.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let gateways = r.data.transit_gateway.gateways.value()?;
        let logs = r.data.vpc_flow_logs.flow_logs.value()?;
        let mut out = Vec::new();
        for g in owned(&a.account_id, gateways) {
            if active(&g.id, logs).is_none() {
                out.push((
                    0,
                    format!(
                        "transit gateway {} in {} has no active flow log",
                        g.id, r.region
                    ),
                ));
                continue;
            }
            let best = logs
                .iter()
                .filter(|f| {
                    f.resource_id == g.id
                        && f.flow_log_status == Some(FlowLogStatus::Active)
                        && f.deliver_logs_status != Some(DeliveryStatus::Failed)
                })
                .filter_map(|f| {
                    crate::sources::vpc_flow_logs::lookback::reach(ctx, &a.account_id, r, f)
                })
                .max_by_key(|(d, _)| *d);
            if let Some((days, why)) = best {
                out.push((
                    days,
                    format!("transit gateway {} in {}: {why}", g.id, r.region),
                ));
            }
        }
        Some(out)
    })
}
