//! EKS reads in one region: the clusters (`ListClusters`, paginated), then each cluster's
//! description (`DescribeCluster`, concurrently: EKS has no batch call). A cluster deleted
//! between the two calls is left out; a description that fails leaves only that cluster
//! `unknown`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::inventory::Collected;
use futures::future::join_all;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_eks, ctx.session, ctx.region);
    let names: Vec<String> = match ctx
        .call
        .pages(
            "eks:ListClusters",
            client.list_clusters().into_paginator().send(),
        )
        .await
    {
        Ok(pages) => pages.iter().flat_map(|p| p.clusters()).cloned().collect(),
        Err(e) => {
            return RegionData {
                clusters: Collected::failed(&e),
            }
        }
    };
    let described = join_all(names.iter().map(|name| {
        ctx.call.call_opt(
            "eks:DescribeCluster",
            &["ResourceNotFoundException"],
            client.describe_cluster().name(name).send(),
        )
    }))
    .await;
    let clusters = names
        .into_iter()
        .zip(described)
        .filter_map(|(name, d)| {
            let details = match d {
                Ok(None) => return None, // deleted since it was listed
                Ok(Some(out)) => match out.cluster() {
                    Some(c) => Collected::ok(details(c)),
                    None => return None,
                },
                Err(e) => Collected::failed(&e),
            };
            Some(Cluster { name, details })
        })
        .collect();
    RegionData {
        clusters: Collected::ok(clusters),
    }
}

fn details(c: &aws_sdk_eks::types::Cluster) -> ClusterDetails {
    let mut enabled_log_types: Vec<String> = c
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .filter(|s| s.enabled() == Some(true))
        .flat_map(|s| s.types())
        .map(|t| t.as_str().to_string())
        .collect();
    enabled_log_types.sort();
    enabled_log_types.dedup();
    ClusterDetails {
        arn: c.arn().unwrap_or_default().to_string(),
        status: c
            .status()
            .map(|s| ClusterStatus::from(s.as_str()))
            .unwrap_or(ClusterStatus::Unknown(String::new())),
        version: c.version().map(String::from),
        created: c.created_at().and_then(crate::aws::rfc3339),
        enabled_log_types,
    }
}
