//! CloudTrail Lake reads in one region: `ListEventDataStores` (every page), then
//! `GetEventDataStore` for each store (AWS no longer returns status, retention or termination
//! protection in the list). Accounts without stores make the one listing call.

use super::model::*;
use crate::aws::collect::RegionCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;
use futures::future::join_all;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_cloudtrail, ctx.session, ctx.region);
    RegionData {
        stores: stores(&client, &ctx.call).await,
    }
}

pub async fn stores(
    client: &aws_sdk_cloudtrail::Client,
    ctx: &CallCtx,
) -> Collected<Vec<EventDataStore>> {
    let listed: Vec<(String, String)> = match ctx
        .pages(
            "cloudtrail:ListEventDataStores",
            client.list_event_data_stores().into_paginator().send(),
        )
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.event_data_stores())
            .filter_map(|s| {
                Some((
                    s.event_data_store_arn()?.to_string(),
                    s.name().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        Err(e) => return Collected::failed(&e),
    };
    let described = join_all(listed.iter().map(|(arn, _)| {
        ctx.call_opt(
            "cloudtrail:GetEventDataStore",
            &["EventDataStoreNotFoundException"],
            client.get_event_data_store().event_data_store(arn).send(),
        )
    }))
    .await;
    Collected::ok(
        listed
            .into_iter()
            .zip(described)
            .filter_map(|((arn, name), d)| {
                let details = match d {
                    Ok(None) => return None, // deleted since it was listed
                    Ok(Some(o)) => Collected::ok(details(&o)),
                    Err(e) => Collected::failed(&e),
                };
                Some(EventDataStore { arn, name, details })
            })
            .collect(),
    )
}

fn details(
    o: &aws_sdk_cloudtrail::operation::get_event_data_store::GetEventDataStoreOutput,
) -> StoreDetails {
    let selectors = o.advanced_event_selectors();
    let management_events = selectors.is_empty()
        || selectors.iter().any(|s| {
            s.field_selectors().iter().any(|f| {
                f.field() == "eventCategory" && f.equals().iter().any(|v| v == "Management")
            })
        });
    StoreDetails {
        status: o
            .status()
            .map(|s| StoreStatus::from(s.as_str()))
            .unwrap_or(StoreStatus::Unknown(String::new())),
        organization: o.organization_enabled().unwrap_or(false),
        multi_region: o.multi_region_enabled().unwrap_or(false),
        retention_days: o.retention_period().and_then(|d| u32::try_from(d).ok()),
        termination_protection: o.termination_protection_enabled().unwrap_or(false),
        kms_key_id: o.kms_key_id().map(String::from),
        created: o.created_timestamp().and_then(crate::aws::rfc3339),
        management_events,
    }
}
