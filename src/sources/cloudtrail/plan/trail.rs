//! The organization trail: created with every setting the profile asks for, or an existing one
//! completed setting by setting, never narrowed.

use super::super::apply::{Op, TrailSettings};
use super::super::merge::merged_selectors;
use super::super::model::{EventSelectors, Trail};
use super::super::profile::{ManagementEvents, ResourceSet};
use super::super::selectors::ProbeEvent;
use super::{
    excluded_data_buckets, failing_checks, managed_trail, required_selectors, trail_address,
    trail_deps,
};
use crate::inventory::*;
use crate::plan::{encryption_label, note, yes_no, Action, AttrChange, Lookup};
use crate::sources::{Change, PlanCtx};

/// The organization trail: created, or completed where it is; unknown when the management
/// account's trails could not all be read (it may exist where the listing failed).
pub fn plan(ctx: &mut PlanCtx) {
    match managed_trail(ctx) {
        Lookup::Unknown(e) => {
            let (e, address, mgmt) = (e.clone(), trail_address(ctx), ctx.mgmt.clone());
            let region = ctx.plan_reads.cloudtrail.trail_region.clone();
            ctx.unknown(
                &address,
                &mgmt,
                &region,
                "the management account's trails",
                &e,
            );
        }
        Lookup::Missing => create(ctx),
        Lookup::Found(t) => update(ctx, t),
    }
}

/// The CloudWatch Logs delivery the profile wants: the log group's ARN and the role's name.
fn cloudwatch_logs(ctx: &PlanCtx) -> Option<(String, String)> {
    ctx.b.cloudtrail.cloudwatch_logs.then(|| {
        (
            super::log_group_arn(ctx),
            ctx.b.organization_trail.cloudwatch_logs.role_name.clone(),
        )
    })
}

