//! AWS WAF logging: every web ACL has a logging configuration whose filter keeps allowed and
//! blocked requests.

use super::model::{LogFilter, LoggingConfig, WebAcl};
use crate::finding::{Lookback, Severity, Status};
use crate::frameworks::Framework::{AwsFsbp, Nist80053};
use crate::rules::{
    listed, lookback_per_account, not_required, per_enabled_region, unknown_because, CheckInfo,
    Fix, Raw, Resource, Subject,
};
use crate::sources::security_lake::checks::LakeCopies;
use crate::sources::{CheckDef, Ctx, RegionInventory};

/// Web ACLs, judged one by one.
pub static WEB_ACL: Resource = Resource {
    id: "web_acl",
    label: "WAF web ACL",
    cloudformation_type: "AWS::WAFv2::WebACL",
    asff_type: "AwsWafv2WebAcl",
};

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
        id: "waf.logging",
        title: "Every AWS WAF web ACL logs its requests, allowed and blocked",
        severity: Severity::Medium,
        scope: Subject::Resource(&WEB_ACL),
        looks_at: "ListWebACLs (REGIONAL in every region, CLOUDFRONT in us-east-1) and, for a scope with a web ACL, ListLoggingConfigurations (listings, never a call per ACL; GetLoggingConfiguration only for a CloudFront web ACL the CLOUDFRONT listing leaves out): a logging configuration naming the ACL, its destinations, redacted fields and logging filter. Security Lake's own copy (its WAF source: a logging configuration of Security Lake's own scope, which the listing of the account's own leaves out) does not pass the check, and a failing finding names the lake that holds it",
        rationale: "WAF logs are the record of every request a public endpoint received and what WAF did with it: the reconnaissance, the exploit attempts, the request that got through. A logging filter that keeps only blocked requests hides exactly the ones that succeeded.",
        remediation: "Create a log group named `aws-waf-logs-...` and `aws wafv2 put-logging-configuration --logging-configuration ResourceArn=WEB_ACL_ARN,LogDestinationConfigs=LOG_GROUP_ARN` (`logwarden plan` proposes both; an ACL Firewall Manager manages is logged through its Firewall Manager policy).",
        fix: Fix::Plan,
        frameworks: &[(AwsFsbp, &["WAF.11"]), (Nist80053, &["AU-2", "AU-12", "SI-4"])],
    },
    eval: logging,
}];

/// Rule actions whose requests a responder needs: leaving either out is a gap.
const ESSENTIAL: &[&str] = &["ALLOW", "BLOCK"];
/// Every rule action a request can end with.
const ACTIONS: &[&str] = &["ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"];

/// What a logging filter leaves out: the rule actions whose requests are not logged at all, and
/// a description of the narrower drops (by label, or by several conditions together).
pub fn left_out(f: &LogFilter) -> (Vec<&'static str>, Vec<String>) {
    let mut narrower = Vec::new();
    let single_action = |r: &super::model::FilterRule| {
        r.labels.is_empty() && (!r.meets_all || r.actions.len() == 1)
    };
    let logged: Vec<&'static str> = ACTIONS
        .iter()
        .copied()
        .filter(|a| {
            let named = |r: &&super::model::FilterRule| r.actions.iter().any(|x| x == a);
            if f.default_keep {
                // Kept unless a drop rule on the action alone matches it.
                !f.filters
                    .iter()
                    .filter(|r| !r.keep)
                    .filter(named)
                    .any(single_action)
            } else {
                // Dropped unless a keep rule on the action alone matches it.
                f.filters
                    .iter()
                    .filter(|r| r.keep)
                    .filter(named)
                    .any(single_action)
            }
        })
        .collect();
    for r in &f.filters {
        if single_action(r) && r.labels.is_empty() {
            continue;
        }
        let what: Vec<String> = r
            .actions
            .iter()
            .cloned()
            .chain(r.labels.iter().map(|l| format!("label {l}")))
            .collect();
        let joined = what.join(if r.meets_all { " and " } else { " or " });
        if r.keep && !f.default_keep {
            narrower.push(format!(
                "only requests with {joined} are kept among the rest"
            ));
        } else if !r.keep && f.default_keep {
            narrower.push(format!("requests with {joined} are dropped"));
        }
    }
    let missing = ACTIONS
        .iter()
        .copied()
        .filter(|a| !logged.contains(a))
        .collect();
    (missing, narrower)
}

fn destination(d: &str) -> String {
    match crate::arn::Arn::parse(d) {
        Some(a) if a.service == "s3" => format!("S3 bucket {d}"),
        Some(a) if a.service == "logs" => format!("log group {d}"),
        Some(a) if a.service == "firehose" => format!("Firehose stream {d}"),
        _ => d.to_string(),
    }
}

