//! Load balancers (ELBv2 and Classic) and their access-log attributes.

use super::call::CallCtx;
use crate::inventory::*;

pub async fn load_balancers(
    v2: &aws_sdk_elasticloadbalancingv2::Client,
    classic: &aws_sdk_elasticloadbalancing::Client,
    ctx: &CallCtx,
) -> Collected<Vec<LoadBalancer>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = match ctx
            .call(
                "elasticloadbalancing:DescribeLoadBalancers",
                v2.describe_load_balancers()
                    .set_marker(marker.clone())
                    .send(),
            )
            .await
        {
            Ok(p) => p,
            Err(error) => return Collected::Failed { error },
        };
        for lb in page.load_balancers() {
            let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
            let kind = match lb.r#type().map(|t| t.as_str()) {
                Some("network") => LoadBalancerKind::Network,
                Some("gateway") => LoadBalancerKind::Gateway,
                _ => LoadBalancerKind::Application,
            };
            let (enabled, bucket) = if kind == LoadBalancerKind::Gateway {
                (Collected::ok(false), None)
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
                        )
                    }
                    Err(error) => (Collected::Failed { error }, None),
                }
            };
            out.push(LoadBalancer {
                id: arn,
                name: lb.load_balancer_name().unwrap_or_default().to_string(),
                kind,
                access_logs_enabled: enabled,
                access_logs_bucket: bucket,
            });
        }
        marker = page.next_marker().map(String::from);
        if marker.is_none() {
            break;
        }
    }
    let mut marker: Option<String> = None;
    loop {
        let page = match ctx
            .call(
                "elasticloadbalancing:DescribeLoadBalancers",
                classic
                    .describe_load_balancers()
                    .set_marker(marker.clone())
                    .send(),
            )
            .await
        {
            Ok(p) => p,
            Err(error) => return Collected::Failed { error },
        };
        for lb in page.load_balancer_descriptions() {
            let name = lb.load_balancer_name().unwrap_or_default().to_string();
            let (enabled, bucket) = match ctx
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
                    )
                }
                Err(error) => (Collected::Failed { error }, None),
            };
            out.push(LoadBalancer {
                id: name.clone(),
                name,
                kind: LoadBalancerKind::Classic,
                access_logs_enabled: enabled,
                access_logs_bucket: bucket,
            });
        }
        marker = page.next_marker().map(String::from);
        if marker.is_none() {
            break;
        }
    }
    Collected::ok(out)
}
