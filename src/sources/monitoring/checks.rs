//! Would anyone notice? One check per CIS monitoring control (4.1 to 4.15) and one for the
//! tampering actions: per account, in every enabled region (us-east-1 for the events of global
//! services), whether each of the control's events reaches a person through a metric filter
//! and alarm on the log group of a trail that records it, or an EventBridge rule.

use super::controls::{label, tampering_event, Control, CONTROLS};
use super::watch::{benign, eventbridge_region, Notice, Watch};
use crate::finding::{Part, Severity, Status};
use crate::frameworks::Framework::{CisAwsV3, Nist80053};
use crate::rules::{
    account_unreachable, every_account, not_required, CheckInfo, Fix, Raw, Subject,
};
use crate::sources::{AccountInventory, CheckDef, Ctx};
use serde_json::Value;
use std::collections::BTreeMap;

const LOOKS_AT: &str = "DescribeMetricFilters on the log group of each trail that records the account's events (the organization trail's covers every member), DescribeAlarms on the filters' metrics, ListSubscriptionsByTopic of the topics they notify, and the account's EventBridge rules (ListRules, ListTargetsByRule). A filter counts when its pattern, evaluated as CloudWatch Logs does, matches the control's sample events and no benign one; its alarm must notify an SNS topic with a confirmed subscription";

const REMEDIATION: &str = "Create a metric filter and an alarm on the organization trail's log group that notify an SNS topic someone has subscribed to (`logwarden plan` proposes them with a `tamper_protection` section), or an EventBridge rule with a target in each account and region.";

macro_rules! control_checks {
    ($( $i:literal : $id:literal, $cis:literal, $title:literal ; )*) => {
        /// The checks of this source, in report order.
        pub static CHECKS: &[CheckDef] = &[
            $( CheckDef {
                info: CheckInfo {
                    id: $id,
                    title: $title,
                    severity: Severity::Medium,
                    scope: Subject::Account,
                    looks_at: LOOKS_AT,
                    rationale: "CIS asks for a metric filter and alarm per monitoring control so that a person hears of the event within minutes, not when someone next reads the logs. Judged organization-first: alarms on the organization trail's log group in one account cover every member.",
                    remediation: REMEDIATION,
                    fix: Fix::Plan,
                    frameworks: &[(CisAwsV3, &[$cis]), (Nist80053, &["AU-6", "SI-4"])],
                },
                eval: |ctx| control(ctx, &CONTROLS[$i]),
            }, )*
            CheckDef {
                info: CheckInfo {
                    id: "monitoring.tampering_noticed",
                    title: "Turning the logging off, shortening or deleting it would be noticed",
                    severity: Severity::High,
                    scope: Subject::Account,
                    looks_at: LOOKS_AT,
                    rationale: "Attackers stop the trail, delete log groups, re-policy the log bucket or disable the key before acting. Where no policy refuses it, the only defence left is a person hearing of it at once: the organization trail records the call, an alarm or rule must carry it to someone.",
                    remediation: REMEDIATION,
                    fix: Fix::Plan,
                    frameworks: &[(Nist80053, &["AU-5", "AU-6", "AU-9", "SI-4"])],
                },
                eval: tampering,
            },
        ];
    };
}

control_checks! {
    0: "monitoring.unauthorized_api_calls", "4.1", "Unauthorized API calls are noticed (a filter and alarm, or a rule, reach a person)";
    1: "monitoring.console_signin_without_mfa", "4.2", "Console sign-ins without MFA are noticed";
    2: "monitoring.root_account_usage", "4.3", "Use of the root user is noticed";
    3: "monitoring.iam_policy_changes", "4.4", "IAM policy changes are noticed";
    4: "monitoring.cloudtrail_changes", "4.5", "CloudTrail configuration changes are noticed";
    5: "monitoring.console_authentication_failures", "4.6", "Console authentication failures are noticed";
    6: "monitoring.cmk_disable_or_deletion", "4.7", "Disabling or scheduled deletion of KMS keys is noticed";
    7: "monitoring.s3_bucket_policy_changes", "4.8", "S3 bucket policy changes are noticed";
    8: "monitoring.config_changes", "4.9", "AWS Config configuration changes are noticed";
    9: "monitoring.security_group_changes", "4.10", "Security group changes are noticed";
    10: "monitoring.nacl_changes", "4.11", "Network ACL changes are noticed";
    11: "monitoring.network_gateway_changes", "4.12", "Network gateway changes are noticed";
    12: "monitoring.route_table_changes", "4.13", "Route table changes are noticed";
    13: "monitoring.vpc_changes", "4.14", "VPC changes are noticed";
    14: "monitoring.organizations_changes", "4.15", "AWS Organizations changes are noticed";
}

fn each_account(ctx: &Ctx, status: Status, msg: &str) -> Vec<Raw> {
    every_account(ctx, status, |_| msg.to_string())
}

