//! CloudTrail Lake: every existing event data store is protected from deletion and ingesting;
//! and how far back the stores covering each account can answer.

use super::model::{EventDataStore, StoreDetails, StoreStatus};
use super::profile::CloudTrailLakeBaseline;
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{
    age_days, listed, not_required, per_enabled_region, unknown_because, CheckInfo, Fix, Raw,
    Resource, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// Event data stores, judged one by one.
pub static STORE: Resource = Resource {
    id: "event_data_store",
    label: "CloudTrail Lake event data store",
    cloudformation_type: "AWS::CloudTrail::EventDataStore",
    asff_type: "Other",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "cloudtrail_lake.event_data_stores",
        title: "Every CloudTrail Lake event data store is protected from deletion and still ingesting",
        severity: Severity::Low,
        scope: Subject::Resource(&STORE),
        looks_at: "ListEventDataStores (once per account and region) and GetEventDataStore (once per store: the list no longer returns status, retention or protection): termination protection, status, organization and multi-region scope, retention, KMS key",
        rationale: "A Lake store is queryable history an organization already pays for; without termination protection one DeleteEventDataStore call starts erasing it, and a store whose ingestion was stopped silently records nothing new. CloudTrail Lake is closed to new customers: logwarden never proposes creating one.",
        remediation: "`aws cloudtrail update-event-data-store --event-data-store ARN --termination-protection-enabled` (reversible); restart a stopped store with `aws cloudtrail start-event-data-store-ingestion --event-data-store ARN` (billed per GB ingested). `logwarden plan` lists both as manual steps.",
        fix: Fix::Manual,
        frameworks: &[(Nist80053, &["AU-9", "AU-11"])],
    },
    eval: event_data_stores,
}];

/// What a store is, for a message: `organization, multi-region, 2557 days, customer managed key`.
fn describe(d: &StoreDetails) -> String {
    let mut parts = vec![
        if d.organization {
            "organization"
        } else {
            "account"
        }
        .to_string(),
        if d.multi_region {
            "multi-region"
        } else {
            "single-region"
        }
        .to_string(),
    ];
    if let Some(days) = d.retention_days {
        parts.push(format!("kept {days} days"));
    }
    parts.push(match &d.kms_key_id {
        Some(k) => format!("KMS key {k}"),
        None => "AWS owned key".into(),
    });
    parts.join(", ")
}

pub fn event_data_stores(ctx: &Ctx) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let Some(stores) = listed(
            a,
            r,
            &r.data.cloudtrail_lake.stores,
            "CloudTrail Lake event data stores",
            out,
        ) else {
            return;
        };
        for s in stores {
            let (status, msg) = match &ctx.b.cloudtrail_lake {
                None => (
                    Status::NotApplicable,
                    not_required(ctx, "CloudTrail Lake protection"),
                ),
                Some(want) => judge(want, s),
            };
            out.push(Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                s.arn.clone(),
                msg,
            ));
        }
    })
}

fn judge(want: &CloudTrailLakeBaseline, s: &EventDataStore) -> (Status, String) {
    let d = match s.details.as_result() {
        Ok(d) => d,
        Err(e) => {
            return (
                Status::Unknown,
                format!("event data store {} {}", s.name, unknown_because(e)),
            )
        }
    };
    let mut gaps = Vec::new();
    if want.termination_protection && !d.termination_protection {
        gaps.push(
            "termination protection is off (one DeleteEventDataStore call starts erasing it)"
                .to_string(),
        );
    }
    let ingesting = matches!(
        d.status,
        StoreStatus::Enabled | StoreStatus::StartingIngestion
    );
    if want.ingesting && !ingesting {
        gaps.push(format!("it is {} (it records nothing new)", d.status));
    }
    if gaps.is_empty() {
        (
            Status::Pass,
            format!(
                "event data store {} ({}) is protected and ingesting",
                s.name,
                describe(d)
            ),
        )
    } else {
        (
            Status::Fail,
            format!(
                "event data store {} ({}): {}",
                s.name,
                describe(d),
                gaps.join("; ")
            ),
        )
    }
}

/// How far back CloudTrail Lake can answer for each account: the ingesting store holding
/// management events that covers it (its own, or an organization store of the management
/// account) and reaches back furthest: its retention, or its age when younger. Accounts no
/// store covers have no row (Lake is closed to new customers: not having one is no gap).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.cloudtrail_lake.is_none() {
        return vec![];
    }
    let management = ctx
        .inv
        .organization
        .as_ref()
        .map(|o| o.management_account_id.as_str());
    // Organization stores: they cover every member.
    let org_stores: Vec<(&str, &EventDataStore, &StoreDetails)> = ctx
        .inv
        .accounts
        .iter()
        .filter(|a| Some(a.account_id.as_str()) == management)
        .flat_map(|a| a.regions.iter())
        .flat_map(|r| {
            r.data
                .cloudtrail_lake
                .stores
                .value()
                .into_iter()
                .flatten()
                .map(move |s| (r.region.as_str(), s))
        })
        .filter_map(|(reg, s)| Some((reg, s, s.details.value()?)))
        .filter(|(_, _, d)| d.organization)
        .collect();
    let mut out = Vec::new();
    for a in &ctx.inv.accounts {
        let own = a.regions.iter().flat_map(|r| {
            r.data
                .cloudtrail_lake
                .stores
                .value()
                .into_iter()
                .flatten()
                .filter_map(move |s| Some((r.region.as_str(), s, s.details.value()?)))
        });
        let best = own
            .chain(org_stores.iter().copied())
            .filter(|(_, _, d)| {
                d.management_events
                    && matches!(d.status, StoreStatus::Enabled | StoreStatus::StartingIngestion)
            })
            .filter_map(|(region, s, d)| {
                let age = age_days(ctx, d.created.as_deref());
                match (d.retention_days, age) {
                    (Some(k), Some(age)) if age < k => Some((
                        age,
                        format!("event data store {} in {region} created {age} days ago (keeps {k} days)", s.name),
                    )),
                    (Some(k), _) => Some((k, format!("event data store {} in {region} keeps {k} days", s.name))),
                    (None, Some(age)) => Some((age, format!("event data store {} in {region} created {age} days ago", s.name))),
                    (None, None) => None,
                }
            })
            .max_by_key(|(d, _)| *d);
        if let Some((days, basis)) = best {
            out.push(Lookback {
                account_id: a.account_id.clone(),
                source: super::SOURCE.id.into(),
                days,
                basis,
                floor: None,
            });
        }
    }
    out
}
