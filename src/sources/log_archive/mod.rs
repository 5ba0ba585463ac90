//! The central log archive: the bucket CloudTrail, AWS Config and VPC flow logs deliver to,
//! and its KMS key. `plan` creates or completes both, with the policy statements every
//! delivering source asks for; the audit judges the bucket through the `trail_bucket` checks.

pub mod apply;
pub mod collect;
pub mod model;
pub mod plan;
pub mod policies;
pub mod profile;

use super::SourceDef;
use crate::inventory::CallError;
use crate::plan::KeyRef;
use crate::sources::PlanCtx;

pub static SOURCE: SourceDef = SourceDef {
    id: "log_archive",
    title: "The central log archive",
    validate: profile::validate,
    plan_facts: Some(publish),
    plan: Some(plan::plan),
    control_tower_managed: true,
    buckets: |b| vec![b.log_archive.bucket_name.clone()],
    ..SourceDef::NONE
};

/// Where the delivering sources write: the log archive bucket, the account and region it is
/// in, and its key once the log archive's planner has decided it. Published for every planner
/// (the key by this source's planner, which runs before the sources that deliver).
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub bucket: String,
    pub account_id: String,
    pub region: String,
    /// The key, when encryption with KMS is wanted.
    pub key: Option<KeyRef>,
    /// The key's address in the plan, when the plan creates or changes it (or could not read
    /// it): what depends on the key waits for it.
    pub key_address: Option<String>,
    /// A read the archive's policies depend on that failed (the organization trail they name,
    /// when the management account's trails could not all be read): they wait for it.
    pub waits_for: Option<CallError>,
}

static NO_ARCHIVE: Archive = Archive {
    bucket: String::new(),
    account_id: String::new(),
    region: String::new(),
    key: None,
    key_address: None,
    waits_for: None,
};

fn publish(ctx: &mut PlanCtx) {
    let (account_id, region) = (
        ctx.plan_reads.log_archive.account_id.clone(),
        ctx.plan_reads.log_archive.region.clone(),
    );
    let bucket = ctx.template(&ctx.b.log_archive.bucket_name, &account_id, &region);
    ctx.facts.insert(Archive {
        bucket,
        account_id,
        region,
        ..Archive::default()
    });
}

/// The log archive, as this source published it.
pub fn archive<'c>(ctx: &'c PlanCtx) -> &'c Archive {
    ctx.facts.get::<Archive>().unwrap_or(&NO_ARCHIVE)
}

/// The log archive, to complete (its key; what its policies wait for).
pub fn archive_mut<'c>(ctx: &'c mut PlanCtx) -> &'c mut Archive {
    ctx.facts.entry::<Archive>()
}

/// The key's address as a dependency, when the plan changes the key.
pub fn key_dep(ctx: &PlanCtx) -> Vec<String> {
    archive(ctx).key_address.iter().cloned().collect()
}

#[cfg(test)]
mod tests;
