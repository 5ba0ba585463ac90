//! The advanced event selectors the trail needs for the profile: management events (read and
//! write, or write only), S3 and Lambda data events, each with the probe events that prove an
//! existing trail already records them.

use super::super::apply::RequiredSelector;
use super::super::model::{AdvancedSelector, EventSelectors, FieldSelector};
use super::super::profile::{ManagementEvents, ResourceSet};
use super::super::selectors::{management_probes, ProbeEvent};
use crate::plan::yes_no;
use crate::sources::PlanCtx;

pub fn required_selectors(ctx: &PlanCtx, existing: &EventSelectors) -> Vec<RequiredSelector> {
    let ct = &ctx.b.cloudtrail;
    let mut v = Vec::new();
    let want_read = ct.management_events == ManagementEvents::All;
    let mut fields = vec![field("eventCategory", &["Management"])];
    if !want_read {
        fields.push(field("readOnly", &["false"]));
    }
    v.push(RequiredSelector {
        selector: AdvancedSelector {
            name: Some("logwarden-management-events".into()),
            field_selectors: fields,
        },
        probes: management_probes(existing, want_read, &ct.allowed_excluded_event_sources),
    });
    let p = &ctx.inv.partition;
    if let Some(d) = &ct.s3_data_events {
        let mut fields = vec![
            field("eventCategory", &["Data"]),
            field("resources.type", &["AWS::S3::Object"]),
        ];
        if d.read != d.write {
            fields.push(field("readOnly", &[yes_no(d.read)]));
        }
        let modes: Vec<bool> = [(d.read, true), (d.write, false)]
            .iter()
            .filter(|(w, _)| *w)
            .map(|(_, ro)| *ro)
            .collect();
        let probes = match &d.resources {
            ResourceSet::All => {
                let part = crate::arn::Partition(p);
                let mut prefixes = vec![part.s3_bucket(&format!(
                    "{}/",
                    crate::sources::log_archive::archive(ctx).bucket
                ))];
                for t in
                    crate::engine::plan::managed_bucket_templates::<crate::sources::Sources>(ctx.b)
                        .iter()
                        .skip(1)
                {
                    let rendered = ctx.template(t, "{account_id}", "{region}");
                    let prefix = rendered.split('{').next().unwrap_or("");
                    if prefix.len() >= 3 {
                        prefixes.push(part.s3_bucket(prefix));
                    }
                }
                fields.push(FieldSelector {
                    field: "resources.ARN".into(),
                    not_starts_with: prefixes,
                    ..FieldSelector::default()
                });
                modes
                    .iter()
                    .flat_map(|&ro| {
                        ProbeEvent::s3_object_events(
                            &ctx.inv.partition,
                            "logwarden-any-new-bucket",
                            ro,
                            "S3 object events on any bucket",
                        )
                    })
                    .chain(
                        // Buckets the trail's selectors leave out that the audit requires
                        // (every bucket of the organization but the log buckets).
                        excluded_data_buckets(ctx, existing)
                            .into_iter()
                            .filter_map(|(b, doubt)| doubt.is_none().then_some(b))
                            .flat_map(|b| {
                                modes.iter().flat_map(move |&ro| {
                                    ProbeEvent::s3_object_events(
                                        &ctx.inv.partition,
                                        &b,
                                        ro,
                                        format!("S3 object events on {b}"),
                                    )
                                })
                            }),
                    )
                    .collect::<Vec<_>>()
            }
            ResourceSet::Named(names) => {
                fields.push(FieldSelector {
                    field: "resources.ARN".into(),
                    starts_with: names
                        .iter()
                        .map(|n| crate::arn::Partition(p).s3_bucket(&format!("{n}/")))
                        .collect(),
                    ..FieldSelector::default()
                });
                names
                    .iter()
                    .flat_map(|n| {
                        modes.iter().flat_map(move |&ro| {
                            ProbeEvent::s3_object_events(
                                &ctx.inv.partition,
                                n,
                                ro,
                                format!("S3 object events on {n}"),
                            )
                        })
                    })
                    .collect()
            }
        };
        v.push(RequiredSelector {
            selector: AdvancedSelector {
                name: Some("logwarden-s3-data-events".into()),
                field_selectors: fields,
            },
            probes,
        });
    }
    if let Some(d) = &ct.lambda_data_events {
        let mut fields = vec![
            field("eventCategory", &["Data"]),
            field("resources.type", &["AWS::Lambda::Function"]),
        ];
        let probes = match &d.resources {
            ResourceSet::All => vec![ProbeEvent::lambda_invoke(
                &format!(
                    "arn:{p}:lambda:{}:{}:function:logwarden-any-function",
                    ctx.plan_reads.cloudtrail.trail_region, ctx.mgmt
                ),
                "Lambda Invoke events",
            )],
            ResourceSet::Named(names) => {
                fields.push(FieldSelector {
                    field: "resources.ARN".into(),
                    starts_with: names.clone(),
                    ..FieldSelector::default()
                });
                names
                    .iter()
                    .map(|n| ProbeEvent::lambda_invoke(n, format!("Invoke events on {n}")))
                    .collect()
            }
        };
        v.push(RequiredSelector {
            selector: AdvancedSelector {
                name: Some("logwarden-lambda-data-events".into()),
                field_selectors: fields,
            },
            probes,
        });
    }
    v
}

/// Buckets the trail's selectors leave out of S3 data events that belong to the organization,
/// with why each may not need them after all (it may be a log bucket, or whether it is one of
/// the organization's buckets could not be read); `None` when it needs them.
pub fn excluded_data_buckets(
    ctx: &PlanCtx,
    existing: &EventSelectors,
) -> Vec<(String, Option<String>)> {
    let unlisted = ctx
        .inv
        .accounts
        .iter()
        .find_map(|a| a.data.s3_access_logs.buckets.error().map(|e| (a, e)));
    crate::sources::cloudtrail::selectors::excluded_s3_buckets(existing)
        .into_iter()
        .filter(|b| !ctx.log_buckets.contains(b))
        .filter_map(|b| {
            let owner = ctx.inv.accounts.iter().find_map(|a| {
                a.data
                    .s3_access_logs
                    .buckets
                    .value()
                    .and_then(|l| l.iter().find(|x| x.name == b))
                    .map(|x| (a, x))
            });
            match (owner, unlisted) {
                (Some((a, x)), _) => {
                    let doubt = ctx
                        .log_buckets
                        .doubt_about(&a.account_id, x.region.value().map(String::as_str))
                        .map(|why| format!("it may be a log bucket: {why}"));
                    Some((b, doubt))
                }
                (None, Some((a, e))) => Some((
                    b,
                    Some(format!(
                        "whether it is one of the organization's buckets is unknown: the buckets of account {} could not be listed ({}: {})",
                        a.account_id, e.iam_action, e.code
                    )),
                )),
                (None, None) => None,
            }
        })
        .collect()
}

fn field(name: &str, equals: &[&str]) -> FieldSelector {
    FieldSelector {
        field: name.into(),
        equals: equals.iter().map(|s| s.to_string()).collect(),
        ..FieldSelector::default()
    }
}
