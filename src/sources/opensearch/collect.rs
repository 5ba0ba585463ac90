//! OpenSearch reads in one region: `ListDomainNames` (one call, unpaginated), then
//! `DescribeDomains` for five domains at a time (its limit), concurrently. A domain deleted
//! between the two calls is left out; a batch that fails leaves its domains `unknown`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::inventory::Collected;
use futures::future::join_all;
use std::collections::BTreeMap;

/// `DescribeDomains` takes at most five names.
const BATCH: usize = 5;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_opensearch, ctx.session, ctx.region);
    let names: Vec<String> = match ctx
        .call
        .call("es:ListDomainNames", client.list_domain_names().send())
        .await
    {
        Ok(out) => out
            .domain_names()
            .iter()
            .filter_map(|d| d.domain_name().map(String::from))
            .collect(),
        Err(e) => {
            return RegionData {
                domains: Collected::failed(&e),
            }
        }
    };
    let batches: Vec<&[String]> = names.chunks(BATCH).collect();
    let described = join_all(batches.iter().map(|b| {
        ctx.call.call(
            "es:DescribeDomains",
            client
                .describe_domains()
                .set_domain_names(Some(b.to_vec()))
                .send(),
        )
    }))
    .await;
    let mut domains = Vec::new();
    for (batch, out) in batches.into_iter().zip(described) {
        match out {
            Ok(out) => {
                for name in batch {
                    // Left out of the answer: deleted since it was listed.
                    let Some(d) = out
                        .domain_status_list()
                        .iter()
                        .find(|d| d.domain_name() == name && d.deleted() != Some(true))
                    else {
                        continue;
                    };
                    domains.push(Domain {
                        name: name.clone(),
                        details: Collected::ok(details(d)),
                    });
                }
            }
            Err(e) => domains.extend(batch.iter().map(|name| Domain {
                name: name.clone(),
                details: Collected::failed(&e),
            })),
        }
    }
    RegionData {
        domains: Collected::ok(domains),
    }
}

fn details(d: &aws_sdk_opensearch::types::DomainStatus) -> DomainDetails {
    let published: BTreeMap<String, String> = d
        .log_publishing_options()
        .into_iter()
        .flatten()
        .filter(|(_, o)| o.enabled() == Some(true))
        .map(|(t, o)| {
            (
                t.as_str().to_string(),
                o.cloud_watch_logs_log_group_arn()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    DomainDetails {
        arn: d.arn().to_string(),
        engine_version: d.engine_version().map(String::from),
        fine_grained_access_control: d
            .advanced_security_options()
            .and_then(|a| a.enabled())
            .unwrap_or(false),
        processing: d.processing().unwrap_or(false),
        published,
    }
}
