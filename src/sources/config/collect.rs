//! AWS Config reads in one region: recorders with their status, delivery channels, aggregators;
//! and, in the management account, the aggregators of the regions `--regions` left out.

use super::model::*;
use crate::aws::collect::{AccountCtx, RegionCtx};
use crate::aws::CallCtx;
use crate::inventory::Collected;

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    let client = crate::client!(aws_sdk_config, ctx.session, ctx.region);
    let ((recorders, retention_days), delivery_channels, aggregators) = tokio::join!(
        async {
            let recs = recorders(&client, &ctx.call).await;
            // Retention matters only where something is recorded.
            let retention = match recs.value() {
                Some(r) if !r.is_empty() => retention(&client, &ctx.call).await,
                _ => Collected::ok(None),
            };
            (recs, retention)
        },
        delivery_channels(&client, &ctx.call),
        aggregators(&client, &ctx.call),
    );
    RegionData {
        recorders,
        delivery_channels,
        aggregators,
        retention_days,
    }
}

/// The management account's aggregators in the enabled regions `--regions` left out: an
/// organization aggregator may have been made in any region, and an audit narrowed to a few
/// must still know whether one exists before judging (or planning) it. One call per region,
/// in one account.
pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let management = ctx
        .org
        .organization
        .as_ref()
        .filter(|_| ctx.org.mode == crate::inventory::ScopeMode::Organization)
        .map(|o| o.management_account_id.as_str());
    if management != Some(ctx.account.id.as_str()) || ctx.org.regions_left_out.is_empty() {
        return AccountData {
            aggregators_left_out: None,
        };
    }
    let read =
        futures::future::join_all(ctx.org.regions_left_out.iter().map(|region| async move {
            let client = crate::client!(aws_sdk_config, ctx.session, region);
            aggregators(&client, &ctx.call.in_region(region)).await
        }))
        .await;
    AccountData {
        aggregators_left_out: Some(left_out(read)),
    }
}

/// The left-out regions' answers as one: every aggregator read, unless none aggregates the
/// organization and some region could not be read (then whether one exists is unknown).
fn left_out(read: Vec<Collected<Vec<ConfigAggregator>>>) -> Collected<Vec<ConfigAggregator>> {
    let found: Vec<ConfigAggregator> = read
        .iter()
        .filter_map(|c| c.value())
        .flatten()
        .cloned()
        .collect();
    if !found.iter().any(|g| g.organization_wide) {
        if let Some(e) = read.iter().find_map(|c| c.error()) {
            return Collected::failed(e);
        }
    }
    Collected::ok(found)
}

/// The retention configuration's days (`None`: none set, AWS's default applies).
pub async fn retention(client: &aws_sdk_config::Client, ctx: &CallCtx) -> Collected<Option<u32>> {
    ctx.call(
        "config:DescribeRetentionConfigurations",
        client.describe_retention_configurations().send(),
    )
    .await
    .map(|o| {
        o.retention_configurations()
            .iter()
            .map(|c| c.retention_period_in_days().max(0) as u32)
            .min()
    })
    .into()
}

