//! AWS Config's plan: a recorder, delivery channel and recording in every account and region,
//! global resource types in one region, and the organization aggregator.

use crate::inventory::*;
use crate::plan::{Action, AttrChange};
use crate::sources::Change;
use crate::sources::{AccountInventory, PlanCtx, RegionInventory};

/// The role the organization aggregator assumes.
pub const AGGREGATOR_ROLE: &str = "logwarden-config-aggregator";

/// A recorder recording every supported type (global types in one region), a delivery channel
/// to the log archive and recording started, in every account and region; then the
/// organization aggregator.
pub fn plan(ctx: &mut PlanCtx) {
    let cb = ctx.b.config.clone();
    let global_region = cb
        .global_resources_region
        .clone()
        .unwrap_or_else(|| ctx.plan_reads.cloudtrail.trail_region.clone());
    let archive_dep: Vec<String> = ctx
        .changes
        .iter()
        .filter(|c| {
            c.address
                == format!(
                    "s3_bucket.{}",
                    crate::sources::log_archive::archive(ctx).bucket
                )
        })
        .map(|c| c.address.clone())
        .chain(crate::sources::log_archive::key_dep(ctx))
        .collect();
    if cb.recorder {
        let inv = ctx.inv;
        for a in &inv.accounts {
            if a.access.error().is_some() {
                continue;
            }
            let regions: Vec<&RegionInventory> = ctx.enabled_regions(a).collect();
            // The region that should record global types was left out by --regions: whether
            // it does is unread, so it is not planned elsewhere either.
            let unread_global = cb.global_resources_once
                && !ctx.inv.regions.contains(&global_region)
                && !regions.iter().any(|r| {
                    r.data
                        .config
                        .recorders
                        .value()
                        .is_some_and(|v| v.iter().any(|c| c.include_global_resource_types))
                });
            if unread_global {
                ctx.outside_regions(
                    &format!("config_recorder.{}.{global_region}", a.account_id),
                    &a.account_id,
                    &global_region,
                    "the recording of global resource types",
                );
            }
            let global_somewhere = regions.iter().any(|r| {
                r.data
                    .config
                    .recorders
                    .value()
                    .is_some_and(|v| v.iter().any(|c| c.include_global_resource_types))
            });
            for r in regions {
                let global_here =
                    cb.global_resources_once && r.region == global_region && !global_somewhere;
                // A new recorder records global types only where they are planned: never a
                // second copy beside a region already recording them.
                let include_global = global_here || !cb.global_resources_once;
                recorder(ctx, a, r, global_here, include_global, &archive_dep);
            }
        }
    }
    if cb.organization_aggregator && ctx.inv.mode == ScopeMode::Organization {
        aggregator(ctx);
    }
}

/// The recorder of one account and region: made (global types where `include_global`),
/// completed (all supported types; global types where `global_here`), given a delivery channel
/// and started.
fn recorder(
    ctx: &mut PlanCtx,
    a: &AccountInventory,
    r: &RegionInventory,
    global_here: bool,
    include_global: bool,
    archive_dep: &[String],
) {
    let cb = &ctx.b.config;
    let address = format!("config_recorder.{}.{}", a.account_id, r.region);
    let (recs, chans) = match (
        r.data.config.recorders.as_result(),
        r.data.config.delivery_channels.as_result(),
    ) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(e), _) | (_, Err(e)) => {
            let e = e.clone();
            ctx.unknown(
                &address,
                &a.account_id,
                &r.region,
                "the Config recorder",
                &e,
            );
            return;
        }
    };
    let mut ops = Vec::new();
    let mut attributes = Vec::new();
    let (name, action) = match recs.first() {
        None => {
            let include = include_global;
            ops.push(
                super::apply::Op::PutRecorder {
                    name: "default".into(),
                    include_global_resource_types: include,
                    continuous: false,
                }
                .into(),
            );
            attributes.push(AttrChange::new(
                "recording",
                None::<String>,
                if include {
                    "all supported + global types"
                } else {
                    "all supported"
                },
            ));
            ("default".to_string(), Action::Create)
        }
        Some(rec) => {
            complete(
                rec,
                global_here,
                cb.continuous_recording,
                &mut ops,
                &mut attributes,
            );
            (rec.name.clone(), Action::Update)
        }
    };
    // A recorder records only with a delivery channel.
    let can_start = !chans.is_empty() || cb.delivery_channel;
    if !can_start {
        ctx.push(Change::manual_step(
    format!("config_delivery_channel.{}.{}", a.account_id, r.region),
    a.account_id.clone(),
    r.region.clone(),
    AttrChange::new("delivery channel", None::<String>, "a bucket you choose"),
    "the profile sets `config.delivery_channel: false` (logwarden does not deliver Config to the log archive), but a recorder records only with a delivery channel",
    format!("aws configservice put-delivery-channel --region {} --delivery-channel name=default,s3BucketName=BUCKET   # in account {}; then run apply again", r.region, a.account_id),
    ));
    }
    if chans.is_empty() && cb.delivery_channel {
        ops.push(
            super::apply::Op::PutDeliveryChannel {
                name: "default".into(),
                bucket: crate::sources::log_archive::archive(ctx).bucket.clone(),
                kms_key: crate::sources::log_archive::archive(ctx).key.clone(),
            }
            .into(),
        );
        attributes.push(AttrChange::new(
            "delivery channel",
            None::<String>,
            format!("s3://{}", crate::sources::log_archive::archive(ctx).bucket),
        ));
    }
    let recording = recs.first().map(|rec| rec.recording.as_result());
    match recording {
        None | Some(Ok(false)) if can_start => {
            ops.push(super::apply::Op::StartRecorder { name: name.clone() }.into());
            attributes.push(AttrChange::new(
                "status",
                recording.map(|_| "stopped"),
                "recording",
            ));
        }
        Some(Ok(true)) | None | Some(Ok(false)) => {}
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(
                &address,
                &a.account_id,
                &r.region,
                "the recorder status",
                &e,
            );
        }
    }
    if !ops.is_empty() {
        ctx.push(
            Change::new(
                address,
                action,
                a.account_id.clone(),
                r.region.clone(),
                attributes,
                ops,
            )
            .depending_on(archive_dep.to_vec()),
        );
    }
}

