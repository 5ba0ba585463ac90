//! Security Hub enabled in every account and region in scope; how far back its findings go.

use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{CisAwsV3, CisAwsV7, Nist80053};
use crate::rules::{
    age_days, lookback_per_account, not_required, per_account_region, unknown_because, CheckInfo,
    Fix, Raw, Subject,
};
use crate::sources::{CheckDef, Ctx};

/// How long Security Hub keeps a finding after its last update (AWS: 90 days).
pub const FINDINGS_RETENTION_DAYS: u32 = 90;

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
    id: "securityhub.enabled",
    title: "Security Hub is enabled in every account and region",
    severity: Severity::Medium,
    scope: Subject::AccountRegion,
    looks_at: "DescribeHub in each account and region (InvalidAccessException: not subscribed)",
    rationale: "Security Hub gathers the findings of GuardDuty, Config, Inspector, Macie and the security standards in one place per account and region, and forwards them to the delegated administrator; without it, a responder has to visit each service and region to see what was already flagged.",
    remediation: "Enable it organization-wide from the delegated administrator (`aws securityhub update-organization-configuration --auto-enable`), or per account and region: `aws securityhub enable-security-hub --enable-default-standards` (`logwarden plan` proposes it).",
    fix: Fix::Plan,
    frameworks: &[
        (CisAwsV3, &["4.16"]),
        (CisAwsV7, &["5.16"]),
        (Nist80053, &["CA-7", "SI-4"]),
    ],
    },
    eval: enabled,
}];

pub fn enabled(ctx: &Ctx) -> Vec<Raw> {
    per_account_region(ctx, |a, r| {
        let (status, msg) = match (&ctx.b.security_hub, r.data.security_hub.hub.as_result()) {
            (None, _) => (Status::NotApplicable, not_required(ctx, "Security Hub")),
            (Some(_), Err(e)) => (
                Status::Unknown,
                format!("Security Hub {}", unknown_because(e)),
            ),
            (Some(_), Ok(None)) => (Status::Fail, "Security Hub is not enabled".to_string()),
            (Some(_), Ok(Some(h))) => (
                Status::Pass,
                format!(
                    "Security Hub is enabled{}",
                    h.subscribed_at
                        .as_deref()
                        .map(|t| format!(" since {t}"))
                        .unwrap_or_default()
                ),
            ),
        };
        Raw::new(
            status,
            Some(&a.account_id),
            Some(&r.region),
            format!("{}:{}", a.account_id, r.region),
            msg,
        )
    })
}

/// How far back each account's Security Hub findings can answer: the region with the youngest
/// hub (0 without one), at most the 90 days findings are kept. Accounts with an unreadable hub
/// are left out (their findings are `unknown`).
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.security_hub.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |_, r| {
        Some(vec![match r.data.security_hub.hub.value()? {
            None => (0, format!("Security Hub is not enabled in {}", r.region)),
            Some(h) => match age_days(ctx, h.subscribed_at.as_deref()) {
                Some(age) if age < FINDINGS_RETENTION_DAYS => (
                    age,
                    format!("Security Hub was enabled in {} {age} days ago", r.region),
                ),
                _ => (
                    FINDINGS_RETENTION_DAYS,
                    format!("Security Hub keeps findings {FINDINGS_RETENTION_DAYS} days"),
                ),
            },
        }])
    })
}
