//! The organization trail's CloudWatch Logs delivery: its log group (created, retention raised)
//! and the role CloudTrail assumes to write to it (created, or adopted when it trusts what
//! logwarden would write).

use super::super::profile::CloudWatchLogsDelivery;
use super::managed_trail;
use crate::plan::{note, Action, AttrChange, Lookup};
use crate::sources::{Change, PlanCtx};

pub fn plan(ctx: &mut PlanCtx) {
    if !ctx.b.cloudtrail.cloudwatch_logs {
        return;
    }
    let cw = ctx.b.organization_trail.cloudwatch_logs.clone();
    let region = ctx.plan_reads.cloudtrail.trail_region.clone();
    let mgmt = ctx.mgmt.clone();
    let address = format!("cloudwatch_log_group.{}", cw.log_group);
    match managed_trail(ctx) {
        Lookup::Found(t) if t.cloudwatch_logs_log_group_arn.is_some() => return,
        Lookup::Unknown(e) => {
            // What the trail delivers to is unknown: neither its log group nor its role.
            let e = e.clone();
            ctx.unknown(
                &address,
                &mgmt,
                &region,
                "the organization trail (which may already deliver to CloudWatch Logs)",
                &e,
            );
            let role = format!("iam_role.{}", cw.role_name);
            ctx.unknown(
                &role,
                &mgmt,
                "global",
                "the organization trail (which may already deliver to CloudWatch Logs)",
                &e,
            );
            return;
        }
        _ => {}
    }
    log_group(ctx, &cw, region.clone(), mgmt.clone(), address);
    role(ctx, &cw, region, mgmt);
}

/// The log group: created with the profile's retention, or its retention raised (never
/// shortened; "never expire" kept).
fn log_group(
    ctx: &mut PlanCtx,
    cw: &CloudWatchLogsDelivery,
    region: String,
    mgmt: String,
    address: String,
) {
    match ctx
        .plan_reads
        .cloudtrail
        .log_group
        .as_ref()
        .map(|g| g.as_result())
    {
        None => {}
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(&address, &mgmt, &region, "the log group", &e);
        }
        Some(Ok(None)) => ctx.push(Change::new(
            address,
            Action::Create,
            mgmt.clone(),
            region.clone(),
            vec![AttrChange::new(
                "retention",
                None::<String>,
                format!("{} days", cw.retention_days),
            )],
            vec![
                crate::sources::cloudwatch_logs::apply::Op::CreateLogGroup {
                    name: cw.log_group.clone(),
                }
                .into(),
                crate::sources::cloudwatch_logs::apply::Op::PutRetention {
                    name: cw.log_group.clone(),
                    days: cw.retention_days,
                }
                .into(),
            ],
        )),
        Some(Ok(Some(g))) => match g.retention_days {
            Some(d) if (d as u32) < cw.retention_days => ctx.push(Change::new(
                address,
                Action::Update,
                mgmt.clone(),
                region.clone(),
                vec![AttrChange::new(
                    "retention",
                    Some(format!("{d} days")),
                    format!("{} days", cw.retention_days),
                )],
                vec![crate::sources::cloudwatch_logs::apply::Op::PutRetention {
                    name: cw.log_group.clone(),
                    days: cw.retention_days,
                }
                .into()],
            )),
            Some(d) if d as u32 > cw.retention_days => ctx.kept.push(note(
                &address,
                &mgmt,
                &region,
                format!(
                    "retention {d} days is longer than the profile's {}; kept",
                    cw.retention_days
                ),
            )),
            None => ctx.kept.push(note(
                &address,
                &mgmt,
                &region,
                "the log group never expires events; kept",
            )),
            _ => {}
        },
    }
}

/// The role CloudTrail assumes to deliver: written with its permissions, or a manual step
/// when a role of that name trusts others.
fn role(ctx: &mut PlanCtx, cw: &CloudWatchLogsDelivery, region: String, mgmt: String) {
    let role = ctx.plan_reads.cloudtrail.role.as_ref();
    let role_address = format!("iam_role.{}", cw.role_name);
    match role.map(|r| r.arn.as_result()) {
        None => {}
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(&role_address, &mgmt, "global", "the delivery role", &e);
        }
        // The trail does not deliver yet: the role is (re)written with its permissions, so a
        // role half-made by an interrupted run is finished before the trail uses it.
        Some(Ok(existing)) => {
            let exists = existing.is_some();
            let (trust, permissions) = super::super::policies::cloudwatch_logs_role(
                &ctx.inv.partition,
                &mgmt,
                ctx.org_id.as_deref(),
                &region,
                &cw.log_group,
                crate::sources::cloudtrail::plan::trail_arn(ctx),
            );
            if let Some(have) =
                role.and_then(|r| crate::sources::delivery_roles::foreign_trust(r, &trust))
            {
                let want = serde_json::to_string(&trust).unwrap_or_default();
                ctx.push(Change::manual_step(
                    role_address,
                    mgmt.clone(),
                    "global",
                    AttrChange::new("trust policy", Some(have.to_string()), want.clone()),
                    format!("role {} already exists and its trust policy is not the one logwarden writes (CloudTrail for {} only); logwarden does not give its permissions to a role trusted otherwise. Review who may assume it, then replace its trust policy, or name another role in organization_trail.cloudwatch_logs.role_name", cw.role_name, crate::sources::cloudtrail::plan::trail_arn(ctx)),
                    format!("aws iam update-assume-role-policy --role-name {} --policy-document '{want}'", cw.role_name),
                ));
                return;
            }
            let before = exists.then_some("(existing role)");
            ctx.push(Change::new(
                role_address,
                if exists {
                    Action::Update
                } else {
                    Action::Create
                },
                mgmt.clone(),
                "global",
                vec![
                    AttrChange::new(
                        "trusts",
                        before,
                        format!(
                            "cloudtrail.amazonaws.com for {}",
                            crate::sources::cloudtrail::plan::trail_arn(ctx)
                        ),
                    ),
                    AttrChange::new(
                        "permissions",
                        before,
                        "logs:CreateLogStream, logs:PutLogEvents on the trail's streams",
                    ),
                ],
                vec![crate::sources::delivery_roles::apply::Op::EnsureRole {
                    name: cw.role_name.clone(),
                    trust_policy: trust,
                    inline_policy: Some(permissions),
                    managed_policy_arns: vec![],
                }
                .into()],
            ));
        }
    }
}
