//! Route 53 Resolver reads in one region: the query-logging configurations (own and shared)
//! and the associations of the account's VPCs (two paginated calls per account and region).

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_route53resolver, ctx.session, ctx.region);
    let (configs, associations) = tokio::join!(
        configs(&client, &ctx.call),
        associations(&client, &ctx.call)
    );
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
