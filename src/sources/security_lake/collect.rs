//! Security Lake reads, once per account: `ListDataLakes` for the account's enabled regions
//! (in one of them, the partition's main region where enabled: one call answers for all), and,
//! only where that finds lakes, `ListLogSources` for those regions (paginated: every account's
//! sources at once).

use super::model::*;
use crate::aws::collect::AccountCtx;
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let Some(home) = home(&ctx.regions, &ctx.org.partition) else {
        return AccountData {
            lakes: Collected::ok(vec![]),
            sources: None,
        };
    };
    let client = crate::client!(aws_sdk_securitylake, ctx.session, home);
    let call = ctx.call.in_region(home);
    let lakes = lakes(&client, &call, &ctx.regions).await;
    let regions: Vec<String> = lakes
        .value()
        .into_iter()
        .flatten()
        .map(|l| l.region.clone())
        .collect();
    let sources = if regions.is_empty() {
        None
    } else {
        Some(sources(&client, &call, &regions).await)
    };
    AccountData { lakes, sources }
}

/// The region to ask in: the partition's main region (`us-east-1` in `aws`) where the account
/// has it enabled, where Security Lake is always served; else the first enabled region (an
/// opt-in region first in the list may have no Security Lake endpoint at all).
pub(crate) fn home<'a>(regions: &'a [String], partition: &str) -> Option<&'a String> {
    let main = crate::arn::Partition(partition).global_region();
    regions
        .iter()
        .find(|r| r.as_str() == main)
        .or(regions.first())
}

pub async fn lakes(
    client: &aws_sdk_securitylake::Client,
    ctx: &CallCtx,
    regions: &[String],
) -> Collected<Vec<DataLake>> {
    // An account that never enabled Security Lake: no lakes.
    ctx.call_opt(
        "securitylake:ListDataLakes",
        &["ResourceNotFoundException"],
        client
            .list_data_lakes()
            .set_regions(Some(regions.to_vec()))
            .send(),
    )
    .await
    .map(|out| {
        out.map(|out| {
            out.data_lakes()
                .iter()
                .map(|l| {
                    let lifecycle = l.lifecycle_configuration();
                    DataLake {
                        arn: l.data_lake_arn().to_string(),
                        region: l.region().to_string(),
                        bucket_arn: l.s3_bucket_arn().map(String::from),
                        kms_key: l
                            .encryption_configuration()
                            .and_then(|e| e.kms_key_id())
                            .map(String::from),
                        expiration_days: lifecycle
                            .and_then(|c| c.expiration())
                            .and_then(|e| e.days()),
                        replication_regions: l
                            .replication_configuration()
                            .map(|r| r.regions().to_vec())
                            .unwrap_or_default(),
                        status: l.create_status().map(|s| s.as_str().to_string()),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
    })
    .into()
}

pub async fn sources(
    client: &aws_sdk_securitylake::Client,
    ctx: &CallCtx,
    regions: &[String],
) -> Collected<Vec<AccountSources>> {
    ctx.pages(
        "securitylake:ListLogSources",
        client
            .list_log_sources()
            .set_regions(Some(regions.to_vec()))
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.sources())
            .map(|s| {
                let mut sources: Vec<String> = Vec::new();
                let mut custom: Vec<String> = Vec::new();
                for r in s.sources() {
                    if let Ok(a) = r.as_aws_log_source() {
                        if let Some(n) = a.source_name() {
                            sources.push(n.as_str().to_string());
                        }
                    } else if let Ok(c) = r.as_custom_log_source() {
                        if let Some(n) = c.source_name() {
                            custom.push(n.to_string());
                        }
                    }
                }
                sources.sort();
                sources.dedup();
                custom.sort();
                AccountSources {
                    account: s.account().unwrap_or_default().to_string(),
                    region: s.region().unwrap_or_default().to_string(),
                    sources,
                    custom,
                }
            })
            .collect()
    })
    .into()
}
