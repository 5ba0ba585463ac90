//! CloudFront reads, once per account in us-east-1 (the partition's global region): the
//! distributions (`ListDistributions`, paginated), the account's standard logging v2 deliveries
//! (`DescribeDeliverySources`, `DescribeDeliveries`, `DescribeDeliveryDestinations`, each
//! paginated, kept for CloudFront sources only), and `GetDistributionConfig` only for the
//! distributions no v2 delivery logs (the legacy logging settings are not in the listing).

use super::model::*;
use crate::aws::collect::AccountCtx;
use crate::aws::CallCtx;
use crate::inventory::{CallError, Collected};
use futures::future::join_all;
use std::collections::BTreeMap;

pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let region = crate::arn::Partition(&ctx.org.partition).global_region();
    let cf = crate::client!(aws_sdk_cloudfront, ctx.session, region);
    let logs = crate::client!(aws_sdk_cloudwatchlogs, ctx.session, region);
    let call = ctx.call.in_region(region);
    let (distributions, deliveries) =
        tokio::join!(distributions(&cf, &call), deliveries(&logs, &call));
    let mut distributions = match distributions {
        Ok(d) => d,
        Err(e) => {
            return AccountData {
                distributions: Collected::failed(&e),
                deliveries: deliveries.into(),
            }
        }
    };
    // Legacy logging, read only where no v2 delivery answers the question.
    let logged: Vec<&str> = match &deliveries {
        Ok(d) => d.iter().map(|d| d.distribution_arn.as_str()).collect(),
        Err(_) => vec![],
    };
    let todo: Vec<usize> = (0..distributions.len())
        .filter(|&i| !logged.contains(&distributions[i].arn.as_str()))
        .collect();
    let legacy = join_all(
        todo.iter()
            .map(|&i| legacy(&cf, &call, &distributions[i].id)),
    )
    .await;
    for (i, l) in todo.into_iter().zip(legacy) {
        // The configuration says whether the distribution is enabled as the listing does
        // (moto's listing leaves it out).
        if let Ok((_, Some(enabled))) = &l {
            distributions[i].enabled = *enabled;
        }
        distributions[i].legacy = Some(l.map(|(l, _)| l).into());
    }
    AccountData {
        distributions: Collected::ok(distributions),
        deliveries: deliveries.into(),
    }
}

async fn distributions(
    client: &aws_sdk_cloudfront::Client,
    ctx: &CallCtx,
) -> Result<Vec<Distribution>, CallError> {
    let pages = ctx
        .pages(
            "cloudfront:ListDistributions",
            client.list_distributions().into_paginator().send(),
        )
        .await?;
    Ok(pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items())
        .map(|d| {
            let mut realtime: Vec<String> = d
                .default_cache_behavior()
                .and_then(|b| b.realtime_log_config_arn())
                .into_iter()
                .chain(
                    d.cache_behaviors()
                        .map(|c| c.items())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|b| b.realtime_log_config_arn()),
                )
                .map(String::from)
                .collect();
            realtime.sort();
            realtime.dedup();
            Distribution {
                id: d.id().to_string(),
                arn: d.arn().to_string(),
                domain_name: d.domain_name().to_string(),
                enabled: d.enabled(),
                realtime_log_configs: realtime,
                legacy: None,
            }
        })
        .collect())
}

/// The distribution's legacy logging, and whether it is enabled.
async fn legacy(
    client: &aws_sdk_cloudfront::Client,
    ctx: &CallCtx,
    id: &str,
) -> Result<(LegacyLogging, Option<bool>), CallError> {
    let out = ctx
        .call(
            "cloudfront:GetDistributionConfig",
            client.get_distribution_config().id(id).send(),
        )
        .await?;
    let l = out.distribution_config().and_then(|c| c.logging());
    Ok((
        LegacyLogging {
            enabled: l.is_some_and(|l| l.enabled()),
            bucket: l.map(|l| l.bucket()).unwrap_or_default().to_string(),
            prefix: l.map(|l| l.prefix()).unwrap_or_default().to_string(),
        },
        out.distribution_config().map(|c| c.enabled()),
    ))
}

/// The account's v2 deliveries whose source is a CloudFront distribution.
async fn deliveries(
    client: &aws_sdk_cloudwatchlogs::Client,
    ctx: &CallCtx,
) -> Result<Vec<V2Delivery>, CallError> {
    let (sources, deliveries, destinations) = tokio::join!(
        ctx.pages(
            "logs:DescribeDeliverySources",
            client.describe_delivery_sources().into_paginator().send(),
        ),
        ctx.pages(
            "logs:DescribeDeliveries",
            client.describe_deliveries().into_paginator().send(),
        ),
        ctx.pages(
            "logs:DescribeDeliveryDestinations",
            client
                .describe_delivery_destinations()
                .into_paginator()
                .send(),
        ),
    );
    // Source name -> the distributions it logs.
    let mut by_source: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in sources?.iter().flat_map(|p| p.delivery_sources()) {
        if s.log_type() != Some("ACCESS_LOGS") {
            continue;
        }
        let arns: Vec<String> = s
            .resource_arns()
            .iter()
            .filter(|a| a.split(':').nth(2) == Some("cloudfront"))
            .cloned()
            .collect();
        if let (Some(name), false) = (s.name(), arns.is_empty()) {
            by_source.insert(name.to_string(), arns);
        }
    }
    let targets: BTreeMap<String, String> = destinations?
        .iter()
        .flat_map(|p| p.delivery_destinations())
        .filter_map(|d| {
            Some((
                d.arn()?.to_string(),
                d.delivery_destination_configuration()?
                    .destination_resource_arn()
                    .to_string(),
            ))
        })
        .collect();
    let mut out = Vec::new();
    for d in deliveries?.iter().flat_map(|p| p.deliveries()) {
        let Some(arns) = d.delivery_source_name().and_then(|n| by_source.get(n)) else {
            continue;
        };
        let dest_arn = d.delivery_destination_arn().unwrap_or_default();
        for a in arns {
            out.push(V2Delivery {
                distribution_arn: a.clone(),
                destination_type: d
                    .delivery_destination_type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                destination: targets
                    .get(dest_arn)
                    .cloned()
                    .unwrap_or_else(|| dest_arn.to_string()),
            });
        }
    }
    Ok(out)
}
