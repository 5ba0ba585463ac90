//! GuardDuty: a detector enabled in every account and region in scope, running the protection
//! plans the baseline names; a member account as the organization's delegated administrator in each
//! region; and how far back each account's findings can answer.

use super::model::{Detector, Status as DetectorStatus};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    age_days, listed, lookback_per_account, not_required, per_enabled_region, unknown_because,
    CheckInfo, Fix, Raw, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// How long GuardDuty keeps a finding (AWS: "findings are retained for 90 days").
pub const FINDINGS_RETENTION_DAYS: u32 = 90;

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        info: CheckInfo {
            id: "guardduty.enabled",
        title: "GuardDuty is enabled in every account and region",
        severity: Severity::High,
        scope: Subject::AccountRegion,
        looks_at: "ListDetectors, GetDetector and GetAdministratorAccount in each account and region: an ENABLED detector",
        rationale: "GuardDuty reads CloudTrail, VPC flow logs and DNS logs on its own, even where the account has none of them, and its findings are often the first sign of a compromise. A region without a detector is a region an attacker can use unseen.",
        remediation: "Enable GuardDuty for the whole organization from its delegated administrator (`aws guardduty update-organization-configuration --detector-id ID --auto-enable-organization-members ALL`), or per account and region: `aws guardduty create-detector --enable` (`logwarden plan` proposes the detectors).",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["GuardDuty.1"]), (Nist80053, &["SI-4", "CA-7", "AU-6"])],
        },
        eval: enabled,
    },
    CheckDef {
        info: CheckInfo {
            id: "guardduty.protection_plans",
        title: "Each enabled GuardDuty detector runs the protection plans the baseline names",
        severity: Severity::Medium,
        scope: Subject::AccountRegion,
        looks_at: "GetDetector's features in each account and region with an enabled detector: each protection plan the baseline's `guardduty.features` names (S3_DATA_EVENTS, EKS_AUDIT_LOGS, RDS_LOGIN_EVENTS...) ENABLED",
        rationale: "The protection plans extend GuardDuty beyond its foundational logs to S3 data events, EKS audit logs, RDS logins, Lambda network activity, malware scans and runtime behaviour: without them, an intrusion through those services raises no finding.",
        remediation: "`aws guardduty update-detector --detector-id ID --features Name=S3_DATA_EVENTS,Status=ENABLED` (for a member, from its delegated administrator: `aws guardduty update-member-detectors`); `logwarden plan` proposes them.",
        fix: Fix::Plan,
        frameworks: &[(Nist80053, &["SI-4", "CA-7"])],
        },
        eval: protection_plans,
    },
    CheckDef {
        info: CheckInfo {
            id: "guardduty.delegated_admin",
        title: "A member account administers GuardDuty for the organization in every region",
        severity: Severity::Medium,
        scope: Subject::Organization,
        looks_at: "ListOrganizationAdminAccounts in the management account, per region",
        rationale: "A delegated administrator sees every member's findings in one place and turns GuardDuty on for new accounts; without one, findings stay scattered across accounts and new accounts start unwatched. AWS recommends a member (security) account rather than the management account.",
        remediation: "From the management account, in each region: `aws guardduty enable-organization-admin-account --admin-account-id SECURITY_ACCOUNT_ID`, then turn on auto-enable for members in that account.",
        fix: Fix::Manual,
        frameworks: &[(Nist80053, &["SI-4", "CA-7"])],
        },
        eval: delegated_admin,
    },
];

pub fn enabled(ctx: &Ctx) -> Vec<Raw> {
    each_region(ctx, ctx.b.guardduty.is_none().then_some("GuardDuty"), judge)
}

/// One finding per account and enabled region: not applicable (`not_asked` names what the
/// baseline does not require), unknown where the detectors could not be listed, else `verdict`
/// on the region's detectors.
fn each_region(
    ctx: &Ctx,
    not_asked: Option<&str>,
    verdict: impl Fn(&[Detector]) -> (Status, String),
) -> Vec<Raw> {
    per_enabled_region(ctx, |a, r, out| {
        let acct = Some(a.account_id.as_str());
        let reg = Some(r.region.as_str());
        let res = format!("{}:{}", a.account_id, r.region);
        if let Some(what) = not_asked {
            out.push(Raw::new(
                Status::NotApplicable,
                acct,
                reg,
                res,
                not_required(ctx, what),
            ));
            return;
        }
        let Some(detectors) = listed(
            a,
            r,
            &r.data.guardduty.detectors,
            "GuardDuty detectors",
            out,
        ) else {
            return;
        };
        let (status, msg) = verdict(detectors);
        out.push(Raw::new(status, acct, reg, res, msg));
    })
}

/// The region's detector to judge: an enabled one, else any.
fn detector(detectors: &[Detector]) -> Option<&Detector> {
    detectors
        .iter()
        .find(|d| d.status == DetectorStatus::Enabled)
        .or(detectors.first())
}

/// The verdict on a region's detectors: one enabled.
fn judge(detectors: &[Detector]) -> (Status, String) {
    let Some(d) = detector(detectors) else {
        return (
            Status::Fail,
            "GuardDuty is not enabled (no detector)".into(),
        );
    };
    if d.status != DetectorStatus::Enabled {
        return (
            Status::Fail,
            format!(
                "GuardDuty detector {} is {} (suspended: no findings)",
                d.id,
                d.status.as_str()
            ),
        );
    }
    let admin = match d.administrator.as_result() {
        Ok(Some(x)) => format!(", administered by account {x}"),
        Ok(None) => String::new(),
        Err(e) => format!(" (its administrator {})", unknown_because(e)),
    };
    let since = d
        .created_at
        .as_deref()
        .map(|t| format!(" since {t}"))
        .unwrap_or_default();
    (
        Status::Pass,
        format!("GuardDuty detector {} is enabled{since}{admin}", d.id),
    )
}