pub fn judge(acl: &WebAcl, c: Option<&LoggingConfig>) -> (Status, String) {
    let Some(c) = c else {
        let fms = if acl.managed_by_firewall_manager() {
            " (Firewall Manager manages it: log it through the Firewall Manager policy)"
        } else {
            ""
        };
        return (
            Status::Fail,
            format!("web ACL {} ({}) logs nothing{fms}", acl.name, acl.scope),
        );
    };
    let to: Vec<String> = c.destinations.iter().map(|d| destination(d)).collect();
    let mut notes = Vec::new();
    if !c.redacted_fields.is_empty() {
        notes.push(format!("redacts {}", c.redacted_fields.join(", ")));
    }
    if c.managed_by_firewall_manager {
        notes.push("set by Firewall Manager".into());
    }
    let (missing, narrower) = c.filter.as_ref().map(left_out).unwrap_or_default();
    notes.extend(narrower);
    let gap: Vec<&str> = missing
        .iter()
        .copied()
        .filter(|a| ESSENTIAL.contains(a))
        .collect();
    if !missing.is_empty() {
        notes.push(format!("{} requests are not logged", missing.join(", ")));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    };
    if gap.is_empty() {
        (
            Status::Pass,
            format!(
                "web ACL {} ({}) logs to {}{notes}",
                acl.name,
                acl.scope,
                to.join(", ")
            ),
        )
    } else {
        (
            Status::Fail,
            format!(
                "web ACL {} ({}) logs to {} but its filter leaves out {} requests{notes}",
                acl.name,
                acl.scope,
                to.join(", "),
                gap.join(" and ")
            ),
        )
    }
}

pub fn logging(ctx: &Ctx) -> Vec<Raw> {
    let lake = LakeCopies::of(ctx.inv);
    per_enabled_region(ctx, |a, r, out| {
        let Some(acls) = listed(a, r, &r.data.waf.web_acls, "WAF web ACLs", out) else {
            return;
        };
        for acl in acls {
            let mut partial = false;
            let (status, msg) = match (&ctx.b.waf_logging, r.data.waf.logging.as_result()) {
                (None, _) => (Status::NotApplicable, not_required(ctx, "WAF logging")),
                (Some(_), Err(e)) => (
                    Status::Unknown,
                    format!("the logging of web ACL {} {}", acl.name, unknown_because(e)),
                ),
                (Some(_), Ok(configs)) => {
                    let c = configs.iter().find(|c| c.resource_arn == acl.arn);
                    // A filtered configuration still logs part of the requests.
                    partial = c.is_some();
                    let (status, msg) = judge(acl, c);
                    // Security Lake's WAF source is a logging configuration of its own scope,
                    // which the CUSTOMER listing leaves out.
                    let note = lake.note(&a.account_id, &r.region, "WAF");
                    match note {
                        Some(note) if c.is_none() => (
                            status,
                            format!(
                                "web ACL {} ({}) has no logging configuration of its own{note}",
                                acl.name, acl.scope
                            ),
                        ),
                        Some(note) if status == Status::Fail => (status, msg + &note),
                        _ => (status, msg),
                    }
                }
            };
            let mut raw = Raw::new(
                status,
                Some(a.account_id.as_str()),
                Some(r.region.as_str()),
                acl.arn.clone(),
                msg,
            );
            raw.partial = partial && status == Status::Fail;
            out.push(raw);
        }
    })
}

/// What reports say of this source's lookback.
pub const LOOKBACK_NOTE: &str = "WAF: the web ACL whose logs reach back least (its log group's retention, or the group's age when younger; its bucket's lifecycle for the account's WAFLogs keys; 0 for an ACL that logs nothing; Firehose destinations are not counted)";

/// How far back each account's WAF logs can answer: the web ACL that reaches back least.
/// Accounts whose ACLs or logging could not be read are left out (their findings are
/// `unknown`); a destination whose retention is not known (a Firehose stream, a bucket that
/// keeps everything, a group of another account) gives no figure.
pub fn lookback(ctx: &Ctx) -> Vec<Lookback> {
    if ctx.b.waf_logging.is_none() {
        return vec![];
    }
    lookback_per_account(ctx, super::SOURCE.id, |a, r| {
        let acls = r.data.waf.web_acls.value()?;
        let configs = r.data.waf.logging.value()?;
        let mut out = Vec::new();
        for acl in acls {
            let Some(c) = configs.iter().find(|c| c.resource_arn == acl.arn) else {
                out.push((
                    0,
                    format!("web ACL {} in {} logs nothing", acl.name, r.region),
                ));
                continue;
            };
            let best = c
                .destinations
                .iter()
                .filter_map(|d| reach(ctx, &a.account_id, r, acl, d))
                .max_by_key(|(d, _)| *d);
            if let Some((days, why)) = best {
                out.push((days, format!("web ACL {}: {why}", acl.name)));
            }
        }
        Some(out)
    })
}

/// How far back one destination keeps an ACL's logs; `None` when not known.
fn reach(
    ctx: &Ctx,
    account: &str,
    r: &RegionInventory,
    acl: &WebAcl,
    d: &str,
) -> Option<(u32, String)> {
    let arn = crate::arn::Arn::parse(d)?;
    match arn.service {
        "logs" if arn.account == account && arn.region == r.region => {
            let name = arn
                .resource
                .strip_prefix("log-group:")?
                .trim_end_matches(":*");
            crate::sources::cloudwatch_logs::checks::reach_named(ctx, r, name)
        }
        "s3" => {
            let bucket = arn.s3_bucket()?;
            // AWS WAF's key layout: AWSLogs/<account>/WAFLogs/<region>/<web ACL>/...
            let region = if acl.scope == "CLOUDFRONT" {
                "cloudfront"
            } else {
                r.region.as_str()
            };
            let key = format!("AWSLogs/{account}/WAFLogs/{region}/{}/", acl.name);
            let k = crate::sources::s3_access_logs::buckets::keeps(ctx, bucket, &key)??;
            Some((k, format!("bucket {bucket} keeps its WAF logs {k} days")))
        }
        _ => None,
    }
}
