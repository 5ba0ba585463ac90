//! VPC flow logs' plan: a flow log for every VPC (of the tagged ones) without one, to the log
//! archive or to CloudWatch Logs.

use super::apply::FlowLogTarget;
use super::model::Vpc;
use super::profile::FlowLogDestination;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let Some(fl) = ctx.b.vpc_flow_logs.clone() else {
        return;
    };
    let dep: Vec<String> = ctx
        .changes
        .iter()
        .filter(|c| {
            c.address
                == format!(
                    "s3_bucket.{}",
                    crate::sources::log_archive::archive(ctx).bucket
                )
        })
        .map(|c| c.address.clone())
        .collect();
    for row in ctx.regions_read("flow_logs", "VPCs or flow logs", |r| {
        Ok((
            r.data.vpc_flow_logs.vpcs.as_result()?,
            r.data.vpc_flow_logs.flow_logs.as_result()?,
        ))
    }) {
        let (a, r, (vpcs, logs)) = (row.account, row.region, row.read);
        let address = row.address;
        let missing: Vec<&Vpc> = vpcs
            .iter()
            // A VPC shared by its owner: only the owner can make its flow logs.
            .filter(|v| v.shared_by(&a.account_id).is_none())
            .filter(|v| {
                fl.vpc_tags
                    .iter()
                    .all(|(k, val)| v.tags.get(k) == Some(val))
            })
            .filter(|v| {
                !crate::sources::vpc_flow_logs::checks::vpc_is_logged(&v.id, logs, fl.traffic_type)
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let traffic = fl.traffic_type.as_str();
        let (target, label, mut ops) = match fl.destination {
            FlowLogDestination::LogArchive => (
                FlowLogTarget::S3 {
                    bucket: crate::sources::log_archive::archive(ctx).bucket.clone(),
                },
                format!("s3://{}", crate::sources::log_archive::archive(ctx).bucket),
                vec![],
            ),
            FlowLogDestination::CloudwatchLogs => {
                let cw = &fl.cloudwatch_logs;
                let (trust, permissions) = super::policies::flow_logs_role(
                    &ctx.inv.partition,
                    &a.account_id,
                    &cw.log_group,
                );
                (
                    FlowLogTarget::CloudwatchLogs {
                        log_group: cw.log_group.clone(),
                        role_name: cw.role_name.clone(),
                    },
                    format!("CloudWatch Logs {}", cw.log_group),
                    // Only while VPCs of this account-region lack flow logs; both idempotent.
                    vec![
                        crate::sources::delivery_roles::apply::Op::EnsureRole {
                            name: cw.role_name.clone(),
                            trust_policy: trust,
                            inline_policy: Some(permissions),
                            managed_policy_arns: vec![],
                        }
                        .into(),
                        crate::sources::cloudwatch_logs::apply::Op::EnsureLogGroup {
                            name: cw.log_group.clone(),
                            retention_days: cw.retention_days,
                        }
                        .into(),
                    ],
                )
            }
        };
        ops.push(
            super::apply::Op::CreateFlowLogs {
                vpc_ids: missing.iter().map(|v| v.id.clone()).collect(),
                destination: target,
                traffic_type: traffic.into(),
                log_format: fl.log_format.clone(),
            }
            .into(),
        );
        ctx.push(
            Change::new(
                address,
                Action::Create,
                a.account_id.clone(),
                r.region.clone(),
                missing
                    .iter()
                    .map(|v| {
                        AttrChange::new(
                            &v.id,
                            None::<String>,
                            format!("{traffic} traffic to {label}"),
                        )
                    })
                    .collect(),
                ops,
            )
            .depending_on(if fl.destination == FlowLogDestination::LogArchive {
                dep.clone()
            } else {
                vec![]
            }),
        );
    }
}
