//! The data-event checks: S3 object-level and Lambda invocation events, judged per account by
//! probing the logging trails' selectors with the events the profile asks to be recorded.

use super::checks::{blind_spots, dedup, list, serves, trail_label, trails_for, Serves};
use super::profile::{DataEventsBaseline, ResourceSet};
use super::selectors::{self, captures, ProbeEvent};
use crate::finding::Status;
use crate::rules::{account_unreachable, not_required, unknown_because, Raw};
use crate::sources::s3_access_logs::buckets;
use crate::sources::AccountInventory;
use crate::sources::Ctx;
use std::collections::BTreeMap;

/// Trails, judged one by one.
/// Judge data-event probes for an account: each probe must be captured by some logging trail
/// covering the account in the probe's region.
fn judge_data_probes(
    ctx: &Ctx,
    a: &AccountInventory,
    probes: Vec<(ProbeEvent, String)>,
    what: &str,
    extra_unknown: Vec<String>,
    doubts: &BTreeMap<String, String>,
) -> Raw {
    let acct = Some(a.account_id.as_str());
    let res = a.account_id.clone();
    let mut missing = Vec::new();
    let mut unknown = extra_unknown;
    let mut captured_by = std::collections::BTreeSet::new();
    // Stopped trails whose selectors would record what is missing, and why each is stopped.
    let mut would = std::collections::BTreeMap::new();
    let mut reasons: Vec<String> = Vec::new();
    let mut in_part: Vec<String> = Vec::new();
    for (probe, region) in &probes {
        let mut got = false;
        let mut unsure = Vec::new();
        let mut narrowed = None;
        for t in trails_for(ctx, a, region) {
            match serves(t, std::slice::from_ref(probe), ctx.now) {
                Serves::Fully => {
                    got = true;
                    captured_by.insert(trail_label(t));
                }
                Serves::Unknown(u) => unsure.push(u),
                Serves::Partly(labels) => {
                    narrowed = labels.into_iter().next().and_then(|(_, why)| why)
                }
                Serves::Stopped(reason) => {
                    if t.selectors.value().is_some_and(|sel| captures(sel, probe)) {
                        would.insert(trail_label(t), reason);
                    }
                }
            }
        }
        unsure.extend(blind_spots(ctx, a, region));
        // A bucket that may be a log bucket is not required to be captured.
        if let Some(why) = probe.arn.as_deref().and_then(|arn| {
            crate::arn::Arn::parse(arn)
                .and_then(|a| a.s3_bucket())
                .and_then(|b| doubts.get(b))
        }) {
            unsure.push(why.clone());
        }
        if !got {
            if unsure.is_empty() {
                match narrowed {
                    // Recorded only in part by a selector that narrows: say how, once.
                    Some(why) => {
                        in_part.push(probe.label.clone());
                        if !reasons.contains(&why) {
                            reasons.push(why);
                        }
                    }
                    None => missing.push(probe.label.clone()),
                }
            } else {
                unknown.extend(unsure);
            }
        }
    }
    let mut missing = dedup(missing);
    // "writes (DeleteObject)" says more only when the other writes are recorded.
    let all = missing.clone();
    missing.retain(|m| {
        m.strip_suffix(" (DeleteObject)")
            .is_none_or(|base| !all.iter().any(|x| x == base))
    });
    let in_part = dedup(in_part);
    if !missing.is_empty() || !in_part.is_empty() {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("{what} not recorded: {}", list(&missing)));
        }
        if !in_part.is_empty() {
            parts.push(format!(
                "{what} recorded only in part: {} ({})",
                list(&in_part),
                reasons.join("; ")
            ));
        }
        for (t, why) in &would {
            let why = why.trim_start_matches(&format!("trail {t} "));
            parts.push(format!("trail {t} would record them but {why}"));
        }
        let mut raw = Raw::new(Status::Fail, acct, None, res, parts.join("; "));
        raw.partial = !captured_by.is_empty() || !in_part.is_empty();
        return raw;
    }
    let unknown = dedup(unknown);
    if !unknown.is_empty() {
        return Raw::new(Status::Unknown, acct, None, res, unknown.join("; "));
    }
    if probes.is_empty() {
        return Raw::new(
            Status::NotApplicable,
            acct,
            None,
            res,
            format!("no resource of this account is named by the baseline for {what}"),
        );
    }
    Raw::new(
        Status::Pass,
        acct,
        None,
        res,
        format!(
            "{what} recorded by trail {}",
            captured_by.into_iter().collect::<Vec<_>>().join(", ")
        ),
    )
}

fn per_account(ctx: &Ctx, mut f: impl FnMut(&AccountInventory) -> Raw) -> Vec<Raw> {
    ctx.inv
        .accounts
        .iter()
        .map(|a| account_unreachable(a, None, &a.account_id).unwrap_or_else(|| f(a)))
        .collect()
}

fn rw_modes(d: &DataEventsBaseline) -> Vec<bool> {
    let mut v = Vec::new();
    if d.read {
        v.push(true);
    }
    if d.write {
        v.push(false);
    }
    v
}

