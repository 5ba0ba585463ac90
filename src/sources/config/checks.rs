//! AWS Config checks: recorders, global resource types, delivery channels, the aggregator.

use super::model::RecorderStatus;
use crate::finding::{Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, CisAwsV3, CisAwsV7, Nist80053};
use crate::inventory::Collected;
use crate::rules::{
    account_unreachable, need, not_required, per_account_region, unknown_because, CheckInfo, Fix,
    Raw, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "config.recorder",
        title: "AWS Config records all supported resources in every region",
        severity: Severity::High,
        scope: Subject::AccountRegion,
        looks_at: "DescribeConfigurationRecorders (the recording group; with `continuous_recording`, the recording frequency and its per-type overrides) and DescribeConfigurationRecorderStatus",
        rationale: "Config's resource history answers \"what did this security group look like at 03:12?\"; a recorder recording once a day keeps no trace of a change made and undone within the day.",
        remediation: "`aws configservice put-configuration-recorder` with allSupported=true (and, for continuous recording, recordingMode recordingFrequency=CONTINUOUS without daily overrides), then a delivery channel, then `aws configservice start-configuration-recorder`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.3"]), (CisAwsV7, &["4.3"]), (AwsFsbp, &["Config.1"]), (Nist80053, &["CM-8", "AU-12"])],
        },
        eval: recorder,
    },
    CheckDef {
        info: CheckInfo {
            id: "config.global_resources",
        title: "Global resource types (IAM) are recorded in exactly one region",
        severity: Severity::Low,
        scope: Subject::Account,
        looks_at: "includeGlobalResourceTypes of every recording recorder of the account",
        rationale: "IAM changes must be recorded once: never is a gap, more than once is duplicated cost.",
        remediation: "Set includeGlobalResourceTypes=true on the recorder of one region (the baseline's, if it names one) and false elsewhere.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.3"]), (CisAwsV7, &["4.3"]), (AwsFsbp, &["Config.1"]), (Nist80053, &["CM-8"])],
        },
        eval: global_resources,
    },
    CheckDef {
        info: CheckInfo {
            id: "config.delivery",
        title: "AWS Config has a delivery channel",
        severity: Severity::High,
        scope: Subject::AccountRegion,
        looks_at: "DescribeDeliveryChannels",
        rationale: "Without a delivery channel the recorder cannot start and nothing reaches the log archive.",
        remediation: "`aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=LOG_ARCHIVE_BUCKET`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.3"]), (CisAwsV7, &["4.3"]), (AwsFsbp, &["Config.1"]), (Nist80053, &["CM-8", "AU-9"])],
        },
        eval: delivery,
    },
    CheckDef {
        info: CheckInfo {
            id: "config.aggregator",
        title: "An organization-wide Config aggregator exists",
        severity: Severity::Medium,
        scope: Subject::Organization,
        looks_at: "DescribeConfigurationAggregators in the scanned accounts (management or delegated administrator)",
        rationale: "One place to query configuration history across every account during an incident.",
        remediation: "In the management or Config delegated administrator account: `aws configservice put-configuration-aggregator --configuration-aggregator-name org --organization-aggregation-source RoleArn=ROLE,AllAwsRegions=true`.",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-6", "CM-8"])],
        },
        eval: aggregator,
    },
];

