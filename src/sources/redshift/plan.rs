//! Amazon Redshift's plan. In each account and region, the clusters that write no audit logs,
//! or that write to CloudWatch Logs without every wanted log type, get audit logging to
//! CloudWatch Logs (their `/aws/redshift/cluster/<id>/<type>` groups created first at the
//! retention floor when missing, so the logs never start in a group that never expires). A
//! cluster writing to S3 keeps its bucket. Redshift changes a cluster's logging only while it
//! is available, so a paused or resizing cluster gets a manual step with the exact command
//! instead. The user activity log needs
//! `enable_user_activity_logging` in the cluster's parameter group, a static parameter applied
//! at the next reboot, whose moment is the cluster owner's: a manual step with the exact
//! commands (a default parameter group cannot be changed, so the step makes one).

use super::apply::Op;
use super::checks::{missing_exports, wanted};
use super::collect::USER_ACTIVITY;
use super::model::Cluster;
use crate::plan::{shell_word, Action, AttrChange};
use crate::sources::cloudwatch_logs::apply::Op as LogsOp;
use crate::sources::cloudwatch_logs::plan::groups_at_floor;
use crate::sources::{Change, PlanCtx, RegionInventory};

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
            let before = if !l.enabled {
                Some("audit logging off".to_string())
            } else if !missing_exports(l, &want).is_empty() {
                Some(format!("CloudWatch Logs: {}", l.log_exports.join(", ")))
            } else {
                None
            };
            match (before, c.status.as_deref()) {
                (None, _) => {}
                (Some(before), None | Some("available")) => todo.push((c, before)),
                // Redshift changes a cluster's logging only while it is available.
                (Some(before), Some(state)) => {
                    let t = Busy {
                        account: a.account_id.as_str(),
                        region: &r.region,
                        address: format!("{}.{}", row.address, c.id),
                        state,
                    };
                    busy_step(ctx, &t, r, c, before, &types, floor);
                }
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

/// A cluster that is not available (paused, resizing, creating...), where it is.
struct Busy<'a> {
    account: &'a str,
    region: &'a str,
    address: String,
    state: &'a str,
}

/// The manual step turning audit logging on for a cluster Redshift cannot change now, with the
/// exact command (the types it exports kept); its log groups are made first at the retention
/// floor, as for the others.
fn busy_step(
    ctx: &mut PlanCtx,
    t: &Busy,
    r: &RegionInventory,
    c: &Cluster,
    before: String,
    types: &[&str],
    floor: Option<u32>,
) {
    if let Some(days) = floor {
        let groups: Vec<(String, String)> = types
            .iter()
            .map(|ty| {
                (
                    super::log_group(&c.id, ty),
                    format!("the {ty} of Redshift cluster {} (a manual step)", c.id),
                )
            })
            .collect();
        if !groups_at_floor(ctx, &t.address, r, t.account, &groups, days) {
            return;
        }
    }
    let mut exports: Vec<String> = c
        .logging
        .value()
        .filter(|l| l.enabled && l.to_cloudwatch())
        .map(|l| l.log_exports.clone())
        .unwrap_or_default();
    for ty in types {
        if !exports.iter().any(|x| x == ty) {
            exports.push(ty.to_string());
        }
    }
    ctx.push(Change::manual_step(
        t.address.clone(),
        t.account,
        t.region,
        AttrChange::new("audit_logging", Some(before), format!("CloudWatch Logs: {}", exports.join(", "))),
        format!(
            "Redshift cluster {} is {}, and Redshift changes a cluster's logging only while it is available: run the command once it is",
            c.id, t.state
        ),
        format!(
            "aws redshift enable-logging --region {} --cluster-identifier {} --log-destination-type cloudwatch --log-exports {}   # in account {}",
            t.region,
            shell_word(&c.id),
            exports.join(" "),
            t.account
        ),
    ));
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
