//! The organization trail's plan: its CloudWatch Logs group and delivery role
//! ([`delivery`]), the trail itself (created, or an existing one completed: validation, KMS,
//! CloudWatch Logs, merged advanced selectors, insights, logging: [`trail`]) with the selectors
//! it needs ([`selectors`]), and manual steps for the trails logwarden does not manage
//! ([`unmanaged`]). What the other planners need of it (the trail's ARN, which the log
//! archive's policies name) is published first ([`publish`]).

mod delivery;
mod selectors;
mod trail;
mod unmanaged;

pub use selectors::{excluded_data_buckets, required_selectors};
pub use unmanaged::failing_checks;

use super::model::Trail;
use crate::inventory::ScopeMode;
use crate::plan::Lookup;
use crate::sources::control_tower::plan::CONTROL_TOWER_TRAIL;
use crate::sources::PlanCtx;

/// The trail's CloudWatch Logs group and delivery role, the trail, then the trails logwarden does
/// not manage.
pub fn plan(ctx: &mut PlanCtx) {
    delivery::plan(ctx);
    trail::plan(ctx);
    unmanaged::plan(ctx);
}

/// The trail logwarden manages: the profile's, else the management account's organization trail
/// (adopted, never duplicated), never Control Tower's. Outside an organization (one account, or
/// accounts named without the organization) there is no organization trail: the account's own
/// multi-region trail, a logging one first, is adopted instead of a second copy of its
/// management events being made. Unknown when the management account's trails could not all
/// be listed: the trail may exist where the listing failed.
pub fn managed_trail<'a>(ctx: &PlanCtx<'a>) -> Lookup<'a, Trail> {
    let Some(a) = ctx.account(&ctx.mgmt) else {
        return Lookup::Missing;
    };
    let trails = &a.data.cloudtrail.trails;
    let own = |t: &&Trail| {
        crate::arn::account_of(&t.arn) == Some(&ctx.mgmt) && t.name != CONTROL_TOWER_TRAIL
    };
    let found = trails
        .iter()
        .find(|t| {
            t.name == ctx.b.organization_trail.name
                && crate::arn::account_of(&t.arn) == Some(&ctx.mgmt)
        })
        .or_else(|| trails.iter().filter(own).find(|t| t.is_organization_trail))
        .or_else(|| {
            if ctx.inv.mode == ScopeMode::Organization {
                return None;
            }
            let logging = |t: &Trail| matches!(t.status.value(), Some(s) if s.is_logging);
            let multi: Vec<&Trail> = trails
                .iter()
                .filter(own)
                .filter(|t| t.is_multi_region)
                .collect();
            multi.iter().find(|t| logging(t)).or(multi.first()).copied()
        });
    match (found, super::listing_error(a)) {
        (Some(t), _) => Lookup::Found(t),
        (None, Some(e)) => Lookup::Unknown(e),
        (None, None) => Lookup::Missing,
    }
}

/// The ARN every condition names: an adopted trail's own ARN, not the ARN a trail of the
/// profile's name would have. Published for the planners.
#[derive(Debug, Default)]
pub struct OrgTrailArn(pub String);

/// Publish the organization trail's ARN; when the management account's trails could not all be
/// read, which trail the policies must name is unknown, and the log archive's policies wait.
pub fn publish(ctx: &mut PlanCtx) {
    let arn = crate::arn::Partition(&ctx.inv.partition).arn(
        "cloudtrail",
        &ctx.plan_reads.cloudtrail.trail_region,
        &ctx.mgmt,
        &format!("trail/{}", ctx.b.organization_trail.name),
    );
    let arn = match managed_trail(ctx) {
        Lookup::Found(t) => t.arn.clone(),
        Lookup::Unknown(e) => {
            let e = e.clone();
            crate::sources::log_archive::archive_mut(ctx).waits_for = Some(e);
            arn
        }
        Lookup::Missing => arn,
    };
    ctx.facts.insert(OrgTrailArn(arn));
}

/// The organization trail's ARN, as [`publish`] found it.
pub fn trail_arn<'c>(ctx: &'c PlanCtx) -> &'c str {
    ctx.facts.get::<OrgTrailArn>().map_or("", |t| t.0.as_str())
}

/// The organization trail's address in a plan.
pub fn trail_address(ctx: &PlanCtx) -> String {
    format!("cloudtrail_trail.{}", ctx.b.organization_trail.name)
}

pub fn log_group_arn(ctx: &PlanCtx) -> String {
    crate::arn::Partition(&ctx.inv.partition).arn(
        "logs",
        &ctx.plan_reads.cloudtrail.trail_region,
        &ctx.mgmt,
        &format!(
            "log-group:{}:*",
            ctx.b.organization_trail.cloudwatch_logs.log_group
        ),
    )
}

/// What the trail's change depends on: trusted access, the archive's key and bucket, the log
/// group and role, when the plan changes them.
pub fn trail_deps(ctx: &PlanCtx) -> Vec<String> {
    let mut d = crate::sources::organization::plan::access_dep(ctx, "cloudtrail.amazonaws.com");
    d.extend(crate::sources::log_archive::key_dep(ctx));
    let wanted = [
        format!(
            "s3_bucket.{}",
            crate::sources::log_archive::archive(ctx).bucket
        ),
        format!(
            "cloudwatch_log_group.{}",
            ctx.b.organization_trail.cloudwatch_logs.log_group
        ),
        format!(
            "iam_role.{}",
            ctx.b.organization_trail.cloudwatch_logs.role_name
        ),
    ];
    d.extend(
        ctx.changes
            .iter()
            .filter(|c| wanted.contains(&c.address))
            .map(|c| c.address.clone()),
    );
    d
}