/// A new organization trail, with every setting, the selectors, insights, and logging started.
fn create(ctx: &mut PlanCtx) {
    let (ot, ct) = (&ctx.b.organization_trail, &ctx.b.cloudtrail);
    let is_org = ctx.inv.mode == ScopeMode::Organization;
    let archive = crate::sources::log_archive::archive(ctx);
    let settings = TrailSettings {
        bucket: Some(archive.bucket.clone()),
        s3_key_prefix: ot.s3_key_prefix.clone(),
        multi_region: Some(ot.multi_region),
        include_global_service_events: Some(ot.include_global_service_events),
        log_file_validation: Some(ct.log_file_validation),
        organization: Some(is_org),
        kms_key: archive.key.clone(),
        cloudwatch_logs: cloudwatch_logs(ctx),
    };
    let required = required_selectors(ctx, &EventSelectors::default());
    let mut attributes = vec![
        AttrChange::new("bucket", None::<String>, archive.bucket.clone()),
        AttrChange::new("organization trail", None::<String>, yes_no(is_org)),
        AttrChange::new("multi-region", None::<String>, yes_no(ot.multi_region)),
        AttrChange::new(
            "log file validation",
            None::<String>,
            yes_no(ct.log_file_validation),
        ),
        AttrChange::new("encryption", None::<String>, encryption_label(&archive.key)),
        AttrChange::new(
            "event selectors",
            None::<String>,
            required
                .iter()
                .filter_map(|r| r.selector.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let name = ot.name.clone();
    let mut ops = vec![
        Op::CreateTrail {
            name: name.clone(),
            settings,
        }
        .into(),
        Op::MergeEventSelectors {
            trail: name.clone(),
            required,
        }
        .into(),
    ];
    if !ct.insights.is_empty() {
        let names: Vec<String> = ct
            .insights
            .iter()
            .map(|i| i.aws_name().to_string())
            .collect();
        attributes.push(AttrChange::new(
            "insights",
            None::<String>,
            names.join(", "),
        ));
        ops.push(
            Op::AddInsights {
                trail: name.clone(),
                insights: names,
            }
            .into(),
        );
    }
    attributes.push(AttrChange::new("logging", None::<String>, "started"));
    ops.push(
        Op::StartLogging {
            trail: name.clone(),
        }
        .into(),
    );
    ctx.push(
        Change::new(
            format!("cloudtrail_trail.{name}"),
            Action::Create,
            ctx.mgmt.clone(),
            ctx.plan_reads.cloudtrail.trail_region.clone(),
            attributes,
            ops,
        )
        .depending_on(trail_deps(ctx)),
    );
}

/// An existing trail, adopted: what it lacks is added, what it has beyond the profile is kept
/// (and said), what could not be read is unknown.
fn update(ctx: &mut PlanCtx, t: &Trail) {
    let address = format!("cloudtrail_trail.{}", t.name);
    let (mgmt, region) = (ctx.mgmt.clone(), t.home_region.clone());
    let (settings, mut attributes) = settings(ctx, t);
    kept_beyond_the_profile(ctx, t, &address);
    delivery_bucket(ctx, t, &address);
    if region != ctx.plan_reads.cloudtrail.trail_region {
        ctx.kept.push(note(&address, &mgmt, &region, format!("the trail's home region is {region}, not {}; a trail cannot move, so it is completed where it is", ctx.plan_reads.cloudtrail.trail_region)));
    }
    let mut ops = Vec::new();
    if settings != TrailSettings::default() {
        ops.push(
            Op::UpdateTrail {
                name: t.name.clone(),
                settings,
            }
            .into(),
        );
    }
    selectors(ctx, t, &address, &mut attributes, &mut ops);
    insights(ctx, t, &address, &mut attributes, &mut ops);
    logging(ctx, t, &address, &mut attributes, &mut ops);
    if !ops.is_empty() {
        let depends_on = trail_deps(ctx);
        ctx.push(
            Change::new(address, Action::Update, mgmt, region, attributes, ops)
                .depending_on(depends_on),
        );
    }
}

/// The trail's settings the profile asks for and it lacks.
fn settings(ctx: &PlanCtx, t: &Trail) -> (TrailSettings, Vec<AttrChange>) {
    let (ot, ct) = (&ctx.b.organization_trail, &ctx.b.cloudtrail);
    let mut s = TrailSettings::default();
    let mut attributes = Vec::new();
    if ot.multi_region && !t.is_multi_region {
        s.multi_region = Some(true);
        attributes.push(AttrChange::new("multi-region", Some("false"), "true"));
    }
    if ot.include_global_service_events && !t.include_global_service_events {
        s.include_global_service_events = Some(true);
        attributes.push(AttrChange::new(
            "global service events",
            Some("false"),
            "true",
        ));
    }
    if ct.log_file_validation && !t.log_file_validation_enabled {
        s.log_file_validation = Some(true);
        attributes.push(AttrChange::new(
            "log file validation",
            Some("false"),
            "true",
        ));
    }
    if ctx.inv.mode == ScopeMode::Organization && !t.is_organization_trail {
        s.organization = Some(true);
        attributes.push(AttrChange::new("organization trail", Some("false"), "true"));
    }
    let key = &crate::sources::log_archive::archive(ctx).key;
    if ct.kms_encryption && t.kms_key_id.is_none() {
        if let Some(k) = key {
            s.kms_key = Some(k.clone());
            attributes.push(AttrChange::new(
                "encryption",
                Some("SSE-S3"),
                encryption_label(key),
            ));
        }
    }
    if let Some(c) = cloudwatch_logs(ctx).filter(|_| t.cloudwatch_logs_log_group_arn.is_none()) {
        attributes.push(AttrChange::new(
            "CloudWatch Logs",
            Some("none"),
            c.0.clone(),
        ));
        s.cloudwatch_logs = Some(c);
    }
    (s, attributes)
}

/// Where the profile asks for less than the trail does: kept, and said (logwarden never narrows
/// logging).
fn kept_beyond_the_profile(ctx: &mut PlanCtx, t: &Trail, address: &str) {
    let (ot, ct) = (&ctx.b.organization_trail, &ctx.b.cloudtrail);
    let records = |probe: &ProbeEvent| {
        t.selectors
            .value()
            .is_some_and(|sel| crate::sources::cloudtrail::selectors::captures(sel, probe))
    };
    let mut more = Vec::new();
    if !ot.multi_region && t.is_multi_region {
        more.push("it is multi-region");
    }
    if !ct.log_file_validation && t.log_file_validation_enabled {
        more.push("log file validation is on");
    }
    if !ct.kms_encryption && t.kms_key_id.is_some() {
        more.push("it is encrypted with KMS");
    }
    if !ct.cloudwatch_logs && t.cloudwatch_logs_log_group_arn.is_some() {
        more.push("it delivers to CloudWatch Logs");
    }
    if t.insights.value().is_some_and(|have| {
        have.iter()
            .any(|h| !ct.insights.iter().any(|i| i.aws_name() == h))
    }) {
        more.push("it has insights the profile does not ask for");
    }
    if ct.management_events == ManagementEvents::WriteOnly
        && records(&ProbeEvent::management(
            true,
            "ec2.amazonaws.com",
            "DescribeInstances",
            "",
        ))
    {
        more.push("it records read management events too");
    }
    if ct.s3_data_events.is_none()
        && records(&ProbeEvent::s3_object(
            &ctx.inv.partition,
            "logwarden-any-new-bucket",
            false,
            "",
        ))
    {
        more.push("it records S3 data events");
    }
    if !more.is_empty() {
        let message = format!(
            "{}: more than the profile asks; kept (logwarden never narrows logging)",
            more.join(", ")
        );
        let (mgmt, region) = (ctx.mgmt.clone(), t.home_region.clone());
        ctx.kept.push(note(address, &mgmt, &region, message));
    }
}

/// A trail that delivers elsewhere than the log archive is not moved: kept when its bucket meets
/// the baseline, a manual step naming the failing bucket checks when not.
fn delivery_bucket(ctx: &mut PlanCtx, t: &Trail, address: &str) {
    let archive = crate::sources::log_archive::archive(ctx).bucket.clone();
    if t.s3_bucket_name.as_deref() == Some(archive.as_str()) {
        return;
    }
    let (mgmt, region) = (ctx.mgmt.clone(), t.home_region.clone());
    let other = t.s3_bucket_name.clone().unwrap_or_else(|| "?".into());
    let bucket_checks: Vec<String> = failing_checks(ctx, t)
        .into_iter()
        .filter(|c| c.starts_with("trail_bucket."))
        .collect();
    if bucket_checks.is_empty() {
        ctx.kept.push(note(address, &mgmt, &region, format!(
            "the trail delivers to bucket {other}, not the log archive {archive}; logwarden does not move a trail's logs, and that bucket meets the baseline"
        )));
    } else {
        ctx.push(Change::manual_step(
            format!("s3_bucket_unmanaged.{other}"),
            mgmt,
            region.clone(),
            AttrChange::new("failing checks", Some(bucket_checks.join(", ")), "none"),
            format!("the organization trail delivers to bucket {other}, not the log archive {archive}, and the audit fails that bucket on {}; logwarden does not move a trail's logs. To keep them where they are, make {other} the log archive instead (`log_archive.bucket_name: {other}`, with `log_archive.account` and `region` where it lives): plan then completes it, keeping its lifecycle rules and policy statements", bucket_checks.join(", ")),
            format!("aws cloudtrail update-trail --name {} --s3-bucket-name {archive} --region {region}   # after checking who reads {other}", t.arn),
        ));
    }
}

/// The selectors the profile needs, merged into the trail's (never narrowing them); buckets the
/// trail leaves out of S3 data events that may need them are unknown.
fn selectors(
    ctx: &mut PlanCtx,
    t: &Trail,
    address: &str,
    attributes: &mut Vec<AttrChange>,
    ops: &mut Vec<crate::sources::Op>,
) {
    let (mgmt, region) = (ctx.mgmt.clone(), t.home_region.clone());
    let sel = match t.selectors.as_result() {
        Ok(sel) => sel,
        Err(e) => {
            let e = e.clone();
            ctx.unknown(address, &mgmt, &region, "the event selectors", &e);
            return;
        }
    };
    let all_buckets = ctx
        .b
        .cloudtrail
        .s3_data_events
        .as_ref()
        .is_some_and(|d| d.resources == ResourceSet::All);
    if all_buckets {
        for (b, doubt) in excluded_data_buckets(ctx, sel) {
            if let Some(why) = doubt {
                ctx.unknown.push(note(&format!("s3_data_events.{b}"), &mgmt, &region, format!("trail {} leaves bucket {b} out of S3 data events and {why}; nothing is planned for it", t.name)));
            }
        }
    }
    let required = required_selectors(ctx, sel);
    let Some(next) = merged_selectors(sel, &required) else {
        return;
    };
    let added: Vec<String> = next
        .iter()
        .filter(|n| !sel.advanced.contains(n))
        .filter_map(|n| n.name.clone())
        .collect();
    let before = if sel.basic.is_empty() && sel.advanced.is_empty() {
        "default (all management events)".to_string()
    } else if sel.advanced.is_empty() {
        format!("{} basic selector(s)", sel.basic.len())
    } else {
        format!("{} advanced selector(s)", sel.advanced.len())
    };
    attributes.push(AttrChange::new(
        "event selectors",
        Some(before),
        format!(
            "{} advanced selector(s), adding {}",
            next.len(),
            if added.is_empty() {
                "equivalents of the basic ones".into()
            } else {
                added.join(", ")
            }
        ),
    ));
    ops.push(
        Op::MergeEventSelectors {
            trail: t.name.clone(),
            required,
        }
        .into(),
    );
}

/// The insights the profile asks for that the trail lacks (never removing one).
fn insights(
    ctx: &mut PlanCtx,
    t: &Trail,
    address: &str,
    attributes: &mut Vec<AttrChange>,
    ops: &mut Vec<crate::sources::Op>,
) {
    if ctx.b.cloudtrail.insights.is_empty() {
        return;
    }
    let have = match t.insights.as_result() {
        Ok(have) => have,
        Err(e) => {
            let (e, mgmt) = (e.clone(), ctx.mgmt.clone());
            ctx.unknown(address, &mgmt, &t.home_region, "the insight selectors", &e);
            return;
        }
    };
    let missing: Vec<String> = ctx
        .b
        .cloudtrail
        .insights
        .iter()
        .map(|i| i.aws_name().to_string())
        .filter(|n| !have.contains(n))
        .collect();
    if missing.is_empty() {
        return;
    }
    attributes.push(AttrChange::new(
        "insights",
        Some(if have.is_empty() {
            "none".into()
        } else {
            have.join(", ")
        }),
        missing.join(", "),
    ));
    ops.push(
        Op::AddInsights {
            trail: t.name.clone(),
            insights: missing,
        }
        .into(),
    );
}

/// A stopped trail is started.
fn logging(
    ctx: &mut PlanCtx,
    t: &Trail,
    address: &str,
    attributes: &mut Vec<AttrChange>,
    ops: &mut Vec<crate::sources::Op>,
) {
    match t.status.as_result() {
        Ok(st) if !st.is_logging => {
            attributes.push(AttrChange::new("logging", Some("stopped"), "started"));
            ops.push(
                Op::StartLogging {
                    trail: t.name.clone(),
                }
                .into(),
            );
        }
        Ok(_) => {}
        Err(e) => {
            let (e, mgmt) = (e.clone(), ctx.mgmt.clone());
            ctx.unknown(address, &mgmt, &t.home_region, "the trail status", &e);
        }
    }
}
