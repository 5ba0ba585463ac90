//! RDS's plan: for each database missing log types the profile names for its engine, a manual
//! step with the exact `aws rds modify-db-instance` / `modify-db-cluster` command. logwarden does
//! not turn an export on itself: several types need a parameter or option group change first
//! (the MySQL audit plugin, `slow_query_log`, `server_audit_logging`), and such a change can
//! need a restart whose moment is the database owner's. When the profile sets a log-group
//! retention, the missing groups (`/aws/rds/<kind>/<id>/<type>`) are created first at that
//! retention, so the exported logs never start in a group that never expires.

use super::checks::judged;
use super::model::{Database, Kind};
use super::profile::Family;
use crate::plan::AttrChange;
use crate::sources::cloudwatch_logs::plan::groups_at_floor;
use crate::sources::{AccountInventory, Change, PlanCtx, RegionInventory};

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.rds_logs.clone() else {
        return;
    };
    let floor = ctx.b.log_group_retention.as_ref().map(|l| l.min_days);
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        for r in ctx.enabled_regions(a) {
            for kind in [Kind::Instance, Kind::Cluster] {
                let Some(dbs) = judged(r, kind) else {
                    let list = match kind {
                        Kind::Instance => &r.data.rds.instances,
                        Kind::Cluster => &r.data.rds.clusters,
                    };
                    if let Some(e) = list.error() {
                        let e = e.clone();
                        ctx.unknown(
                            &format!("rds_db_{}.{}.{}", kind.as_str(), a.account_id, r.region),
                            &a.account_id,
                            &r.region,
                            &format!("the RDS DB {}s", kind.as_str()),
                            &e,
                        );
                    }
                    continue;
                };
                for d in dbs {
                    let missing = want.missing(&d.engine, &d.log_exports);
                    if missing.is_empty() {
                        continue;
                    }
                    let address = format!(
                        "rds_db_{}.{}.{}.{}",
                        kind.as_str(),
                        a.account_id,
                        r.region,
                        d.id
                    );
                    let t = Target { a, r, kind, d };
                    if let Some(days) = floor {
                        let groups: Vec<(String, String)> = missing
                            .iter()
                            .map(|log_type| {
                                (
                                    super::log_group(kind, &d.id, log_type),
                                    format!(
                                        "the {log_type} export of RDS DB {} {} (a manual step)",
                                        kind.as_str(),
                                        d.id
                                    ),
                                )
                            })
                            .collect();
                        if !groups_at_floor(ctx, &address, r, &a.account_id, &groups, days) {
                            continue;
                        }
                    }
                    ctx.push(manual_step(address, &t, &missing));
                }
            }
        }
    }
}

/// One database, where it is.
struct Target<'a> {
    a: &'a AccountInventory,
    r: &'a RegionInventory,
    kind: Kind,
    d: &'a Database,
}

/// The manual step turning the missing exports on, with the exact command.
fn manual_step(address: String, t: &Target, missing: &[String]) -> Change {
    let Target { a, r, kind, d } = *t;
    let before = if d.log_exports.is_empty() {
        "none".to_string()
    } else {
        d.log_exports.join(", ")
    };
    let mut after = d.log_exports.clone();
    after.extend(missing.iter().cloned());
    let prerequisite = Family::of(&d.engine)
        .map(Family::prerequisite)
        .unwrap_or("check the engine's documentation for what the export needs");
    let state = if d.status.is_empty() || d.status == "available" {
        String::new()
    } else {
        format!(
            "; it is {} now, and RDS changes it only when it is available",
            d.status
        )
    };
    let types = missing
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(",");
    let (verb, flag, label) = match kind {
        Kind::Instance => (
            "modify-db-instance",
            "--db-instance-identifier",
            "RDS DB instance",
        ),
        Kind::Cluster => (
            "modify-db-cluster",
            "--db-cluster-identifier",
            "RDS DB cluster",
        ),
    };
    let command = format!(
        "aws rds {verb} --region {} {flag} {} --cloudwatch-logs-export-configuration '{{\"EnableLogTypes\":[{types}]}}' --apply-immediately   # in account {}",
        r.region, d.id, a.account_id
    );
    Change::manual_step(
        address,
        a.account_id.clone(),
        r.region.clone(),
        AttrChange::new("log_exports", Some(before), after.join(", ")),
        format!(
            "{label} {} ({}): {prerequisite}; a parameter or option group change can need a restart, so the database's owner picks the moment{state}",
            d.id, d.engine
        ),
        command,
    )
}
