//! Amazon Redshift's plan. In each account and region, the clusters that write no audit logs,
//! or that write to CloudWatch Logs without every wanted log type, get audit logging to
//! CloudWatch Logs (their `/aws/redshift/cluster/<id>/<type>` groups created first at the
//! retention floor when missing, so the logs never start in a group that never expires). A
//! cluster writing to S3 keeps its bucket. The user activity log needs
//! `enable_user_activity_logging` in the cluster's parameter group, a static parameter applied
//! at the next reboot, whose moment is the cluster owner's: a manual step with the exact
//! commands (a default parameter group cannot be changed, so the step makes one).

use super::apply::Op;
use super::checks::{missing_exports, wanted};
use super::collect::USER_ACTIVITY;
use super::model::Cluster;
use crate::plan::{shell_word, Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::{Change, PlanCtx};

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.redshift_audit_logging.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    let types = wanted(&want);
    for row in ctx.regions_read("redshift_audit_logging", "the Redshift clusters", |r| {
        r.data.redshift.clusters.as_result()
    }) {
        let (a, r, clusters) = (row.account, row.region, row.read);
        let mut todo: Vec<(&Cluster, String)> = Vec::new();
        for c in clusters {
            let l = match c.logging.as_result() {
                Ok(l) => l,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("{}.{}", row.address, c.id),
                        &a.account_id,
                        &r.region,
                        &format!("the audit logging of Redshift cluster {}", c.id),
                        &e,
                    );
                    continue;
                }
            };
            if !l.enabled {
                todo.push((c, "audit logging off".into()));
            } else if !missing_exports(l, &want).is_empty() {
                todo.push((c, format!("CloudWatch Logs: {}", l.log_exports.join(", "))));
            }
            if want.user_activity_log {
                user_activity_step(ctx, &row.address, a.account_id.as_str(), &r.region, c);
            }
        }
        if todo.is_empty() {
            continue;
        }
        let kept = LogsOp::kept_at_floor(floor);
        let mut attributes = Vec::new();
        let mut ops = Vec::new();
        for (c, before) in &todo {
            attributes.push(AttrChange::new(
                &c.id,
                Some(before.as_str()),
                format!("CloudWatch Logs: {} ({kept})", types.join(", ")),
            ));
            for t in &types {
                ops.push(LogsOp::group_at_floor(&super::log_group(&c.id, t), floor).into());
            }
        }
        ops.push(
            Op::EnableAuditLogging {
                clusters: todo.iter().map(|(c, _)| c.id.clone()).collect(),
                log_exports: types.iter().map(|t| t.to_string()).collect(),
            }
            .into(),
        );
        ctx.push(Change::new(
            row.address,
            Action::Update,
            a.account_id.clone(),
            r.region.clone(),
            attributes,
            ops,
        ));
    }
}

/// The manual step turning the user activity log on for cluster `c`, when its parameter group
/// does not (or will only at the next reboot); an unreadable group is `unknown`.
fn user_activity_step(ctx: &mut PlanCtx, address: &str, account: &str, region: &str, c: &Cluster) {
    let address = format!("{address}.{}.user_activity", c.id);
    let on = match c.user_activity_logging.as_result() {
        Ok(v) => *v == Some(true),
        Err(e) => {
            let e = e.clone();
            ctx.unknown(
                &address,
                account,
                region,
                &format!("the parameter group of Redshift cluster {}", c.id),
                &e,
            );
            return;
        }
    };
    let pending = c.parameter_status.as_deref() == Some("pending-reboot");
    if on && !pending {
        return;
    }
    let id = shell_word(&c.id);
    let reboot = format!("aws redshift reboot-cluster --region {region} --cluster-identifier {id}");
    let set = format!("ParameterName={USER_ACTIVITY},ParameterValue=true");
    let group = c
        .parameter_group
        .as_deref()
        .unwrap_or("default.redshift-1.0");
    let (command, how) = if on {
        (
            format!("{reboot}   # in account {account}"),
            format!(
                "its parameter group {group} turns {USER_ACTIVITY} on, applied at the next reboot"
            ),
        )
    } else if group.starts_with("default.") {
        let new = shell_word(&format!("{}-audit", c.id));
        (
            format!(
                "aws redshift create-cluster-parameter-group --region {region} --parameter-group-name {new} --parameter-group-family redshift-1.0 --description 'audit logging' && aws redshift modify-cluster-parameter-group --region {region} --parameter-group-name {new} --parameters {set} && aws redshift modify-cluster --region {region} --cluster-identifier {id} --cluster-parameter-group-name {new} && {reboot}   # in account {account}"
            ),
            format!("its parameter group {group} is a default one, which cannot be changed: a new group with {USER_ACTIVITY} on replaces it (its other parameters at their defaults, as in {group})"),
        )
    } else {
        (
            format!(
                "aws redshift modify-cluster-parameter-group --region {region} --parameter-group-name {} --parameters {set} && {reboot}   # in account {account}",
                shell_word(group)
            ),
            format!("its parameter group {group} leaves {USER_ACTIVITY} off (changing it changes every cluster using that group)"),
        )
    };
    ctx.push(Change::manual_step(
        address,
        account,
        region,
        AttrChange::new(USER_ACTIVITY, Some(on.to_string()), "true (applied)"),
        format!(
            "Redshift cluster {}: {how}; the parameter is static, so it applies only when the cluster reboots, whose moment is the cluster owner's",
            c.id
        ),
        command,
    ));
}
