//! The trails logwarden does not manage: kept where they meet the baseline, manual steps naming
//! the failing checks where they do not (logwarden never changes or deletes another trail).

use super::super::model::Trail;
use super::{managed_trail, CONTROL_TOWER_TRAIL};
use crate::inventory::*;
use crate::plan::{note, AttrChange, Lookup};
use crate::sources::{Change, PlanCtx};

/// Trails logwarden does not manage: a duplicate copy of management events is a manual
/// step (logwarden never deletes a trail); anything else about them is the audit's to judge.
/// Failing audit findings on a trail and on the bucket it delivers to (unless that is the
/// log archive, which this plan manages).
pub fn failing_checks(ctx: &PlanCtx, t: &Trail) -> Vec<String> {
    let bucket = t
        .s3_bucket_name
        .as_deref()
        .filter(|b| *b != crate::sources::log_archive::archive(ctx).bucket)
        .map(|b| format!("arn:{}:s3:::{b}", ctx.inv.partition));
    let mut v: Vec<String> = ctx
        .evaluation
        .findings
        .iter()
        .filter(|f| f.status == crate::finding::Status::Fail)
        .filter(|f| {
            f.resource == t.arn
                || (f.check_id.starts_with("trail_bucket.") && Some(&f.resource) == bucket.as_ref())
        })
        .map(|f| f.check_id.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Trails logwarden does not manage (every trail but the organization trail). It never
/// changes or deletes them; where the audit fails them (a duplicate copy of management
/// events, a stopped trail, an unprotected bucket), that is a manual step naming the checks.
pub fn plan(ctx: &mut PlanCtx) {
    let (managed, unknown) = match managed_trail(ctx) {
        Lookup::Found(t) => (Some(t.arn.clone()), false),
        Lookup::Missing => (None, false),
        Lookup::Unknown(_) => (None, true),
    };
    for a in &ctx.inv.accounts {
        if unknown && a.account_id == ctx.mgmt {
            // Which of these trails logwarden manages is unknown (reported with the trail).
            continue;
        }
        for t in &a.data.cloudtrail.trails {
            if Some(&t.arn) == managed.as_ref() || t.name == CONTROL_TOWER_TRAIL {
                continue;
            }
            let owner = crate::arn::account_of(&t.arn)
                .unwrap_or(&a.account_id)
                .to_string();
            if owner != a.account_id {
                continue; // another account's organization trail, seen from a member
            }
            let records_management = t
                .selectors
                .value()
                .is_some_and(crate::sources::cloudtrail::selectors::records_management_events);
            let logging = t.status.value().is_some_and(|s| s.is_logging);
            let mut checks = crate::sources::cloudtrail::plan::failing_checks(ctx, t);
            let duplicate = records_management
                && logging
                && !ctx.b.cloudtrail.allow_duplicate_management_events
                && ctx.inv.mode == ScopeMode::Organization;
            if duplicate {
                checks.insert(0, "cloudtrail.duplicate_management_events".into());
            }
            let address = format!("cloudtrail_trail.{}", t.name);
            if checks.is_empty() {
                ctx.kept.push(note(&address, &owner, &t.home_region, "not managed by logwarden (it manages the organization trail); it meets the baseline"));
                continue;
            }
            let why = if duplicate {
                "it records management events the organization trail already records (every copy after the first is billed)"
            } else {
                "it is not the organization trail, which already covers this account"
            };
            ctx.push(Change::manual_step(
format!("cloudtrail_trail_unmanaged.{owner}.{}", t.name),
owner.clone(),
t.home_region.clone(),
AttrChange::new("failing checks", Some(checks.join(", ")), "none"),
format!("trail {} fails {}; {why}. logwarden manages only the organization trail and never deletes a trail: bring this one to the baseline yourself, or, once nobody depends on it, delete it", t.name, checks.join(", ")),
format!("aws cloudtrail delete-trail --name {} --region {}   # in account {owner}", t.arn, t.home_region),
));
        }
    }
}
