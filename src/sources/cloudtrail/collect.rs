//! CloudTrail reads: the trails each region shows (shadow trails included), and each trail's
//! status, selectors and insights, read once in its home region by ARN; the KMS keys trails
//! encrypt with, read through the key's own account.
//!
//! An account's DescribeTrails answer is read once per region ([`trails_in`]) and shared by the
//! region and account collectors; the buckets it names are given to [`Org::detail_buckets`],
//! which the S3 collector asks which buckets to read in detail.

use super::model::*;
use crate::aws::collect::{Account, AccountCtx, Org, RegionCtx};
use crate::aws::memo::MemoKey;
use crate::aws::{AccountSession, CallCtx};
use crate::inventory::{CallError, Collected};
use aws_sdk_cloudtrail::types as ct;
use futures::future::join_all;
use std::collections::BTreeMap;

fn client(s: &AccountSession, region: &str) -> aws_sdk_cloudtrail::Client {
    crate::client!(aws_sdk_cloudtrail, s, region)
}

/// DescribeTrails with shadow trails: every trail visible in the client's region.
pub async fn describe_trails(
    client: &aws_sdk_cloudtrail::Client,
    ctx: &CallCtx,
) -> Result<Vec<TrailDescription>, CallError> {
    let out = ctx
        .call(
            "cloudtrail:DescribeTrails",
            client.describe_trails().include_shadow_trails(true).send(),
        )
        .await?;
    let region = ctx.region.as_deref().unwrap_or_default();
    Ok(out
        .trail_list()
        .iter()
        .filter_map(|t| description(t, region))
        .collect())
}

/// A trail as DescribeTrails answers it in `region` (`None` without an ARN).
pub fn description(t: &ct::Trail, region: &str) -> Option<TrailDescription> {
    let arn = t.trail_arn()?.to_string();
    let home_region = t
        .home_region()
        .map(String::from)
        .or_else(|| crate::arn::region_of(&arn).map(String::from))
        .unwrap_or_else(|| region.to_string());
    Some(TrailDescription {
        name: t.name().unwrap_or_default().to_string(),
        home_region,
        is_multi_region: t.is_multi_region_trail().unwrap_or(false),
        is_organization_trail: t.is_organization_trail().unwrap_or(false),
        include_global_service_events: t.include_global_service_events().unwrap_or(false),
        log_file_validation_enabled: t.log_file_validation_enabled().unwrap_or(false),
        kms_key_id: t.kms_key_id().map(String::from),
        s3_bucket_name: t.s3_bucket_name().map(String::from),
        s3_key_prefix: t.s3_key_prefix().map(String::from),
        cloudwatch_logs_log_group_arn: t.cloud_watch_logs_log_group_arn().map(String::from),
        cloudwatch_logs_role_arn: t.cloud_watch_logs_role_arn().map(String::from),
        has_insight_selectors: t.has_insight_selectors().unwrap_or(false),
        arn,
    })
}

/// An account's DescribeTrails answer in a region (shared by this source's collectors).
#[derive(Hash, PartialEq, Eq)]
struct DescribeTrails(String);

impl MemoKey for DescribeTrails {
    type Value = Result<Vec<TrailDescription>, CallError>;
}

/// An account's trails in a region, read once and shared.
pub async fn trails_in(
    org: &Org,
    account: &Account,
    session: &AccountSession,
    region: &str,
) -> Result<Vec<TrailDescription>, CallError> {
    account
        .memo
        .get(DescribeTrails(region.to_string()), || async {
            let ctx = CallCtx::new(&account.id, Some(region), &org.counter);
            let r = describe_trails(&client(session, region), &ctx).await;
            if let Ok(list) = &r {
                // The buckets trails deliver to are read in detail by the S3 collector.
                org.detail_buckets
                    .add(list.iter().filter_map(|t| t.s3_bucket_name.clone()));
            }
            r
        })
        .await
}

