//! Whether an SCP in force on each member account denies the actions that would turn its
//! logging off (the profile's `scp_protection.actions`).

use super::model::{Scp, Scps};
use super::policy::{treatment, Treatment};
use crate::finding::{Severity, Status};
use crate::frameworks::Framework::Nist80053;
use crate::rules::{not_required, unknown_because, CheckInfo, Fix, Raw, Subject};
use crate::sources::{CheckDef, Ctx};
use std::collections::BTreeMap;

/// The checks of this source, in report order.
pub static CHECKS: &[CheckDef] = &[CheckDef {
    info: CheckInfo {
    id: "scp.protects_logging",
    title: "A service control policy stops member accounts from turning their logging off",
    severity: Severity::High,
    scope: Subject::Account,
    looks_at: "ListRoots, ListPolicies, DescribePolicy, ListTargetsForPolicy and the organizational tree, in the management account: a Deny on each protected action (cloudtrail:StopLogging, cloudtrail:DeleteTrail, config:StopConfigurationRecorder... as the baseline lists them) in an SCP attached to the account, a unit above it or the root, on every resource, exempting at most some principals",
    rationale: "An intruder with administrator rights in a member account stops its trail, recorder or flow logs before acting; the organization trail records the StopLogging call, but only an SCP refuses it. Logging that a member can switch off is evidence an attacker controls.",
    remediation: "Create an SCP that denies the actions (exempting a break-glass role if needed) and attach it to the root: `aws organizations create-policy --type SERVICE_CONTROL_POLICY --name logwarden-protect-logging --content file://protect-logging.json`, then `aws organizations attach-policy --policy-id ID --target-id ROOT_ID` (`logwarden plan` prints the document).",
    fix: Fix::Manual,
    frameworks: &[(Nist80053, &["AU-9", "AC-3"])],
    },
    eval: protects_logging,
}];

pub fn protects_logging(ctx: &Ctx) -> Vec<Raw> {
    let each = |status: Status, msg: &dyn Fn(&str) -> String| -> Vec<Raw> {
        ctx.inv
            .accounts
            .iter()
            .map(|a| {
                Raw::new(
                    status,
                    Some(&a.account_id),
                    None,
                    a.account_id.clone(),
                    msg(&a.account_id),
                )
            })
            .collect()
    };
    let Some(want) = &ctx.b.scp_protection else {
        return each(Status::NotApplicable, &|_| {
            not_required(ctx, "protection of the logging by an SCP")
        });
    };
    let Some(org) = ctx.inv.organization.as_ref().filter(|_| ctx.in_org()) else {
        return each(Status::NotApplicable, &|_| {
            "single-account audit: service control policies are read in the organization's management account".into()
        });
    };
    let mgmt = org.management_account_id.as_str();
    let Some(m) = ctx.inv.accounts.iter().find(|a| a.account_id == mgmt) else {
        return each(Status::NotApplicable, &|_| {
            format!("the management account {mgmt} is not in this audit's accounts; audit it to judge the SCPs")
        });
    };
    let scps = match (
        m.access.error(),
        m.data.scp.policies.as_ref().map(|c| c.as_result()),
    ) {
        (Some(e), _) | (None, Some(Err(e))) => {
            let why = unknown_because(e);
            return each(Status::Unknown, &|_| {
                format!("the organization's service control policies {why}")
            });
        }
        (None, None) => {
            return each(Status::Unknown, &|_| {
                "the organization's service control policies were not read".into()
            })
        }
        (None, Some(Ok(s))) => s,
    };
    ctx.inv
        .accounts
        .iter()
        .map(|a| {
            let id = a.account_id.as_str();
            let (status, msg) = if id == mgmt {
                (
                    Status::NotApplicable,
                    "SCPs never restrict the management account: keep workloads out of it and its logging is the organization trail's".to_string(),
                )
            } else {
                judge(scps, id, &want.actions)
            };
            Raw::new(status, Some(id), None, id.to_string(), msg)
        })
        .collect()
}

/// The policies in force on `account` (attached to it, a unit above it or the root), each with
/// the target it is attached to.
pub fn in_force<'a>(scps: &'a Scps, account: &str) -> Option<Vec<(&'a Scp, &'a str)>> {
    let chain = scps.ancestors.get(account)?;
    let mut out = Vec::new();
    for p in &scps.policies {
        if let Some(t) = p
            .targets
            .iter()
            .find(|t| t.as_str() == account || chain.contains(t))
        {
            out.push((p, t.as_str()));
        }
    }
    Some(out)
}

fn judge(scps: &Scps, account: &str, actions: &[String]) -> (Status, String) {
    if !scps.enabled {
        return (
            Status::Fail,
            "service control policies are not enabled in the organization: nothing stops a member account from turning its logging off".into(),
        );
    }
    let Some(policies) = in_force(scps, account) else {
        return (
            Status::Unknown,
            format!("account {account} was not found in the organizational tree read from the management account"),
        );
    };
    // Per action, the policy that denies it (with its exemptions), or why none does.
    let mut denied: BTreeMap<String, Vec<&str>> = BTreeMap::new(); // policy → actions
    let mut exemptions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut narrowed = Vec::new();
    let mut unreadable = Vec::new();
    for action in actions {
        let mut found = false;
        let mut partial = None;
        for (p, target) in &policies {
            match treatment(&p.content, action) {
                Treatment::Denied { exempt } => {
                    let key = format!("'{}' (on {target})", p.name);
                    denied.entry(key.clone()).or_default().push(action);
                    let ex = exemptions.entry(key).or_default();
                    for e in exempt {
                        if !ex.contains(&e) {
                            ex.push(e);
                        }
                    }
                    found = true;
                    break;
                }
                Treatment::Narrowed(why) if partial.is_none() => {
                    partial = Some(format!("SCP '{}' denies {action} {why}", p.name));
                }
                Treatment::Unreadable(why) => {
                    let note = format!("SCP '{}' could not be judged: {why}", p.name);
                    if !unreadable.contains(&note) {
                        unreadable.push(note);
                    }
                }
                _ => {}
            }
        }
        if !found {
            missing.push(action.as_str());
            narrowed.extend(partial);
        }
    }
    if missing.is_empty() {
        let by: Vec<String> = denied
            .iter()
            .map(|(k, acts)| {
                let ex = exemptions.get(k).filter(|e| !e.is_empty());
                format!(
                    "SCP {k} denies {}{}",
                    acts.join(", "),
                    ex.map(|e| format!(" (except {})", e.join(", ")))
                        .unwrap_or_default()
                )
            })
            .collect();
        return (Status::Pass, by.join("; "));
    }
    // An unreadable policy in force might deny what is missing: unknown, never a guessed fail.
    if !unreadable.is_empty() {
        return (
            Status::Unknown,
            format!(
                "whether an SCP denies {} is unknown: {}",
                missing.join(", "),
                unreadable.join("; ")
            ),
        );
    }
    let names: Vec<&str> = policies.iter().map(|(p, _)| p.name.as_str()).collect();
    let mut msg = format!(
        "no SCP in force denies {} (in force: {})",
        missing.join(", "),
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    );
    if !narrowed.is_empty() {
        msg.push_str(&format!("; {}", narrowed.join("; ")));
    }
    (Status::Fail, msg)
}
