//! Server access logging for every bucket that lacks it, and the access-log target buckets
//! (one per account and region, planned once, through the shared bucket planner).

use super::model::Bucket;
use crate::plan::bucket::{bucket_change, BucketOp, BucketSpec};
use crate::plan::{note, Action, AttrChange};
use crate::rules::LogBuckets;
use crate::sources::control_tower::plan::is_control_tower_bucket;
use crate::sources::{Change, PlanCtx};
use std::collections::BTreeSet;

/// Plan a bucket logwarden manages, as the shared bucket planner does, from what this source
/// read of it (Control Tower's buckets are Control Tower's).
pub fn plan_bucket(ctx: &mut PlanCtx, spec: BucketSpec) {
    if is_control_tower_bucket(&spec.name) {
        return;
    }
    let existing = super::buckets::lookup(ctx, &spec.account_id, &spec.name);
    bucket_change(ctx, spec, existing);
}

/// The access-log target bucket of `account` and `region` (planned once), and the change it
/// depends on, if any.
pub fn access_log_target(ctx: &mut PlanCtx, account: &str, region: &str) -> (String, Vec<String>) {
    let template = ctx
        .b
        .s3_access_logs
        .clone()
        .unwrap_or_default()
        .target_bucket;
    let name = ctx.template(&template, account, region);
    if ctx.planned_buckets.insert(name.clone()) {
        plan_bucket(
            ctx,
            BucketSpec {
                name: name.clone(),
                account_id: account.into(),
                region: region.into(),
                versioning: false,
                kms: None,
                public_access_block: true,
                statements: super::policies::access_log_bucket(&ctx.inv.partition, &name, account),
                lifecycle: None,
                log_prefixes: vec![],
                min_retention_days: None,
                object_lock: None,
                logging_target: None,
                mfa_delete: false,
                depends_on: vec![],
            },
        );
    }
    let dep = format!("s3_bucket.{name}");
    let deps = ctx
        .changes
        .iter()
        .filter(|c| c.address == dep)
        .map(|c| c.address.clone())
        .collect();
    (name, deps)
}

/// Server access logging for every bucket in scope that lacks it.
pub fn plan(ctx: &mut PlanCtx) {
    let Some(s3) = ctx.b.s3_access_logs.clone() else {
        return;
    };
    let scoped: BTreeSet<&str> = ctx.inv.regions.iter().map(String::as_str).collect();
    // Buckets that already receive access logs are targets: they never log to themselves,
    // and the audit does not require it of them.
    // and where a bucket's logging could not be read, any bucket of its account and region may
    // be its target: nothing is planned from a guess.
    let mut targets = LogBuckets::default();
    super::access_log_targets(ctx.inv, &mut targets);
    for a in &ctx.inv.accounts {
        if a.access.error().is_some() {
            continue;
        }
        let buckets = match a.data.s3_access_logs.buckets.as_result() {
            Ok(v) => v,
            Err(e) => {
                let e = e.clone();
                ctx.unknown(
                    &format!("s3_access_logs.{}", a.account_id),
                    &a.account_id,
                    "global",
                    "the bucket list",
                    &e,
                );
                continue;
            }
        };
        let mut by_region: std::collections::BTreeMap<String, Vec<&Bucket>> = Default::default();
        for bk in buckets {
            let region = match bk.region.as_result() {
                Ok(r) => r,
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("s3_bucket.{}", bk.name),
                        &a.account_id,
                        "global",
                        "the bucket's region",
                        &e,
                    );
                    continue;
                }
            };
            if !scoped.contains(region.as_str())
                || s3.excludes(&bk.name)
                || is_control_tower_bucket(&bk.name)
            {
                continue;
            }
            let is_target = ctx.template(&s3.target_bucket, &a.account_id, region) == bk.name;
            if is_target || targets.contains(&bk.name) || ctx.planned_buckets.contains(&bk.name) {
                continue; // targets never log to themselves; planned buckets get logging with their change
            }
            match bk.logging.as_result() {
                Ok(None) => match targets.doubt_about(&a.account_id, Some(region)) {
                    None => by_region.entry(region.clone()).or_default().push(bk),
                    Some(why) => {
                        let message = format!("bucket {} may be an access-log target, which must not log to itself: {why}; nothing is planned for its access logging", bk.name);
                        ctx.unknown.push(note(
                            &format!("s3_bucket.{}", bk.name),
                            &a.account_id,
                            region,
                            message,
                        ));
                    }
                },
                Ok(Some(_)) => {}
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("s3_bucket.{}", bk.name),
                        &a.account_id,
                        region,
                        "the bucket's access logging",
                        &e,
                    );
                }
            }
        }
        for (region, list) in by_region {
            let (target, depends_on) = crate::sources::s3_access_logs::plan::access_log_target(
                ctx,
                &a.account_id,
                &region,
            );
            ctx.push(
                Change::new(
                    format!("s3_access_logs.{}.{}", a.account_id, region),
                    Action::Update,
                    a.account_id.clone(),
                    region.clone(),
                    list.iter()
                        .map(|bk| {
                            AttrChange::new(
                                &format!("{} access logging", bk.name),
                                Some("off"),
                                format!("s3://{target}/{}/", bk.name),
                            )
                        })
                        .collect(),
                    list.iter()
                        .map(|bk| BucketOp::logging(&bk.name, &target).into())
                        .collect(),
                )
                .depending_on(depends_on),
            );
        }
    }
}
