//! RDS reads in one region: `DescribeDBInstances` and `DescribeDBClusters`, every page, side by
//! side. Both carry each database's `EnabledCloudwatchLogsExports`: no call per database.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::rfc3339;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_rds, ctx.session, ctx.region);
    let (instances, clusters) = tokio::join!(
        ctx.call.pages(
            "rds:DescribeDBInstances",
            client.describe_db_instances().into_paginator().send(),
        ),
        ctx.call.pages(
            "rds:DescribeDBClusters",
            client.describe_db_clusters().into_paginator().send(),
        ),
    );
    RegionData {
        instances: instances
            .map(|pages| {
                pages
                    .iter()
                    .flat_map(|p| p.db_instances())
                    .filter_map(|d| {
                        Some(Database {
                            id: d.db_instance_identifier()?.to_string(),
                            arn: d.db_instance_arn().unwrap_or_default().to_string(),
                            engine: d.engine().unwrap_or_default().to_string(),
                            engine_version: d.engine_version().map(String::from),
                            status: d.db_instance_status().unwrap_or_default().to_string(),
                            cluster: d.db_cluster_identifier().map(String::from),
                            created: d.instance_create_time().and_then(rfc3339),
                            log_exports: sorted(d.enabled_cloudwatch_logs_exports()),
                        })
                    })
                    .collect()
            })
            .into(),
        clusters: clusters
            .map(|pages| {
                pages
                    .iter()
                    .flat_map(|p| p.db_clusters())
                    .filter_map(|c| {
                        Some(Database {
                            id: c.db_cluster_identifier()?.to_string(),
                            arn: c.db_cluster_arn().unwrap_or_default().to_string(),
                            engine: c.engine().unwrap_or_default().to_string(),
                            engine_version: c.engine_version().map(String::from),
                            status: c.status().unwrap_or_default().to_string(),
                            cluster: None,
                            created: c.cluster_create_time().and_then(rfc3339),
                            log_exports: sorted(c.enabled_cloudwatch_logs_exports()),
                        })
                    })
                    .collect()
            })
            .into(),
    }
}

fn sorted(types: &[String]) -> Vec<String> {
    let mut v = types.to_vec();
    v.sort();
    v.dedup();
    v
}
