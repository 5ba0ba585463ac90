//! VPC flow logs: every VPC (the baseline's tagged ones) has an active, delivering flow log
//! capturing the traffic the baseline asks for.

use super::model::{DeliveryStatus, FlowLog, FlowLogStatus, FlowTraffic};
use super::profile::TrafficType;
use crate::frameworks::Framework::{AwsFsbp, CisAwsV3, CisAwsV7, Nist80053};

use crate::rules::{
    listed, not_required, per_enabled_region, unknown_because, CheckInfo, Fix, Raw, Resource,
    Subject,
};

use crate::sources::security_lake::checks::LakeCopies;
use crate::sources::{CheckDef, Ctx};

use crate::finding::{Severity, Status};

/// VPCs, judged one by one.
pub static VPC: Resource = Resource {
    id: "vpc",
    label: "VPC",
    cloudformation_type: "AWS::EC2::VPC",
    asff_type: "AwsEc2Vpc",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "vpc.flow_logs",
        title: "Every VPC has an active flow log capturing the baseline's traffic",
        severity: Severity::Medium,
        scope: Subject::Resource(&VPC),
        looks_at: "DescribeVpcs and DescribeFlowLogs (one call per account and region): VPC-level flow logs, status ACTIVE, traffic type. A VPC whose subnets another account shares with this one (its OwnerId) is judged in that owner's account, the only one that can see or make its flow logs. Security Lake's own copy (its VPC_FLOW source, taken from the service independently of the account's own logging) does not pass the check, and a failing finding names the lake that holds it",
        rationale: "Flow logs show lateral movement and exfiltration paths that no API log shows.",
        remediation: "`aws ec2 create-flow-logs --resource-type VPC --resource-ids VPC_ID --traffic-type ALL --log-destination-type s3 --log-destination LOG_ARCHIVE_BUCKET_ARN`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.7"]), (CisAwsV7, &["4.7"]), (AwsFsbp, &["EC2.6"]), (Nist80053, &["AU-12", "SI-4"])],
        },
        eval: flow_logs,
    },
];

pub fn flow_logs(ctx: &Ctx) -> Vec<Raw> {
    let lake = LakeCopies::of(ctx.inv);
    per_enabled_region(ctx, |a, r, out| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let Some(vpcs) = listed(a, r, &r.data.vpc_flow_logs.vpcs, "VPCs", out) else {
            return;
        };
        for v in vpcs {
            let (status, msg) = match (
                &ctx.b.vpc_flow_logs,
                judged_by_owner(ctx, &a.account_id, v, "flow logs"),
                r.data.vpc_flow_logs.flow_logs.as_result(),
            ) {
                (None, _, _) => (Status::NotApplicable, not_required(ctx, "VPC flow logs")),
                (Some(_), Some(owner), _) => owner,
                (Some(want), None, _)
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
                (Some(_), None, Err(e)) => {
                    (Status::Unknown, format!("flow logs {}", unknown_because(e)))
                }
                (Some(want), None, Ok(logs)) => judge_vpc(&v.id, logs, want.traffic_type),
            };
            let msg = match lake.note(&a.account_id, &r.region, "VPC_FLOW") {
                Some(note) if status == Status::Fail => msg + &note,
                _ => msg,
            };
            out.push(Raw::new(status, acct, reg, v.id.clone(), msg));
        }
    })
}

/// The verdict on a VPC another account owns and shares with `account` through AWS RAM: only
/// the owner can see or make its `what` (flow logs, DNS query logging), so it is judged in the
/// owner's account, and is `not_applicable` here; `unknown` when this audit did not read the
/// owner. `None` for a VPC of `account`'s own.
pub fn judged_by_owner(
    ctx: &Ctx,
    account: &str,
    v: &super::model::Vpc,
    what: &str,
) -> Option<(Status, String)> {
    let owner = v.shared_by(account)?;
    let said = format!(
        "VPC {} belongs to account {owner}, which shares its subnets with this account: only the owner can see or make its {what}",
        v.id
    );
    Some(if ctx.inv.accounts.iter().any(|a| a.account_id == owner) {
        (Status::NotApplicable, format!("{said}; judged there"))
    } else {
        (
            Status::Unknown,
            format!("{said}, and this audit did not read that account"),
        )
    })
}

/// Whether the VPC has an active, delivering flow log capturing the wanted traffic.
pub fn vpc_is_logged(vpc: &str, logs: &[FlowLog], want: TrafficType) -> bool {
    judge_vpc(vpc, logs, want).0 == Status::Pass
}

fn traffic_ok(have: Option<&FlowTraffic>, want: TrafficType) -> bool {
    matches!(
        (have, want),
        (Some(FlowTraffic::All), _)
            | (Some(FlowTraffic::Accept), TrafficType::ACCEPT)
            | (Some(FlowTraffic::Reject), TrafficType::REJECT)
    )
}

fn judge_vpc(vpc: &str, logs: &[FlowLog], want: TrafficType) -> (Status, String) {
    let mine: Vec<&FlowLog> = logs.iter().filter(|f| f.resource_id == vpc).collect();
    if mine.is_empty() {
        return (Status::Fail, format!("VPC {vpc} has no flow log"));
    }
    let active: Vec<&&FlowLog> = mine
        .iter()
        .filter(|f| {
            f.flow_log_status == Some(FlowLogStatus::Active)
                && f.deliver_logs_status != Some(DeliveryStatus::Failed)
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
        .find(|f| traffic_ok(f.traffic_type.as_ref(), want))
    {
        Some(f) => (
            Status::Pass,
            format!(
                "flow log {} captures {} traffic{}",
                f.id,
                f.traffic_type
                    .as_ref()
                    .map(FlowTraffic::as_str)
                    .unwrap_or("?"),
                f.destination
                    .as_deref()
                    .map(|d| format!(" to {d}"))
                    .unwrap_or_default()
            ),
        ),
        // An ACCEPT log and a REJECT log together capture ALL traffic.
        None if want == TrafficType::ALL
            && [FlowTraffic::Accept, FlowTraffic::Reject]
                .iter()
                .all(|t| active.iter().any(|f| f.traffic_type.as_ref() == Some(t))) =>
        {
            let id = |t: FlowTraffic| {
                active
                    .iter()
                    .find(|f| f.traffic_type.as_ref() == Some(&t))
                    .map(|f| f.id.clone())
                    .unwrap_or_default()
            };
            (
                Status::Pass,
                format!(
                    "flow logs {} (ACCEPT) and {} (REJECT) together capture ALL traffic",
                    id(FlowTraffic::Accept),
                    id(FlowTraffic::Reject)
                ),
            )
        }
        None => (
            Status::Fail,
            format!(
                "VPC {vpc} flow logs capture {} traffic, the baseline wants {}",
                active
                    .iter()
                    .filter_map(|f| f.traffic_type.as_ref().map(FlowTraffic::as_str))
                    .collect::<Vec<_>>()
                    .join("/"),
                want.as_str()
            ),
        ),
    }
}
