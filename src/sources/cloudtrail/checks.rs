//! CloudTrail checks: org-first coverage, exact data-event capture, duplicate copies, and the
//! per-trail settings (logging, validation, KMS, CloudWatch Logs, insights).

use super::model::{EventSelectors, KeyManager, Trail};
use super::profile::ManagementEvents;
use super::selectors::{self, captures, Capture, ProbeEvent};
use crate::finding::{Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, CisAwsV3, CisAwsV7, Nist80053};
use crate::rules::{
    need, not_required, per_account_region, unknown_because, CheckInfo, Fix, Raw, Resource, Subject,
};
use crate::sources::AccountInventory;
use crate::sources::{CheckDef, Ctx};

/// Trails, judged one by one.
pub static TRAIL: Resource = Resource {
    id: "trail",
    label: "trail",
    cloudformation_type: "AWS::CloudTrail::Trail",
    asff_type: "AwsCloudTrailTrail",
};

/// The KMS key a trail encrypts with (reported as its trail).
pub static TRAIL_KMS_KEY: Resource = Resource {
    id: "trail_kms_key",
    label: "trail KMS key",
    cloudformation_type: "AWS::CloudTrail::Trail",
    asff_type: "AwsCloudTrailTrail",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.coverage",
        title: "Every account and region is recorded by a logging trail with read and write management events",
        severity: Severity::Critical,
        scope: Subject::AccountRegion,
        looks_at: "DescribeTrails (with shadow trails), GetTrailStatus and GetEventSelectors of each trail; organization trails of the management account cover every member, multi-region trails cover every region; in the partition's global region (us-east-1) the events of global services (IAM, STS, CloudFront), which CloudTrail delivers only there, need a trail with IncludeGlobalServiceEvents",
        rationale: "Management events are the first thing a responder reads: who did what, from where. A region or account without them is a blind spot an attacker can use.",
        remediation: "Create an organization trail in the management account (multi-region, read and write management events) or make an existing trail multi-region and start its logging: `aws cloudtrail create-trail --is-organization-trail --is-multi-region-trail ...` then `aws cloudtrail start-logging`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.1"]), (CisAwsV7, &["4.1"]), (AwsFsbp, &["CloudTrail.1", "CloudTrail.3"]), (Nist80053, &["AU-2", "AU-12"])],
        },
        eval: coverage,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.logging",
        title: "The trail is logging and delivering",
        severity: Severity::Critical,
        scope: Subject::Resource(&TRAIL),
        looks_at: "GetTrailStatus: IsLogging, LatestDeliveryError and LatestDeliveryTime (nothing delivered to S3 for more than a day before the audit, or since logging started more than a day ago, is stale), and for a trail with a CloudWatch Logs group LatestCloudWatchLogsDeliveryError and LatestCloudWatchLogsDeliveryTime",
        rationale: "A trail that exists but is stopped, or whose delivery fails or silently stopped (bucket policy, KMS, a deleted log group), records nothing a responder can read.",
        remediation: "Start logging (`aws cloudtrail start-logging --name TRAIL`) and fix the delivery error: the bucket policy must allow cloudtrail.amazonaws.com to write, and the KMS key policy must allow it to encrypt.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.1"]), (CisAwsV7, &["4.1"]), (AwsFsbp, &["CloudTrail.3"]), (Nist80053, &["AU-5", "AU-12"])],
        },
        eval: logging,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.log_file_validation",
        title: "Log file integrity validation is enabled",
        severity: Severity::Medium,
        scope: Subject::Resource(&TRAIL),
        looks_at: "DescribeTrails: LogFileValidationEnabled",
        rationale: "Digest files prove the logs were not altered or deleted after delivery: evidence that holds up.",
        remediation: "`aws cloudtrail update-trail --name TRAIL --enable-log-file-validation`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.2"]), (CisAwsV7, &["4.2"]), (AwsFsbp, &["CloudTrail.4"]), (Nist80053, &["AU-9", "AU-10"])],
        },
        eval: log_file_validation,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.kms_encryption",
        title: "The trail's logs are encrypted with a KMS key",
        severity: Severity::Medium,
        scope: Subject::Resource(&TRAIL),
        looks_at: "DescribeTrails: KmsKeyId",
        rationale: "SSE-KMS adds a second permission (kms:Decrypt) between a compromised S3 reader and the logs, and an audit trail of who decrypted them.",
        remediation: "Create a customer-managed key whose policy lets cloudtrail.amazonaws.com encrypt, then `aws cloudtrail update-trail --name TRAIL --kms-key-id KEY_ARN`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.5"]), (CisAwsV7, &["4.5"]), (AwsFsbp, &["CloudTrail.2"]), (Nist80053, &["AU-9", "SC-28"])],
        },
        eval: kms_encryption,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.kms_key_rotation",
        title: "The trail's KMS key is rotated",
        severity: Severity::Medium,
        scope: Subject::Resource(&TRAIL_KMS_KEY),
        looks_at: "DescribeKey (KeyManager) and GetKeyRotationStatus of the trail's key",
        rationale: "Rotation limits how much data one compromised key version protects.",
        remediation: "`aws kms enable-key-rotation --key-id KEY_ARN`.",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.6"]), (CisAwsV7, &["4.6"]), (AwsFsbp, &["KMS.4"]), (Nist80053, &["SC-12", "SC-28"])],
        },
        eval: kms_key_rotation,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.cloudwatch_logs",
        title: "The trail delivers to CloudWatch Logs",
        severity: Severity::Low,
        scope: Subject::Resource(&TRAIL),
        looks_at: "DescribeTrails: CloudWatchLogsLogGroupArn; GetTrailStatus: LatestCloudWatchLogsDeliveryError",
        rationale: "CloudWatch Logs makes events searchable within minutes and drives metric filters and alarms, without waiting for S3 delivery.",
        remediation: "Create a log group and a role CloudTrail can assume (logs:CreateLogStream, logs:PutLogEvents), then `aws cloudtrail update-trail --name TRAIL --cloud-watch-logs-log-group-arn ARN --cloud-watch-logs-role-arn ROLE`.",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["CloudTrail.5"]), (Nist80053, &["AU-6"])],
        },
        eval: cloudwatch_logs,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.insights",
        title: "CloudTrail Insights are enabled as the baseline says",
        severity: Severity::Low,
        scope: Subject::Resource(&TRAIL),
        looks_at: "GetInsightSelectors (only when DescribeTrails reports insight selectors)",
        rationale: "Insights flag unusual API call and error rates: credential misuse and enumeration often show up there first.",
        remediation: "`aws cloudtrail put-insight-selectors --trail-name TRAIL --insight-selectors '[{\"InsightType\":\"ApiCallRateInsight\"},{\"InsightType\":\"ApiErrorRateInsight\"}]'`.",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-6"])],
        },
        eval: insights,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.s3_data_events",
        title: "Object-level S3 read and write events are recorded",
        severity: Severity::Medium,
        scope: Subject::Account,
        looks_at: "Basic and advanced event selectors of every logging trail covering the account, evaluated against each bucket (log buckets excluded) and any future bucket",
        rationale: "Data exfiltration from S3 (GetObject) and tampering (PutObject, DeleteObject) are invisible in management events.",
        remediation: "Add an advanced event selector for eventCategory=Data, resources.type=AWS::S3::Object on the organization trail, excluding the log buckets with NotStartsWith on resources.ARN (to avoid a logging feedback loop).",
        fix: Fix::Plan,
        frameworks: &[(CisAwsV3, &["3.8", "3.9"]), (CisAwsV7, &["4.8", "4.9"]), (AwsFsbp, &["S3.22", "S3.23"]), (Nist80053, &["AU-2", "AU-12"])],
        },
        eval: super::data_events::s3_data_events,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.lambda_data_events",
        title: "Lambda invocation events are recorded",
        severity: Severity::Low,
        scope: Subject::Account,
        looks_at: "Basic and advanced event selectors of every logging trail covering the account (Invoke on AWS::Lambda::Function)",
        rationale: "Who invoked which function, and when, is how responders trace abuse of serverless workloads.",
        remediation: "Add an advanced event selector for eventCategory=Data, resources.type=AWS::Lambda::Function on the organization trail.",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["AU-2", "AU-12"])],
        },
        eval: super::data_events::lambda_data_events,
    },
    CheckDef {
        info: CheckInfo {
            id: "cloudtrail.duplicate_management_events",
        title: "Management events are recorded by only one trail",
        severity: Severity::Low,
        scope: Subject::AccountRegion,
        looks_at: "Every logging trail covering the account and region that records management events",
        rationale: "The first copy of management events is free; every further copy is billed ($2 per 100,000 events), a common silent cost next to an organization or Control Tower trail.",
        remediation: "Keep the organization trail; stop recording management events on the other trails (data-event-only selectors) or delete them.",
        fix: Fix::Manual,
        frameworks: &[],
        },
        eval: duplicate_management_events,
    },
];