/// The organization-wide read of this source, run beside the accounts: every reachable
/// account's trails in every enabled region (the reads are shared with the account
/// collectors), so every bucket a trail delivers to is named before the organization-wide
/// reads end and [`Org::detail_buckets`] can answer "no". A few accounts at a time (their
/// regions at once), as the accounts' own reads: pending reads for every account-region of a
/// large organization would hold memory in proportion to it.
pub async fn organization(org: &Org) {
    let at_once = crate::aws::call::in_progress(org.request.concurrency)
        / crate::aws::call::PER_ACCOUNT_REGION;
    let gate = tokio::sync::Semaphore::new(at_once.max(1));
    join_all(org.accounts.iter().map(|a| {
        let gate = &gate;
        async move {
            // Never closed. The account's reads are boxed once it has its place, so waiting
            // accounts hold no room for them.
            let _place = gate.acquire().await.expect("open semaphore");
            Box::pin(account_trails(org, a)).await
        }
    }))
    .await;
}

/// One account's trails in every enabled region.
async fn account_trails(org: &Org, a: &Account) {
    let Ok(session) = a.session(org).await else {
        return;
    };
    let regions = a.region_status(org).await;
    join_all(
        regions
            .iter()
            .filter(|(_, enabled)| enabled.value().is_some())
            .map(|(r, _)| trails_in(org, a, session, r)),
    )
    .await;
}

pub async fn region(ctx: &RegionCtx<'_>) -> RegionData {
    RegionData {
        trails: trails_in(ctx.org, ctx.account, ctx.session, ctx.region)
            .await
            .map(|list| list.iter().map(TrailDescription::to_ref).collect())
            .into(),
    }
}

/// The account's own trails (and organization trails whose owner is not audited), read in
/// detail once each; then their KMS keys.
pub async fn account(ctx: &AccountCtx<'_>) -> AccountData {
    let seen = join_all(
        ctx.regions
            .iter()
            .map(|r| trails_in(ctx.org, ctx.account, ctx.session, r)),
    )
    .await;
    let mut to_read: BTreeMap<String, TrailDescription> = BTreeMap::new();
    for d in seen.into_iter().flatten().flatten() {
        let owner = crate::arn::account_of(&d.arn).unwrap_or_default();
        if owner == ctx.account.id || ctx.org.account(owner).is_none() {
            to_read.entry(d.arn.clone()).or_insert(d);
        }
    }
    let trails: Vec<Trail> = join_all(to_read.into_values().map(|d| {
        let call = ctx.call.in_region(&d.home_region);
        async move { trail_details(&client(ctx.session, &d.home_region), &call, d).await }
    }))
    .await;

    let mut key_ids: BTreeMap<String, String> = BTreeMap::new();
    for t in &trails {
        if let Some(k) = &t.kms_key_id {
            let region = crate::arn::region_of(k)
                .map(String::from)
                .unwrap_or_else(|| t.home_region.clone());
            key_ids.insert(k.clone(), region);
        }
    }
    // A key in another audited account (a central log-archive key) is read through that
    // account: KMS answers GetKeyRotationStatus only to the key's own account.
    let kms_keys = join_all(key_ids.iter().map(|(k, region)| async move {
        let owner = match crate::arn::account_of(k).and_then(|id| ctx.org.account(id)) {
            Some(o) => o.session(ctx.org).await.ok(),
            None => None,
        };
        let (s, call) = match owner {
            Some(o) => (
                o,
                CallCtx::new(&o.account_id, Some(region), &ctx.org.counter),
            ),
            None => (ctx.session, ctx.call.in_region(region)),
        };
        key(&crate::client!(aws_sdk_kms, s, region), &call, k, region).await
    }))
    .await;
    AccountData { trails, kms_keys }
}