pub async fn recorders(
    client: &aws_sdk_config::Client,
    ctx: &CallCtx,
) -> Collected<Vec<ConfigRecorder>> {
    let recs = match ctx
        .call(
            "config:DescribeConfigurationRecorders",
            client.describe_configuration_recorders().send(),
        )
        .await
    {
        // Without a name AWS answers the customer managed recorder only; a service-linked
        // recorder (one a service such as Security Hub runs for its own needs, often without
        // delivering what it records) is never the account's history, should one appear.
        Ok(o) => o
            .configuration_recorders()
            .iter()
            .filter(|r| r.service_principal().is_none())
            .cloned()
            .collect::<Vec<_>>(),
        Err(error) => return Collected::Failed { error },
    };
    if recs.is_empty() {
        return Collected::ok(vec![]);
    }
    let status = ctx
        .call(
            "config:DescribeConfigurationRecorderStatus",
            client.describe_configuration_recorder_status().send(),
        )
        .await
        .map(|o| o.configuration_recorders_status().to_vec());
    Collected::ok(
        recs.iter()
            .map(|r| {
                let name = r.name().unwrap_or_default().to_string();
                let group = r.recording_group();
                let (recording, last_status, last_start_time) = match &status {
                    Err(e) => (Collected::failed(e), Collected::failed(e), None),
                    Ok(st) => match st.iter().find(|s| s.name() == Some(name.as_str())) {
                        Some(s) => (
                            Collected::ok(s.recording()),
                            Collected::ok(
                                s.last_status().map(|l| RecorderStatus::from(l.as_str())),
                            ),
                            s.last_start_time().and_then(crate::aws::rfc3339),
                        ),
                        None => (Collected::ok(false), Collected::ok(None), None),
                    },
                };
                ConfigRecorder {
                    name,
                    all_supported: group.map(|g| g.all_supported()).unwrap_or(false),
                    include_global_resource_types: group
                        .map(|g| g.include_global_resource_types())
                        .unwrap_or(false),
                    excluded_types: group
                        .and_then(|g| g.exclusion_by_resource_types())
                        .map(|e| {
                            e.resource_types()
                                .iter()
                                .map(|t| t.as_str().to_string())
                                .collect()
                        })
                        .unwrap_or_default(),
                    included_types: group
                        .map(|g| {
                            g.resource_types()
                                .iter()
                                .map(|t| t.as_str().to_string())
                                .collect()
                        })
                        .unwrap_or_default(),
                    recording,
                    last_status,
                    last_start_time,
                    daily: daily(r.recording_mode()),
                }
            })
            .collect(),
    )
}

/// What a recorder's `recordingMode` records once a day (absent: continuous).
pub fn daily(mode: Option<&aws_sdk_config::types::RecordingMode>) -> DailyRecording {
    use aws_sdk_config::types::RecordingFrequency::Daily;
    let Some(m) = mode else {
        return DailyRecording::None;
    };
    if *m.recording_frequency() == Daily {
        return DailyRecording::All;
    }
    let mut types: Vec<String> = m
        .recording_mode_overrides()
        .iter()
        .filter(|o| *o.recording_frequency() == Daily)
        .flat_map(|o| o.resource_types().iter().map(|t| t.as_str().to_string()))
        .collect();
    types.sort();
    types.dedup();
    if types.is_empty() {
        DailyRecording::None
    } else {
        DailyRecording::Types(types)
    }
}

pub async fn delivery_channels(
    client: &aws_sdk_config::Client,
    ctx: &CallCtx,
) -> Collected<Vec<String>> {
    ctx.call(
        "config:DescribeDeliveryChannels",
        client.describe_delivery_channels().send(),
    )
    .await
    .map(|o| {
        o.delivery_channels()
            .iter()
            .map(|c| c.name().unwrap_or_default().to_string())
            .collect()
    })
    .into()
}

pub async fn aggregators(
    client: &aws_sdk_config::Client,
    ctx: &CallCtx,
) -> Collected<Vec<ConfigAggregator>> {
    ctx.pages(
        "config:DescribeConfigurationAggregators",
        client
            .describe_configuration_aggregators()
            .into_paginator()
            .send(),
    )
    .await
    .map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.configuration_aggregators())
            .map(|a| {
                let org = a.organization_aggregation_source();
                ConfigAggregator {
                    name: a
                        .configuration_aggregator_name()
                        .unwrap_or_default()
                        .to_string(),
                    arn: a
                        .configuration_aggregator_arn()
                        .unwrap_or_default()
                        .to_string(),
                    organization_wide: org.is_some(),
                    all_regions: org.map(|o| o.all_aws_regions()).unwrap_or(false),
                }
            })
            .collect()
    })
    .into()
}

/// What `plan` reads for the organization aggregator: the role it assumes (management
/// account), when the profile wants the aggregator.
pub async fn plan(ctx: &crate::sources::PlanReadCtx<'_>) -> Result<super::model::PlanData, String> {
    let aggregator_role = if ctx.b.config.organization_aggregator {
        let management = ctx.session(ctx.management_id()).await?;
        Some(
            crate::sources::delivery_roles::collect::role(
                management,
                &ctx.call(&management.account_id, None),
                super::plan::AGGREGATOR_ROLE,
            )
            .await,
        )
    } else {
        None
    };
    Ok(super::model::PlanData { aggregator_role })
}
