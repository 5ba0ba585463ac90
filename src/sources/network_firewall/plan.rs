//! Network Firewall logging's plan: in each account and region, one change adding the log
//! types the profile names to every firewall that lacks them, delivering to the log archive
//! bucket (under `AWSLogs/ACCOUNT/network-firewall/`, with the vended-logs statements every
//! delivery there gets). Destinations a firewall already has are kept: types are only added.
//! Where AWS Control Tower owns the log archive, a manual step.

use super::apply::{FirewallTypes, Op};
use super::checks::logged;
use crate::plan::policies::{bucket_arn, log_delivery_bucket, log_delivery_key};
use crate::plan::{Action, AttrChange};
use crate::sources::{Change, PlanCtx};
use serde_json::Value;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.network_firewall_logging.clone() else {
        return;
    };
    let bucket = crate::sources::log_archive::archive(ctx).bucket.clone();
    let depends_on = ctx.dep(&format!("s3_bucket.{bucket}"));
    for row in ctx.regions_read(
        "network_firewall_logging",
        "the Network Firewall firewalls",
        |r| r.data.network_firewall.firewalls.as_result(),
    ) {
        let (a, r, firewalls) = (row.account, row.region, row.read);
        let address = row.address;
        let mut todo: Vec<FirewallTypes> = Vec::new();
        for f in firewalls {
            let dests = match f.logging.as_result() {
                Ok(d) => d,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("network_firewall_logging.{}", f.arn),
                        &a.account_id,
                        &r.region,
                        "the firewall's logging configuration",
                        &e,
                    );
                    continue;
                }
            };
            let missing = want.missing(&logged(dests));
            if !missing.is_empty() {
                todo.push(FirewallTypes {
                    name: f.name.clone(),
                    arn: f.arn.clone(),
                    log_types: missing.iter().map(|t| t.as_str().to_string()).collect(),
                });
            }
        }
        if todo.is_empty() {
            continue;
        }
        let describe = |t: &FirewallTypes| format!("{}: {}", t.name, t.log_types.join(", "));
        if ctx.control_tower {
            // The log archive bucket is Control Tower's: its policy is not logwarden's to
            // extend. The owner picks a destination that accepts the delivery.
            let what: Vec<String> = todo.iter().map(describe).collect();
            ctx.push(Change::manual_step(
                address,
                a.account_id.clone(),
                r.region.clone(),
                AttrChange::new("logging", None::<String>, what.join("; ")),
                "AWS Control Tower owns the log archive bucket; send these firewalls' logs to a bucket whose policy lets delivery.logs.amazonaws.com write under AWSLogs/, or to a log group",
                format!(
                    "aws network-firewall update-logging-configuration --region {} --firewall-arn {} --logging-configuration '{{\"LogDestinationConfigs\":[EXISTING..., {{\"LogType\":\"{}\",\"LogDestinationType\":\"S3\",\"LogDestination\":{{\"bucketName\":\"BUCKET\"}}}}]}}'   # in account {}; one type added per call",
                    r.region, todo[0].arn, todo[0].log_types[0], a.account_id
                ),
            ));
            continue;
        }
        ctx.push(
            Change::new(
                address,
                Action::Update,
                a.account_id.clone(),
                r.region.clone(),
                todo.iter()
                    .map(|t| {
                        AttrChange::new(
                            &format!("{}.log_types", t.name),
                            None::<String>,
                            format!(
                                "{} added, to S3 bucket {bucket} (existing destinations kept)",
                                t.log_types.join(", ")
                            ),
                        )
                    })
                    .collect(),
                vec![Op::AddS3Logging {
                    firewalls: todo,
                    bucket: bucket.clone(),
                }
                .into()],
            )
            .depending_on(depends_on.clone()),
        );
    }
}

/// Whether firewalls deliver to the log archive (not when Control Tower owns it: then a
/// person picks the destination).
fn to_archive(ctx: &PlanCtx) -> bool {
    ctx.b.network_firewall_logging.is_some() && !ctx.control_tower
}

/// The archive bucket statements Network Firewall's delivery needs: the ACL check, and writes
/// under each account's `AWSLogs/ACCOUNT/network-firewall/` only, by the organization's log
/// deliveries.
pub fn archive_bucket(ctx: &PlanCtx) -> Vec<Value> {
    if !to_archive(ctx) {
        return vec![];
    }
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    log_delivery_bucket(
        "NetworkFirewall",
        &ctx.origin(),
        &arn,
        "network-firewall",
        &ctx.account_ids(),
    )
    .to_vec()
}

/// The archive key statement Network Firewall's delivery needs, unless flow logs already add
/// the same one (one vended-logs delivery principal, one statement).
pub fn archive_key(ctx: &PlanCtx) -> Vec<Value> {
    if !to_archive(ctx)
        || crate::sources::vpc_flow_logs::policies::to_archive(ctx)
        || ctx.b.transit_gateway_flow_logs.is_some()
    {
        return vec![];
    }
    let arn = bucket_arn(
        &ctx.inv.partition,
        &crate::sources::log_archive::archive(ctx).bucket,
    );
    vec![log_delivery_key("NetworkFirewall", &ctx.origin(), &arn)]
}
