//! Plan: profile + inventory → ordered changes. Pure and deterministic: the clock is an argument,
//! and the order is the registry's (Control Tower, trusted access, the log archive, CloudTrail,
//! Config, flow logs, access logs, budgets...), then account and region as the inventory lists
//! them. Every source first publishes what later planners need (its `plan_facts`), then each
//! plans its own resources through the [`PlanCtx`] they share.

use super::Registry;
use crate::inventory::{Inventory, ScopeMode};
use crate::plan::{Plan, PlanCtx, PlanError, PlanScope, PLAN_FORMAT_VERSION};
use std::collections::BTreeSet;

/// Bucket name templates whose buckets `plan` reads in detail.
pub fn managed_bucket_templates<R: Registry>(b: &R::Baseline) -> Vec<String> {
    R::sources().iter().flat_map(|s| (s.buckets)(b)).collect()
}

pub fn plan<R: Registry>(
    b: &R::Baseline,
    source: &str,
    inv: &Inventory<R>,
    now: time::OffsetDateTime,
) -> Result<Plan<R>, PlanError> {
    let plan_reads = inv.managed.as_ref().ok_or(PlanError::NoManagedState)?;
    if inv.mode == ScopeMode::Accounts {
        return Err(PlanError::OrganizationUnread {
            reason: inv.mode_reason.clone().unwrap_or_default(),
        });
    }
    let org = inv
        .organization
        .as_ref()
        .filter(|_| inv.mode == ScopeMode::Organization);
    let mgmt = org
        .map(|o| o.management_account_id.clone())
        .unwrap_or_else(|| inv.caller_account_id.clone());
    if let Some(o) = org {
        if o.management_account_id != inv.caller_account_id {
            return Err(PlanError::NotManagement {
                management: o.management_account_id.clone(),
                org: o.id.clone(),
                caller: inv.caller_account_id.clone(),
            });
        }
    }
    let audit = super::evaluate::context(inv, b);
    let mut ctx = PlanCtx {
        b,
        inv,
        plan_reads,
        mgmt,
        org_id: org.map(|o| o.id.clone()),
        facts: Default::default(),
        changes: vec![],
        kept: vec![],
        not_manageable: vec![],
        unknown: vec![],
        planned_buckets: BTreeSet::new(),
        control_tower: false,
        evaluation: super::evaluate::verdicts_in(&audit),
        log_buckets: audit.log_buckets,
    };
    for publish in R::sources().iter().filter_map(|s| s.plan_facts) {
        publish(&mut ctx);
    }
    // An account logwarden could not enter: nothing in it is planned, and it says so once.
    for a in &inv.accounts {
        if let Some(e) = a.access.error() {
            ctx.unknown(
                &format!("account.{}", a.account_id),
                &a.account_id,
                "global",
                "the account (every resource the baseline wants in it)",
                e,
            );
        }
    }
    for s in R::sources() {
        if ctx.control_tower && s.control_tower_managed {
            continue;
        }
        if let Some(plan) = s.plan {
            plan(&mut ctx);
        }
    }
    let plan = Plan {
        format_version: PLAN_FORMAT_VERSION,
        logwarden_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: crate::timefmt::rfc3339(now),
        baseline_source: source.to_string(),
        baseline: b.clone(),
        organization_id: ctx.org_id,
        caller_account_id: inv.caller_account_id.clone(),
        scope: PlanScope::default(),
        fingerprint: String::new(),
        changes: ctx.changes,
        kept: ctx.kept,
        not_manageable: ctx.not_manageable,
        unknown: ctx.unknown,
    };
    Ok(plan.with_scope(PlanScope::default()))
}
