//! The trails logwarden does not manage: kept where they meet the baseline, manual steps naming
//! the failing checks where they do not (logwarden never changes or deletes another trail).

use super::super::model::Trail;
use super::{managed_trail, CONTROL_TOWER_TRAIL};
use crate::finding::Status;
use crate::inventory::*;
use crate::plan::{note, AttrChange, Lookup};
use crate::sources::{AccountInventory, Change, PlanCtx};

/// Failing audit findings on a trail and on the bucket it delivers to (unless that is the
/// log archive, which this plan manages).
pub fn failing_checks(ctx: &PlanCtx, t: &Trail) -> Vec<String> {
    checks_with(ctx, t, Status::Fail)
}

/// The checks of a trail and of its bucket (unless that is the log archive) whose findings
/// have `status`.
fn checks_with(ctx: &PlanCtx, t: &Trail, status: Status) -> Vec<String> {
    let bucket = t
        .s3_bucket_name
        .as_deref()
        .filter(|b| *b != crate::sources::log_archive::archive(ctx).bucket)
        .map(|b| crate::arn::Partition(&ctx.inv.partition).s3_bucket(b));
    let mut v: Vec<String> = ctx
        .evaluation
        .findings
        .iter()
        .filter(|f| f.status == status)
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
    let inv = ctx.inv;
    for a in &inv.accounts {
        if a.access.error().is_none() {
            unlisted(ctx, a);
        }
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
                // Nothing fails; but where a read the checks need failed, what could not be
                // judged may: the trail is not judged.
                let unread = unread(ctx, t);
                if !unread.is_empty() {
                    let unjudged = checks_with(ctx, t, Status::Unknown);
                    ctx.unknown.push(note(
                        &format!("cloudtrail_trail_unmanaged.{owner}.{}", t.name),
                        &owner,
                        &t.home_region,
                        format!(
                            "whether trail {} meets the baseline is unknown: {} could not be judged ({} could not be read); nothing is planned for it",
                            t.name,
                            unjudged.join(", "),
                            unread.join("; ")
                        ),
                    ));
                    continue;
                }
                ctx.kept.push(note(&address, &owner, &t.home_region, "not managed by logwarden (it manages the organization trail); it meets the baseline"));
                continue;
            }
            let why = if duplicate {
                "it records management events the organization trail already records (every copy after the first is billed)"
            } else if ctx.inv.mode == ScopeMode::Organization {
                "it is not the organization trail, which already covers this account"
            } else {
                "it is not the trail logwarden manages here (the account's multi-region trail), which already covers this account"
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

/// Where an account's trails could not be listed (a region whose DescribeTrails, or whether it
/// is enabled, could not be read), the trails there are not judged: said once per place, so
/// no manual step vanishes without a word.
fn unlisted(ctx: &mut PlanCtx, a: &AccountInventory) {
    for r in &a.regions {
        let failed = match r.enabled.error() {
            Some(e) if e.code == "RegionNotEnabled" => continue,
            Some(e) => e,
            None => match r.data.cloudtrail.trails.error() {
                Some(e) => e,
                None => continue,
            },
        };
        ctx.unknown(
            &format!("cloudtrail_trails.{}.{}", a.account_id, r.region),
            &a.account_id,
            &r.region,
            &format!(
                "the trails of account {} in {} (the ones logwarden does not manage are judged for manual steps)",
                a.account_id, r.region
            ),
            failed,
        );
    }
}

/// The reads a trail's checks need that failed: its own (status, selectors, insights), and its
/// bucket's (its settings, or the bucket list of an account that may hold it). A bucket outside
/// the audit is not a failed read: its checks are unknown by design, and say so in the audit.
fn unread(ctx: &PlanCtx, t: &Trail) -> Vec<String> {
    let said = |what: &str, e: &CallError| format!("{what} ({}: {})", e.iam_action, e.code);
    let mut out: Vec<String> = [
        ("its status", t.status.error()),
        ("its event selectors", t.selectors.error()),
        ("its insight selectors", t.insights.error()),
    ]
    .into_iter()
    .filter_map(|(what, e)| e.map(|e| said(what, e)))
    .collect();
    let Some(name) = t.s3_bucket_name.as_deref() else {
        return out;
    };
    let lists = ctx
        .inv
        .accounts
        .iter()
        .map(|a| (a, a.data.s3_access_logs.buckets.as_result()));
    let mut unlisted = None;
    for (a, list) in lists {
        match list {
            Err(e) => unlisted = unlisted.or(Some((a, e))),
            Ok(buckets) => {
                if let Some(d) = buckets
                    .iter()
                    .find(|b| b.name == name)
                    .and_then(|b| b.details.as_ref())
                {
                    if let Some(e) = [
                        d.versioning.error(),
                        d.public_access_block.error(),
                        d.policy_is_public.error(),
                        d.acl_public_grants.error(),
                        d.policy.error(),
                        d.lifecycle_rules.error(),
                        d.object_lock.error(),
                    ]
                    .into_iter()
                    .flatten()
                    .next()
                    {
                        out.push(said(&format!("the settings of its bucket {name}"), e));
                    }
                    return out;
                }
            }
        }
    }
    if let Some((a, e)) = unlisted {
        out.push(said(
            &format!(
                "the buckets of account {}, which may hold its bucket {name}",
                a.account_id
            ),
            e,
        ));
    }
    out
}
