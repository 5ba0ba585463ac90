//! Load balancer reads in one region: ELBv2 and Classic load balancers with their access-log
//! attributes (one DescribeLoadBalancerAttributes each).

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;
use futures::future::join_all;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    RegionData {
        load_balancers: load_balancers(
            &crate::client!(aws_sdk_elasticloadbalancingv2, ctx.session, ctx.region),
            &crate::client!(aws_sdk_elasticloadbalancing, ctx.session, ctx.region),
            &ctx.call,
        )
        .await,
    }
}

pub async fn load_balancers(
    v2: &aws_sdk_elasticloadbalancingv2::Client,
    classic: &aws_sdk_elasticloadbalancing::Client,
    ctx: &CallCtx,
) -> Collected<Vec<LoadBalancer>> {
    let pages = match ctx
        .pages(
            "elasticloadbalancing:DescribeLoadBalancers",
            v2.describe_load_balancers().into_paginator().send(),
        )
        .await
    {
        Ok(p) => p,
        Err(error) => return Collected::Failed { error },
    };
    let modern = join_all(
        pages
            .iter()
            .flat_map(|p| p.load_balancers())
            .map(|lb| async move {
                let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
                let kind = match lb.r#type().map(|t| t.as_str()) {
                    Some("network") => LoadBalancerKind::Network,
                    Some("gateway") => LoadBalancerKind::Gateway,
                    _ => LoadBalancerKind::Application,
                };
                let (enabled, bucket, prefix) = if kind == LoadBalancerKind::Gateway {
                    (Collected::ok(false), None, None)
                } else {
                    match ctx
                        .call(
                            "elasticloadbalancing:DescribeLoadBalancerAttributes",
                            v2.describe_load_balancer_attributes()
                                .load_balancer_arn(&arn)
                                .send(),
                        )
                        .await
                    {
                        Ok(a) => {
                            let get = |k: &str| {
                                a.attributes()
                                    .iter()
                                    .find(|x| x.key() == Some(k))
                                    .and_then(|x| x.value())
                                    .map(String::from)
                            };
                            let on = get("access_logs.s3.enabled").as_deref() == Some("true");
                            (
                                Collected::ok(on),
                                get("access_logs.s3.bucket").filter(|b| on && !b.is_empty()),
                                get("access_logs.s3.prefix").filter(|p| on && !p.is_empty()),
                            )
                        }
                        Err(error) => (Collected::Failed { error }, None, None),
                    }
                };
                LoadBalancer {
                    id: arn,
                    name: lb.load_balancer_name().unwrap_or_default().to_string(),
                    kind,
                    access_logs_enabled: enabled,
                    access_logs_bucket: bucket,
                    access_logs_prefix: prefix,
                }
            }),
    )
    .await;
    let pages = match ctx
        .pages(
            "elasticloadbalancing:DescribeLoadBalancers",
            classic.describe_load_balancers().into_paginator().send(),
        )
        .await
    {
        Ok(p) => p,
        Err(error) => return Collected::Failed { error },
    };
    let classics = join_all(
        pages
            .iter()
            .flat_map(|p| p.load_balancer_descriptions())
            .map(|lb| async move {
                let name = lb.load_balancer_name().unwrap_or_default().to_string();
                let (enabled, bucket, prefix) = match ctx
                    .call(
                        "elasticloadbalancing:DescribeLoadBalancerAttributes",
                        classic
                            .describe_load_balancer_attributes()
                            .load_balancer_name(&name)
                            .send(),
                    )
                    .await
                {
                    Ok(a) => {
                        let log = a.load_balancer_attributes().and_then(|x| x.access_log());
                        let on = log.map(|l| l.enabled()).unwrap_or(false);
                        (
                            Collected::ok(on),
                            log.and_then(|l| l.s3_bucket_name())
                                .filter(|_| on)
                                .map(String::from),
                            log.and_then(|l| l.s3_bucket_prefix())
                                .filter(|p| on && !p.is_empty())
                                .map(String::from),
                        )
                    }
                    Err(error) => (Collected::Failed { error }, None, None),
                };
                LoadBalancer {
                    id: name.clone(),
                    name,
                    kind: LoadBalancerKind::Classic,
                    access_logs_enabled: enabled,
                    access_logs_bucket: bucket,
                    access_logs_prefix: prefix,
                }
            }),
    )
    .await;
    Collected::ok(modern.into_iter().chain(classics).collect())
}