/// What an existing recorder lacks, put in one `PutConfigurationRecorder`: every supported
/// type, global types where `global_here` (kept where it records them), and, where
/// `continuous` is asked, daily recording made continuous (the plan says what was daily).
fn complete(
    rec: &super::model::ConfigRecorder,
    global_here: bool,
    continuous: bool,
    ops: &mut Vec<crate::sources::Op>,
    attributes: &mut Vec<AttrChange>,
) {
    let daily = rec.daily.describe().filter(|_| continuous);
    let include = rec.include_global_resource_types || global_here;
    if !rec.all_supported || global_here || daily.is_some() {
        ops.push(
            super::apply::Op::PutRecorder {
                name: rec.name.clone(),
                include_global_resource_types: include,
                continuous: daily.is_some(),
            }
            .into(),
        );
    }
    if let Some(d) = daily {
        attributes.push(AttrChange::new(
            "recording frequency",
            Some(d),
            "every type as it changes (continuous)",
        ));
    }
    if !rec.all_supported || global_here {
        attributes.push(AttrChange::new(
            "recording",
            Some(if rec.all_supported {
                "all supported"
            } else {
                "selected types"
            }),
            if include {
                "all supported + global types"
            } else {
                "all supported"
            },
        ));
    }
}

/// The organization aggregator in the management account (and the role it assumes), unless one
/// already aggregates the organization.
fn aggregator(ctx: &mut PlanCtx) {
    let cb = ctx.b.config.clone();
    let Some(a) = ctx.account(&ctx.mgmt) else {
        return;
    };
    let mut unknown = None;
    let mut found = false;
    // The audited regions, and those --regions left out (read on their own).
    let left_out = a.data.config.aggregators_left_out.iter();
    for read in a
        .regions
        .iter()
        .map(|r| &r.data.config.aggregators)
        .chain(left_out)
    {
        match read.as_result() {
            Ok(v) => found |= v.iter().any(|g| g.organization_wide),
            Err(e) if e.code != "RegionNotEnabled" => unknown = Some(e.clone()),
            Err(_) => {}
        }
    }
    let left_out_read = a.data.config.aggregators_left_out.is_some();
    let address = format!("config_aggregator.{}", cb.aggregator_name);
    let mgmt = ctx.mgmt.clone();
    let region = ctx.plan_reads.cloudtrail.trail_region.clone();
    if found {
        return;
    }
    if let Some(e) = unknown {
        ctx.unknown(&address, &mgmt, &region, "the Config aggregators", &e);
        return;
    }
    if !left_out_read
        && ctx.outside_regions(&address, &mgmt, &region, "the organization aggregator")
    {
        return;
    }
    let mut ops = Vec::new();
    match ctx
        .plan_reads
        .config
        .aggregator_role
        .as_ref()
        .map(|r| r.arn.as_result())
    {
        Some(Err(e)) => {
            let e = e.clone();
            ctx.unknown(&address, &mgmt, &region, "the aggregator role", &e);
            return;
        }
        Some(Ok(Some(_)))
            if ctx
                .plan_reads
                .config
                .aggregator_role
                .as_ref()
                .and_then(|r| {
                    crate::sources::delivery_roles::foreign_trust(
                        r,
                        &super::policies::config_aggregator_trust(&mgmt),
                    )
                })
                .is_some() =>
        {
            let want = serde_json::to_string(&super::policies::config_aggregator_trust(&mgmt))
                .unwrap_or_default();
            ctx.push(Change::manual_step(
                format!("iam_role.{AGGREGATOR_ROLE}"),
                mgmt.clone(),
                "global",
                AttrChange::new("trust policy", Some("(another trust policy)"), want.clone()),
                format!("role {AGGREGATOR_ROLE} already exists and its trust policy is not the one logwarden writes (AWS Config, for this account only); logwarden does not give its permissions to a role trusted otherwise. Review who may assume it, then replace its trust policy"),
                format!("aws iam update-assume-role-policy --role-name {AGGREGATOR_ROLE} --policy-document '{want}'"),
            ));
            return;
        }
        // Missing, or made by an interrupted run: (re)written before the aggregator.
        _ => ops.push(
            crate::sources::delivery_roles::apply::Op::EnsureRole {
                name: AGGREGATOR_ROLE.into(),
                trust_policy: super::policies::config_aggregator_trust(&mgmt),
                inline_policy: Some(super::policies::config_aggregator_permissions()),
                managed_policy_arns: vec![],
            }
            .into(),
        ),
    }
    ops.push(
        super::apply::Op::PutOrganizationAggregator {
            name: cb.aggregator_name.clone(),
            role_name: AGGREGATOR_ROLE.into(),
        }
        .into(),
    );
    let depends_on = crate::sources::organization::plan::access_dep(ctx, "config.amazonaws.com");
    ctx.push(
        Change::new(
            address,
            Action::Create,
            mgmt,
            region,
            vec![
                AttrChange::new("source", None::<String>, "the organization, all regions"),
                AttrChange::new("role", None::<String>, AGGREGATOR_ROLE),
            ],
            ops,
        )
        .depending_on(depends_on),
    );
}
