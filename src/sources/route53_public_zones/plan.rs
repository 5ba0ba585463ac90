//! Route 53 query logging's plan: in each account with public zones that log nothing, the
//! profile's log group in us-east-1 (made when missing, at log_group_retention's days), the
//! CloudWatch Logs resource policy AWS requires for `route53.amazonaws.com` (logwarden's own,
//! narrowed to the zones by `aws:SourceArn` and to the account), and a query logging
//! configuration for each zone. Zones that already log are kept as they are.

use super::apply::Op;
use crate::plan::{Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::{Change, PlanCtx};
use serde_json::{json, Value};

/// The name of the resource policy logwarden writes (one per account, in us-east-1).
pub const POLICY_NAME: &str = "logwarden-route53-query-logging";
/// The statement logwarden owns in it.
pub const SID: &str = "LogwardenRoute53QueryLogs";
/// Zones listed by ARN up to this many; beyond, every zone of the account (a resource policy
/// holds at most 5,120 characters).
pub const MAX_LISTED_ZONES: usize = 60;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.route53_query_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    let partition = ctx.inv.partition.clone();
    let region = crate::arn::Partition(&partition)
        .global_region()
        .to_string();
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        let address = format!("route53_query_logging.{}", a.account_id);
        let d = &a.data.route53_public_zones;
        let (zones, configs) = match (d.zones.as_result(), d.configs.as_result()) {
            (Ok(z), Ok(c)) => (z, c),
            (Err(e), _) | (_, Err(e)) => {
                let e = e.clone();
                ctx.unknown(
                    &address,
                    &a.account_id,
                    &region,
                    "the public hosted zones or their query logging",
                    &e,
                );
                continue;
            }
        };
        let todo: Vec<_> = zones
            .iter()
            .filter(|z| !configs.iter().any(|c| c.zone_id == z.id))
            .collect();
        if todo.is_empty() {
            continue;
        }
        let p = crate::arn::Partition(&partition);
        let group_arn = p.arn(
            "logs",
            &region,
            &a.account_id,
            &format!("log-group:{}:*", want.log_group),
        );
        let ids: Vec<String> = todo.iter().map(|z| z.id.clone()).collect();
        let kept = LogsOp::kept_at_floor(floor);
        let mut attributes = vec![
            AttrChange::new(
                "log_group",
                None::<String>,
                format!("{} in {region} ({kept}; created only if missing)", want.log_group),
            ),
            AttrChange::new(
                "resource_policy",
                None::<String>,
                format!(
                    "{POLICY_NAME}: route53.amazonaws.com may write to {} for these zones (zones it already allows are kept)",
                    want.log_group
                ),
            ),
        ];
        attributes.extend(todo.iter().map(|z| {
            AttrChange::new(
                &format!("{} ({})", z.name, z.id),
                None::<String>,
                format!("queries logged to {}", want.log_group),
            )
        }));
        ctx.push(Change::new(
            address,
            Action::Create,
            a.account_id.clone(),
            region.clone(),
            attributes,
            vec![
                LogsOp::group_at_floor(&want.log_group, floor).into(),
                Op::PutQueryLoggingPolicy {
                    name: POLICY_NAME.into(),
                    policy: policy(&partition, &a.account_id, &group_arn, &ids),
                }
                .into(),
                Op::CreateQueryLoggingConfigs {
                    zone_ids: ids,
                    log_group_arn: group_arn,
                }
                .into(),
            ],
        ));
    }
}

/// The resource policy letting Route 53 write the zones' query logs to the log group
/// `group_arn` (`...:log-group:NAME:*`): only `route53.amazonaws.com`, only stream creation and
/// writes, only for these zones of this account.
pub fn policy(partition: &str, account: &str, group_arn: &str, zone_ids: &[String]) -> Value {
    let mut zones: Vec<String> = zone_ids
        .iter()
        .map(|z| super::zone_arn(partition, z))
        .collect();
    zones.sort();
    zones.dedup();
    let source = if zones.len() > MAX_LISTED_ZONES {
        json!(super::zone_arn(partition, "*"))
    } else {
        json!(zones)
    };
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": SID,
            "Effect": "Allow",
            "Principal": {"Service": "route53.amazonaws.com"},
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": group_arn,
            "Condition": {
                "ArnLike": {"aws:SourceArn": source},
                "StringEquals": {"aws:SourceAccount": account}
            }
        }]
    })
}

/// `new` with the zones an earlier version of logwarden's policy (`old`, its JSON text) already
/// allowed added to its `aws:SourceArn` list: a zone logging through it keeps its permission.
/// An `old` that is not logwarden's shape adds nothing.
pub fn merged(new: &Value, old: &str) -> Value {
    let zones = |v: &Value| -> Vec<String> {
        v["Statement"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["Sid"] == SID)
            .flat_map(|s| match &s["Condition"]["ArnLike"]["aws:SourceArn"] {
                Value::String(a) => vec![a.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect(),
                _ => vec![],
            })
            .collect()
    };
    let old: Value = serde_json::from_str(old).unwrap_or(Value::Null);
    let mut all = zones(new);
    all.extend(zones(&old));
    all.sort();
    all.dedup();
    let mut out = new.clone();
    let wildcard = all.iter().find(|z| z.ends_with("hostedzone/*")).cloned();
    let source = match wildcard {
        Some(w) => json!(w),
        None if all.len() > MAX_LISTED_ZONES => {
            let prefix = all[0].split("hostedzone/").next().unwrap_or("");
            json!(format!("{prefix}hostedzone/*"))
        }
        None => json!(all),
    };
    if let Some(s) = out["Statement"]
        .as_array_mut()
        .and_then(|a| a.iter_mut().find(|s| s["Sid"] == SID))
    {
        s["Condition"]["ArnLike"]["aws:SourceArn"] = source;
    }
    out
}