/// How one trail serves one account and region.
pub enum Serves {
    /// Logging, and captures everything asked.
    Fully,
    /// Logging, captures some of it: what is missing, and why when a selector narrows.
    Partly(Vec<(String, Option<String>)>),
    /// Not logging or not delivering.
    Stopped(String),
    Unknown(String),
}

pub(super) fn trail_label(t: &Trail) -> String {
    let mut kinds = Vec::new();
    if t.is_organization_trail {
        kinds.push("organization");
    }
    if t.is_multi_region {
        kinds.push("multi-region");
    }
    if kinds.is_empty() {
        format!("'{}'", t.name)
    } else {
        format!("'{}' ({})", t.name, kinds.join(", "))
    }
}

/// How long a logging trail may go without delivering before its delivery is stale: CloudTrail
/// delivers about every 5 minutes, and every account makes management calls within a day.
pub const STALE_DELIVERY: time::Duration = time::Duration::days(1);

/// Why a trail does not deliver to S3, if it does not (Err when its status is unknown): it is
/// stopped, its last delivery failed, or it has not delivered for more than a day (`now`: when
/// the inventory was collected).
pub(super) fn not_logging_reason(
    t: &Trail,
    now: Option<time::OffsetDateTime>,
) -> Result<Option<String>, String> {
    let st = need(&t.status)?;
    if !st.is_logging {
        return Ok(Some(format!("trail {} is not logging", trail_label(t))));
    }
    if let Some(e) = &st.latest_delivery_error {
        return Ok(Some(format!(
            "trail {} fails to deliver to S3: {e}",
            trail_label(t)
        )));
    }
    Ok(stale(
        now,
        st.latest_delivery_time.as_deref(),
        st.start_logging_time.as_deref(),
    )
    .map(|since| {
        format!(
            "trail {} is logging but has delivered nothing to S3 {since}",
            trail_label(t)
        )
    }))
}

