//! CloudTrail: trails per region (shadows included), and each trail's status, selectors and
//! insights, read once in its home region by ARN.

use super::call::CallCtx;
use crate::inventory::*;
use aws_sdk_cloudtrail::types as ct;

/// DescribeTrails with shadow trails: the full description of every trail visible in the region.
pub async fn describe_trails(
    client: &aws_sdk_cloudtrail::Client,
    ctx: &CallCtx,
) -> Result<Vec<ct::Trail>, CallError> {
    let out = ctx
        .call(
            "cloudtrail:DescribeTrails",
            client.describe_trails().include_shadow_trails(true).send(),
        )
        .await?;
    Ok(out.trail_list().to_vec())
}

pub fn to_ref(t: &ct::Trail, region: &str) -> Option<TrailRef> {
    Some(TrailRef {
        arn: t.trail_arn()?.to_string(),
        name: t.name().unwrap_or_default().to_string(),
        home_region: t.home_region().unwrap_or(region).to_string(),
        is_multi_region: t.is_multi_region_trail().unwrap_or(false),
        is_organization_trail: t.is_organization_trail().unwrap_or(false),
    })
}

/// Read a trail's status, selectors and insights in its home region.
pub async fn trail_details(
    client: &aws_sdk_cloudtrail::Client,
    ctx: &CallCtx,
    t: &ct::Trail,
    fallback_region: &str,
) -> Trail {
    let arn = t.trail_arn().unwrap_or_default().to_string();
    let status = match ctx
        .call(
            "cloudtrail:GetTrailStatus",
            client.get_trail_status().name(&arn).send(),
        )
        .await
    {
        Ok(s) => Collected::ok(TrailStatus {
            is_logging: s.is_logging().unwrap_or(false),
            latest_delivery_error: s.latest_delivery_error().map(String::from),
            latest_cloudwatch_logs_delivery_error: s
                .latest_cloud_watch_logs_delivery_error()
                .map(String::from),
            latest_delivery_time: s.latest_delivery_time().map(|d| d.to_string()),
            start_logging_time: s.start_logging_time().map(|d| d.to_string()),
        }),
        Err(error) => Collected::Failed { error },
    };
    let selectors = match ctx
        .call(
            "cloudtrail:GetEventSelectors",
            client.get_event_selectors().trail_name(&arn).send(),
        )
        .await
    {
        Ok(s) => Collected::ok(convert_selectors(
            s.event_selectors(),
            s.advanced_event_selectors(),
        )),
        Err(error) => Collected::Failed { error },
    };
    let has_insights = t.has_insight_selectors().unwrap_or(false);
    // Always asked (one call per trail): HasInsightSelectors is not reliable everywhere.
    let insights = match ctx
        .call_opt(
            "cloudtrail:GetInsightSelectors",
            &["InsightNotEnabledException"],
            client.get_insight_selectors().trail_name(&arn).send(),
        )
        .await
    {
        Ok(Some(s)) => Collected::ok(
            s.insight_selectors()
                .iter()
                .filter_map(|i| i.insight_type().map(|t| t.as_str().to_string()))
                .collect(),
        ),
        Ok(None) => Collected::ok(vec![]),
        Err(error) => Collected::Failed { error },
    };
    Trail {
        arn,
        name: t.name().unwrap_or_default().to_string(),
        home_region: t.home_region().unwrap_or(fallback_region).to_string(),
        is_multi_region: t.is_multi_region_trail().unwrap_or(false),
        is_organization_trail: t.is_organization_trail().unwrap_or(false),
        include_global_service_events: t.include_global_service_events().unwrap_or(false),
        log_file_validation_enabled: t.log_file_validation_enabled().unwrap_or(false),
        kms_key_id: t.kms_key_id().map(String::from),
        s3_bucket_name: t.s3_bucket_name().map(String::from),
        s3_key_prefix: t.s3_key_prefix().map(String::from),
        cloudwatch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn().map(String::from),
        cloudwatch_logs_role_arn: t.cloud_watch_logs_role_arn().map(String::from),
        has_insight_selectors: has_insights,
        status,
        selectors,
        insights,
    }
}

pub fn convert_selectors(
    basic: &[ct::EventSelector],
    advanced: &[ct::AdvancedEventSelector],
) -> EventSelectors {
    EventSelectors {
        basic: basic
            .iter()
            .map(|s| BasicSelector {
                read_write_type: s
                    .read_write_type()
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_else(|| "All".into()),
                include_management_events: s.include_management_events().unwrap_or(true),
                exclude_management_event_sources: s.exclude_management_event_sources().to_vec(),
                data_resources: s
                    .data_resources()
                    .iter()
                    .map(|d| DataResource {
                        resource_type: d.r#type().unwrap_or_default().to_string(),
                        values: d.values().to_vec(),
                    })
                    .collect(),
            })
            .collect(),
        advanced: advanced
            .iter()
            .map(|a| AdvancedSelector {
                name: a.name().map(String::from),
                field_selectors: a
                    .field_selectors()
                    .iter()
                    .map(|f| FieldSelector {
                        field: f.field().to_string(),
                        equals: f.equals().to_vec(),
                        starts_with: f.starts_with().to_vec(),
                        ends_with: f.ends_with().to_vec(),
                        not_equals: f.not_equals().to_vec(),
                        not_starts_with: f.not_starts_with().to_vec(),
                        not_ends_with: f.not_ends_with().to_vec(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
