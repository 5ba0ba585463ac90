//! EKS's plan: for each ACTIVE cluster missing log types the profile names, enable them
//! (additive: types already on stay on). When the profile sets a log-group retention and the
//! cluster's log group does not exist yet, the group is created first with that retention, so
//! the logs never start in a group that never expires (and the next plan has nothing to raise).
//! A cluster that is not ACTIVE is named under Kept: EKS refuses changes until it is.

use super::apply::Op;
use super::model::ClusterStatus;
use crate::plan::note;
use crate::plan::{Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::Change;
use crate::sources::PlanCtx;

/// What enabling the types costs, shown in the plan.
const COST: &str =
    "CloudWatch Logs ingestion and storage are billed per GB; the audit log is usually the largest";

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.eks.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    for row in ctx.regions_read("eks", "the EKS clusters", |r| {
        r.data.eks.clusters.as_result()
    }) {
        let (a, r, clusters) = (row.account, row.region, row.read);
        for c in clusters {
            let address = format!("eks_cluster.{}.{}.{}", a.account_id, r.region, c.name);
            let d = match c.details.as_result() {
                Ok(d) => d,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &address,
                        &a.account_id,
                        &r.region,
                        "the cluster's logging configuration",
                        &e,
                    );
                    continue;
                }
            };
            let missing: Vec<String> = want
                .missing(&d.enabled_log_types)
                .iter()
                .map(|t| t.as_str().to_string())
                .collect();
            if missing.is_empty() {
                continue;
            }
            if d.status != ClusterStatus::Active {
                ctx.kept.push(note(
                    &address,
                    &a.account_id,
                    &r.region,
                    format!(
                        "EKS cluster {} is {}: EKS changes its logging only when it is ACTIVE; {} stay off until a plan made then",
                        c.name,
                        d.status,
                        missing.join(", ")
                    ),
                ));
                continue;
            }
            let before = if d.enabled_log_types.is_empty() {
                "none".to_string()
            } else {
                d.enabled_log_types.join(", ")
            };
            let mut after = d.enabled_log_types.clone();
            after.extend(missing.iter().cloned());
            let mut attributes = vec![
                AttrChange::new("logging.enabled_types", Some(before), after.join(", ")),
                AttrChange::new("cost", None::<String>, COST),
            ];
            let mut ops = Vec::new();
            let group = super::log_group(&c.name);
            let exists = match (floor, r.data.cloudwatch_logs.groups.as_result()) {
                (None, _) => true,
                (Some(_), Ok(gs)) => gs.iter().any(|g| g.name == group),
                (Some(_), Err(e)) => {
                    // Whether the group must be made first is not known: nothing planned.
                    let e = e.clone();
                    ctx.unknown(
                        &address,
                        &a.account_id,
                        &r.region,
                        "the log groups (whether the cluster's must be created at the retention floor first)",
                        &e,
                    );
                    continue;
                }
            };
            if let (Some(days), false) = (floor, exists) {
                attributes.push(AttrChange::new(
                    "log_group",
                    None::<String>,
                    format!("{group} (kept {days} days; created only if missing)"),
                ));
                ops.push(
                    LogsOp::EnsureLogGroup {
                        name: group,
                        retention_days: days,
                    }
                    .into(),
                );
            }
            ops.push(
                Op::EnableControlPlaneLogging {
                    cluster: c.name.clone(),
                    log_types: missing,
                }
                .into(),
            );
            ctx.push(Change::new(
                address,
                Action::Update,
                a.account_id.clone(),
                r.region.clone(),
                attributes,
                ops,
            ));
        }
    }
}