/// Read a trail's status, selectors and insights in its home region.
pub async fn trail_details(
    client: &aws_sdk_cloudtrail::Client,
    ctx: &CallCtx,
    d: TrailDescription,
) -> Trail {
    let arn = d.arn.clone();
    let status = ctx
        .call(
            "cloudtrail:GetTrailStatus",
            client.get_trail_status().name(&arn).send(),
        )
        .await
        .map(|s| TrailStatus {
            is_logging: s.is_logging().unwrap_or(false),
            latest_delivery_error: s.latest_delivery_error().map(String::from),
            latest_cloudwatch_logs_delivery_error: s
                .latest_cloud_watch_logs_delivery_error()
                .map(String::from),
            latest_delivery_time: s.latest_delivery_time().map(|d| d.to_string()),
            start_logging_time: s.start_logging_time().map(|d| d.to_string()),
            latest_cloudwatch_logs_delivery_time: s
                .latest_cloud_watch_logs_delivery_time()
                .map(|d| d.to_string()),
        })
        .into();
    let selectors = ctx
        .call(
            "cloudtrail:GetEventSelectors",
            client.get_event_selectors().trail_name(&arn).send(),
        )
        .await
        .map(|s| convert_selectors(s.event_selectors(), s.advanced_event_selectors()))
        .into();
    // Always asked (one call per trail): HasInsightSelectors is not reliable everywhere.
    let insights = ctx
        .call_opt(
            "cloudtrail:GetInsightSelectors",
            &["InsightNotEnabledException"],
            client.get_insight_selectors().trail_name(&arn).send(),
        )
        .await
        .map(|o| {
            o.map(|s| {
                s.insight_selectors()
                    .iter()
                    .filter_map(|i| i.insight_type().map(|t| t.as_str().to_string()))
                    .collect()
            })
            .unwrap_or_default()
        })
        .into();
    Trail::new(d, status, selectors, insights)
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
                    .map(|r| ReadWriteType::from(r.as_str()))
                    .unwrap_or(ReadWriteType::All),
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

/// Who manages a trail's key, and whether it rotates.
pub async fn key(
    client: &aws_sdk_kms::Client,
    ctx: &CallCtx,
    key_id: &str,
    region: &str,
) -> KmsKey {
    let key_manager: Collected<KeyManager> = match ctx
        .call(
            "kms:DescribeKey",
            client.describe_key().key_id(key_id).send(),
        )
        .await
    {
        Ok(o) => match o.key_metadata().and_then(|m| m.key_manager()) {
            Some(m) => Collected::ok(KeyManager::from(m.as_str())),
            None => Collected::failed(&ctx.error(
                "kms:DescribeKey",
                "Empty",
                "no key manager in the response",
            )),
        },
        Err(error) => Collected::Failed { error },
    };
    // AWS managed keys rotate on their own and refuse GetKeyRotationStatus from other accounts.
    let rotation_enabled = if key_manager.value() == Some(&KeyManager::Aws) {
        Collected::ok(true)
    } else {
        ctx.call(
            "kms:GetKeyRotationStatus",
            client.get_key_rotation_status().key_id(key_id).send(),
        )
        .await
        .map(|o| o.key_rotation_enabled())
        .into()
    };
    KmsKey {
        key_id: key_id.to_string(),
        region: region.to_string(),
        key_manager,
        rotation_enabled,
    }
}

/// What `plan` reads for the organization trail: its home region, and its CloudWatch Logs
/// group and delivery role when the profile wants CloudWatch Logs (management account).
pub async fn plan(ctx: &crate::sources::PlanReadCtx<'_>) -> Result<super::model::PlanData, String> {
    let b = ctx.b;
    let trail_region = b
        .organization_trail
        .home_region
        .clone()
        .unwrap_or_else(|| crate::sources::log_archive::collect::archive_region(ctx));
    let management = ctx.session(ctx.management_id()).await?;
    let mctx = ctx.call(&management.account_id, None);
    let (log_group, role) = if b.cloudtrail.cloudwatch_logs {
        let cw = &b.organization_trail.cloudwatch_logs;
        let in_trail_region = mctx.in_region(&trail_region);
        let (group, role) = tokio::join!(
            crate::sources::cloudwatch_logs::collect::log_group(
                management,
                &in_trail_region,
                &cw.log_group,
            ),
            crate::sources::delivery_roles::collect::role(management, &mctx, &cw.role_name),
        );
        (Some(group), Some(role))
    } else {
        (None, None)
    };
    Ok(super::model::PlanData {
        trail_region,
        log_group,
        role,
    })
}