fn control(ctx: &Ctx, c: &Control) -> Vec<Raw> {
    let Some(want) = &ctx.b.tamper_protection else {
        return each_account(
            ctx,
            Status::NotApplicable,
            &not_required(ctx, "detective controls (tamper_protection)"),
        );
    };
    if !want.controls.iter().any(|x| x == c.cis) {
        return each_account(
            ctx,
            Status::NotApplicable,
            &format!(
                "CIS {} is not among the baseline's tamper_protection.controls",
                c.cis
            ),
        );
    }
    let (pos, neg) = c.samples();
    let mut negatives = neg;
    negatives.extend(benign());
    let events: Vec<(String, Value)> = pos.into_iter().map(|e| (label(&e), e)).collect();
    let w = Watch::new(ctx);
    ctx.inv
        .accounts
        .iter()
        .map(|a| judge_account(ctx, &w, a, &events, &negatives, c.key, c.title))
        .collect()
}

fn tampering(ctx: &Ctx) -> Vec<Raw> {
    let Some(want) = &ctx.b.tamper_protection else {
        return each_account(
            ctx,
            Status::NotApplicable,
            &not_required(ctx, "detective controls (tamper_protection)"),
        );
    };
    if !want.tampering {
        return each_account(
            ctx,
            Status::NotApplicable,
            "tamper_protection.tampering is off in the baseline",
        );
    }
    let actions = ctx
        .b
        .scp_protection
        .as_ref()
        .map(|s| s.actions.clone())
        .unwrap_or_else(crate::sources::scp::profile::default_actions);
    let events: Vec<(String, Value)> = actions
        .iter()
        .filter_map(|a| Some((a.clone(), tampering_event(a)?)))
        .collect();
    let w = Watch::new(ctx);
    let negatives = benign();
    ctx.inv
        .accounts
        .iter()
        .map(|a| {
            judge_account(
                ctx,
                &w,
                a,
                &events,
                &negatives,
                "tampering",
                "tampering with the logging",
            )
        })
        .collect()
}

/// One finding for the account: every event in every enabled region (global services' events
/// in us-east-1), with a breakdown per event.
fn judge_account(
    ctx: &Ctx,
    w: &Watch,
    a: &AccountInventory,
    events: &[(String, Value)],
    negatives: &[Value],
    scope: &str,
    what: &str,
) -> Raw {
    if let Some(raw) = account_unreachable(a, None, &a.account_id) {
        return raw;
    }
    if events.is_empty() {
        return Raw::new(
            Status::NotApplicable,
            Some(&a.account_id),
            None,
            a.account_id.clone(),
            format!("{what}: no event to watch for (wildcard actions only)"),
        );
    }
    let regions: Vec<&str> = ctx.enabled_regions(a).map(|r| r.region.as_str()).collect();
    // Per event: regions not noticed, regions undecided (with why), one way it is noticed.
    let mut parts = Vec::new();
    let (mut unnoticed, mut undecided) = (BTreeMap::new(), BTreeMap::new());
    let mut how: Option<String> = None;
    let mut first_why: Option<String> = None;
    for (lbl, e) in events {
        let mut missed: Vec<&str> = Vec::new();
        let mut doubt: Vec<String> = Vec::new();
        let mut near: Vec<String> = Vec::new();
        let mut judged: Vec<&str> = regions.clone();
        if eventbridge_region(e, "") == "us-east-1" {
            judged = vec!["us-east-1"];
        }
        for r in &judged {
            match w.notice(a, r, e, lbl, negatives, scope) {
                Notice::Yes(h) => {
                    how.get_or_insert(h);
                }
                Notice::No(m) => {
                    missed.push(r);
                    near.extend(m);
                }
                Notice::Unknown(d) => doubt.extend(d.into_iter().map(|x| format!("{r}: {x}"))),
            }
        }
        near.sort();
        near.dedup();
        let (status, note) = if !missed.is_empty() {
            let why = if near.is_empty() {
                "no filter, alarm or rule matches it".to_string()
            } else {
                near.into_iter().take(3).collect::<Vec<_>>().join("; ")
            };
            first_why.get_or_insert(why.clone());
            unnoticed.insert(lbl.clone(), missed.join(", "));
            (
                Status::Fail,
                format!("unnoticed in {}: {why}", missed.join(", ")),
            )
        } else if !doubt.is_empty() {
            undecided.insert(lbl.clone(), doubt[0].clone());
            (Status::Unknown, doubt.join("; "))
        } else {
            (Status::Pass, "noticed".to_string())
        };
        parts.push(Part {
            item: lbl.clone(),
            status,
            note,
        });
    }
    let (status, msg) = if !unnoticed.is_empty() {
        let list: Vec<String> = unnoticed
            .iter()
            .take(6)
            .map(|(l, r)| format!("{l} ({r})"))
            .collect();
        let more = unnoticed.len().saturating_sub(6);
        (
            Status::Fail,
            format!(
                "{what}: {} of {} events would go unnoticed: {}{} ({})",
                unnoticed.len(),
                events.len(),
                list.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                first_why.unwrap_or_default()
            ),
        )
    } else if let Some((l, why)) = undecided.iter().next() {
        (
            Status::Unknown,
            format!("{what}: whether {l} would be noticed is undecided: {why}"),
        )
    } else {
        (
            Status::Pass,
            format!(
                "{what}: every event is noticed in every region, e.g. {}",
                how.unwrap_or_default()
            ),
        )
    };
    Raw::new(status, Some(&a.account_id), None, a.account_id.clone(), msg).with_breakdown(parts)
}
