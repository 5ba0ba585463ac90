//! Amazon Redshift reads in one region: the provisioned clusters (`DescribeClusters`,
//! paginated), then each cluster's audit logging (`DescribeLoggingStatus`, concurrently:
//! Redshift has no batch call) and, once per parameter group the clusters use, whether it
//! records user activity (`DescribeClusterParameters`). A region without clusters costs one
//! call. A cluster deleted between the calls is left out; a read that fails leaves only what
//! depended on it `unknown`.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::{CallError, Collected};
use futures::future::join_all;
use std::collections::BTreeMap;

/// The parameter that makes a cluster log each query before it runs.
pub const USER_ACTIVITY: &str = "enable_user_activity_logging";

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_redshift, ctx.session, ctx.region);
    RegionData {
        clusters: clusters(&client, &ctx.call).await,
    }
}

/// Every cluster of the region with its audit logging and its parameter group's setting.
pub async fn clusters(client: &aws_sdk_redshift::Client, ctx: &CallCtx) -> Collected<Vec<Cluster>> {
    let listed: Vec<Listed> = match ctx
        .pages(
            "redshift:DescribeClusters",
            client
                .describe_clusters()
                .max_records(100)
                .into_paginator()
                .send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.clusters())
            // A cluster being deleted logs nothing more.
            .filter(|c| c.cluster_status() != Some("deleting"))
            .filter_map(|c| {
                let group = c.cluster_parameter_groups().first();
                Some(Listed {
                    id: c.cluster_identifier()?.to_string(),
                    status: c.cluster_status().map(String::from),
                    group: group
                        .and_then(|g| g.parameter_group_name())
                        .map(String::from),
                    group_status: group
                        .and_then(|g| g.parameter_apply_status())
                        .map(String::from),
                })
            })
            .collect(),
        Err(e) => return Collected::failed(&e),
    };
    let groups: Vec<String> = {
        let mut g: Vec<String> = listed.iter().filter_map(|c| c.group.clone()).collect();
        g.sort();
        g.dedup();
        g
    };
    let (logging, settings) = futures::join!(
        join_all(listed.iter().map(|c| logging(client, ctx, &c.id))),
        join_all(groups.iter().map(|g| user_activity(client, ctx, g))),
    );
    let by_group: BTreeMap<&str, &Result<Option<bool>, CallError>> = groups
        .iter()
        .map(String::as_str)
        .zip(settings.iter())
        .collect();
    Collected::ok(
        listed
            .iter()
            .zip(logging)
            .filter_map(|(c, logging)| {
                let logging = match logging {
                    Ok(None) => return None, // deleted since it was listed
                    Ok(Some(l)) => Collected::ok(l),
                    Err(e) => Collected::failed(&e),
                };
                let user_activity_logging = match c.group.as_deref().and_then(|g| by_group.get(g)) {
                    Some(Ok(v)) => Collected::ok(*v),
                    Some(Err(e)) => Collected::failed(e),
                    None => Collected::ok(None),
                };
                Some(Cluster {
                    id: c.id.clone(),
                    status: c.status.clone(),
                    parameter_group: c.group.clone(),
                    parameter_status: c.group_status.clone(),
                    logging,
                    user_activity_logging,
                })
            })
            .collect(),
    )
}

/// A cluster as `DescribeClusters` lists it.
struct Listed {
    id: String,
    status: Option<String>,
    group: Option<String>,
    group_status: Option<String>,
}

/// One cluster's audit logging; `None` when the cluster is gone.
async fn logging(
    client: &aws_sdk_redshift::Client,
    ctx: &CallCtx,
    id: &str,
) -> Result<Option<LoggingStatus>, CallError> {
    let out = ctx
        .call_opt(
            "redshift:DescribeLoggingStatus",
            &["ClusterNotFound", "ClusterNotFoundFault"],
            client
                .describe_logging_status()
                .cluster_identifier(id)
                .send(),
        )
        .await?;
    Ok(out.map(|o| {
        let bucket = o.bucket_name().filter(|b| !b.is_empty()).map(String::from);
        let mut log_exports = o.log_exports().to_vec();
        log_exports.sort();
        log_exports.dedup();
        LoggingStatus {
            enabled: o.logging_enabled().unwrap_or(false),
            destination: o
                .log_destination_type()
                .map(|d| d.as_str().to_string())
                .or_else(|| bucket.as_ref().map(|_| "s3".to_string())),
            bucket,
            prefix: o
                .s3_key_prefix()
                .filter(|p| !p.is_empty())
                .map(String::from),
            log_exports,
            last_delivery: o
                .last_successful_delivery_time()
                .and_then(crate::aws::rfc3339),
            last_failure: o.last_failure_time().and_then(crate::aws::rfc3339),
            last_failure_message: o
                .last_failure_message()
                .filter(|m| !m.is_empty())
                .map(String::from),
        }
    }))
}

/// Whether parameter group `group` turns user activity logging on (`None`: not listed).
async fn user_activity(
    client: &aws_sdk_redshift::Client,
    ctx: &CallCtx,
    group: &str,
) -> Result<Option<bool>, CallError> {
    let pages = ctx
        .pages(
            "redshift:DescribeClusterParameters",
            client
                .describe_cluster_parameters()
                .parameter_group_name(group)
                .max_records(100)
                .into_paginator()
                .send(),
        )
        .await?;
    Ok(pages
        .iter()
        .flat_map(|p| p.parameters())
        .find(|p| p.parameter_name() == Some(USER_ACTIVITY))
        .and_then(|p| p.parameter_value())
        .map(|v| v.eq_ignore_ascii_case("true")))
}