/// "since T" when the last delivery (or, with none, the start of logging) is more than
/// [`STALE_DELIVERY`] before `now`.
fn stale(
    now: Option<time::OffsetDateTime>,
    last: Option<&str>,
    started: Option<&str>,
) -> Option<String> {
    let now = now?;
    let (at, what) = match (
        last.and_then(crate::timefmt::parse),
        started.and_then(crate::timefmt::parse),
    ) {
        (Some(t), _) => (t, "since"),
        (None, Some(t)) => (t, "since it started logging on"),
        (None, None) => return None,
    };
    (now - at > STALE_DELIVERY).then(|| {
        format!(
            "{what} {} ({} days before the audit)",
            crate::timefmt::rfc3339(at),
            (now - at).whole_days()
        )
    })
}

/// Problems with the trail's CloudWatch Logs delivery, when it has a log group.
fn cloudwatch_delivery_problem(t: &Trail, now: Option<time::OffsetDateTime>) -> Option<String> {
    t.cloudwatch_logs_log_group_arn.as_ref()?;
    let st = t.status.value()?;
    if let Some(e) = &st.latest_cloudwatch_logs_delivery_error {
        return Some(format!(
            "trail {} fails to deliver to CloudWatch Logs: {e}",
            trail_label(t)
        ));
    }
    // Judged only from a delivery time AWS reported: without one, "never delivered" and an
    // answer that omits the field (emulators do) cannot be told apart.
    let last = st.latest_cloudwatch_logs_delivery_time.as_deref()?;
    stale(now, Some(last), None).map(|since| {
        format!(
            "trail {} has delivered nothing to CloudWatch Logs {since}",
            trail_label(t)
        )
    })
}