pub fn s3_data_events(ctx: &Ctx) -> Vec<Raw> {
    per_account(ctx, |a| {
        let Some(d) = &ctx.b.cloudtrail.s3_data_events else {
            return Raw::new(
                Status::NotApplicable,
                Some(&a.account_id),
                None,
                a.account_id.clone(),
                not_required(ctx, "S3 data events"),
            );
        };
        let rw = rw_modes(d);
        let kind = |ro: bool| if ro { "read" } else { "write" };
        let mut probes = Vec::new();
        let mut unknown = Vec::new();
        // Buckets that are not known log buckets but may be one.
        let mut doubts = BTreeMap::new();
        let regions: Vec<&str> = ctx.enabled_regions(a).map(|r| r.region.as_str()).collect();
        let add_bucket = |name: &str, region: &str, probes: &mut Vec<(ProbeEvent, String)>| {
            for &ro in &rw {
                for p in ProbeEvent::s3_object_events(
                    &ctx.inv.partition,
                    name,
                    ro,
                    format!("{} events on bucket {name}", kind(ro)),
                ) {
                    probes.push((p, region.to_string()));
                }
            }
        };
        match &d.resources {
            ResourceSet::All => {
                for region in &regions {
                    for &ro in &rw {
                        for p in ProbeEvent::s3_object_events(
                            &ctx.inv.partition,
                            "logwarden-any-new-bucket",
                            ro,
                            format!("{} events on any new bucket in {region}", kind(ro)),
                        ) {
                            probes.push((p, region.to_string()));
                        }
                    }
                }
                match a.data.s3_access_logs.buckets.as_result() {
                    Err(e) => unknown.push(format!("the bucket list {}", unknown_because(e))),
                    Ok(list) => {
                        for bk in list {
                            if ctx.log_buckets.contains(&bk.name) {
                                continue;
                            }
                            if let Some(why) = ctx
                                .log_buckets
                                .doubt_about(&a.account_id, bk.region.value().map(String::as_str))
                            {
                                doubts.insert(
                                    bk.name.clone(),
                                    format!("bucket {} may be a log bucket: {why}", bk.name),
                                );
                            }
                            match bk.region.value() {
                                Some(r) if regions.contains(&r.as_str()) => {
                                    add_bucket(&bk.name, r, &mut probes)
                                }
                                Some(_) => {}
                                None => unknown.push(format!("the region of bucket {}", bk.name)),
                            }
                        }
                    }
                }
                // Buckets of this account the selectors themselves exclude (other accounts'
                // buckets are judged in their own account), unless they are log buckets.
                for region in &regions {
                    for t in trails_for(ctx, a, region) {
                        if let Some(sel) = t.selectors.value() {
                            for name in selectors::excluded_s3_buckets(sel) {
                                let mine = buckets::find(ctx, &name)
                                    .is_some_and(|(owner, _)| owner.account_id == a.account_id);
                                if mine && !ctx.log_buckets.contains(&name) {
                                    if let Some(why) =
                                        ctx.log_buckets.doubt_about(&a.account_id, None)
                                    {
                                        doubts.insert(
                                            name.clone(),
                                            format!("bucket {name} may be a log bucket: {why}"),
                                        );
                                    }
                                    add_bucket(&name, region, &mut probes);
                                }
                            }
                        }
                    }
                }
            }
            ResourceSet::Named(names) => {
                for name in names {
                    if let Some((owner, bk)) = buckets::find(ctx, name) {
                        if owner.account_id == a.account_id {
                            match bk.region.value() {
                                Some(r) => add_bucket(name, r, &mut probes),
                                None => unknown.push(format!("the region of bucket {name}")),
                            }
                        }
                    }
                }
            }
        }
        judge_data_probes(ctx, a, probes, "S3 object-level events", unknown, &doubts)
    })
}

pub fn lambda_data_events(ctx: &Ctx) -> Vec<Raw> {
    per_account(ctx, |a| {
        let Some(d) = &ctx.b.cloudtrail.lambda_data_events else {
            return Raw::new(
                Status::NotApplicable,
                Some(&a.account_id),
                None,
                a.account_id.clone(),
                not_required(ctx, "Lambda data events"),
            );
        };
        let regions: Vec<&str> = ctx.enabled_regions(a).map(|r| r.region.as_str()).collect();
        let partition = &ctx.inv.partition;
        let mut probes = Vec::new();
        match &d.resources {
            ResourceSet::All => {
                for region in &regions {
                    let arn = crate::arn::Partition(partition).arn(
                        "lambda",
                        region,
                        &a.account_id,
                        "function:logwarden-any-function",
                    );
                    probes.push((
                        ProbeEvent::lambda_invoke(
                            &arn,
                            format!("Invoke events on any function in {region}"),
                        ),
                        region.to_string(),
                    ));
                }
            }
            ResourceSet::Named(names) => {
                for name in names {
                    if name.starts_with("arn:") {
                        if crate::arn::account_of(name) == Some(a.account_id.as_str()) {
                            let region = crate::arn::region_of(name).unwrap_or("");
                            probes.push((
                                ProbeEvent::lambda_invoke(name, format!("Invoke events on {name}")),
                                region.to_string(),
                            ));
                        }
                    } else {
                        for region in &regions {
                            let arn = crate::arn::Partition(partition).arn(
                                "lambda",
                                region,
                                &a.account_id,
                                &format!("function:{name}"),
                            );
                            probes.push((
                                ProbeEvent::lambda_invoke(
                                    &arn,
                                    format!("Invoke events on {name} in {region}"),
                                ),
                                region.to_string(),
                            ));
                        }
                    }
                }
            }
        }
        judge_data_probes(
            ctx,
            a,
            probes,
            "Lambda invocation events",
            vec![],
            &BTreeMap::new(),
        )
    })
}