pub fn recorder(ctx: &Ctx) -> Vec<Raw> {
    per_account_region(ctx, |a, r| {
        let res = format!("{}:{}", a.account_id, r.region);
        let mk = |s: Status, m: String| {
            Raw::new(s, Some(&a.account_id), Some(&r.region), res.clone(), m)
        };
        if !ctx.b.config.recorder {
            return mk(
                Status::NotApplicable,
                not_required(ctx, "an AWS Config recorder"),
            );
        }
        let recs = match need(&r.data.config.recorders) {
            Err(e) => return mk(Status::Unknown, format!("configuration recorders {e}")),
            Ok(v) => v,
        };
        let Some(rec) = recs.first() else {
            return mk(Status::Fail, "no AWS Config recorder in this region".into());
        };
        let recording = match need(&rec.recording) {
            Err(e) => return mk(Status::Unknown, format!("recorder status {e}")),
            Ok(v) => *v,
        };
        let last = match need(&rec.last_status) {
            Err(e) => return mk(Status::Unknown, format!("recorder status {e}")),
            Ok(v) => v.clone(),
        };
        let mut problems = Vec::new();
        if !recording {
            problems.push("is not recording".to_string());
        }
        if !rec.all_supported {
            problems.push(if !rec.excluded_types.is_empty() {
                format!(
                    "does not record all supported resource types: it excludes {}",
                    crate::inventory::first_few(&rec.excluded_types)
                )
            } else if !rec.included_types.is_empty() {
                format!(
                    "does not record all supported resource types: it records only {} selected type(s) ({})",
                    rec.included_types.len(),
                    crate::inventory::first_few(&rec.included_types)
                )
            } else {
                "does not record all supported resource types".to_string()
            });
        }
        if ctx.b.config.continuous_recording {
            problems.extend(rec.daily.describe());
        }
        if last == Some(RecorderStatus::Failure) {
            problems.push("last delivery status is Failure".to_string());
        }
        if problems.is_empty() {
            mk(
                Status::Pass,
                format!("recorder '{}' records all supported resources", rec.name),
            )
        } else {
            let mut raw = mk(
                Status::Fail,
                format!("recorder '{}' {}", rec.name, problems.join(", ")),
            );
            raw.partial = recording;
            raw
        }
    })
}

pub fn global_resources(ctx: &Ctx) -> Vec<Raw> {
    ctx.inv
        .accounts
        .iter()
        .map(|a| {
            if let Some(raw) = account_unreachable(a, None, &a.account_id) {
                return raw;
            }
            let mk = |s: Status, m: String| {
                Raw::new(s, Some(&a.account_id), None, a.account_id.clone(), m)
            };
            // Without recorders required, "global types recorded once" asks for nothing.
            if !ctx.b.config.global_resources_once || !ctx.b.config.recorder {
                return mk(
                    Status::NotApplicable,
                    not_required(ctx, "recording global resources once"),
                );
            }
            let mut regions = Vec::new();
            let mut unknown = Vec::new();
            for r in ctx.enabled_regions(a) {
                match r.data.config.recorders.as_result() {
                    Err(e) => unknown.push(format!("{}: {}", r.region, unknown_because(e))),
                    Ok(recs) => {
                        for rec in recs.iter().filter(|rec| rec.include_global_resource_types) {
                            match rec.recording.as_result() {
                                Ok(true) => regions.push(r.region.clone()),
                                Ok(false) => {}
                                // Whether it records is unknown: so is the count.
                                Err(e) => unknown.push(format!(
                                    "{}: recorder status {}",
                                    r.region,
                                    unknown_because(e)
                                )),
                            }
                        }
                    }
                }
            }
            if regions.len() > 1 {
                return mk(
                    Status::Fail,
                    format!(
                        "global resource types are recorded in {} regions ({}): duplicated cost",
                        regions.len(),
                        regions.join(", ")
                    ),
                );
            }
            if !unknown.is_empty() {
                return mk(
                    Status::Unknown,
                    format!("recorders of some regions {}", unknown.join("; ")),
                );
            }
            match (regions.first(), &ctx.b.config.global_resources_region) {
                // The region the baseline names was read, and records nothing global:
                // wherever else they may be recorded, that is a failure.
                (None, Some(want)) if ctx.inv.regions.contains(want) => mk(
                    Status::Fail,
                    format!("global resource types are not recorded in {want}, where the baseline wants them"),
                ),
                // Judged within the audit's regions: a region --regions left out was not
                // read, and the message says so (the plan records them in the home region).
                (None, _) if !ctx.inv.regions_left_out.is_empty() => mk(
                    Status::Fail,
                    format!(
                        "global resource types (IAM) are recorded in no audited region ({} left out by --regions, not read)",
                        ctx.inv.left_out_regions()
                    ),
                ),
                (None, _) => mk(
                    Status::Fail,
                    "global resource types (IAM) are recorded in no audited region".into(),
                ),
                (Some(got), Some(want)) if got != want => mk(
                    Status::Fail,
                    format!(
                        "global resource types are recorded in {got}, the baseline wants {want}"
                    ),
                ),
                (Some(got), _) => mk(
                    Status::Pass,
                    format!("global resource types are recorded once, in {got}"),
                ),
            }
        })
        .collect()
}