/// The trails that record activity of account `a` in `region`: its own trails for the region
/// (multi-region trails everywhere), and the organization's trails (owned by the management
/// account or seen from the member). A shadow trail is the same ARN, so it is counted once.
pub fn trails_for<'a>(ctx: &Ctx<'a>, a: &AccountInventory, region: &str) -> Vec<&'a Trail> {
    let visible = |arn: &str| {
        a.regions.iter().any(|r| {
            r.data
                .cloudtrail
                .trails
                .value()
                .is_some_and(|refs| refs.iter().any(|t| t.arn == arn))
        })
    };
    let Some(index) = ctx.facts.get::<super::TrailIndex>() else {
        return vec![];
    };
    let inv = ctx.inv;
    let get = |&(i, j): &(usize, usize)| inv.accounts.get(i)?.data.cloudtrail.trails.get(j);
    let own = index.by_owner.get(&a.account_id).into_iter().flatten();
    let organization = index
        .organization
        .iter()
        .filter_map(get)
        .filter(|t| ctx.in_org() || visible(&t.arn));
    let mut out: Vec<&'a Trail> = own
        .filter_map(get)
        .chain(organization)
        .filter(|t| t.is_multi_region || t.home_region == region)
        .collect();
    // In ARN order, each once (an organization trail of the account is in both lists).
    out.sort_by(|x, y| x.arn.cmp(&y.arn));
    out.dedup_by(|x, y| x.arn == y.arn);
    out
}

/// Reasons the list of trails for (account, region) may be incomplete.
pub fn blind_spots(ctx: &Ctx, a: &AccountInventory, region: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = a.regions.iter().find(|r| r.region == region) {
        match r.data.cloudtrail.trails.as_result() {
            Err(e) => out.push(format!("the trails of this region {}", unknown_because(e))),
            Ok(refs) => {
                for t in refs {
                    if !super::is_read(ctx, &t.arn)
                        && (t.is_multi_region || t.home_region == region)
                    {
                        out.push(format!(
                            "trail '{}' is visible but its account {} was not audited",
                            t.name,
                            t.owner_account().unwrap_or("?")
                        ));
                    }
                }
            }
        }
    }
    out
}

pub fn serves(t: &Trail, probes: &[ProbeEvent], now: Option<time::OffsetDateTime>) -> Serves {
    match not_logging_reason(t, now) {
        Err(e) => return Serves::Unknown(format!("status of trail '{}' {e}", t.name)),
        Ok(Some(reason)) => return Serves::Stopped(reason),
        Ok(None) => {}
    }
    let sel = match need(&t.selectors) {
        Ok(s) => s,
        Err(e) => return Serves::Unknown(format!("event selectors of trail '{}' {e}", t.name)),
    };
    let missing: Vec<(String, Option<String>)> = probes
        .iter()
        .filter_map(|p| match selectors::capture(sel, p) {
            Capture::Yes => None,
            Capture::No => Some((p.label.clone(), None)),
            Capture::Partly(why) => Some((p.label.clone(), Some(why))),
        })
        .collect();
    if missing.is_empty() {
        Serves::Fully
    } else {
        Serves::Partly(missing)
    }
}

pub(super) fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

