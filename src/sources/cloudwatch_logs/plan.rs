//! Log-group retention's plan: each log group in the profile's scope (every group, or each
//! holding a source's logs) with a retention shorter than the profile's is raised to it. Nothing is ever shortened: a group that never expires is
//! kept (a manual step when the profile flags it), a longer retention is kept, and a group another
//! source's plan already sets (the organization trail's) is left to that change. With
//! `deletion_protection`, each group holding a source's logs gets deletion protection, and every
//! group the plan creates (for any source) is protected as it is made; protection is never
//! turned off.

use super::apply::Op;
use super::checks::{holding, named, short};
use super::profile::GroupScope;
use crate::plan::{Action, AttrChange};
use crate::sources::{Change, PlanCtx, RegionInventory};

pub fn plan(ctx: &mut PlanCtx) {
    let Some(want) = ctx.b.log_group_retention.clone() else {
        return;
    };
    let named = named(ctx.inv);
    let mut changes = Vec::new();
    for row in ctx.regions_read("cloudwatch_log_group", "the log groups", |r| {
        r.data.cloudwatch_logs.groups.as_result()
    }) {
        let (a, r, groups) = (row.account, row.region, row.read);
        // Deletion protection weighs the groups holding a source's logs, whatever `groups` says.
        let scope = if want.deletion_protection {
            GroupScope::Sources
        } else {
            want.groups
        };
        if let Some(e) = super::checks::doubt_for(scope, r) {
            // Groups only that read names may need raising too.
            let e = e.clone();
            ctx.unknown(
                &row.address,
                &a.account_id,
                &r.region,
                "which log groups hold logs",
                &e,
            );
        }
        for (g, by) in holding(groups, &named, &a.account_id, &r.region, want.groups) {
            if short(g, want.min_days, want.never_expire).is_none() {
                continue;
            }
            let planned_elsewhere = ctx.changes.iter().any(|c| {
                c.address == format!("cloudwatch_log_group.{}", g.name)
                    && c.account_id == a.account_id
                    && c.region == r.region
            });
            if planned_elsewhere {
                continue;
            }
            let address = format!(
                "cloudwatch_log_group.{}.{}.{}",
                a.account_id, r.region, g.name
            );
            let attr = AttrChange::new(
                "retention",
                Some(match g.retention_days {
                    Some(d) => format!("{d} days"),
                    None => "never expire".to_string(),
                }),
                format!("{} days", want.min_days),
            );
            changes.push(match g.retention_days {
                None => Change::manual_step(
                    address,
                    a.account_id.clone(),
                    r.region.clone(),
                    attr,
                    format!(
                        "the group ({by}) never expires and the baseline flags unbounded retention; logwarden never shortens a retention (logs older than {} days would be deleted at once)",
                        want.min_days
                    ),
                    format!(
                        "aws logs put-retention-policy --region {} --log-group-name {} --retention-in-days {}   # in account {}",
                        r.region, g.name, want.min_days, a.account_id
                    ),
                ),
                Some(_) => Change::new(
                    address,
                    Action::Update,
                    a.account_id.clone(),
                    r.region.clone(),
                    vec![attr],
                    vec![Op::PutRetention {
                        name: g.name.clone(),
                        days: want.min_days,
                    }
                    .into()],
                ),
            });
        }
        if want.deletion_protection {
            changes.extend(protect(a, r, groups, &named));
        }
    }
    for c in changes {
        ctx.push(c);
    }
    if want.deletion_protection {
        protect_created(&mut ctx.changes);
    }
}

/// Deletion protection for each group of `r` that holds a source's logs and lacks it.
fn protect(
    a: &crate::sources::AccountInventory,
    r: &RegionInventory,
    groups: &[super::model::LogGroup],
    named: &super::checks::Named,
) -> Vec<Change> {
    holding(groups, named, &a.account_id, &r.region, GroupScope::Sources)
        .into_iter()
        .filter(|(g, _)| !g.deletion_protection)
        .map(|(g, by)| {
            Change::new(
                format!(
                    "cloudwatch_log_group_protection.{}.{}.{}",
                    a.account_id, r.region, g.name
                ),
                Action::Update,
                a.account_id.clone(),
                r.region.clone(),
                vec![
                    AttrChange::new("deletion_protection", Some("off"), "on"),
                    AttrChange::new("holds", None::<String>, by),
                ],
                vec![Op::ProtectFromDeletion {
                    name: g.name.clone(),
                }
                .into()],
            )
        })
        .collect()
}

/// Every log group the plan creates (a trail's, a flow log's, a Lambda function's... whichever
/// source planned it: this section plans last) is protected right after it is made, in the
/// same change, so the next plan has nothing left to protect.
fn protect_created(changes: &mut [Change]) {
    for c in changes {
        let created: Vec<String> = c
            .ops
            .iter()
            .filter_map(|o| match o {
                crate::sources::Op::CloudwatchLogs(
                    Op::CreateLogGroup { name } | Op::EnsureLogGroup { name, .. },
                ) => Some(name.clone()),
                _ => None,
            })
            .collect();
        for name in created {
            c.ops
                .push(Op::ProtectFromDeletion { name: name.clone() }.into());
            c.attributes.push(AttrChange::new(
                "deletion_protection",
                None::<String>,
                format!("on ({name})"),
            ));
        }
    }
}

/// For a source whose change is a manual step: the log groups that step will make a service
/// write to (`(name, what for)`), created first at the retention floor `days` where the region's
/// listing lacks them, so the logs never start in a group that never expires. `false` when the
/// region's groups could not be read: then whether they exist is unknown, `address` is reported
/// `unknown`, and the caller plans nothing for it.
pub fn groups_at_floor(
    ctx: &mut PlanCtx,
    address: &str,
    r: &RegionInventory,
    account: &str,
    groups: &[(String, String)],
    days: u32,
) -> bool {
    let existing = match r.data.cloudwatch_logs.groups.as_result() {
        Ok(g) => g,
        Err(e) => {
            let e = e.clone();
            ctx.unknown(
                address,
                account,
                &r.region,
                "the log groups (whether they must be created at the retention floor first)",
                &e,
            );
            return false;
        }
    };
    for (name, why) in groups {
        if existing.iter().any(|g| &g.name == name) {
            continue;
        }
        ctx.push(Change::new(
            format!("cloudwatch_log_group.{account}.{}.{name}", r.region),
            Action::Create,
            account.to_string(),
            r.region.clone(),
            vec![
                AttrChange::new(
                    "log_group",
                    None::<String>,
                    format!("{name} (kept {days} days)"),
                ),
                AttrChange::new("for", None::<String>, why.clone()),
            ],
            vec![Op::group_at_floor(name, Some(days)).into()],
        ));
    }
    true
}