pub fn delivery(ctx: &Ctx) -> Vec<Raw> {
    per_account_region(ctx, |a, r| {
        let res = format!("{}:{}", a.account_id, r.region);
        let mk = |s: Status, m: String| {
            Raw::new(s, Some(&a.account_id), Some(&r.region), res.clone(), m)
        };
        if !ctx.b.config.delivery_channel {
            return mk(
                Status::NotApplicable,
                not_required(ctx, "a Config delivery channel"),
            );
        }
        match need(&r.data.config.delivery_channels) {
            Err(e) => mk(Status::Unknown, format!("delivery channels {e}")),
            Ok(ch) if ch.is_empty() => mk(
                Status::Fail,
                "no AWS Config delivery channel in this region".into(),
            ),
            Ok(ch) => mk(
                Status::Pass,
                format!("delivery channel '{}'", ch.join(", ")),
            ),
        }
    })
}

/// A found organization aggregator, for the passing finding.
fn found(g: &super::model::ConfigAggregator, account: &str, region: &str) -> String {
    format!(
        "organization aggregator '{}' in account {account} ({region}){}",
        g.name,
        if g.all_regions { ", all regions" } else { "" }
    )
}

pub fn aggregator(ctx: &Ctx) -> Vec<Raw> {
    let (acct, res) = match &ctx.inv.organization {
        Some(o) => (Some(o.management_account_id.as_str()), o.id.clone()),
        None => (
            Some(ctx.inv.caller_account_id.as_str()),
            ctx.inv.caller_account_id.clone(),
        ),
    };
    let mk = |s: Status, m: String| vec![Raw::new(s, acct, None, res.clone(), m)];
    if !ctx.b.config.organization_aggregator {
        return mk(
            Status::NotApplicable,
            not_required(ctx, "an organization Config aggregator"),
        );
    }
    if !ctx.in_org() {
        return mk(
            Status::NotApplicable,
            "single-account audit: an organization aggregator is judged from the management account".into(),
        );
    }
    let mut unknown = Vec::new();
    for a in &ctx.inv.accounts {
        if let Some(e) = a.access.error() {
            unknown.push(format!("account {} not audited ({})", a.account_id, e.code));
            continue;
        }
        for r in ctx.enabled_regions(a) {
            match r.data.config.aggregators.as_result() {
                Err(e) => unknown.push(format!(
                    "{} {}: {}",
                    a.account_id,
                    r.region,
                    unknown_because(e)
                )),
                Ok(aggs) => {
                    if let Some(g) = aggs.iter().find(|g| g.organization_wide) {
                        return mk(Status::Pass, found(g, &a.account_id, &r.region));
                    }
                }
            }
        }
    }
    // The management account's regions --regions left out, read on their own.
    if !ctx.inv.regions_left_out.is_empty() {
        let mgmt = acct.and_then(|id| ctx.inv.accounts.iter().find(|a| a.account_id == id));
        match mgmt.and_then(|a| a.data.config.aggregators_left_out.as_ref()) {
            Some(Collected::Ok { value }) => {
                if let Some(g) = value.iter().find(|g| g.organization_wide) {
                    let region =
                        crate::arn::region_of(&g.arn).unwrap_or("a region left out by --regions");
                    return mk(Status::Pass, found(g, acct.unwrap_or_default(), region));
                }
            }
            Some(Collected::Failed { error }) => unknown.push(format!(
                "the management account's other regions: {}",
                unknown_because(error)
            )),
            // Saved by a logwarden that did not read them.
            None => unknown.push(format!(
                "the management account's regions {} were not read (left out by --regions)",
                ctx.inv.left_out_regions()
            )),
        }
    }
    if unknown.is_empty() {
        mk(
            Status::Fail,
            if ctx.inv.regions_left_out.is_empty() {
                "no organization-wide Config aggregator in any audited account".into()
            } else {
                "no organization-wide Config aggregator in any audited account, nor in the management account's regions left out by --regions".into()
            },
        )
    } else {
        mk(
            Status::Unknown,
            format!(
                "no organization aggregator found, but {}",
                unknown.join("; ")
            ),
        )
    }
}