pub(super) fn list(v: &[String]) -> String {
    const MAX: usize = 6;
    if v.len() <= MAX {
        v.join(", ")
    } else {
        format!("{} and {} more", v[..MAX].join(", "), v.len() - MAX)
    }
}

/// Management events are covered by the logging trails of the account and region together: a
/// write-only trail and a read-only trail cover both. The events probed are the requirement
/// and whatever any of those trails' selectors exclude.
pub fn coverage(ctx: &Ctx) -> Vec<Raw> {
    let want_read = ctx.b.cloudtrail.management_events == ManagementEvents::All;
    let allowed = &ctx.b.cloudtrail.allowed_excluded_event_sources;
    per_account_region(ctx, |a, r| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let res = format!("{}:{}", a.account_id, r.region);
        let trails = trails_for(ctx, a, &r.region);
        let mut unknown = blind_spots(ctx, a, &r.region);
        let mut stopped = Vec::new();
        let mut usable = Vec::new();
        for t in &trails {
            match not_logging_reason(t, ctx.now) {
                Err(e) => unknown.push(format!("status of trail '{}' {e}", t.name)),
                Ok(Some(reason)) => stopped.push(reason),
                Ok(None) => match need(&t.selectors) {
                    Ok(sel) => usable.push((*t, sel)),
                    Err(e) => unknown.push(format!("event selectors of trail '{}' {e}", t.name)),
                },
            }
        }
        let mut probes =
            selectors::management_probes(&EventSelectors::default(), want_read, allowed);
        for (_, sel) in &usable {
            for p in selectors::management_probes(sel, want_read, allowed) {
                if !probes.contains(&p) {
                    probes.push(p);
                }
            }
        }
        // The events of global services (IAM, STS's global endpoint, CloudFront...) are
        // delivered in the partition's global region only, to trails that include them.
        let global = (r.region == crate::arn::Partition(&ctx.inv.partition).global_region())
            .then(selectors::global_service_probe);
        probes.extend(global.clone());
        let is_global = |p: &ProbeEvent| global.as_ref() == Some(p);
        let takes = |t: &Trail, sel: &EventSelectors, p: &ProbeEvent| {
            captures(sel, p) && (t.include_global_service_events || !is_global(p))
        };
        let what = if want_read {
            "read and write management events"
        } else {
            "write management events"
        };
        let full: Vec<String> = usable
            .iter()
            .filter(|(t, sel)| probes.iter().all(|p| takes(t, sel, p)))
            .map(|(t, _)| trail_label(t))
            .collect();
        if !full.is_empty() {
            return Raw::new(
                Status::Pass,
                acct,
                reg,
                res,
                format!("{what} recorded by trail {}", full.join(", ")),
            );
        }
        // Each event by any trail.
        let mut contributing = Vec::new();
        let uncovered: Vec<&ProbeEvent> = probes
            .iter()
            .filter(|p| {
                let by: Vec<String> = usable
                    .iter()
                    .filter(|(t, sel)| takes(t, sel, p))
                    .map(|(t, _)| trail_label(t))
                    .collect();
                contributing.extend(by.iter().cloned());
                by.is_empty()
            })
            .collect();
        if uncovered.is_empty() && !probes.is_empty() {
            return Raw::new(
                Status::Pass,
                acct,
                reg,
                res,
                format!(
                    "{what} recorded by trails {} together",
                    dedup(contributing).join(" and ")
                ),
            );
        }
        if !unknown.is_empty() {
            return Raw::new(Status::Unknown, acct, reg, res, unknown.join("; "));
        }
        let mut parts: Vec<String> = usable
            .iter()
            .map(|(t, sel)| {
                let misses: Vec<String> = probes
                    .iter()
                    .filter_map(|p| match selectors::capture(sel, p) {
                        Capture::Yes if takes(t, sel, p) => None,
                        Capture::Yes => {
                            Some(format!("{} (IncludeGlobalServiceEvents is off)", p.label))
                        }
                        Capture::No => Some(p.label.clone()),
                        Capture::Partly(why) => Some(format!("{} ({why})", p.label)),
                    })
                    .collect();
                format!("trail {} misses {}", trail_label(t), list(&misses))
            })
            .collect();
        // A logging trail records some of it: the matrix shows partial coverage.
        let partial = !usable.is_empty();
        parts.extend(stopped);
        let message = if parts.is_empty() {
            format!("no trail records {what} for this account in this region")
        } else {
            format!("no trail records all {what}: {}", parts.join("; "))
        };
        let mut raw = Raw::new(Status::Fail, acct, reg, res, message);
        raw.partial = partial;
        raw
    })
}

