//! Route 53 Resolver reads in one region: the query-logging configurations (own and shared)
//! and, where there is any configuration, the associations of the account's VPCs (one or two
//! paginated calls per account and region).

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_route53resolver, ctx.session, ctx.region);
    read(&client, &ctx.call).await
}

/// The configurations, then the associations where there can be any. A VPC is associated only
/// with a configuration its account can list (its own, or one shared with it through RAM: AWS
/// disassociates the VPCs when a configuration stops being shared, and deletes none that still
/// has VPCs), so where none is listed there is no association to ask for (the common case: one
/// call instead of two per account and region).
pub async fn read(client: &aws_sdk_route53resolver::Client, ctx: &CallCtx) -> RegionData {
    let configs = configs(client, ctx).await;
    let associations = match &configs {
        Collected::Ok { value } if value.is_empty() => Collected::Ok { value: Vec::new() },
        _ => associations(client, ctx).await,
    };
    RegionData {
        configs,
        associations,
    }
}

pub async fn configs(
    client: &aws_sdk_route53resolver::Client,
    ctx: &CallCtx,
) -> Collected<Vec<QueryLogConfig>> {
    ctx.pages(
        "route53resolver:ListResolverQueryLogConfigs",
        client
            .list_resolver_query_log_configs()
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.resolver_query_log_configs())
            .map(|c| QueryLogConfig {
                id: c.id().unwrap_or_default().to_string(),
                name: c.name().unwrap_or_default().to_string(),
                owner_id: c.owner_id().unwrap_or_default().to_string(),
                status: c
                    .status()
                    .map(|s| ConfigStatus::from(s.as_str()))
                    .unwrap_or(ConfigStatus::Unknown(String::new())),
                share_status: c
                    .share_status()
                    .map(|s| ShareStatus::from(s.as_str()))
                    .unwrap_or(ShareStatus::NotShared),
                destination_arn: c.destination_arn().unwrap_or_default().to_string(),
            })
            .collect()
    })
    .into()
}

pub async fn associations(
    client: &aws_sdk_route53resolver::Client,
    ctx: &CallCtx,
) -> Collected<Vec<QueryLogAssociation>> {
    ctx.pages(
        "route53resolver:ListResolverQueryLogConfigAssociations",
        client
            .list_resolver_query_log_config_associations()
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.resolver_query_log_config_associations())
            .map(|a| QueryLogAssociation {
                id: a.id().unwrap_or_default().to_string(),
                config_id: a
                    .resolver_query_log_config_id()
                    .unwrap_or_default()
                    .to_string(),
                resource_id: a.resource_id().unwrap_or_default().to_string(),
                status: a
                    .status()
                    .map(|s| AssociationStatus::from(s.as_str()))
                    .unwrap_or(AssociationStatus::Unknown(String::new())),
                error: a
                    .error()
                    .map(|e| e.as_str().to_string())
                    .filter(|e| e != "NONE"),
                error_message: a
                    .error_message()
                    .map(String::from)
                    .filter(|m| !m.is_empty()),
                creation_time: a.creation_time().map(String::from),
            })
            .collect()
    })
    .into()
}
