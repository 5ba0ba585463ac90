//! Load balancer access logs' plan: turn them on, to a bucket per account and region.

use super::model::LoadBalancerKind;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::PlanCtx;

pub fn plan(ctx: &mut PlanCtx) {
    let eb = ctx.b.elb_access_logs.clone();
    if !(eb.alb || eb.clb || eb.nlb) {
        return;
    }
    for row in ctx.regions_read("elb_access_logs", "the load balancers", |r| {
        r.data.elb_access_logs.load_balancers.as_result()
    }) {
        let (a, r, lbs) = (row.account, row.region, row.read);
        let address = row.address;
        let mut todo = Vec::new();
        for lb in lbs {
            let wanted = match lb.kind {
                LoadBalancerKind::Application => eb.alb,
                LoadBalancerKind::Classic => eb.clb,
                LoadBalancerKind::Network => eb.nlb,
                LoadBalancerKind::Gateway => false,
            };
            if !wanted {
                continue;
            }
            match lb.access_logs_enabled.as_result() {
                Ok(true) => {}
                Ok(false) => todo.push(lb),
                Err(e) => {
                    let e = e.clone();
                    ctx.unknown(
                        &format!("load_balancer.{}", lb.name),
                        &a.account_id,
                        &r.region,
                        "the access-log attribute",
                        &e,
                    );
                }
            }
        }
        if todo.is_empty() {
            continue;
        }
        let bucket = ctx.template(&eb.bucket, &a.account_id, &r.region);
        if ctx.planned_buckets.insert(bucket.clone()) {
            let (logging_target, depends_on) = if ctx.b.s3_access_logs.is_some() {
                let (t, d) = crate::sources::s3_access_logs::plan::access_log_target(
                    ctx,
                    &a.account_id,
                    &r.region,
                );
                (Some(t), d)
            } else {
                (None, vec![])
            };
            crate::sources::s3_access_logs::plan::plan_bucket(
                ctx,
                crate::plan::bucket::BucketSpec {
                    name: bucket.clone(),
                    account_id: a.account_id.clone(),
                    region: r.region.clone(),
                    versioning: false,
                    kms: None,
                    public_access_block: true,
                    statements: super::policies::elb_bucket(
                        &ctx.inv.partition,
                        &bucket,
                        &a.account_id,
                        &r.region,
                    ),
                    lifecycle: None,
                    log_prefixes: vec![],
                    min_retention_days: None,
                    object_lock: None,
                    logging_target,
                    mfa_delete: false,
                    depends_on,
                },
            );
        }
        let dep = format!("s3_bucket.{bucket}");
        let depends_on = ctx
            .changes
            .iter()
            .filter(|c| c.address == dep)
            .map(|c| c.address.clone())
            .collect();
        ctx.push(
            Change::new(
                address,
                Action::Update,
                a.account_id.clone(),
                r.region.clone(),
                todo.iter()
                    .map(|lb| {
                        AttrChange::new(
                            &format!("{} access logs", lb.name),
                            Some("off"),
                            format!("s3://{bucket}"),
                        )
                    })
                    .collect(),
                todo.iter()
                    .map(|lb| {
                        super::apply::Op::EnableElbLogs {
                            load_balancer: lb.id.clone(),
                            classic: lb.kind == LoadBalancerKind::Classic,
                            bucket: bucket.clone(),
                        }
                        .into()
                    })
                    .collect(),
            )
            .depending_on(depends_on),
        );
    }
}