pub fn duplicate_management_events(ctx: &Ctx) -> Vec<Raw> {
    per_account_region(ctx, |a, r| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let res = format!("{}:{}", a.account_id, r.region);
        let mut recording = Vec::new();
        let mut unknown = blind_spots(ctx, a, &r.region);
        for t in trails_for(ctx, a, &r.region) {
            match (not_logging_reason(t, ctx.now), need(&t.selectors)) {
                (Ok(None), Ok(sel)) => {
                    if selectors::records_management_events(sel) {
                        recording.push(trail_label(t));
                    }
                }
                (Ok(Some(_)), _) => {}
                (Err(e), _) | (_, Err(e)) => unknown.push(format!("trail '{}' {e}", t.name)),
            }
        }
        if recording.len() > 1 {
            let status = if ctx.b.cloudtrail.allow_duplicate_management_events {
                Status::NotApplicable
            } else {
                Status::Fail
            };
            let tail = if status == Status::NotApplicable {
                format!("; tolerated by baseline '{}'", ctx.b.name)
            } else {
                "; every copy after the first is billed".into()
            };
            return Raw::new(
                status,
                acct,
                reg,
                res,
                format!(
                    "{} trails record management events here: {}{tail}",
                    recording.len(),
                    recording.join(", ")
                ),
            );
        }
        if !unknown.is_empty() {
            return Raw::new(Status::Unknown, acct, reg, res, unknown.join("; "));
        }
        let msg = match recording.first() {
            Some(t) => format!("one copy of management events, by trail {t}"),
            None => "no trail records management events here (see cloudtrail.coverage)".into(),
        };
        Raw::new(Status::Pass, acct, reg, res, msg)
    })
}

/// Per-trail checks: each trail once, in its home region, under its owner account; and one
/// `unknown` finding for each place whose trails could not be listed.
fn per_trail(ctx: &Ctx, mut f: impl FnMut(&Trail) -> (Status, String)) -> Vec<Raw> {
    let mut out: Vec<Raw> = super::trails(ctx)
        .map(|t| {
            let (status, message) = f(t);
            Raw::new(
                status,
                crate::arn::account_of(&t.arn),
                Some(&t.home_region),
                t.arn.clone(),
                message,
            )
        })
        .collect();
    out.extend(super::gaps(ctx).iter().map(|g| g.unknown("the trails")));
    out
}

pub fn logging(ctx: &Ctx) -> Vec<Raw> {
    per_trail(ctx, |t| match not_logging_reason(t, ctx.now) {
        Err(e) => (Status::Unknown, format!("trail status {e}")),
        Ok(Some(reason)) => (Status::Fail, reason),
        Ok(None) => match cloudwatch_delivery_problem(t, ctx.now) {
            Some(problem) => (Status::Fail, problem),
            None => (
                Status::Pass,
                format!("trail '{}' is logging and delivering", t.name),
            ),
        },
    })
}

fn flag(ctx: &Ctx, required: bool, what: &str, ok: bool, t: &Trail) -> (Status, String) {
    if !required {
        return (Status::NotApplicable, not_required(ctx, what));
    }
    if ok {
        (
            Status::Pass,
            format!("{what}: enabled on trail '{}'", t.name),
        )
    } else {
        (
            Status::Fail,
            format!("{what}: not enabled on trail '{}'", t.name),
        )
    }
}