pub fn protection_plans(ctx: &Ctx) -> Vec<Raw> {
    let features = ctx
        .b
        .guardduty
        .as_ref()
        .map(|g| g.features.clone())
        .unwrap_or_default();
    each_region(
        ctx,
        features.is_empty().then_some("GuardDuty protection plans"),
        |d| plans(d, &features),
    )
}

/// The verdict on a region's enabled detector against the protection plans the baseline names.
fn plans(detectors: &[Detector], features: &[String]) -> (Status, String) {
    let d = match detector(detectors) {
        Some(d) if d.status == DetectorStatus::Enabled => d,
        _ => {
            return (
                Status::NotApplicable,
                "no enabled GuardDuty detector here (see guardduty.enabled)".into(),
            )
        }
    };
    let missing: Vec<&str> = features
        .iter()
        .filter(|f| !d.feature_enabled(f))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return (
            Status::Pass,
            format!("GuardDuty detector {} runs {}", d.id, features.join(", ")),
        );
    }
    let managed = if d.administrator.value().is_some_and(|x| x.is_some()) {
        " (the administrator account manages them)"
    } else {
        ""
    };
    (
        Status::Fail,
        format!(
            "GuardDuty detector {} lacks protection plans the baseline names: {}{managed}",
            d.id,
            missing.join(", ")
        ),
    )
}

pub fn delegated_admin(ctx: &Ctx) -> Vec<Raw> {
    let mut out = Vec::new();
    let org = ctx.inv.organization.as_ref();
    let res = org
        .map(|o| o.id.clone())
        .unwrap_or_else(|| ctx.inv.caller_account_id.clone());
    let mgmt_id = org
        .map(|o| o.management_account_id.as_str())
        .unwrap_or(ctx.inv.caller_account_id.as_str());
    let mk = |s: Status, region: Option<&str>, m: String| {
        Raw::new(s, Some(mgmt_id), region, res.clone(), m)
    };
    let required = ctx.b.guardduty.as_ref().is_some_and(|g| g.delegated_admin);
    if !required {
        return vec![mk(
            Status::NotApplicable,
            None,
            not_required(ctx, "a delegated GuardDuty administrator"),
        )];
    }
    if !ctx.in_org() {
        return vec![mk(
            Status::NotApplicable,
            None,
            "single-account audit: the delegated administrator is judged from the management account".into(),
        )];
    }
    let Some(mgmt) = ctx.inv.accounts.iter().find(|a| a.account_id == mgmt_id) else {
        return vec![mk(
            Status::NotApplicable,
            None,
            format!("the management account {mgmt_id} is not in this audit's accounts; audit it to judge the delegated administrator"),
        )];
    };
    if let Some(e) = mgmt.access.error() {
        return vec![mk(
            Status::Unknown,
            None,
            format!("the management account {}", unknown_because(e)),
        )];
    }
    for r in ctx.enabled_regions(mgmt) {
        let reg = Some(r.region.as_str());
        let admins = match r
            .data
            .guardduty
            .admin_accounts
            .as_ref()
            .map(|c| c.as_result())
        {
            None => {
                out.push(mk(
                    Status::Unknown,
                    reg,
                    "the delegated GuardDuty administrators were not read".into(),
                ));
                continue;
            }
            Some(Err(e)) => {
                out.push(mk(
                    Status::Unknown,
                    reg,
                    format!(
                        "the delegated GuardDuty administrators {}",
                        unknown_because(e)
                    ),
                ));
                continue;
            }
            Some(Ok(v)) => v,
        };
        let active: Vec<_> = admins.iter().filter(|x| x.status == "ENABLED").collect();
        let (status, msg) = match active.as_slice() {
            [] if admins.is_empty() => (
                Status::Fail,
                format!("no delegated GuardDuty administrator in {}", r.region),
            ),
            [] => (
                Status::Fail,
                format!(
                    "the delegated GuardDuty administrator in {} is being removed ({})",
                    r.region,
                    admins
                        .iter()
                        .map(|x| format!("{} {}", x.account_id, x.status))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            [x, ..] if x.account_id == mgmt_id => (
                Status::Fail,
                format!(
                    "the management account {mgmt_id} administers GuardDuty in {}; AWS recommends a member (security) account",
                    r.region
                ),
            ),
            [x, ..] => (
                Status::Pass,
                format!(
                    "account {} administers GuardDuty for the organization in {}",
                    x.account_id, r.region
                ),
            ),
        };
        out.push(mk(status, reg, msg));
    }
    out
}

/// How far back each account's GuardDuty findings can answer: the region in scope with the
/// shortest history (0 days without an enabled detector), at most the 90 days GuardDuty keeps
/// findings. Accounts whose detectors could not be read are left out (their findings are
/// `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.guardduty.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        let detectors = r.data.guardduty.detectors.value()?;
        let enabled = detectors
            .iter()
            .find(|d| d.status == DetectorStatus::Enabled);
        Some(vec![match enabled {
            None => (0, format!("GuardDuty is not enabled in {}", r.region)),
            Some(d) => match age_days(ctx, d.created_at.as_deref()) {
                Some(age) if age < FINDINGS_RETENTION_DAYS => (
                    age,
                    format!("the detector in {} was created {age} days ago", r.region),
                ),
                _ => (
                    FINDINGS_RETENTION_DAYS,
                    format!("GuardDuty keeps findings {FINDINGS_RETENTION_DAYS} days"),
                ),
            },
        }])
    })
}