pub fn log_file_validation(ctx: &Ctx) -> Vec<Raw> {
    per_trail(ctx, |t| {
        flag(
            ctx,
            ctx.b.cloudtrail.log_file_validation,
            "log file validation",
            t.log_file_validation_enabled,
            t,
        )
    })
}

pub fn kms_encryption(ctx: &Ctx) -> Vec<Raw> {
    per_trail(ctx, |t| {
        flag(
            ctx,
            ctx.b.cloudtrail.kms_encryption,
            "SSE-KMS encryption",
            t.kms_key_id.is_some(),
            t,
        )
    })
}

pub fn kms_key_rotation(ctx: &Ctx) -> Vec<Raw> {
    per_trail(ctx, |t| {
        if !ctx.b.cloudtrail.kms_key_rotation {
            return (Status::NotApplicable, not_required(ctx, "KMS key rotation"));
        }
        let Some(key_id) = &t.kms_key_id else {
            return (
                Status::NotApplicable,
                format!(
                    "trail '{}' is not KMS-encrypted (see cloudtrail.kms_encryption)",
                    t.name
                ),
            );
        };
        let owner = crate::arn::account_of(&t.arn).and_then(|id| ctx.inv.account(id));
        let key = owner.and_then(|o| {
            o.data
                .cloudtrail
                .kms_keys
                .iter()
                .find(|k| &k.key_id == key_id)
        });
        let Some(key) = key else {
            return (
                Status::Unknown,
                format!("key {key_id} of trail '{}' was not read", t.name),
            );
        };
        match (need(&key.key_manager), need(&key.rotation_enabled)) {
            (Ok(KeyManager::Aws), _) => (
                Status::Pass,
                format!("key {key_id} is AWS managed and rotated by AWS"),
            ),
            (_, Ok(true)) => (Status::Pass, format!("rotation is enabled on key {key_id}")),
            (_, Ok(false)) => (
                Status::Fail,
                format!("rotation is disabled on key {key_id}"),
            ),
            (_, Err(e)) => (Status::Unknown, format!("rotation of key {key_id} {e}")),
        }
    })
}

pub fn cloudwatch_logs(ctx: &Ctx) -> Vec<Raw> {
    per_trail(ctx, |t| {
        if !ctx.b.cloudtrail.cloudwatch_logs {
            return (
                Status::NotApplicable,
                not_required(ctx, "CloudWatch Logs delivery"),
            );
        }
        let Some(group) = &t.cloudwatch_logs_log_group_arn else {
            return (
                Status::Fail,
                format!("trail '{}' does not deliver to CloudWatch Logs", t.name),
            );
        };
        match need(&t.status) {
            Err(e) => (Status::Unknown, format!("trail status {e}")),
            Ok(st) => match &st.latest_cloudwatch_logs_delivery_error {
                Some(err) => (Status::Fail, format!("delivery to {group} fails: {err}")),
                None => (
                    Status::Pass,
                    format!("trail '{}' delivers to {group}", t.name),
                ),
            },
        }
    })
}

pub fn insights(ctx: &Ctx) -> Vec<Raw> {
    let wanted = &ctx.b.cloudtrail.insights;
    per_trail(ctx, |t| {
        if wanted.is_empty() {
            return (
                Status::NotApplicable,
                not_required(ctx, "CloudTrail Insights"),
            );
        }
        match need(&t.insights) {
            Err(e) => (Status::Unknown, format!("insight selectors {e}")),
            Ok(enabled) => {
                let missing: Vec<&str> = wanted
                    .iter()
                    .map(|i| i.aws_name())
                    .filter(|n| !enabled.iter().any(|e| e == n))
                    .collect();
                if missing.is_empty() {
                    (
                        Status::Pass,
                        format!("trail '{}' has {}", t.name, enabled.join(", ")),
                    )
                } else {
                    (
                        Status::Fail,
                        format!("trail '{}' lacks {}", t.name, missing.join(", ")),
                    )
                }
            }
        }
    })
}
